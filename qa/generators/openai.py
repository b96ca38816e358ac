"""Generator backed by an OpenAI-compatible chat server (vLLM, llama.cpp's server,
TGI, Ollama): for deployments with a GPU or a serving cluster.

Configure with QA_GENERATOR=openai:<model name> and QA_OPENAI_BASE_URL (for
example http://127.0.0.1:8080/v1). Uses only the standard library.

Not handled: tool calls and retries; an unreachable or failing server raises
ModelUnavailable with the URL in the message. `cancel` and `stop_when` are checked
between the pieces the server sends (closing the response stops the server).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

from ..errors import GenerationTimeout, ModelUnavailable
from . import GenerationResult, StopWhen, check_going, collect


class OpenAICompatGenerator:
    def __init__(self, model: str, base_url: str, api_key: str = "", timeout_s: float = 60.0):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must start with http:// or https://")
        if not model:
            raise ValueError("model must be named, e.g. QA_GENERATOR=openai:qwen2.5-7b-instruct")
        self.name = f"openai:{model}"
        self.model = model
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.api_key = api_key
        self.timeout_s = timeout_s

    def _request(self, messages: list[dict], max_new_tokens: int, stream: bool):
        body = json.dumps({"model": self.model, "messages": messages, "temperature": 0,
                           "max_tokens": max_new_tokens, "stream": stream}).encode()
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        req = urllib.request.Request(self.url, body, headers, method="POST")
        try:
            return urllib.request.urlopen(req, timeout=self.timeout_s)  # noqa: S310 - configured URL
        except urllib.error.HTTPError as e:
            raise ModelUnavailable(
                f"The generator server at {self.url} answered {e.code}: {e.read()[:200]!r}"
            ) from e
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            raise ModelUnavailable(
                f"Cannot reach the generator server at {self.url} ({e}). Is it running? "
                "Check QA_OPENAI_BASE_URL."
            ) from e

    def generate(self, messages: list[dict], max_new_tokens: int = 96,
                 deadline_s: float | None = None, *,
                 cancel: threading.Event | None = None,
                 stop_when: StopWhen | None = None) -> GenerationResult:
        t0 = time.perf_counter()
        text, first = collect(self.stream(messages, max_new_tokens, deadline_s, cancel=cancel,
                                          stop_when=stop_when), t0)
        return GenerationResult(text, *self.count_tokens(messages, text), first,
                                (time.perf_counter() - t0) * 1000)

    def count_tokens(self, messages: list[dict], text: str) -> tuple[int, int]:
        """(0, the answer's words): the server's tokenizer is not read here."""
        return 0, len(text.split())

    def judge(self, messages: list[dict]) -> float | None:
        """A yes/no verdict from the reply's first word (the server's logits are not read):
        +4 for "yes", -4 for "no", None for anything else or an unreachable server."""
        try:
            word = self.generate(messages, 3).text.strip().lower()
        except (ModelUnavailable, GenerationTimeout):
            return None
        return 4.0 if word.startswith("yes") else -4.0 if word.startswith("no") else None

    def stream(self, messages: list[dict], max_new_tokens: int = 96,
               deadline_s: float | None = None, *,
               cancel: threading.Event | None = None,
               stop_when: StopWhen | None = None) -> Iterator[str]:
        """Closing the response when `stop_when` says the answer is refused also
        stops the server generating it."""
        start = time.monotonic()
        text = ""
        with self._request(messages, max_new_tokens, stream=True) as resp:
            for raw in resp:
                line = raw.decode("utf-8", "replace").strip()
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    break
                try:
                    delta = json.loads(data)["choices"][0].get("delta", {}).get("content") or ""
                except (ValueError, KeyError, IndexError) as e:
                    raise ModelUnavailable(f"Unexpected reply from {self.url}: {data[:200]}") from e
                if delta:
                    yield delta
                    text += delta
                    if stop_when is not None and stop_when(text):
                        break
                check_going(cancel, start, deadline_s)
