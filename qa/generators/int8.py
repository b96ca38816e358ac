"""int8 (and int4 for the output head) copies of a model's linear layers, for
decoding on the CPU: one row at a time is bound by reading the weights, and int8
halves the bytes read per token of bfloat16. Used by qa/generators/hf.py with
`precision="int8"`.

Not handled: torch builds without `_weight_int8pack_mm` (the model stays bfloat16).
"""

from __future__ import annotations

INT8_ROWS = 4  # up to this many rows at once go through the int8 weights


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

