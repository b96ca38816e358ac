"""Speed figures: per-stage latency, HTTP latency and memory, index build throughput.

    qa bench [--limit N] [--no-server] [--no-build] [--build-chunks 2000]
             [--config NAME=ENV=VAL,ENV=VAL ...] [--with-eval] [--out reports/bench]

(the command's arguments: cli/bench.py). Three parts, each for every configuration:

- `pipeline.py`: the eval questions through `Pipeline.stream()` in this process (2
  warm-up questions first, not counted): p50/p95 of every stage the pipeline times,
  prompt and new tokens as the pipeline counts them, time to the first streamed
  token (from the start of generation, and from the question), decoding tokens/s,
  answer modes;
- `server.py`: `qa serve` in a child process, `POST /ask` for the same questions one
  at a time: client-side p50/p95 and the server's resident memory (VmRSS, VmHWM);
- `build.py`: the bundled article repeated, digits rotated per copy, into about
  `--build-chunks` chunks, indexed in a child process: texts embedded per second by
  the whole build against the embedder's own `embed_documents` on exactly the same
  texts in the same process (the ratio), chunks/s and peak memory.

`configs.py` runs the parts for one configuration (with `--config`, each in its own
child process with those environment variables set, so settings and models don't
leak between them); `report.py` puts the configurations side by side with ratios to
the first, and writes bench.json and bench.md; `stats.py` holds the percentiles, the
question selection and the CPU contention measure they share. `--with-eval` also
scores the answers with eval/run.py's metrics, so quality sits beside speed.

Timings are figures for a report: nothing here fails on a slow run.
"""
