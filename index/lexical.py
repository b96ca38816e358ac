"""Exact BM25 top-k over bm25s's score matrix, fast at a million chunks.

bm25s stores the BM25 score of every (term, chunk) pair in a CSC matrix (one column
per term, rows sorted within a column), so a query's scores are the sum of its
terms' columns. `bm25s.BM25.retrieve` sums them with `np.add.at` and sorts all
chunks; here:

- the columns are summed with `np.bincount`, and the k best picked with
  `np.argpartition` (about 5x faster on 100k chunks);
- when the query's columns hold many postings (common words at 1M chunks: 0.7M
  postings for a typical question), MaxScore pruning (Turtle & Flood, 1995) is
  tried first: the chunks holding the query's rarest terms are scored exactly (each
  other term looked up by binary search in its sorted column), and if the best
  score the *other* terms could add up to, from their per-term maxima
  (`bounds`, computed at build time), stays below the k-th score found, no other
  chunk can enter the top k and the answer is final. Otherwise every column is summed.

Both paths return the same chunks and scores as summing every column (up to float
rounding among equal scores).
"""

from __future__ import annotations

import numpy as np

PRUNE_ABOVE = 200_000  # postings: below, summing every column takes about a millisecond
SEED_POSTINGS = 20_000  # postings of the rare terms scored first


def bounds(data: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """The largest score of each column (0 for an empty one)."""
    out = np.zeros(len(indptr) - 1, dtype=np.float32)
    nonempty = np.flatnonzero(np.diff(indptr) > 0)
    if len(nonempty):
        out[nonempty] = np.maximum.reduceat(np.asarray(data), np.asarray(indptr)[nonempty])
    return out


def columns_sorted(indices: np.ndarray, indptr: np.ndarray) -> bool:
    """Whether the rows of every column are strictly increasing (binary search works)."""
    indices = np.asarray(indices)
    step = np.diff(indices.astype(np.int64)) > 0
    starts = np.asarray(indptr)[1:-1] - 1  # the step across a column boundary may go down
    starts = starts[(starts >= 0) & (starts < len(step))]
    step[starts] = True
    return bool(step.all())


def top_k(matrix: dict, cols: list[int], k: int,
          col_bounds: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The k best chunks for a query of term columns (repeats count again), best first:
    (chunk ids, scores); chunks scoring 0 are left out."""
    n_docs = int(matrix["num_docs"])
    indptr, indices, data = matrix["indptr"], matrix["indices"], matrix["data"]
    uniq, mult = np.unique(np.asarray(cols, dtype=np.int64), return_counts=True)
    lo, hi = np.asarray(indptr[uniq], dtype=np.int64), np.asarray(indptr[uniq + 1], dtype=np.int64)
    k = min(k, n_docs)
    if k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    if col_bounds is not None and int((hi - lo).sum()) > PRUNE_ABOVE:
        found = _pruned(indices, data, lo, hi, mult, col_bounds[uniq] * mult, k)
        if found is not None:
            return found
    idx = np.concatenate([indices[a:b] for a, b in zip(lo, hi, strict=True)])
    w = np.concatenate([data[a:b] * m if m > 1 else data[a:b]
                        for a, b, m in zip(lo, hi, mult, strict=True)])
    scores = np.bincount(idx, weights=w, minlength=n_docs)
    return _best(np.arange(n_docs), scores, k)


def _best(ids: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    n = len(scores)
    k = min(k, n)
    top = np.argpartition(scores, n - k)[n - k:] if k < n else np.arange(n)
    top = top[np.argsort(-scores[top], kind="stable")]
    top = top[scores[top] > 0]
    return ids[top], scores[top]


def _pruned(indices, data, lo, hi, mult, ub, k):
    order = np.argsort(-ub, kind="stable")  # highest possible contribution (rarest) first
    df = hi - lo
    if df[order[0]] > SEED_POSTINGS:
        return None
    seed, total = [], 0
    for i in order:
        if seed and total + df[i] > SEED_POSTINGS:
            break
        seed.append(int(i))
        total += int(df[i])
    rest = [int(i) for i in order if int(i) not in seed]
    cand = np.unique(np.concatenate([np.asarray(indices[lo[i]:hi[i]]) for i in seed]))
    if len(cand) < k:
        return None
    scores = np.zeros(len(cand))
    for i in seed + rest:
        col = indices[lo[i]:hi[i]]
        pos = np.minimum(np.searchsorted(col, cand), len(col) - 1)
        hit = np.asarray(col[pos]) == cand
        scores[hit] += float(mult[i]) * np.asarray(data[lo[i] + pos[hit]], dtype=np.float64)
    ids, best = _best(cand, scores, k)
    if len(best) < k or float(ub[rest].sum()) >= float(best[-1]):
        return None  # a chunk without the rare terms could still make the top k
    return ids, best
