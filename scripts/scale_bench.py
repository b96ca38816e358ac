"""Build and measure the index at 100k-1M chunks (the figures of docs/SCALE.md).

    python scripts/scale_bench.py run --chunks 100000            # generate, build, measure
    python scripts/scale_bench.py run --chunks 100000 --dense hnsw --label 100k-hnsw
    python scripts/scale_bench.py minilm                          # real MiniLM throughput
    QA_GENERATOR=extractive python scripts/scale_bench.py workers --workers 2
                                         # uvicorn workers over QA_INDEX_DIR: RSS of each

`run` does, each step in its own process (so peak memory is per step):

1. generate  a synthetic collection of about N chunks under var/scale/corpus-<N>/:
             documents laid out like the bundled report, whose paragraphs are two or
             more of the report's sentences recombined, with its place names replaced
             by generated ones (12k distinct, some also appended to sentences) and its
             figures by random ones;
2. build     `build_index` over it (no multilingual vectors) with a stand-in embedder
             (scripts/scale_collection.py): time per stage, peak RSS, size on disk;
3. measure   open time with and without the sha256 check, RSS after opening,
             retrieval p50/p95 of dense, BM25 and fused search (HybridRetriever.search)
             over 200 questions, recall@10/@20 of the approximate index against exact
             IndexFlatIP search of the same vectors, and the same searches with real
             MiniLM embedding the questions (latency only: the vectors do not match);
4. legacy    the same index held in memory the way format 1 held it (dict of parsed
             documents, lists of Chunk/Sentence objects, arrays read): RSS, open time;
5. share     two processes open the index memory-mapped and search it; their Rss and
             Pss (/proc/<pid>/smaps_rollup), before and after reading every page.

Results go to reports/scale/<label>.json and .md.

The synthetic collection and the stand-in embedder are in scripts/scale_collection.py,
the steps in scripts/scale_steps.py.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import scale_steps as steps
from scale_collection import ROOT, VAR, word_table

REPORTS = ROOT / "reports" / "scale"


# -- the report ---------------------------------------------------------------------------

def _run_step(step: str, a, extra: list[str] | None = None) -> dict:
    out = VAR / "steps" / f"{a.label}-{step}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, __file__, step, "--corpus", a.corpus, "--index", a.index,
           "--chunks", str(a.chunks), "--dense", a.dense, "--json", str(out), *(extra or [])]
    t = time.perf_counter()
    print(f"[{time.strftime('%H:%M:%S')}] {step} ...", file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True)
    res = json.loads(out.read_text())
    print(f"[{time.strftime('%H:%M:%S')}] {step} done in {time.perf_counter() - t:.0f} s",
          file=sys.stderr, flush=True)
    return res


def cmd_run(a) -> dict:
    report = {"label": a.label, "chunks_asked": a.chunks, "dense_index": a.dense,
              "machine": {"cpus": os.cpu_count(), "numpy": np.__version__}}
    report["collection"] = _run_step("generate", a)
    word_table(Path(a.corpus))
    kept = VAR / "steps" / f"{a.label}-build.json"
    if a.keep_build and kept.exists():  # measure again the index built before
        report["build"] = json.loads(kept.read_text())
    else:
        report["build"] = _run_step("build", a)
    report["measure"] = _run_step("measure", a)
    report["legacy_tables"] = _run_step("legacy", a)
    report["share_mmap"] = _run_step("share", a)
    if a.share_without_mmap:
        report["share_no_mmap"] = _run_step("share", a, ["--no-mmap"])
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{a.label}.json").write_text(json.dumps(report, indent=1))
    (REPORTS / f"{a.label}.md").write_text(markdown(report))
    print(markdown(report))
    return report


def markdown(r: dict) -> str:
    c, b, m = r["collection"], r["build"], r["measure"]
    lat, lm = m["latency_ms_standin"], m["latency_ms_minilm_query"]
    lines = [
        f"## {r['label']}: {b['counts']['chunks']:,} chunks, {b['counts']['sentences']:,} sentences, "
        f"{c['documents']:,} documents",
        "",
        f"Embedder: `{b['embedder']}` (stand-in, see scripts/scale_collection.py); dense index "
        f"`{json.dumps({k: v for k, v in b['dense'].items() if k != 'calibration'})}`, "
        f"calibrated recall@10 {b['dense'].get('calibration', {}).get('recall', 1.0)}.",
        "",
        "| | |",
        "|---|---|",
        f"| `build_index` (reading the files before it: {b['load_documents_s']} s) | {b['build_s']} s: "
        + ", ".join(f"{k} {v}" for k, v in b["stages_s"].items()) + " |",
        f"| build peak RSS | {b['peak_rss_mb']:,} MB |",
        f"| index on disk | {b['disk']['total_mb']:,} MB (" + ", ".join(
            f"{k} {v}" for k, v in b["disk"]["files_mb"].items() if v >= 1) + ") |",
        f"| open | {m['open_without_sha256_s']} s, {m['open_with_sha256_s']} s with the sha256 "
        f"check of every file |",
        f"| RSS after open / after 200 searches | {m['rss_after_open_mb']:,} / "
        f"{m['rss_after_queries_mb']:,} MB |",
        f"| the same held as format 1 did (objects, arrays read) | open "
        f"{r['legacy_tables']['open_s']} s, RSS {r['legacy_tables']['rss_after_open_mb']:,} MB |"
        if "legacy_tables" in r else "| | |",
        f"| load average during the measurements | {m['loadavg_start'][0]:.1f} at the start, "
        f"{m['loadavg_end'][0]:.1f} at the end (2 cores) |",
        f"| dense search p50 / p95 | {lat['dense_search']['p50']} / {lat['dense_search']['p95']} ms "
        f"(exact flat over the same vectors: {m['latency_ms_exact_flat_same_vectors']['p50']} ms) |",
        f"| BM25 p50 / p95 | {lat['bm25']['p50']} / {lat['bm25']['p95']} ms"
        + (f" (bm25s's `retrieve`: {lat['bm25s_retrieve']['p50']} / {lat['bm25s_retrieve']['p95']} ms)"
           if "bm25s_retrieve" in lat else "") + " |",
        f"| fused `HybridRetriever.search` p50 / p95, stand-in query | {lat['fused_search']['p50']} / "
        f"{lat['fused_search']['p95']} ms |",
        f"| the same with real MiniLM embedding the question | {lm['fused_search']['p50']} / "
        f"{lm['fused_search']['p95']} ms (MiniLM alone {lm['embed_query']['p50']} ms p50) |",
        f"| recall vs exact search ({m['recall_vs_exact']['queries']} questions) | "
        f"@10 {m['recall_vs_exact']['recall@10']}, @20 {m['recall_vs_exact']['recall@20']} |",
    ]
    for key in ("share_mmap", "share_no_mmap"):
        if key not in r:
            continue
        s = r[key]
        for phase in ("after_200_searches", "after_reading_every_page"):
            a_, b_ = s[phase]
            lines.append(
                f"| two processes, {'mmap' if s['mmap'] else 'no mmap'}, {phase.replace('_', ' ')} | "
                f"Rss {a_['Rss']:,} + {b_['Rss']:,} MB, Pss {a_['Pss']:,} + {b_['Pss']:,} MB, "
                f"shared {a_['Shared_Clean']:,} MB |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("step", choices=["run", "generate", "build", "measure", "legacy", "share",
                                    "child", "minilm", "workers"])
    p.add_argument("--chunks", type=int, default=100_000)
    p.add_argument("--dense", default="auto", choices=["auto", "flat", "ivf", "hnsw"])
    p.add_argument("--label")
    p.add_argument("--corpus")
    p.add_argument("--index")
    p.add_argument("--json")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--texts", type=int, default=2000)
    p.add_argument("--no-mmap", action="store_true")
    p.add_argument("--share-without-mmap", action="store_true")
    p.add_argument("--keep-build", action="store_true",
                   help="measure the index built by an earlier run again")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--port", type=int, default=8765)
    a = p.parse_args(argv)
    a.label = a.label or (f"{a.chunks // 1000}k" if a.chunks < 1_000_000 else f"{a.chunks // 1_000_000}m")
    a.corpus = a.corpus or str(VAR / f"corpus-{a.chunks}")
    a.index = a.index or str(VAR / f"index-{a.label}")
    if a.step == "child":
        steps.cmd_child(a)
        return 0
    res = {"run": cmd_run, "generate": steps.cmd_generate, "build": steps.cmd_build,
           "measure": steps.cmd_measure, "legacy": steps.cmd_legacy, "share": steps.cmd_share,
           "minilm": steps.cmd_minilm, "workers": steps.cmd_workers}[a.step](a)
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=1))
    elif a.step != "run":
        print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
