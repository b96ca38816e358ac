"""Checksums: folders of files, and model packages against their RECORD (damaged -> a
message naming the fix)."""

from __future__ import annotations

import base64
import hashlib
import sys

import pytest

from index.errors import ModelUnavailable
from index.integrity import first_mismatch, folder_checksums, verify_distribution


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


@pytest.fixture()
def fake_dist(tmp_path, monkeypatch):
    """An installed distribution `fake-model` with one weights file and its RECORD."""
    site = tmp_path / "site"
    pkg, info = site / "fake_model", site / "fake_model-1.0.dist-info"
    pkg.mkdir(parents=True)
    info.mkdir()
    weights = b"\x00\x01weights" * 1000
    (pkg / "weights.bin").write_bytes(weights)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-model\nVersion: 1.0\n")
    (info / "RECORD").write_text(
        f"fake_model/weights.bin,{_record_hash(weights)},{len(weights)}\n"
        "fake_model-1.0.dist-info/RECORD,,\n")
    monkeypatch.setattr(sys, "path", [str(site), *sys.path])
    return pkg / "weights.bin"


def test_intact_distribution_passes(fake_dist):
    assert verify_distribution("fake-model", "pip install --force-reinstall fake-model") == 1


def test_damaged_distribution_names_the_fix(fake_dist):
    data = bytearray(fake_dist.read_bytes())
    data[100] ^= 1
    fake_dist.write_bytes(bytes(data))
    with pytest.raises(ModelUnavailable, match="damaged.*pip install --force-reinstall fake-model"):
        verify_distribution("fake-model", "pip install --force-reinstall fake-model")
    fake_dist.unlink()
    with pytest.raises(ModelUnavailable, match="missing"):
        verify_distribution("fake-model", "pip install --force-reinstall fake-model")


def test_missing_distribution_names_the_package():
    with pytest.raises(ModelUnavailable, match="not installed: pip install nothing-here"):
        verify_distribution("nothing-here-at-all", "pip install nothing-here")


def test_folder_checksums_find_the_first_changed_file(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.bin").write_bytes(b"a" * 10)
    (tmp_path / "sub" / "b.bin").write_bytes(b"b" * 10)
    (tmp_path / "skip.me").write_text("x")
    sums = folder_checksums(tmp_path, skip=frozenset({"skip.me"}))
    assert sums == {"a.bin": hashlib.sha256(b"a" * 10).hexdigest(),
                    "sub/b.bin": hashlib.sha256(b"b" * 10).hexdigest()}
    assert first_mismatch(tmp_path, sums) is None
    (tmp_path / "sub" / "b.bin").write_bytes(b"c" * 10)
    assert first_mismatch(tmp_path, sums) == (tmp_path / "sub" / "b.bin",
                                              "damaged (checksum mismatch)")
    (tmp_path / "a.bin").unlink()
    assert first_mismatch(tmp_path, sums) == (tmp_path / "a.bin", "missing")
