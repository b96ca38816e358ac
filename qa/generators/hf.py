"""TransformersGenerator: greedy answers from a local causal LM on the CPU.

The model folder comes from qa/models.py (a packaged GGUF converted once, or a local
transformers folder). Precision on the CPU (`precision`): "int8" (default) decodes
with int8 copies of the linear layers' weights (weight-only, one scale per output
channel; qa/generators/int8.py), which reads half the bytes per token of bfloat16;
the prompt is still read with the bfloat16 weights. "bf16" uses the bfloat16 weights
throughout. Generation also stops at the first blank line: answers are one or two
sentences, and what a small model writes after a blank line is commentary.

Not handled: GPUs (the model runs on the CPU).
"""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import GenerationCancelled, ModelUnavailable
from ..models import resolve_model_folder
from . import GenerationResult, StopWhen, collect, stream_answer
from .int8 import INT8_ROWS, _quantize_int8

PRECISIONS = ("int8", "bf16")


class TransformersGenerator:
    """Greedy decoding with a local causal LM on the CPU (int8 or bfloat16)."""

    counts = "tokenizer"  # count_tokens counts the model's tokens

    def __init__(self, model: str = "qwen2.5-coder-0.5b", cache_dir: Path | str = "var/models",
                 threads: int | None = None, precision: str = "int8",
                 draft_tokens: int | None = None):
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as e:
            raise ModelUnavailable("transformers and torch are needed: pip install -e .") from e
        if threads:
            torch.set_num_threads(threads)
        self.name = model
        self.precision = precision
        folder = resolve_model_folder(model, Path(cache_dir))
        t = time.perf_counter()
        try:
            self.tok = AutoTokenizer.from_pretrained(folder, local_files_only=True)
            self.model = AutoModelForCausalLM.from_pretrained(
                folder, dtype=torch.bfloat16, local_files_only=True
            )
            if precision == "int8":
                self.model = _quantize_int8(self.model)
        except Exception as e:  # noqa: BLE001
            raise ModelUnavailable(
                f"Could not load the generator from {folder} ({type(e).__name__}: {e}). "
                f"Delete that folder to convert the model again."
            ) from e
        self.model.eval()
        self.load_s = time.perf_counter() - t
        self._lock = threading.Lock()
        eos = self.model.generation_config.eos_token_id
        eos = set(eos if isinstance(eos, list) else [eos]) | {self.tok.eos_token_id}
        if draft_tokens is None:
            draft_tokens = INT8_ROWS - 1 if precision == "int8" else 10
        self.info = {"backend": "transformers", "torch": torch.__version__,
                     "precision": precision, "threads": torch.get_num_threads(),
                     "kernels": torch.backends.cpu.get_cpu_capability()}
        self._decoder = GreedyDecoder(self.model, {e for e in eos if e is not None},
                                      draft=draft_tokens)

    def _ids(self, messages: list[dict]) -> list[int]:
        """The token ids of the chat-templated prompt."""
        return self.tok.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )["input_ids"][0].tolist()

    def generate(self, messages: list[dict], max_new_tokens: int = 96,
                 deadline_s: float | None = None, *,
                 cancel: threading.Event | None = None,
                 stop_when: StopWhen | None = None) -> GenerationResult:
        t0 = time.perf_counter()
        ids = self._ids(messages)
        text, first = collect(self._stream(ids, max_new_tokens, deadline_s, cancel, stop_when),
                              t0)
        return GenerationResult(text, len(ids), self._new_tokens(text), first,
                                (time.perf_counter() - t0) * 1000)

    def count_tokens(self, messages: list[dict], text: str) -> tuple[int, int]:
        """(prompt tokens, new tokens): the chat-templated prompt's, the answer's."""
        return len(self._ids(messages)), self._new_tokens(text.strip())

    def _new_tokens(self, text: str) -> int:
        return len(self.tok(text, add_special_tokens=False)["input_ids"]) if text else 0

    def stream(self, messages: list[dict], max_new_tokens: int = 96,
               deadline_s: float | None = None, *,
               cancel: threading.Event | None = None,
               stop_when: StopWhen | None = None) -> Iterator[str]:
        yield from self._stream(self._ids(messages), max_new_tokens, deadline_s, cancel,
                                stop_when)

    def judge(self, messages: list[dict]) -> float | None:
        ids = self._ids(messages)
        yes_no = [self.tok.encode(w, add_special_tokens=False)[0] for w in ("Yes", "No")]
        with self._lock:
            yes, no = self._decoder.next_logits(ids, yes_no)
        return yes - no

    def _stream(self, ids: list[int], max_new_tokens, deadline_s, cancel=None, stop_when=None):
        """Yield text pieces of the answer to the prompt `ids` as soon as they decode.

        Runs in the caller's thread; stops at the end of the answer (an end token or
        the first blank line after some text), at `max_new_tokens`, when `stop_when`
        says so, when `cancel` is set or when the deadline passes (after yielding
        what was decoded).
        """
        start = time.monotonic()
        with self._lock:
            if cancel is not None and cancel.is_set():
                raise GenerationCancelled("the client went away before generation started")
            yield from stream_answer(self._decoder.tokens(ids, max_new_tokens),
                                     lambda new: self.tok.decode(new, skip_special_tokens=True),
                                     start, deadline_s, cancel, stop_when)


class GreedyDecoder:
    """Greedy decoding with prompt lookup and a reused prompt prefix (batch of one).

    Output is the model's greedy continuation (the same tokens as one forward pass
    per token, up to rounding: several rows at once, or a prompt read in two parts,
    sum in another order, which can swap two candidates that are within rounding of
    each other); two things make it cheaper:

    - Prompt lookup: answers copy phrases from the evidence, so the tokens that
      followed the last few generated tokens where they occur earlier in the prompt
      are proposed as a draft, and one forward pass checks them all. The longest
      prefix of the draft that matches the model's own greedy choices is kept, plus
      the model's next token; the key-value cache is cut back past the rest.
    - Prefix reuse: every prompt starts with the same system message and layout,
      so the cache of the previous prompt is cut back to the tokens the new prompt
      shares with it, and only the rest is read.

    A draft is at most `draft` tokens. With int8 layers that is 3: they check up to
    four rows at once for about 1.4 times the cost of one, and a longer draft would
    be checked with the bfloat16 weights, whose greedy choices sometimes differ
    from the int8 ones (an answer would then mix two models). bfloat16's cost
    barely grows with the number of rows, so it takes drafts of 10.
    """

    def __init__(self, model, eos: set[int], draft: int = 3, ngram: int = 3):
        self.model, self.eos, self.draft, self.ngram = model, eos, draft, ngram
        self._cache = None
        self._cached: list[int] = []  # the tokens whose keys and values the cache holds
        # transformers renamed `past_key_values` to `cache` (5.x, the old name deprecated)
        self.head = model.get_output_embeddings()
        params = inspect.signature(model.base_model.forward).parameters
        self._cache_kw = "cache" if "cache" in params else "past_key_values"

    def tokens(self, ids: list[int], max_new_tokens: int) -> Iterator[list[int]]:
        """Yield lists of new tokens (one or more at a time) until an end token or
        `max_new_tokens`; the end token itself is not yielded."""
        import torch

        cache = self._start(ids)
        seq = list(ids)
        whole = False  # whether the cache holds exactly the keys of seq[:its length]
        try:
            with torch.inference_mode():
                tok, whole = self._forward(ids[cache.get_seq_length():], cache, True)[-1], True
                n_new = 0
                while tok not in self.eos:
                    seq.append(tok)
                    n_new += 1
                    yield [tok]
                    if n_new >= max_new_tokens:
                        break
                    draft = _lookup(seq, self.draft, self.ngram)[: max_new_tokens - n_new - 1]
                    whole = False
                    pred = self._forward([tok] + draft, cache)
                    a = 0
                    while a < len(draft) and draft[a] == pred[a] and draft[a] not in self.eos:
                        a += 1
                    _crop(cache, len(seq) + a)
                    whole = True
                    if a:
                        seq += draft[:a]
                        n_new += a
                        yield draft[:a]
                    tok = pred[a]
        finally:  # also when the caller stops early: remember what the cache holds
            if whole:
                self._cached = seq[: cache.get_seq_length()]
            else:  # a forward pass was interrupted: its layers may disagree
                self._cache, self._cached = None, []

    def next_logits(self, ids: list[int], candidates: list[int]) -> list[float]:
        """The float32 logits of `candidates` as the token after `ids` (one pass over
        what the cache does not already hold; the cache is kept for the next prompt)."""
        import torch

        cache = self._start(ids)
        try:
            with torch.inference_mode():
                out = self.model.base_model(input_ids=torch.tensor([ids[cache.get_seq_length():]]),
                                            use_cache=True, **{self._cache_kw: cache})
                h = out.last_hidden_state[0, -1].float()
                logits = self.head.weight[candidates].float() @ h
                if self.head.bias is not None:
                    logits = logits + self.head.bias[candidates].float()
            self._cached = list(ids)
        except BaseException:
            self._cache, self._cached = None, []
            raise
        return logits.tolist()

    def _start(self, ids: list[int]):
        """The cache of the previous call cut back to what `ids` shares with it (at
        least the last token of `ids` is left to read), or a new one."""
        from transformers import DynamicCache

        shared = 0
        for a, b in zip(self._cached, ids[:-1], strict=False):
            if a != b:
                break
            shared += 1
        if self._cache is None or shared == 0:
            self._cache = DynamicCache(config=self.model.config)
        else:
            _crop(self._cache, shared)
        self._cached = ids[:shared]
        return self._cache

    def _forward(self, ids: list[int], cache, last_only: bool = False) -> list[int]:
        """Read `ids` into the cache; the greedy next token after each (after the last
        only, with `last_only`)."""
        import torch

        out = self.model.base_model(input_ids=torch.tensor([ids]), use_cache=True,
                                    **{self._cache_kw: cache})
        h = out.last_hidden_state[0, -1:] if last_only else out.last_hidden_state[0]
        return self._pick(h, self.head(h))

    def _pick(self, h, logits) -> list[int]:
        """Argmax of the logits, with near-ties settled in float32.

        bfloat16 logits around 16 are only 0.125 apart, so two candidates often tie
        exactly and the lower token id would win; a quantised head adds its own
        error. The best `TIE_CANDIDATES` are scored again from the hidden state and
        the head's bfloat16 weights in float32. (With the int4 head, the float32
        argmax over the whole vocabulary was among its best 4 at all 376 decoding
        positions sampled from the eval set; it was its top 1 at 97.6%.)
        """
        import torch

        top = logits.float().topk(TIE_CANDIDATES, dim=-1).indices
        w = self.head.weight[top].float()  # (rows, candidates, hidden)
        exact = torch.einsum("rd,rkd->rk", h.float(), w)
        if self.head.bias is not None:
            exact = exact + self.head.bias[top].float()
        return top.gather(1, exact.argmax(1, keepdim=True))[:, 0].tolist()


TIE_CANDIDATES = 8


def _lookup(seq: list[int], k: int, ngram: int) -> list[int]:
    """Up to k tokens that followed the latest earlier occurrence of the last n tokens
    of `seq` (longest n first, down to one); [] when none occurs.

    >>> _lookup([5, 6, 7, 8, 9, 1, 5, 6], 3, 2)
    [7, 8, 9]
    """
    for n in range(min(ngram, len(seq) - 1), 0, -1):
        tail = seq[-n:]
        for i in range(len(seq) - n - 1, -1, -1):
            if seq[i:i + n] == tail:
                return seq[i + n:i + n + k]
    return []


def _crop(cache, length: int) -> None:
    """Cut the cache back to its first `length` tokens."""
    extra = cache.get_seq_length() - length
    if extra > 0:
        cache.crop(-extra)

