"""The retriever scores BM25 itself from bm25s's matrix: same documents, same scores."""

import numpy as np

from index.text import terms
from qa.retrieval import HybridRetriever


def test_bm25_matches_bm25s_retrieve(built_index, fake_embedder):
    r = HybridRetriever(built_index, fake_embedder)
    bm = built_index.bm25
    for q in ["flood season repair projects Tianjin", "GDP trillion yuan growth rate",
              "earthquake Gansu reconstruction houses", "sponge city", "typhoon typhoon Zhejiang"]:
        toks = [t for t in terms(q) if t in bm.vocab_dict]
        docs, scores = bm.retrieve([toks], k=10, show_progress=False, n_threads=1)
        want = {int(d): float(s) for d, s in zip(docs[0], scores[0], strict=True) if s > 0}
        got = r._bm25(q, 10)
        assert got.keys() == want.keys()
        np.testing.assert_allclose([got[d] for d in want], list(want.values()), rtol=1e-5)
    assert r._bm25("zzzz qqqq", 10) == {}
