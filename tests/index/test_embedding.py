import numpy as np
import pytest

from index.embedding import HashEmbedder


def test_hash_embedder_is_normalised_and_deterministic():
    e = HashEmbedder(dim=32)
    v = e.embed_documents(["flood season", "flood season", "earthquake"])
    assert v.shape == (3, 32) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1, rtol=1e-6)
    assert v[0] @ v[1] == pytest.approx(1)
    assert e.embed_documents([]).shape == (0, 32)


def test_bad_config():
    with pytest.raises(ValueError, match="dim"):
        HashEmbedder(dim=1)
