"""English questions read the multilingual vectors too: the chunk and the sentence that
answer rank above the ones that only share the question's words."""

from __future__ import annotations

import numpy as np
import pytest

from index.build import build_index
from index.embedding import HashEmbedder
from index.loaders import parse_text
from index.store import open_index
from qa.evidence import select_evidence
from qa.question import Question
from qa.retrieval import HybridRetriever

BOILER = """Boilers

Lead fusible plugs may be present in the boiler, for the case where the water level of the boiler drops.

Then the lead melts and the steam escapes, warning the operators.
"""
QUESTION = "What happens to the lead fusible plugs of the boiler if the water level drops?"


class Oracle(HashEmbedder):
    """A multilingual embedder that knows which sentence answers: the question and the
    sentence about the lead melting share a direction no other text has."""

    def _one(self, text: str) -> np.ndarray:
        v = np.full(self.dim, 0.01, dtype=np.float32)
        v[0 if ("melts" in text or text == QUESTION) else 1] = 1.0
        return v


def _boilers(tmp_path, emb, xl):
    """The boilers text indexed with both embedders, opened."""
    build_index([parse_text(BOILER, "boilers.txt")], tmp_path / "i", emb, xl, max_chars=120)
    return open_index(tmp_path / "i", emb.name, emb.dim)


def test_the_multilingual_vectors_order_the_evidence_of_an_english_question(tmp_path):
    emb, xl = HashEmbedder(dim=256), Oracle(dim=8, name="oracle")
    ix = _boilers(tmp_path, emb, xl)
    q = Question.parse(QUESTION)
    plain = HybridRetriever(ix, emb).search(QUESTION)
    both = HybridRetriever(ix, emb, xl).search(QUESTION)
    assert plain.xling_vector is None and both.xling_vector is not None
    assert "xling_search" in both.timings_ms
    words_only = select_evidence(ix, plain, q)
    assert "Lead fusible plugs may be present" in words_only[0].text  # more words shared
    ranked = select_evidence(ix, both, q)
    assert "the lead melts" in ranked[0].text
    # the score that thresholds read is the same either way; only the order moved
    scores = {e.text: e.score for e in words_only}
    assert all(scores[e.text] == e.score for e in ranked if e.text in scores)


def _rrf(rankings, rrf_k: int) -> dict[int, float]:
    out: dict[int, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(sorted(ranking, key=lambda c: -ranking[c])):
            out[cid] = out.get(cid, 0.0) + 1.0 / (rrf_k + rank + 1)
    return out


def test_the_three_rankings_are_fused(tmp_path):
    """With multilingual vectors an English question fuses MiniLM's chunk ranking, BM25
    and the multilingual sentence ranking; without them, the first two. (Leaving MiniLM
    out raised recall@1 on the dev split and lowered it on the test split:
    docs/EVALUATION.md.)"""
    emb, xl = HashEmbedder(dim=256), Oracle(dim=8, name="oracle")
    ix = _boilers(tmp_path, emb, xl)
    r = HybridRetriever(ix, emb, xl)
    k = min(r.candidates, len(ix.chunks))
    res = r.search(QUESTION, top_k=k)
    bm25 = r._bm25(QUESTION, k)
    scores, ids = ix.dense.search(emb.embed_query(QUESTION).reshape(1, -1), k)
    minilm = {int(i): float(x) for i, x in zip(ids[0], scores[0], strict=True) if i >= 0}
    xling = r._xling_dense(res.xling_vector, k)
    got = {h.chunk.chunk_id: h.score for h in res.hits}
    assert got == pytest.approx(_rrf((minilm, bm25, xling), r.rrf_k))
    assert got != pytest.approx(_rrf((bm25, xling), r.rrf_k))
    plain = HybridRetriever(ix, emb).search(QUESTION, top_k=k)
    assert {h.chunk.chunk_id: h.score for h in plain.hits} == \
        pytest.approx(_rrf((minilm, bm25), r.rrf_k))


def test_each_rankings_first_chunk_is_read_whatever_its_fused_rank(tmp_path):
    """A chunk one ranking puts first stays among the hits when fusion ranks it below
    the top k (a definition both dense rankings find first, which BM25 misses because
    its words are in every chunk); the fused order comes first, unchanged."""
    emb, xl = HashEmbedder(dim=256), Oracle(dim=8, name="oracle")
    ix = _boilers(tmp_path, emb, xl)
    r = HybridRetriever(ix, emb, xl)
    k = min(r.candidates, len(ix.chunks))
    everything = r.search(QUESTION, top_k=k)
    scores, ids = ix.dense.search(emb.embed_query(QUESTION).reshape(1, -1), k)
    bm25, xling = r._bm25(QUESTION, k), r._xling_dense(everything.xling_vector, k)
    leaders = {int(ids[0][0]), max(bm25, key=bm25.get), max(xling, key=xling.get)}
    one = r.search(QUESTION, top_k=1, leaders=True)
    got = [h.chunk.chunk_id for h in one.hits]
    assert got[0] == everything.hits[0].chunk.chunk_id  # the fused best, first
    assert leaders <= set(got) and len(got) == len(set(got)) <= 1 + 3
    assert [h.rank for h in one.hits] == list(range(len(got)))
    # without `leaders` (POST /search, the ranking figures) the top k only
    assert [h.chunk.chunk_id for h in r.search(QUESTION, top_k=1).hits] == got[:1]


def test_a_chunk_two_rankings_put_first_is_added_once(tmp_path):
    emb = HashEmbedder(dim=256)
    ix = _boilers(tmp_path, emb, emb)
    r = HybridRetriever(ix, emb, emb)  # both dense rankings put the same chunk first
    first = r.search(QUESTION, top_k=1).hits[0].chunk.chunk_id
    other = next(c.chunk_id for c in ix.chunks if c.chunk_id != first)
    r._bm25 = lambda query, k: {other: 1.0}  # BM25 finds another chunk only
    got = [h.chunk.chunk_id for h in r.search(QUESTION, top_k=1, leaders=True).hits]
    assert got == [other, first]  # fused first (two second places and a first), then it


HANDBOOK = """# Tool handbook

## Install additional Python versions

Running `tool install -l` gives the list of all available versions.

## Switch between versions

Whenever you run a command provided by a Python installation, these versions are searched in order.
"""


def test_a_passage_says_what_its_section_heading_says(tmp_path):
    """"Which command lists all available Python versions?": the passage that answers
    never names Python; its section's heading does, and counts in the order."""
    from index.loaders.markdown import load_markdown

    emb = HashEmbedder(dim=256)
    build_index([load_markdown(HANDBOOK, "tool.md")], tmp_path / "i", emb)
    ix = open_index(tmp_path / "i", emb.name, emb.dim)
    question = "Which command lists all available Python versions?"
    q = Question.parse(question)
    ranked = select_evidence(ix, HybridRetriever(ix, emb).search(question), q)
    assert "tool install -l" in ranked[0].text
    # the heading moves the order only: the score that thresholds read is the sentence's
    assert ranked[0].subject > 0 and ranked[0].rank > ranked[1].rank
