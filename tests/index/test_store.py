import errno
import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.atomic import build_lock
from index.build import build_index
from index.embedding import HashEmbedder
from index.errors import BuildFailed, BuildInProgress, IndexCorrupt, IndexMismatch, IndexNotFound
from index.manifest import current_path
from index.store import open_index


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
    data = json.dumps(m).encode()
    mpath.write_bytes(data)  # a consistent manifest of another version, checksum included
    (mpath.parent / "manifest.sha256").write_text(
        f"{hashlib.sha256(data).hexdigest()}  manifest.json\n")
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


def test_flipped_byte_in_the_manifest_or_its_checksum_is_detected(idx_dir, fake_embedder):
    root = current_path(idx_dir)
    for name in ["manifest.json", "manifest.sha256"]:
        p = root / name
        original = p.read_bytes()
        for i in range(0, len(original), max(1, len(original) // 40)):
            data = bytearray(original)
            data[i] ^= 0x20  # e.g. a letter's case, a digit into another character
            p.write_bytes(bytes(data))
            with pytest.raises(IndexCorrupt, match="Rebuild"):
                open_index(idx_dir, fake_embedder.name, embedder=fake_embedder)
        p.write_bytes(original)
    (root / "manifest.sha256").unlink()
    with pytest.raises(IndexCorrupt, match="missing"):
        open_index(idx_dir, fake_embedder.name)


def test_manifest_checksum_is_sha256sum_format(idx_dir):
    root = current_path(idx_dir)
    digest = hashlib.sha256((root / "manifest.json").read_bytes()).hexdigest()
    assert (root / "manifest.sha256").read_text() == f"{digest}  manifest.json\n"


class _Salted(HashEmbedder):
    """Same name and dimension as the fake embedder, other vectors: a model package
    upgraded under the same name."""

    def _one(self, text):
        return super()._one("salt " + text[::-1])


def test_same_name_other_weights_is_refused(idx_dir, fake_embedder):
    same = _Salted(dim=256)
    assert same.name == fake_embedder.name
    open_index(idx_dir, fake_embedder.name, 256, embedder=fake_embedder)
    with pytest.raises(IndexMismatch, match="another version of embedder"):
        open_index(idx_dir, same.name, same.dim, embedder=same)


@pytest.mark.parametrize("target, code, message", [
    ("numpy.save", errno.ENOSPC, "full.*previous index.*untouched"),  # a full disk
    ("index.atomic._point_current", errno.EIO, "untouched"),  # the swap of `current` fails
])
def test_failed_build_keeps_the_previous_index(idx_dir, article, fake_embedder, monkeypatch,
                                               target, code, message):
    """A build that fails writing its files or swapping `current` leaves no new build
    behind, and the previous index stays current and opens."""
    before = current_path(idx_dir)

    def fail(*a, **k):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(target, fail)
    with pytest.raises(BuildFailed, match=message):
        build_index([article], idx_dir, fake_embedder)
    assert current_path(idx_dir) == before
    assert [p.name for p in (idx_dir / "builds").iterdir()] == [before.name]
    open_index(idx_dir, fake_embedder.name, embedder=fake_embedder)


def test_index_without_manifest_checksum_still_opens(idx_dir, fake_embedder):
    """Indexes built before manifest.sha256 existed (no probe either) stay readable."""
    root = current_path(idx_dir)
    m = json.loads((root / "manifest.json").read_text())
    del m["embedder_probe"]
    (root / "manifest.json").write_text(json.dumps(m))
    (root / "manifest.sha256").unlink()
    open_index(idx_dir, fake_embedder.name, embedder=fake_embedder)


_word = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N"]), min_size=1,
                max_size=12)
_sentence = st.lists(_word, min_size=1, max_size=8).map(lambda ws: " ".join(ws).capitalize() + ".")
_paragraph = st.lists(_sentence, min_size=1, max_size=6).map(" ".join)
_document = st.lists(_paragraph, min_size=1, max_size=5).map("\n\n".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_document, min_size=1, max_size=3),
       max_chars=st.integers(min_value=60, max_value=600),
       overlap=st.integers(min_value=0, max_value=2))
def test_save_load_round_trip_property(texts, max_chars, overlap):
    """Whatever is built is what is opened: documents, chunks, sentences, vectors,
    BM25 scores, and every offset slices the text it claims."""
    import tempfile

    from index.loaders import parse_text

    emb = HashEmbedder(dim=32)
    docs = [parse_text(t, f"d{i}.txt") for i, t in enumerate(texts)]
    with tempfile.TemporaryDirectory() as d:
        build_index(docs, Path(d), emb, max_chars=max_chars, overlap_sentences=overlap)
        ix = open_index(Path(d), emb.name, emb.dim, embedder=emb)
        assert [(x.doc_id, x.text, x.title, x.paragraphs, x.meta) for x in ix.documents.values()] \
            == [(x.doc_id, x.text, x.title, x.paragraphs, x.meta) for x in docs]
        assert ix.manifest["counts"]["chunks"] == len(ix.chunks) == ix.dense.ntotal
        assert len(ix.sentence_vectors) == len(ix.sentences)
        for c in ix.chunks:
            assert ix.documents[c.doc_id].text[c.start:c.end] == c.text
        texts_ = [f"{c.section}: {c.text}" if c.section else c.text for c in ix.chunks]
        vecs = emb.embed_documents(texts_)
        np.testing.assert_allclose(ix.dense.reconstruct_n(0, ix.dense.ntotal), vecs, rtol=1e-6)
        for s in ix.sentences:
            c = ix.chunks[s.chunk_id]
            assert c.start <= s.start < s.end <= c.end
        again = open_index(Path(d), emb.name, emb.dim)
        assert again.chunks == ix.chunks and again.sentences == ix.sentences
