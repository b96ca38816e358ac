"""Model files checked against their checksums: damaged -> a message naming the fix."""

from __future__ import annotations

import base64
import hashlib
import sys

import pytest

from index.errors import ModelUnavailable
from index.integrity import verify_distribution, verify_folder, write_folder_checksums


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


def test_converted_folder_checksums(tmp_path):
    folder = tmp_path / "qwen"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"w" * 5000)
    (folder / "config.json").write_text("{}")
    (folder / ".complete").write_text("ok\n")  # converted before checksums existed
    verify_folder(folder, "delete it")  # records them now
    assert "model.safetensors" in (folder / ".complete").read_text()
    verify_folder(folder, "delete it")
    data = bytearray((folder / "model.safetensors").read_bytes())
    data[4000] ^= 0x10
    (folder / "model.safetensors").write_bytes(bytes(data))
    with pytest.raises(ModelUnavailable, match=f"damaged.*delete {folder}"):
        verify_folder(folder, f"delete {folder} and it is converted again")
    write_folder_checksums(folder)
    (folder / "config.json").unlink()
    with pytest.raises(ModelUnavailable, match="missing"):
        verify_folder(folder, "delete it")
