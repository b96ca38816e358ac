"""Building an index: chunk, find the names, embed, BM25, FAISS, write, swap.

`build_index` builds one from documents. An incremental update (index/update.py)
writes its new build with the same `write_build`: the documents it takes over
unchanged from the previous build (`Contents.carried`) keep their chunks, sentences,
vectors and names from there, and only the others are chunked, embedded and
searched for names (their chunks and sentences whose text the previous build embedded
keep those vectors: a document read again or edited in one place is mostly the same
text); BM25, the FAISS index, the vocabulary and the tables are made
anew over all of them. So an update gives the build a full rebuild of the same
documents gives (tests/index/test_update.py compares them).

The layout written is described in index/manifest.py; the build is atomic and one
at a time (index/atomic.py).
"""

from __future__ import annotations

import json
import os
import time
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import ann, vocabulary
from .atomic import new_build, writing, writing_npy
from .chunking import Chunk, chunk_document
from .embedding import Embedder
from .injection import PATTERNS_FINGERPRINT, looks_like_instruction
from .loaders import Document
from .manifest import NAMES_FILE, SourceFile, embedder_probe, write_manifest
from .tables import ChunkTable, write_documents
from .text import sentence_spans, terms

EMBED_STEP = 1024  # texts a call of the embedder


@dataclass
class Contents:
    """What goes into a build: the documents in order, and what is known of them.

    `files` gives each document's source file (None: built from a Document given
    directly); `roots` and `excluded` the paths the collection was read from and the
    files removed from them since; `names` each document's names (None: find them).
    `carried` maps rows of `docs` to rows of `previous`, the build they are taken
    over from unchanged."""

    docs: list[Document]
    files: list[SourceFile | None] | None = None
    roots: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    domain_pack: dict | None = None
    names: list[dict | None] | None = None
    previous: object | None = None  # index.store.Index
    carried: dict[int, int] = field(default_factory=dict)


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
    files: list[SourceFile | None] | None = None,
    roots: list[Path] | None = None,
) -> Path:
    """Build an index of docs under index_dir and make it current. Returns its folder.

    `dense_index` is the FAISS index type: "auto" (exact below `exact_below` chunks,
    IVF from there on), "flat", "ivf" or "hnsw" (index/ann.py). The collection's names
    (and `domain_pack`, when given) are stored as its vocabulary (index/vocabulary.py).
    `files` (each document's source file) and `roots` (the paths given) are recorded
    for `qa index update`."""
    ann.choose(dense_index, 0)  # a bad name fails before anything is built
    index_dir = Path(index_dir)
    contents = Contents(docs, files, [os.path.abspath(r) for r in roots or []],
                        domain_pack=domain_pack)
    with new_build(index_dir) as (work, final):
        write_build(work, index_dir, contents, embedder, xling, max_chars, overlap_sentences,
                    progress, dense_index, exact_below)
    return final


def write_build(work: Path, index_dir: Path, contents: Contents, embedder: Embedder,
                xling: Embedder | None, max_chars: int, overlap_sentences: int,
                progress: Callable[[str, int, int], None] | None, dense_index: str,
                exact_below: int) -> None:
    """Write every file of a build of `contents` into `work` (the folder `new_build`
    gave), the manifest last."""
    import faiss

    docs, prev, carried = contents.docs, contents.previous, contents.carried
    stages: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        stages[stage] = round(stages.get(stage, 0.0) + now - clock[0], 2)
        clock[0] = now

    layout = _Layout(docs, prev, carried, max_chars, overlap_sentences)
    chunks, sent_cols, quarantined = layout.chunks, layout.sentence_columns(), layout.quarantined
    kind = ann.choose(dense_index, len(chunks), exact_below)
    chunk_cols = ChunkTable.columns_of(chunks, {d.doc_id: i for i, d in enumerate(docs)})
    n_chunks, n_sents = len(chunks), sent_cols.shape[1]
    lap("chunking")
    if progress:
        progress("names", 0, len(docs))
    known = contents.names or [None] * len(docs)
    names = [n if n is not None else vocabulary.count_names(d) for d, n in zip(docs, known,
                                                                               strict=True)]
    vocab = vocabulary.merge(names, contents.domain_pack)
    if progress:
        progress("names", len(docs), len(docs))
    lap("names")

    texts = [_embed_text(c.section, c.text) for c in chunks]
    new_sents = layout.new_sentence_count()
    total = layout.new_chunk_count() + new_sents
    # an update: a text the previous build embedded keeps its vector
    old_chunks, old_sents = (_old_texts(prev, carried.values()) if prev is not None and total
                             else ({}, {}))
    chunk_vecs = np.zeros((n_chunks, embedder.dim), dtype=np.float32)
    old_chunk_vecs = ann.all_vectors(prev.dense) if carried or old_chunks else None
    layout.embed(embedder, "embedding", _into(chunk_vecs), progress, 0, total,
                 lambda _, lo, hi, t=texts: t[lo:hi], old_chunk_vecs, per="chunk",
                 reuse=old_chunks)
    sent_out = writing_npy(index_dir, work, "sentences.npy", n_sents, embedder.dim)
    layout.embed(embedder, "embedding", _guarded(sent_out, index_dir, work), progress,
                 layout.new_chunk_count(), total, layout.sentence_texts,
                 prev.sentence_vectors if carried or old_sents else None, reuse=old_sents)
    sent_out.close()
    lap("embedding")
    if xling is not None:
        old_xl = prev.xling_vectors if prev is not None else None
        xl_out = writing_npy(index_dir, work, "xling.npy", n_sents, xling.dim)
        layout.embed(xling, "multilingual", _guarded(xl_out, index_dir, work), progress, 0,
                     new_sents, layout.sentence_texts,
                     old_xl if carried or old_sents else None,
                     reuse=old_sents if old_xl is not None else None)
        xl_out.close()
        lap("multilingual")
    del old_chunk_vecs
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
    with writing(index_dir, work):
        faiss.write_index(dense, str(work / "dense.faiss"))
        del dense
        if xling_params is not None:
            faiss.write_index(xling_dense, str(work / "xling.faiss"))
            del xling_dense
        retriever.save(str(work / "bm25"))
        del retriever
        (work / vocabulary.FILE).write_text(
            json.dumps(vocab.to_json(), ensure_ascii=False), encoding="utf-8")
        (work / NAMES_FILE).write_text(
            json.dumps({"documents": names}, ensure_ascii=False), encoding="utf-8")
        np.save(work / "chunks.npy", chunk_cols)
        np.save(work / "sentence_spans.npy", sent_cols)
        np.save(work / "documents.offsets.npy", write_documents(work / "documents.jsonl", docs))
        lap("writing")
        write_manifest(work, docs, embedder, xling, probe, max_chars,
                       overlap_sentences, n_chunks, n_sents,
                       {"dense": dense_params, "xling_dense": xling_params,
                        "quarantine": {"patterns": PATTERNS_FINGERPRINT,
                                       "sentences": quarantined},
                        "roots": contents.roots, "excluded": contents.excluded,
                        "build_seconds": stages},
                       contents.files)


class _Layout:
    """The chunks and sentences of a build, document by document: made for a new
    document, copied (ids shifted) for one carried over from the previous build.

    `spans[i]` says where document i's chunks and sentences are, here and, when it
    was carried over, in the previous build: (chunk lo, hi, sentence lo, hi, old
    chunk lo, old sentence lo), the old ones -1 for a new document."""

    def __init__(self, docs: list[Document], prev, carried: dict[int, int], max_chars: int,
                 overlap_sentences: int):
        self.docs = docs
        self.chunks: list[Chunk] = []
        self.quarantined: list[int] = []
        self.spans: list[tuple[int, int, int, int, int, int]] = []
        sc, ss, se = array("q"), array("q"), array("q")
        if carried:
            old_doc, old_sent = np.asarray(prev.chunks.doc), np.asarray(prev.sentences.chunk)
        for i, d in enumerate(docs):
            c0, s0 = len(self.chunks), len(sc)
            j = carried.get(i)
            if j is None:
                mine = chunk_document(d, max_chars, overlap_sentences, first_id=c0)
                sents = [(c.chunk_id, s, e) for c in mine
                         for s, e in sentence_spans(d.text, c.start, c.end)]
                old_c0 = old_s0 = -1
            else:
                old_c0, old_c1 = (int(np.searchsorted(old_doc, j, side)) for side in
                                  ("left", "right"))
                old_s0, old_s1 = (int(np.searchsorted(old_sent, c, "left")) for c in
                                  (old_c0, old_c1))
                cols = prev.chunks.cols[:, old_c0:old_c1]
                mine = [Chunk(c0 + k, d.doc_id, int(s), int(e), d.text[int(s):int(e)],
                              d.paragraphs[int(p)].section, int(p))
                        for k, (s, e, p) in enumerate(zip(cols[1], cols[2], cols[3], strict=True))]
                scol = prev.sentences.cols[:, old_s0:old_s1]
                sents = [(int(c) - old_c0 + c0, int(s), int(e))
                         for c, s, e in zip(scol[0], scol[1], scol[2], strict=True)]
            for cid, s, e in sents:
                if looks_like_instruction(d.text[s:e]):
                    self.quarantined.append(len(sc))
                sc.append(cid)
                ss.append(s)
                se.append(e)
            self.chunks += mine
            self.spans.append((c0, len(self.chunks), s0, len(sc), old_c0, old_s0))
        self._cols = (sc, ss, se)

    def sentence_columns(self) -> np.ndarray:
        sc, ss, se = self._cols
        self._sent = np.array([sc, ss, se], dtype=np.int64).reshape(3, len(sc))
        del self._cols
        return self._sent

    def new_chunk_count(self) -> int:
        return sum(c1 - c0 for c0, c1, _, _, old, _ in self.spans if old < 0)

    def new_sentence_count(self) -> int:
        return sum(s1 - s0 for _, _, s0, s1, old, _ in self.spans if old < 0)

    def sentence_texts(self, doc: int, lo: int, hi: int) -> Iterable[str]:
        """The texts of sentences lo:hi, all of document `doc`."""
        text = self.docs[doc].text
        return (text[s:e] for s, e in zip(*self._sent[1:, lo:hi].tolist(), strict=True))

    def embed(self, embedder: Embedder, label: str, sink: Callable[[int, np.ndarray], None],
              progress, done: int, total: int, texts: Callable[[int, int, int], Iterable[str]],
              old: np.ndarray | None, per: str = "sentence",
              reuse: dict[str, int] | None = None) -> None:
        """The vectors of every chunk (`per`="chunk") or sentence, in order, into sink:
        new documents' texts embedded EMBED_STEP at a time across documents, carried
        documents' rows copied from `old`, the previous build's vectors, and so is a new
        document's text that `reuse` maps to a row of `old` (the same text embedded)."""
        stream = _Stream(embedder, sink, label, progress, done, total)
        for i, (c0, c1, s0, s1, old_c0, old_s0) in enumerate(self.spans):
            lo, hi, old_lo = (c0, c1, old_c0) if per == "chunk" else (s0, s1, old_s0)
            if old_lo < 0:
                stream.texts(texts(i, lo, hi), reuse and old is not None and (reuse, old))
            else:
                stream.rows(np.asarray(old[old_lo:old_lo + hi - lo], dtype=np.float32))
        stream.flush()


class _Stream:
    """Rows handed to sink(first_row, vectors) in order: texts embedded EMBED_STEP at a
    time (the embedder sorts each call's texts by length, so larger calls pad less: 64
    a call ran at 0.75 of the embedder's throughput on one sorted call; memory stays
    bounded by the batch), rows given as they are."""

    def __init__(self, embedder: Embedder, sink, label: str, progress, done: int, total: int):
        self.embedder, self.sink, self.label = embedder, sink, label
        self.progress, self.done, self.total = progress, done, total
        self.pending: list[str | np.ndarray] = []
        self.lo = self.embedded = 0

    def texts(self, texts: Iterable[str], reuse: tuple[dict[str, int], np.ndarray] | None
              = None) -> None:
        """Texts to embed; one that `reuse` (text -> row, rows) maps keeps that row."""
        for t in texts:
            row = reuse[0].get(t) if reuse else None
            self.pending.append(t if row is None else reuse[1][row])
            if len(self.pending) == EMBED_STEP:
                self.flush()

    def rows(self, vecs: np.ndarray) -> None:
        self.flush()
        if len(vecs):
            self.sink(self.lo, vecs)
            self.lo += len(vecs)

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        todo = [t for t in batch if isinstance(t, str)]
        made = iter(np.asarray(self.embedder.embed_documents(todo), dtype=np.float32)
                    if todo else ())
        vecs = np.stack([next(made) if isinstance(t, str) else np.asarray(t, np.float32)
                         for t in batch])
        self.sink(self.lo, vecs)
        self.lo += len(batch)
        self.embedded += len(batch)
        if self.progress:
            self.progress(self.label, self.done + self.embedded, self.total)


def _bm25_index(texts: Iterable[str]):
    """bm25s index of the texts, tokenised by `terms` (token ids built here: lists of
    token strings for a million chunks would take gigabytes)."""
    import bm25s

    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in (terms(x) or ["<empty>"])] for x in texts]
    retriever = bm25s.BM25()
    retriever.index((ids, vocab), show_progress=False)
    return retriever


def _into(out: np.ndarray) -> Callable[[int, np.ndarray], None]:
    def sink(lo: int, batch: np.ndarray) -> None:
        out[lo:lo + len(batch)] = batch
    return sink


def _guarded(sink, index_dir: Path, work: Path) -> Callable[[int, np.ndarray], None]:
    """A sink whose writes count as index writes (a full disk is BuildFailed)."""
    def write(lo: int, batch: np.ndarray) -> None:
        with writing(index_dir, work):
            sink(lo, batch)
    return write


def _old_texts(prev, carried: Iterable[int]) -> tuple[dict[str, int], dict[str, int]]:
    """What the previous build embedded for its documents that are not carried over
    (those read again, changed or removed): (chunk text as embedded -> its row, sentence
    text -> its row). A document read again after an upgrade, or a file edited in one
    place, is mostly the same chunks and sentences: those are not embedded again. Only
    those documents are read, so adding a file to a large index costs nothing here."""
    cols, scols = prev.chunks.cols, prev.sentences.cols
    gone = np.setdiff1d(np.arange(len(prev.documents)), np.fromiter(carried, np.int64))
    chunk_rows = np.nonzero(np.isin(cols[0], gone))[0]
    docs = {int(d): prev.documents.at(int(d)) for d in gone}
    chunks: dict[str, int] = {}
    for row in chunk_rows.tolist():
        doc = docs[int(cols[0, row])]
        s, e, p = (int(x) for x in cols[1:4, row])
        chunks.setdefault(_embed_text(doc.paragraphs[p].section, doc.text[s:e]), row)
    sents: dict[str, int] = {}
    for row in np.nonzero(np.isin(scols[0], chunk_rows))[0].tolist():
        c, s, e = (int(x) for x in scols[:3, row])
        sents.setdefault(docs[int(cols[0, c])].text[s:e], row)
    return chunks, sents


def _embed_text(section: str, text: str) -> str:
    """What the embedder sees of a chunk: the section heading gives it its context."""
    return f"{section}: {text}" if section else text
