"""Dense vector search chosen by collection size, and its memory-mapped opening.

`choose` picks the FAISS index type for n vectors:

- `flat` (IndexFlatIP, exact) below `EXACT_BELOW` vectors: a query reads every vector,
  which stays under a few milliseconds up to about 50k vectors of 384 floats;
- `ivf` (IndexIVFFlat, approximate) from there on: vectors are grouped into
  nlist ≈ 4·sqrt(n) clusters (k-means on a sample), and a query reads only the
  `nprobe` clusters nearest to it;
- `hnsw` (IndexHNSWFlat) on request only: about as fast to search, but several
  times slower to build on two cores and larger on disk (see docs/SCALE.md).

The search parameter (nprobe, efSearch) is calibrated when the index is built: the
smallest value whose recall@10 against exact search reaches `TARGET_RECALL` over
200 calibration queries. A question is less like any stored text than a stored
sentence is like itself (measured on 100k chunks: sentence vectors as queries gave
0.975 recall where questions gave 0.89), so the queries are sentence vectors of
the collection turned away from themselves to cosine 0.6, which came out harder
than questions at every setting. A result that ties with the 10th exact score
counts as found: duplicate texts have equal vectors, and any of them is as near. It is
stored in the manifest and applied when the index is opened.

Opening with `mmap=True` maps the vectors (and IVF lists, HNSW links) read-only
from the file (faiss `IO_FLAG_MMAP_IFC`): processes that open the same index share
one copy in the page cache instead of each reading it into its own memory.
"""

from __future__ import annotations

import math

import numpy as np

KINDS = ("auto", "flat", "ivf", "hnsw")
EXACT_BELOW = 50_000
TARGET_RECALL = 0.98  # on the calibration queries; the promise is >= 0.95 on questions
CALIBRATION_QUERIES = 200
CALIBRATION_COSINE = 0.6  # of a calibration query with the sentence vector it comes from
IVF_TRAIN_PER_LIST = 50  # k-means sample: 50 vectors per list (faiss warns below 39)
IVF_KMEANS_ITER = 10
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 64
_NPROBES = (1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 1024, 2048, 4096)
_EF_SEARCH = (16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 1024)


def choose(kind: str, n: int, exact_below: int = EXACT_BELOW) -> str:
    """The index type to build for n vectors: `kind` itself unless it is "auto"."""
    if kind not in KINDS:
        raise ValueError(f"dense index type must be one of {', '.join(KINDS)}, not {kind!r}")
    if kind != "auto":
        return kind
    return "flat" if n < exact_below else "ivf"


def ivf_nlist(n: int) -> int:
    """About 4·sqrt(n) lists, fewer when there are too few vectors to train them."""
    return max(1, min(round(4 * math.sqrt(n)), n // 39))


def build(vecs: np.ndarray, kind: str, queries: np.ndarray | None = None,
          target_recall: float = TARGET_RECALL, seed: int = 0) -> tuple[object, dict]:
    """A FAISS inner-product index of vecs (float32 rows) of type `kind` (not "auto"),
    with its search parameter calibrated on `queries` (default: a sample of vecs).
    Returns the index and what goes into the manifest."""
    import faiss

    vecs = np.ascontiguousarray(vecs, dtype=np.float32)
    n, d = vecs.shape
    params: dict = {"type": kind}
    if kind == "flat":
        index = faiss.IndexFlatIP(d)
        index.add(vecs)
        return index, params
    rng = np.random.default_rng(seed)
    if kind == "ivf":
        nlist = ivf_nlist(n)
        quantizer = faiss.IndexFlatIP(d)
        index = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
        index.own_fields = True
        quantizer.this.disown()
        index.cp.niter = IVF_KMEANS_ITER
        index.cp.seed = seed
        m = min(n, IVF_TRAIN_PER_LIST * nlist)
        sample = vecs if m == n else vecs[np.sort(rng.choice(n, m, replace=False))]
        index.train(sample)
        index.add(vecs)
        params.update(nlist=nlist, train_sample=int(m), kmeans_iter=IVF_KMEANS_ITER)
        candidates = [p for p in _NPROBES if p < nlist] + [nlist]
        setter = "nprobe"
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(d, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.add(vecs)
        params.update(M=HNSW_M, ef_construction=HNSW_EF_CONSTRUCTION)
        candidates = list(_EF_SEARCH)
        setter = "ef_search"
    else:
        raise ValueError(f"unknown dense index type {kind!r}")
    if queries is None or len(queries) == 0:
        queries = vecs
    if len(queries) > CALIBRATION_QUERIES:
        queries = queries[np.sort(rng.choice(len(queries), CALIBRATION_QUERIES, replace=False))]
    queries = _turned(np.asarray(queries, dtype=np.float32), CALIBRATION_COSINE, rng)
    k = min(10, n)
    exact = exact_top_k(vecs, queries, k)
    value, recall = candidates[-1], 0.0
    for value in candidates:
        set_search_param(index, {**params, setter: value})
        recall = recall_at_k(search(index, queries, k)[1], exact, vecs, queries)
        if recall >= target_recall:
            break
    params[setter] = value
    params["calibration"] = {"queries": len(queries), "cosine": CALIBRATION_COSINE, "k": k,
                             "recall": round(recall, 4), "target": target_recall}
    set_search_param(index, params)
    return index, params


def _turned(v: np.ndarray, cosine: float, rng) -> np.ndarray:
    """Unit vectors at the given cosine from the rows of v, in random directions."""
    v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    g = rng.standard_normal(v.shape).astype(np.float32)
    g -= (g * v).sum(axis=1, keepdims=True) * v
    g /= np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-12)
    return np.ascontiguousarray(cosine * v + math.sqrt(1 - cosine**2) * g, dtype=np.float32)


def set_search_param(index, params: dict) -> None:
    import faiss

    if params.get("type") == "ivf":
        faiss.extract_index_ivf(index).nprobe = int(params["nprobe"])
    elif params.get("type") == "hnsw":
        faiss.downcast_index(index).hnsw.efSearch = int(params["ef_search"])


def read(path, params: dict, mmap: bool = True):
    """Open an index written by `build`, memory-mapped read-only when `mmap`."""
    import faiss

    flags = faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY if mmap else 0
    index = faiss.read_index(str(path), flags)
    set_search_param(index, params)
    return index


def search(index, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    return index.search(np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, index.d), k)


def exact_top_k(vecs: np.ndarray, queries: np.ndarray, k: int, block: int = 65536) -> np.ndarray:
    """Ids of the exact top-k rows of vecs by inner product, per query (ties by id)."""
    nq = len(queries)
    best_s = np.full((nq, 0), -np.inf, dtype=np.float32)
    best_i = np.zeros((nq, 0), dtype=np.int64)
    for lo in range(0, len(vecs), block):
        s = np.asarray(vecs[lo:lo + block], dtype=np.float32) @ queries.T  # (b, nq)
        kk = min(k, s.shape[0])
        part = np.argpartition(-s, kk - 1, axis=0)[:kk].T  # (nq, kk)
        cand_s = np.concatenate([best_s, np.take_along_axis(s.T, part, axis=1)], axis=1)
        cand_i = np.concatenate([best_i, part + lo], axis=1)
        order = np.lexsort((cand_i, -cand_s), axis=1)[:, :k]
        best_s = np.take_along_axis(cand_s, order, axis=1)
        best_i = np.take_along_axis(cand_i, order, axis=1)
    return best_i


def recall_at_k(found: np.ndarray, exact: np.ndarray, vecs: np.ndarray | None = None,
                queries: np.ndarray | None = None, tol: float = 1e-5) -> float:
    """Share of the exact top-k that the approximate search also returned.

    Given the vectors and queries, a returned id whose score ties with the k-th exact
    score counts too: among equal vectors (duplicate texts) any of them is right."""
    if exact.size == 0:
        return 1.0
    hits = 0
    for j, (f, e) in enumerate(zip(found, exact, strict=True)):
        f = f[f >= 0]
        if vecs is None:
            hits += len(set(f.tolist()) & set(e.tolist()))
            continue
        q = queries[j]
        kth = float(np.min(np.asarray(vecs[np.sort(e)], dtype=np.float32) @ q))
        got = np.asarray(vecs[np.sort(f)], dtype=np.float32) @ q if len(f) else np.zeros(0)
        hits += min(len(e), int(np.sum(got >= kth - tol)))
    return hits / exact.size


def all_vectors(index) -> np.ndarray:
    """Every stored vector, by id (to compare an approximate index with exact search)."""
    import faiss

    index = faiss.downcast_index(index)
    if isinstance(index, faiss.IndexHNSW):
        index = faiss.downcast_index(index.storage)
    if isinstance(index, faiss.IndexFlat):
        return faiss.rev_swig_ptr(index.get_xb(), index.ntotal * index.d).reshape(
            index.ntotal, index.d).copy()
    ivf = faiss.extract_index_ivf(index)
    out = np.zeros((ivf.ntotal, ivf.d), dtype=np.float32)
    inv = ivf.invlists
    for lst in range(ivf.nlist):
        size = inv.list_size(lst)
        if not size:
            continue
        ids = faiss.rev_swig_ptr(inv.get_ids(lst), size).copy()
        codes = faiss.rev_swig_ptr(inv.get_codes(lst), size * inv.code_size).copy()
        out[ids] = codes.view(np.float32).reshape(size, ivf.d)
    return out
