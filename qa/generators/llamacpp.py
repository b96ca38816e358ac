"""LlamaCppGenerator: greedy answers from the packaged GGUF through llama.cpp.

llama.cpp (through `llama-cpp-python`, compiled at install for the CPU it runs on)
runs the packaged GGUF, converted once to 8-bit (`_to_q8_0`; a `.gguf` path is read
as it is): under 1 GB resident, kernels chosen for the CPU (AVX2, AVX-512, ...). It
keeps the key-value cache of the previous prompt and reads only what a new prompt
does not share with it, so the constant instructions that start every prompt are
read once.

Greedy decoding here is llama.cpp's sampler with top-k 1 and every other sampler
off. The answer ends at an end token or at the first blank line after some text,
like the transformers backend's.

Not handled: GPUs (not compiled in), batches of prompts, sampling.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import GenerationCancelled, ModelUnavailable
from ..models import resolve_gguf
from . import GenerationResult, StopWhen, collect, cpu_flags, stream_answer

INSTALL_HINT = "scripts/install.sh builds it (or: pip install llama-cpp-python==0.3.36)"
GREEDY = {"top_k": 1, "top_p": 1.0, "min_p": 0.0, "temp": 0.0, "repeat_penalty": 1.0}
CONTEXT_TOKENS = 4096  # the pipeline's prompts are under 1,000 tokens


def cpu_threads() -> int:
    """The cores this process may run on (llama.cpp's own default is half of them)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class LlamaCppGenerator:
    """Greedy decoding of a GGUF model with llama.cpp on the CPU."""

    counts = "tokenizer"  # count_tokens counts the model's tokens

    def __init__(self, model: str = "qwen2.5-coder-0.5b", cache_dir: Path | str = "var/models",
                 threads: int | None = None):
        try:
            import llama_cpp
            from llama_cpp import llama_cpp as lib
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter
        except ImportError as e:
            raise ModelUnavailable(f"llama-cpp-python is not installed: {INSTALL_HINT}") from e
        except OSError as e:  # the compiled library does not load on this CPU or libc
            raise ModelUnavailable(f"llama.cpp's library does not load ({e}): rebuild it on this "
                                   f"machine, {INSTALL_HINT}") from e
        self.name = model
        self._lib = lib
        gguf = resolve_gguf(model, Path(cache_dir), convert=lambda a, b: _to_q8_0(lib, a, b),
                            tag="q8_0")
        threads = threads or cpu_threads()
        t = time.perf_counter()
        try:
            self.llm = _load(llama_cpp, lib, gguf, threads)
        except Exception as e:  # noqa: BLE001
            raise ModelUnavailable(f"llama.cpp could not load {gguf} ({type(e).__name__}: {e}). "
                                   "Delete it to assemble it again from the installed packages.")\
                from e
        self.load_s = time.perf_counter() - t
        meta = self.llm.metadata
        template = meta.get("tokenizer.chat_template")
        if not template:
            raise ModelUnavailable(f"{gguf} has no chat template")
        vocab = self.llm._model.vocab  # noqa: SLF001 (the token texts for the template)
        piece = self.llm._model.token_get_text  # noqa: SLF001
        self._format = Jinja2ChatFormatter(template, eos_token=piece(lib.llama_vocab_eos(vocab)),
                                           bos_token=piece(lib.llama_vocab_bos(vocab)))
        self._eog = lambda tok: bool(lib.llama_vocab_is_eog(vocab, tok))
        self._yes_no = [self._tokens(w)[0] for w in ("Yes", "No")]
        self._lock = threading.Lock()
        self.info = {"backend": "llama.cpp", "llama_cpp_python": llama_cpp.__version__,
                     "threads": threads, "gguf": gguf.name,
                     "system_info": llama_cpp.llama_print_system_info().decode(errors="replace")}

    # -- tokens -----------------------------------------------------------------
    def _tokens(self, text: str, special: bool = False) -> list[int]:
        return self.llm.tokenize(text.encode(), add_bos=False, special=special)

    def _ids(self, messages: list[dict]) -> list[int]:
        """The token ids of the chat-templated prompt (the GGUF's own template)."""
        prompt = self._format(messages=messages).prompt
        ids = self._tokens(prompt, special=True)
        if len(ids) >= CONTEXT_TOKENS - 8:
            raise ValueError(f"the prompt has {len(ids)} tokens, over the model's context of "
                             f"{CONTEXT_TOKENS}")
        return ids

    def count_tokens(self, messages: list[dict], text: str) -> tuple[int, int]:
        """(prompt tokens, new tokens): the chat-templated prompt's, the answer's."""
        text = text.strip()
        return len(self._ids(messages)), len(self._tokens(text)) if text else 0

    # -- the Generator role -----------------------------------------------------
    def generate(self, messages: list[dict], max_new_tokens: int = 96,
                 deadline_s: float | None = None, *,
                 cancel: threading.Event | None = None,
                 stop_when: StopWhen | None = None) -> GenerationResult:
        t0 = time.perf_counter()
        ids = self._ids(messages)
        counted: list[int] = []
        text, first = collect(self._stream(ids, max_new_tokens, deadline_s, cancel, stop_when,
                                           counted), t0)
        return GenerationResult(text, len(ids), len(counted), first,
                                (time.perf_counter() - t0) * 1000)

    def stream(self, messages: list[dict], max_new_tokens: int = 96,
               deadline_s: float | None = None, *,
               cancel: threading.Event | None = None,
               stop_when: StopWhen | None = None) -> Iterator[str]:
        yield from self._stream(self._ids(messages), max_new_tokens, deadline_s, cancel,
                                stop_when)

    def judge(self, messages: list[dict]) -> float | None:
        """The log-odds of "Yes" against "No" as the reply's first token: one pass over
        what the cache does not already hold, read from the last row of logits."""
        import numpy as np

        ids = self._ids(messages)
        with self._lock:
            steps = self.llm.generate(ids, **GREEDY)
            try:
                next(steps)  # reads the prompt (after the cached prefix) and picks a token
                ptr = self._lib.llama_get_logits_ith(self.llm._ctx.ctx, -1)  # noqa: SLF001
                row = np.ctypeslib.as_array(ptr, shape=(self.llm.n_vocab(),))
                yes, no = (float(row[t]) for t in self._yes_no)
            finally:
                steps.close()
        return yes - no

    def _stream(self, ids: list[int], max_new_tokens, deadline_s, cancel=None, stop_when=None,
                counted: list[int] | None = None):
        """Yield text pieces of the answer to the prompt `ids` as soon as they decode.

        Stops at the end of the answer (an end token, or the first blank line after
        some text), at `max_new_tokens`, when `stop_when` says so, when `cancel` is
        set or when the deadline passes (after yielding what was decoded).
        """
        start = time.monotonic()
        with self._lock:
            if cancel is not None and cancel.is_set():
                raise GenerationCancelled("the client went away before generation started")
            yield from stream_answer(
                self._steps(ids, max_new_tokens),
                lambda new: self.llm.detokenize(new).decode("utf-8", errors="replace"),
                start, deadline_s, cancel, stop_when, counted)

    def _steps(self, ids: list[int], max_new_tokens: int) -> Iterator[list[int]]:
        """The greedy tokens after `ids`, one a step, up to an end token or the budget
        (llama.cpp reuses the cached prefix it shares with the previous prompt)."""
        steps = self.llm.generate(ids, **GREEDY)
        try:
            for n, tok in enumerate(steps, start=1):
                if self._eog(tok):
                    return
                yield [tok]
                if n >= max_new_tokens:
                    return
        finally:
            steps.close()


def _to_q8_0(lib, src: Path, dest: Path) -> None:
    """Quantise the GGUF `src` into `dest` as 8-bit (Q8_0), with a progress bar.

    The packaged Qwen is 4-bit (Q4_K_M, with some 5- and 6-bit tensors). On two AVX2
    cores llama.cpp reads a prompt about 1.4x faster and writes about 1.4x faster
    in Q8_0, whose simpler blocks cost fewer instructions per weight than the
    K-quants' (docs/PERFORMANCE.md). 8 bits hold the 4-bit values with
    their scales almost exactly: greedy answers matched the float32 reference on 12 of
    12 prompts against 11 for the 4-bit file. It takes about 5 s, once."""
    import ctypes
    import logging
    import re

    from tqdm import tqdm

    params = lib.llama_model_quantize_default_params()
    params.ftype = lib.LLAMA_FTYPE_MOSTLY_Q8_0
    params.allow_requantize = True
    params.nthread = cpu_threads()
    bar = tqdm(desc="converting the generator to 8-bit for llama.cpp (once)", unit="tensor",
               mininterval=1.0, leave=False)
    step = re.compile(rb"\[\s*(\d+)/\s*(\d+)\]")

    @lib.llama_log_callback
    def progress(level, text, user_data):  # the library logs one line a tensor
        m = step.search(text or b"")
        if m:
            bar.total = int(m.group(2))
            bar.update(int(m.group(1)) - bar.n)  # drawn at most once a second

    logging.getLogger("llama-cpp-python").setLevel(logging.ERROR)
    lib.llama_log_set(progress, ctypes.c_void_p(0))
    try:
        rc = lib.llama_model_quantize(str(src).encode(), str(dest).encode(),
                                      ctypes.byref(params))
    finally:
        from llama_cpp import _logger

        lib.llama_log_set(_logger.llama_log_callback, ctypes.c_void_p(0))
        bar.close()
    if rc != 0:
        raise ModelUnavailable(f"llama.cpp could not convert {src} to 8-bit (error {rc})")


def _load(llama_cpp, lib, gguf: Path, threads: int):
    """The model, with llama.cpp's AMX weight layout turned off on CPUs that have AMX:
    it crashes on this model's Q4_K tensors (llama.cpp issue 20824, open), and the
    AVX-512 kernels it falls back to are what every other CPU uses anyway."""
    default = lib.llama_model_default_params
    if "amx_int8" in cpu_flags():
        def params():
            p = default()
            p.use_extra_bufts = False
            return p
        lib.llama_model_default_params = params
    try:
        return llama_cpp.Llama(str(gguf), n_ctx=CONTEXT_TOKENS, n_batch=512, n_threads=threads,
                               n_threads_batch=threads, verbose=False)
    finally:
        lib.llama_model_default_params = default
