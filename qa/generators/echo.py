"""EchoGenerator: a fake model for tests and load tests (no model library needed)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

from ..errors import GenerationCancelled, GenerationTimeout
from . import GenerationResult, StopWhen


class EchoGenerator:
    """Fake for tests: answers with the first evidence line of the prompt, verbatim.

    Deterministic and instant (or taking `delay_s`, to stand in for a model in load
    tests, honouring the deadline and `cancel` like the real one); exercises
    everything around the model.
    """

    name = "echo"

    def __init__(self, reply: str | None = None, delay_s: float = 0.0,
                 verdict: float | None = None):
        self.reply = reply
        self.delay_s = delay_s
        self.verdict = verdict  # what `judge` answers (log-odds of "Yes"), None: can't tell

    def judge(self, messages: list[dict]) -> float | None:
        return self.verdict

    def _wait(self, deadline_s, cancel) -> None:
        end = time.monotonic() + self.delay_s
        limit = time.monotonic() + deadline_s if deadline_s is not None else None
        while (now := time.monotonic()) < end:
            if cancel is not None and cancel.is_set():
                raise GenerationCancelled("the client went away; generation was stopped")
            if limit is not None and now > limit:
                raise GenerationTimeout(f"generation ran past its {deadline_s:.1f} s budget")
            time.sleep(min(0.01, end - now))

    def _answer(self, messages: list[dict]) -> str:
        if self.reply is not None:
            return self.reply
        user = messages[-1]["content"]
        for line in user.splitlines():
            if line.startswith("[1] "):
                return line[4:].strip()
        return "I don't know."

    def generate(self, messages: list[dict], max_new_tokens: int = 96,
                 deadline_s: float | None = None, *,
                 cancel: threading.Event | None = None,
                 stop_when: StopWhen | None = None) -> GenerationResult:
        self._wait(deadline_s, cancel)
        text = self._answer(messages)
        return GenerationResult(text, *self.count_tokens(messages, text))

    def count_tokens(self, messages: list[dict], text: str) -> tuple[int, int]:
        """Words, not tokens: (the user message's, the answer's)."""
        return len(messages[-1]["content"].split()), len(text.split())

    def stream(self, messages: list[dict], max_new_tokens: int = 96,
               deadline_s: float | None = None, *,
               cancel: threading.Event | None = None,
               stop_when: StopWhen | None = None) -> Iterator[str]:
        self._wait(deadline_s, cancel)
        text = ""
        for w in self._answer(messages).split(" "):
            yield w + " "
            text += w + " "
            if stop_when is not None and stop_when(text):
                return

