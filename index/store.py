"""An opened index: the `Index` every request reads, and `open_index`.

`open_index` checks the build first (index/manifest.py: the manifest's own
checksum, format version, embedder, the sha256 of every file), then memory-maps
what it can (vectors, FAISS index, BM25 matrix, tables, documents): several server
processes opening the same index share one copy of it in the page cache. Builds
are written by index/build.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import ann, vocabulary
from .chunking import Chunk
from .embedding import Embedder
from .errors import IndexCorrupt
from .injection import PATTERNS_FINGERPRINT, looks_like_instruction
from .loaders import Document
from .manifest import REBUILD, check_manifest, current_path, read_manifest_at
from .tables import ChunkTable, DocumentTable, SentenceTable
from .vocabulary import Vocabulary


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
        lo, hi = self._range_of(chunk_id)
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
            lo, hi = self._range_of(cid)
            spans.update((s.start, s.end) for s in self.sentences[lo:hi]
                         if s.sent_id not in self.quarantined)
        return sorted(spans)

    def chunk_at(self, doc_id: str, offset: int) -> Chunk | None:
        """The chunk of document `doc_id` that holds the character at `offset`."""
        if isinstance(self.chunks, ChunkTable):
            c = self.chunks
            ids = np.flatnonzero((c.doc == self.documents.row(doc_id)) & (c.start <= offset)
                                 & (c.end > offset))
            return c[int(ids[0])] if len(ids) else None
        return next((c for c in self.chunks
                     if c.doc_id == doc_id and c.start <= offset < c.end), None)

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

    def _range_of(self, chunk_id: int) -> tuple[int, int]:
        """The rows of `sentences` that belong to the chunk."""
        if self._sent_range is None:
            return self.sentences.range_of(chunk_id)
        return self._sent_range.get(chunk_id, (0, 0))

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


def open_index(index_dir: Path, embedder_name: str, embedder_dim: int | None = None,
               verify: bool = True, embedder: Embedder | None = None, mmap: bool = True) -> Index:
    """Open the current index after checking its manifest, format version, embedder
    (name, dimension and, when `embedder` is given, its probe vector) and the
    sha256 of every file. With `mmap` (the default) vectors, FAISS index, BM25
    matrix and tables are memory-mapped read-only instead of read into memory."""
    import bm25s

    root = current_path(index_dir)  # resolved once: a swap meanwhile does not mix two builds
    m = read_manifest_at(root, verify=verify)
    check_manifest(root, m, embedder_name, embedder_dim, verify, embedder)
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
        raise IndexCorrupt(f"The index at {root} could not be read ({type(e).__name__}: {e}). {REBUILD}") from e
    n_docs, n_chunks = len(docs), len(chunks)
    if (dense.ntotal != n_chunks or len(sent_vecs) != len(sentences)
            or (xling is not None and len(xling) != len(sentences))
            or (xling_dense is not None and xling_dense.ntotal != len(sentences))
            or (n_chunks and not 0 <= int(chunks.doc.min()) <= int(chunks.doc.max()) < n_docs)
            or np.any(np.diff(sentences.chunk) < 0)
            or (len(sentences) and not 0 <= int(sentences.chunk[0]) <= int(sentences.chunk[-1])
                < n_chunks)):
        raise IndexCorrupt(f"The index at {root} is inconsistent (vector and table counts differ). {REBUILD}")
    return Index(root, m, docs, chunks, sentences, dense, sent_vecs, xling, bm25, quarantined,
                 xling_dense, vocab)
