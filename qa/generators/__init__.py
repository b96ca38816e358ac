"""The generator role: what the pipeline asks of a model, and what comes back.

Backends, one a file: `llamacpp.py` (llama.cpp on the packaged GGUF, the default),
`hf.py` (transformers: the reference, a local model folder, and the packaged model
on CPUs with AMX, where it reads prompts faster), `openai.py` (an OpenAI-compatible
chat server), `echo.py` (a fake for tests and load tests). qa/factory.py's
`generator_backend` picks between the first two. Each implements the whole
`Generator` protocol below; the pipeline always passes `cancel` and `stop_when`. To
add a backend: a class with these methods and a `name`, built in qa/factory.py's
`make_generator`.

Importing this package loads no model library: llama_cpp, torch and transformers are
imported when a backend is made."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..errors import GenerationCancelled, GenerationTimeout

__all__ = ["GenerationResult", "Generator", "StopWhen", "answer_end", "check_going", "collect",
           "cpu_flags",
           "stream_answer"]

StopWhen = Callable[[str], bool]


@dataclass(frozen=True)
class GenerationResult:
    text: str
    prompt_tokens: int = 0
    new_tokens: int = 0
    first_token_ms: float = 0.0
    total_ms: float = 0.0


@runtime_checkable
class Generator(Protocol):
    """Greedy answers to chat `messages` within `max_new_tokens` and `deadline_s`
    (past it: GenerationTimeout, from `stream` after what was already yielded).

    `cancel`, once set, stops generation (GenerationCancelled); `stop_when(text)`,
    called with the answer so far, ends it early and normally when it returns True.
    Both are keywords every backend takes (None: not used). A backend that cannot
    be reached raises ModelUnavailable.
    """

    name: str

    def generate(self, messages: list[dict], max_new_tokens: int = 96,
                 deadline_s: float | None = None, *,
                 cancel: threading.Event | None = None,
                 stop_when: StopWhen | None = None) -> GenerationResult: ...

    def stream(self, messages: list[dict], max_new_tokens: int = 96,
               deadline_s: float | None = None, *,
               cancel: threading.Event | None = None,
               stop_when: StopWhen | None = None) -> Iterator[str]: ...

    def count_tokens(self, messages: list[dict], text: str) -> tuple[int, int]:
        """(prompt tokens, new tokens) of `messages` and the answer `text`, as
        `generate` counts them (the pipeline records them for streamed answers too)."""
        ...

    def judge(self, messages: list[dict]) -> float | None:
        """The log-odds that the reply to `messages` starts "Yes" rather than "No" (None
        when the backend cannot tell)."""
        ...


def collect(pieces: Iterable[str], t0: float) -> tuple[str, float]:
    """The text of streamed `pieces`, stripped, and the milliseconds from `t0` (a
    time.perf_counter() reading) to the first piece (0.0 when none came): what a
    backend's `generate` returns from its `stream`."""
    first, parts = 0.0, []
    for piece in pieces:
        if not parts:
            first = (time.perf_counter() - t0) * 1000
        parts.append(piece)
    return "".join(parts).strip(), first


def stream_answer(steps: Iterator[list[int]], decode: Callable[[list[int]], str], start: float,
                  deadline_s: float | None, cancel: threading.Event | None,
                  stop_when: StopWhen | None, new: list[int] | None = None) -> Iterator[str]:
    """Text pieces of an answer as its tokens come: what a backend's `stream` yields.

    `steps` yields lists of new token ids (one or more at a time; the backend ends it
    at an end token and at its token budget), `decode` turns the ids so far into
    text, `start` is the time.monotonic() the deadline counts from, and `new` (when
    given) collects the ids. Stops at the first blank line after some text, when
    `stop_when` says so, when `cancel` is set (GenerationCancelled) or when the
    deadline passes (GenerationTimeout, after yielding what was decoded); `steps` is
    closed either way, so the runtime's cache is settled before the next prompt.
    """
    new = [] if new is None else new
    shown = 0
    try:
        for step in steps:
            new += step
            full = decode(new)
            end = answer_end(full)
            text = full[:end].rstrip("\ufffd")  # hold back half a multi-byte character
            if len(text) > shown:
                yield text[shown:]
                shown = len(text)
            if end < len(full):  # a blank line ended the answer
                break
            if stop_when is not None and stop_when(text):
                break
            check_going(cancel, start, deadline_s)
    finally:
        steps.close()


def check_going(cancel: threading.Event | None, start: float, deadline_s: float | None) -> None:
    """Raise GenerationCancelled once `cancel` is set, GenerationTimeout once
    `deadline_s` has passed since `start` (a time.monotonic() reading): what every
    backend checks between pieces of an answer."""
    if cancel is not None and cancel.is_set():
        raise GenerationCancelled("the client went away; generation was stopped")
    if deadline_s is not None and time.monotonic() - start > deadline_s:
        raise GenerationTimeout(f"generation ran past its {deadline_s:.1f} s budget")


def answer_end(text: str) -> int:
    """Where the answer ends: at the first blank line after some text (what a small
    model writes after one is commentary), else at the end of `text`.

    >>> answer_end("Tianjin planned 43 repairs.\\n\\nNote: ...")
    27
    >>> answer_end("\\n\\nTianjin")
    9
    """
    lead = len(text) - len(text.lstrip())
    cut = text.find("\n\n", lead)
    return len(text) if cut < 0 else cut


def cpu_flags() -> set[str]:
    """The CPU's feature flags, which decide the kernels and backend (from
    /proc/cpuinfo; empty where there is none)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.partition(":")[2].split())
    except OSError:
        pass
    return set()
