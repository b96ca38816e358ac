"""Exact BM25 top-k, with and without MaxScore pruning, against summing every column."""

import numpy as np
import pytest
from scipy.sparse import csc_matrix

from index import lexical


def _matrix(rng, n_docs=3000, n_terms=40):
    # a few common terms (in most documents) and many rare ones, like words in a collection
    df = np.concatenate([rng.integers(n_docs // 2, n_docs, 4), rng.integers(1, 60, n_terms - 4)])
    df = np.minimum(df, n_docs)
    rows, cols, vals = [], [], []
    for t, d in enumerate(df):
        docs = rng.choice(n_docs, d, replace=False)
        rows += docs.tolist()
        cols += [t] * d
        vals += (rng.random(d) * (0.3 if t < 4 else 3.0) + 0.01).tolist()
    m = csc_matrix((np.float32(vals), (rows, cols)), shape=(n_docs, n_terms))
    m.sort_indices()
    return {"data": m.data, "indices": m.indices, "indptr": m.indptr, "num_docs": n_docs}, m


def test_top_k_equals_summing_every_column(monkeypatch):
    monkeypatch.setattr(lexical, "PRUNE_ABOVE", 100)
    monkeypatch.setattr(lexical, "SEED_POSTINGS", 200)
    rng = np.random.default_rng(0)
    matrix, m = _matrix(rng)
    assert lexical.columns_sorted(matrix["indices"], matrix["indptr"])
    b = lexical.bounds(matrix["data"], matrix["indptr"])
    np.testing.assert_allclose(b, m.max(axis=0).toarray().ravel())
    pruned = 0
    for _ in range(300):
        cols = rng.choice(40, rng.integers(1, 6)).tolist()
        if rng.random() < 0.7:
            cols += rng.choice(4, rng.integers(1, 4)).tolist()  # common words too
        want = np.asarray(m[:, cols].sum(axis=1)).ravel()
        for bounds in (None, b):
            ids, scores = lexical.top_k(matrix, cols, 10, bounds)
            np.testing.assert_allclose(scores, want[ids], rtol=1e-6)
            kth = np.sort(want)[::-1][min(10, np.count_nonzero(want)) - 1]
            assert len(ids) == min(10, np.count_nonzero(want))
            assert np.all(scores >= kth - 1e-6) and np.all(np.diff(scores) <= 1e-12)
        pruned += lexical._pruned(matrix["indices"], matrix["data"],
                                  *_spans(matrix, cols), 10) is not None
    assert pruned > 30  # the pruned path was taken, and gave the same answers


def _spans(matrix, cols):
    uniq, mult = np.unique(cols, return_counts=True)
    lo, hi = matrix["indptr"][uniq].astype(np.int64), matrix["indptr"][uniq + 1].astype(np.int64)
    b = lexical.bounds(matrix["data"], matrix["indptr"])
    return lo, hi, mult, b[uniq] * mult


def test_unsorted_columns_are_noticed():
    assert lexical.columns_sorted(np.array([0, 2, 5, 1, 3]), np.array([0, 3, 5]))
    assert not lexical.columns_sorted(np.array([0, 5, 2, 1, 3]), np.array([0, 3, 5]))


@pytest.mark.parametrize("k", [1, 3, 50])
def test_small_k_and_empty(k):
    rng = np.random.default_rng(1)
    matrix, m = _matrix(rng, n_docs=30, n_terms=8)
    ids, scores = lexical.top_k(matrix, [5], k)
    assert len(ids) == min(k, m[:, 5].nnz) and np.all(scores > 0)
