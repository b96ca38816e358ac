"""Part 3: index build throughput.

The bundled article repeated, digits rotated per copy, into about `n_chunks` chunks,
indexed in a child process (`python -m eval.bench.build OUT N [--multilingual]`, its
own peak memory, nothing loaded before): texts embedded per second by the whole
build against the embedder's own `embed_documents` on exactly the same texts in the
same process (the ratio), chunks/s and peak memory.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path


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

    from ..servers import memory_mb

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
        cmd = [sys.executable, "-m", "eval.bench.build", str(out), str(n_chunks)]
        cmd += ["--multilingual"] if multilingual else []
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL)
        if r.returncode != 0 or not out.is_file():
            raise RuntimeError(f"the build measurement exited with {r.returncode}")
        return json.loads(out.read_text())


def _child(argv: list[str]) -> int:
    """The child process of run_build: measure_build with this environment's Settings,
    its result written as JSON to argv[0]."""
    from qa.settings import get_settings

    out, n_chunks, *flags = argv
    res = measure_build(get_settings(), int(n_chunks), "--multilingual" in flags)
    Path(out).write_text(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
