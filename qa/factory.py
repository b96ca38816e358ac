"""Build the pieces named by Settings: embedders, generator, index, retriever, and
the pipeline they are given to (the one place that composes them).

Heavy libraries are imported inside these functions so `qa --help` starts fast.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Callable
from pathlib import Path

from index import nlp, units, wordnet
from index.build import build_index
from index.embedding import E5Embedder, Embedder, SentenceTransformerEmbedder
from index.errors import IndexMismatch
from index.loaders import default_corpus
from index.store import Index, open_index
from index.update import load_sources
from index.vocabulary import read_pack

from .generators import Generator, cpu_flags
from .limits import Limits
from .models import KNOWN
from .pipeline import Pipeline
from .retrieval import HybridRetriever
from .settings import Settings

log = logging.getLogger(__name__)


def offline() -> None:
    """Models come from local packages only: never let a library try a model hub (set
    before a model library loads, whichever program builds the pieces)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def make_embedder(s: Settings) -> Embedder:
    offline()
    return SentenceTransformerEmbedder(s.embedder)


def make_xling(s: Settings) -> Embedder | None:
    offline()
    return E5Embedder() if s.multilingual else None


def make_generator(s: Settings) -> Generator | None:
    if s.generator == "extractive":
        return None
    offline()
    if s.generator.startswith("openai:"):
        from .generators.openai import OpenAICompatGenerator

        return OpenAICompatGenerator(s.generator.removeprefix("openai:"), s.openai_base_url,
                                     s.openai_api_key, s.generation_timeout_s)
    if generator_backend(s) == "llamacpp":
        from .generators.llamacpp import LlamaCppGenerator

        return LlamaCppGenerator(s.generator, s.model_cache_dir, threads=s.threads)
    from .generators.hf import TransformersGenerator

    return TransformersGenerator(s.generator, s.model_cache_dir, threads=s.threads,
                                 precision=s.generator_precision,
                                 draft_tokens=s.generator_draft_tokens)


def generator_backend(s: Settings) -> str:
    """The backend `s` asks for. "auto": transformers for a transformers folder, and
    for the packaged models on a CPU with AMX (its bfloat16 tiles read a prompt about
    3x faster than llama.cpp's kernels there, docs/PERFORMANCE.md); llama.cpp on every
    other CPU, when llama-cpp-python is installed (a missing one is logged: answers
    stay right, only slower)."""
    if s.generator_backend != "auto":
        return s.generator_backend
    if s.generator not in KNOWN and not s.generator.lower().endswith(".gguf"):
        return "transformers"
    if s.generator in KNOWN and "amx_bf16" in cpu_flags():
        return "transformers"
    if importlib.util.find_spec("llama_cpp") is None:
        log.warning("llama-cpp-python is not installed: the generator runs on transformers, "
                    "several times slower on most CPUs (scripts/install.sh builds it)")
        return "transformers"
    return "llamacpp"


def build(s: Settings, paths: list[Path] | None = None,
          progress: Callable[[str, int, int], None] | None = None,
          embedder: Embedder | None = None) -> Path:
    paths = paths or [default_corpus()]
    docs, files = load_sources(paths)
    embedder = embedder or make_embedder(s)
    return build_index(docs, s.index_dir, embedder, make_xling(s), s.chunk_max_chars,
                       progress=progress, dense_index=s.dense_index,
                       domain_pack=read_pack(paths), files=files, roots=paths)


def load_index(s: Settings, embedder: Embedder) -> Index:
    return open_index(s.index_dir, embedder.name, embedder.dim, embedder=embedder)


def make_pipeline(s: Settings, embedder: Embedder | None = None,
                  generator: Generator | None = None, index: Index | None = None,
                  use_generator: bool = True, xling: Embedder | None = None) -> Pipeline:
    nlp.load()  # a missing entity model is reported now, not on the first question
    wordnet.reader()  # and so is missing WordNet (2 s to read)
    units.unit_forms("Celsius")  # and pint's registry of units (0.1 s)
    embedder = embedder or make_embedder(s)
    index = index or load_index(s, embedder)
    if index.xling_vectors is None:
        xling = None
    elif xling is None:
        xling = make_xling(s)
    built = index.manifest.get("xling_embedder") or {}
    if xling is not None and (built.get("name"), built.get("dim")) != (xling.name, xling.dim):
        raise IndexMismatch(
            f"The index at {index.path} holds multilingual vectors of {built.get('name')!r}, "
            f"but {xling.name!r} is installed. Rebuild it with `qa index build`."
        )
    if generator is None and use_generator:
        generator = make_generator(s)
    return Pipeline(index, HybridRetriever(index, embedder, xling), generator, top_k=s.top_k,
                    evidence_k=s.evidence_k, min_score=s.min_score,
                    max_new_tokens=s.max_new_tokens, prompt_trim=(s.prompt_margin,
                                                                   s.prompt_clause_chars,
                                                                   s.prompt_margin_xling),
                    generation_timeout_s=s.generation_timeout_s, limits=Limits(),
                    direct_quotes=s.direct_quotes, answerability=s.answerability)
