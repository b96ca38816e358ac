"""The generator's model folders: a converted folder is checked against the checksums
it recorded, and an unknown model name says what to use instead."""

from __future__ import annotations

import pytest

from qa.errors import ModelUnavailable
from qa.models import resolve_model_folder, verify_folder, write_folder_checksums


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
    (folder / ".complete").write_text("{not json")
    with pytest.raises(ModelUnavailable, match="checksum list .* is damaged: delete it"):
        verify_folder(folder, "delete it")


def test_a_model_folder_is_a_path_with_config_json(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    assert resolve_model_folder(str(tmp_path), tmp_path / "cache") == tmp_path
    with pytest.raises(ModelUnavailable, match="Unknown generator 'gpt-9'.*qwen2.5-coder-0.5b"):
        resolve_model_folder("gpt-9", tmp_path / "cache")


def test_a_damaged_converted_model_is_refused_on_resolving(tmp_path, monkeypatch):
    from qa import models

    monkeypatch.setattr(models, "smollm_gguf", lambda: tmp_path / "fake.gguf")
    (tmp_path / "fake.gguf").write_bytes(b"g" * 7)
    folder = tmp_path / "cache" / "smollm2-135m-7"
    folder.mkdir(parents=True)
    (folder / "model.safetensors").write_bytes(b"w" * 100)
    write_folder_checksums(folder)
    assert resolve_model_folder("smollm2-135m", tmp_path / "cache") == folder
    (folder / "model.safetensors").write_bytes(b"x" * 100)
    with pytest.raises(ModelUnavailable, match=f"damaged.*delete {folder}"):
        resolve_model_folder("smollm2-135m", tmp_path / "cache")


def test_gguf_is_assembled_once_then_checked(tmp_path, monkeypatch):
    import hashlib

    from qa import models

    parts = []
    for i in range(3):
        p = tmp_path / f"part{i}.bin"
        p.write_bytes(bytes([i]) * 3000)
        parts.append(p)
    monkeypatch.setattr(models, "qwen_part_files", lambda: parts)
    monkeypatch.setattr(models, "QWEN_SHA256", hashlib.sha256(
        b"".join(p.read_bytes() for p in parts)).hexdigest())
    cache = tmp_path / "cache"
    f = models.resolve_gguf("qwen2.5-coder-0.5b", cache)
    assert f.read_bytes()[:3000] == bytes([0]) * 3000 and f.stat().st_size == 9000
    parts[0].write_bytes(b"changed")  # read once: later starts use the cached file
    assert models.resolve_gguf("qwen2.5-coder-0.5b", cache) == f
    data = bytearray(f.read_bytes())
    data[5000] ^= 1
    f.write_bytes(bytes(data))
    with pytest.raises(ModelUnavailable, match=f"damaged.*delete {f.parent}"):
        models.resolve_gguf("qwen2.5-coder-0.5b", cache)
    assert [p.name for p in cache.iterdir()] == [f.parent.name]  # no half-built folder


def test_a_gguf_path_is_used_as_it_is_and_a_folder_is_refused(tmp_path):
    from qa.models import resolve_gguf

    (tmp_path / "m.gguf").write_bytes(b"GGUF")
    assert resolve_gguf(str(tmp_path / "m.gguf"), tmp_path / "cache") == tmp_path / "m.gguf"
    with pytest.raises(ModelUnavailable, match="QA_GENERATOR_BACKEND=transformers"):
        resolve_gguf(str(tmp_path), tmp_path / "cache")
