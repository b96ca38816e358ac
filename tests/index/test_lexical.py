"""BM25 top-k against summing every column, ties and all-zero scores included."""

import numpy as np
import pytest
from scipy.sparse import csc_matrix

from index import lexical


def _matrix(rng, n_docs=3000, n_terms=40):
    # a few common terms (in most documents, with equal scores) and many rare ones
    df = np.minimum(np.concatenate([rng.integers(n_docs // 2, n_docs, 4),
                                    rng.integers(1, 60, n_terms - 4)]), n_docs)
    rows, cols, vals = [], [], []
    for t, d in enumerate(df):
        rows += rng.choice(n_docs, d, replace=False).tolist()
        cols += [t] * d
        vals += ([0.25] * d if t < 2 else (rng.random(d) * 3 + 0.01).tolist())
    m = csc_matrix((np.float32(vals), (rows, cols)), shape=(n_docs, n_terms))
    m.sort_indices()
    return {"data": m.data, "indices": m.indices, "indptr": m.indptr, "num_docs": n_docs}, m


def test_top_k_equals_summing_every_column():
    rng = np.random.default_rng(0)
    matrix, m = _matrix(rng)
    for _ in range(300):
        cols = rng.choice(40, rng.integers(1, 6)).tolist()
        if rng.random() < 0.7:
            cols += rng.choice(4, rng.integers(1, 4)).tolist()  # common words, repeats
        want = np.zeros(m.shape[0], dtype=np.float32)
        for c in cols:
            want += m[:, c].toarray().ravel()
        ids, scores = lexical.top_k(matrix, cols, 10)
        np.testing.assert_allclose(scores, want[ids], rtol=1e-6)
        n = min(10, np.count_nonzero(want))
        assert len(ids) == n and len(set(ids.tolist())) == n
        assert np.all(scores >= np.sort(want)[::-1][n - 1] - 1e-6)
        assert np.all(np.diff(scores) <= 0) and np.all(scores > 0)


@pytest.mark.parametrize("k", [1, 3, 50])
def test_small_k(k):
    matrix, m = _matrix(np.random.default_rng(1), n_docs=30, n_terms=8)
    ids, scores = lexical.top_k(matrix, [5], k)
    assert len(ids) == min(k, m[:, 5].nnz) and np.all(scores > 0)
    assert len(lexical.top_k(matrix, [], k)[0]) == 0
