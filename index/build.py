"""Building an index: chunk, find the names, embed, BM25, FAISS, write, swap.

The layout written is described in index/manifest.py; the build is atomic and one
at a time (index/atomic.py).

Not handled: incremental updates (every build re-embeds the whole collection).
"""

from __future__ import annotations

import json
import time
from array import array
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from . import ann, vocabulary
from .atomic import new_build, writing, writing_npy
from .chunking import Chunk, chunk_all
from .embedding import Embedder
from .injection import PATTERNS_FINGERPRINT, looks_like_instruction
from .loaders import Document
from .manifest import embedder_probe, write_manifest
from .tables import ChunkTable, write_documents
from .text import sentence_spans, terms


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
    with new_build(index_dir) as (work, final):
        stages: dict[str, float] = {}
        clock = [time.perf_counter()]

        def lap(stage: str) -> None:
            now = time.perf_counter()
            stages[stage] = round(stages.get(stage, 0.0) + now - clock[0], 2)
            clock[0] = now

        by_id = {d.doc_id: d for d in docs}
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
        sent_out = writing_npy(index_dir, work, "sentences.npy", n_sents, embedder.dim)
        _embed_batched(embedder, sent_texts(), sent_out, "embedding", progress, n_chunks,
                       total, index_dir, work)
        sent_out.close()
        lap("embedding")
        if xling is not None:
            xl_out = writing_npy(index_dir, work, "xling.npy", n_sents, xling.dim)
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
            np.save(work / "chunks.npy", chunk_cols)
            np.save(work / "sentence_spans.npy", sent_cols)
            np.save(work / "documents.offsets.npy", write_documents(work / "documents.jsonl", docs))
            lap("writing")
            write_manifest(work, docs, embedder, xling, probe, max_chars,
                           overlap_sentences, n_chunks, n_sents,
                           {"dense": dense_params, "xling_dense": xling_params,
                            "quarantine": {"patterns": PATTERNS_FINGERPRINT,
                                           "sentences": quarantined},
                            "build_seconds": stages})
    return final


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
            with writing(index_dir, work):
                sink(lo, vecs)
        else:
            sink(lo, vecs)
        lo += len(batch)
        if progress:
            progress(label, done + lo, total)
