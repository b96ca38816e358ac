"""int8 weight-only decoding layers (no model needed)."""

import pytest

torch = pytest.importorskip("torch")

from qa.generation import _int8_linear_class, _quantize_int8  # noqa: E402


def test_int8_linear_matches_bfloat16_within_quantisation_error():
    torch.manual_seed(0)
    lin = torch.nn.Linear(256, 384, bias=True).to(torch.bfloat16)
    q = _int8_linear_class()(lin)
    x = torch.randn(1, 1, 256, dtype=torch.bfloat16)
    ref, got = lin(x).float(), q(x).float()
    assert got.shape == ref.shape
    # per-channel int8: error well under 2% of the output scale
    assert (got - ref).abs().max() < 0.02 * ref.abs().max()


def test_many_rows_use_the_bfloat16_weight_exactly():
    lin = torch.nn.Linear(64, 32).to(torch.bfloat16)
    q = _int8_linear_class()(lin)
    x = torch.randn(1, 20, 64, dtype=torch.bfloat16)
    assert torch.equal(q(x), lin(x))


def test_quantize_replaces_every_linear_and_keeps_tied_weights():
    m = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.ReLU(), torch.nn.Linear(8, 4))
    m = m.to(torch.bfloat16)
    w = m[0].weight
    m = _quantize_int8(m)
    assert not any(type(x) is torch.nn.Linear for x in m.modules())
    assert m[0].weight is w  # the bfloat16 weight is shared, not copied
    assert m(torch.randn(1, 8, dtype=torch.bfloat16)).shape == (1, 4)
