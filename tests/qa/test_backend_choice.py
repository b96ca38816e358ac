"""Which generator backend QA_GENERATOR_BACKEND=auto picks, by model, CPU and install."""

from __future__ import annotations

import importlib.util
import logging

import pytest

from qa import factory
from qa.settings import Settings

AVX2 = {"avx2", "fma", "f16c"}
AMX = AVX2 | {"avx512f", "avx512_bf16", "amx_bf16", "amx_int8", "amx_tile"}


@pytest.fixture
def machine(monkeypatch):
    """Set the CPU's flags and whether llama-cpp-python is installed."""
    real = importlib.util.find_spec

    def set_(flags: set[str], llama: bool = True):
        monkeypatch.setattr(factory, "cpu_flags", lambda: flags)
        monkeypatch.setattr(importlib.util, "find_spec",
                            lambda name, *a: (object() if llama else None)
                            if name == "llama_cpp" else real(name, *a))
    return set_


@pytest.mark.parametrize(("model", "flags", "want"), [
    ("qwen2.5-coder-0.5b", AVX2, "llamacpp"),
    ("smollm2-135m", AVX2, "llamacpp"),
    ("/models/my.GGUF", AVX2, "llamacpp"),
    ("/models/my.gguf", AMX, "llamacpp"),  # a user's own GGUF: transformers can't be assumed
    ("qwen2.5-coder-0.5b", AMX, "transformers"),  # AMX tiles read prompts faster
    ("/models/a-transformers-folder", AVX2, "transformers"),
])
def test_auto_picks_by_model_and_cpu(machine, model, flags, want):
    machine(flags)
    assert factory.generator_backend(Settings(generator=model)) == want


def test_auto_without_llama_cpp_falls_back_and_says_so(machine, caplog):
    machine(AVX2, llama=False)
    with caplog.at_level(logging.WARNING, logger="qa.factory"):
        assert factory.generator_backend(Settings()) == "transformers"
    assert "llama-cpp-python is not installed" in caplog.text


@pytest.mark.parametrize("backend", ["llamacpp", "transformers"])
def test_an_explicit_backend_is_taken_as_asked(machine, backend):
    machine(AMX if backend == "llamacpp" else AVX2, llama=False)
    assert factory.generator_backend(Settings(generator_backend=backend)) == backend


def test_asking_for_llama_cpp_without_it_names_the_fix(monkeypatch, tmp_path):
    import builtins

    from qa.errors import ModelUnavailable
    from qa.generators.llamacpp import LlamaCppGenerator

    real = builtins.__import__

    def no_llama(name, *a, **kw):
        if name.startswith("llama_cpp"):
            raise ImportError(name)
        return real(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_llama)
    with pytest.raises(ModelUnavailable, match="install.sh"):
        LlamaCppGenerator("qwen2.5-coder-0.5b", tmp_path)
