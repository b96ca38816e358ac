import json
import os

import numpy as np
import pytest

from index.embedding import HashEmbedder
from index.errors import BuildInProgress, IndexCorrupt, IndexMismatch, IndexNotFound
from index.store import build_index, build_lock, current_path, open_index


@pytest.fixture()
def idx_dir(tmp_path, article, fake_embedder):
    build_index([article], tmp_path, fake_embedder)
    return tmp_path


def test_round_trip(idx_dir, article, fake_embedder):
    ix = open_index(idx_dir, fake_embedder.name, fake_embedder.dim)
    m = ix.manifest
    assert m["embedder"] == {"name": fake_embedder.name, "dim": 256}
    assert m["sources"][0]["sha256"] == article.sha256
    assert m["counts"]["chunks"] == len(ix.chunks) == ix.dense.ntotal
    doc = ix.documents[article.doc_id]
    assert doc.text == article.text and doc.meta == article.meta
    for c in ix.chunks:
        assert doc.text[c.start : c.end] == c.text
    for s in ix.sentences:
        c = ix.chunks[s.chunk_id]
        assert c.start <= s.start < s.end <= c.end
    assert len(ix.sentence_vectors) == len(ix.sentences)


def test_faiss_topk_equals_brute_force(idx_dir, fake_embedder):
    ix = open_index(idx_dir, fake_embedder.name)
    vecs = fake_embedder.embed_documents(
        [f"{c.section}: {c.text}" if c.section else c.text for c in ix.chunks])
    for q in ["flood season repair projects", "GDP trillion yuan", "earthquake Gansu"]:
        qv = fake_embedder.embed_query(q)
        scores, ids = ix.dense.search(qv.reshape(1, -1), 5)
        brute = np.argsort(-(vecs @ qv), kind="stable")[:5]
        np.testing.assert_allclose(scores[0], (vecs @ qv)[brute], rtol=1e-5)
        assert set(ids[0]) == set(brute) or np.allclose(sorted(scores[0]), sorted((vecs @ qv)[brute]))


def test_missing_index(tmp_path):
    with pytest.raises(IndexNotFound, match="qa index build"):
        open_index(tmp_path / "none", "x")


def test_other_embedder_is_refused(idx_dir):
    same_dim = HashEmbedder(dim=256, name="other")
    with pytest.raises(IndexMismatch, match="Rebuild"):
        open_index(idx_dir, same_dim.name, same_dim.dim)


def test_other_format_version_is_refused(idx_dir, fake_embedder):
    mpath = current_path(idx_dir) / "manifest.json"
    m = json.loads(mpath.read_text())
    m["format_version"] = 99
    mpath.write_text(json.dumps(m))
    with pytest.raises(IndexMismatch, match="format version 99"):
        open_index(idx_dir, fake_embedder.name)


def test_each_flipped_byte_is_detected(idx_dir, fake_embedder):
    root = current_path(idx_dir)
    files = json.loads((root / "manifest.json").read_text())["files"]
    assert len(files) >= 5
    for name in files:
        p = root / name
        data = bytearray(p.read_bytes())
        i = len(data) // 2
        data[i] ^= 0x01
        p.write_bytes(bytes(data))
        with pytest.raises(IndexCorrupt, match="damaged"):
            open_index(idx_dir, fake_embedder.name)
        data[i] ^= 0x01
        p.write_bytes(bytes(data))
    open_index(idx_dir, fake_embedder.name)


def test_truncated_and_missing_files(idx_dir, fake_embedder):
    root = current_path(idx_dir)
    (root / "dense.faiss").write_bytes((root / "dense.faiss").read_bytes()[:100])
    with pytest.raises(IndexCorrupt):
        open_index(idx_dir, fake_embedder.name)
    (root / "dense.faiss").unlink()
    with pytest.raises(IndexCorrupt, match="missing"):
        open_index(idx_dir, fake_embedder.name)


class _Exploding(HashEmbedder):
    def embed_documents(self, texts, show_progress=False):
        raise KeyboardInterrupt("simulated crash mid-build")


def test_failed_build_keeps_previous_index(idx_dir, article, fake_embedder):
    before = current_path(idx_dir)
    with pytest.raises(KeyboardInterrupt):
        build_index([article], idx_dir, _Exploding(dim=256))
    assert current_path(idx_dir) == before
    open_index(idx_dir, fake_embedder.name)
    assert [p.name for p in (idx_dir / "builds").iterdir()] == [before.name]


def test_rebuild_swaps_and_prunes(idx_dir, article, fake_embedder):
    before = current_path(idx_dir)
    build_index([article], idx_dir, fake_embedder)
    after = current_path(idx_dir)
    assert after != before and not before.exists()
    assert os.path.islink(idx_dir / "current")


def test_one_build_at_a_time(idx_dir, article, fake_embedder):
    with build_lock(idx_dir):
        with pytest.raises(BuildInProgress):
            build_index([article], idx_dir, fake_embedder)
