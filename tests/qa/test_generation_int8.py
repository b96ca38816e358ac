"""int8 weight-only decoding layers (no model needed)."""

import pytest

torch = pytest.importorskip("torch")

from qa.generators.int8 import _int8_linear_class, _quantize_int8  # noqa: E402


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


def test_many_rows_use_the_packed_bfloat16_weight():
    torch.manual_seed(0)
    lin = torch.nn.Linear(64, 96).to(torch.bfloat16)
    q = _int8_linear_class()(lin, pack=True)
    x = torch.randn(1, 20, 64, dtype=torch.bfloat16)
    ref = lin(x).float()
    # the same bfloat16 product, only summed in another order
    assert (q(x).float() - ref).abs().max() < 0.02 * ref.abs().max()


def test_quantize_replaces_every_linear_and_keeps_the_tied_head():
    transformers = pytest.importorskip("transformers")
    cfg = transformers.Qwen2Config(vocab_size=48, hidden_size=32, intermediate_size=64,
                                   num_hidden_layers=1, num_attention_heads=4,
                                   num_key_value_heads=2, tie_word_embeddings=True)
    m = transformers.Qwen2ForCausalLM(cfg).to(torch.bfloat16).eval()
    emb = m.get_input_embeddings().weight
    m = _quantize_int8(m)
    assert not any(type(x) is torch.nn.Linear for x in m.modules())
    assert m.get_output_embeddings().weight is emb  # shared with the embeddings, not copied
    with torch.inference_mode():
        for n in (1, 12):  # int8 rows and packed bfloat16 rows
            assert m(input_ids=torch.arange(n)[None]).logits.shape == (1, n, 48)


def test_int4_head_is_close_and_its_best_candidates_hold_the_true_best():
    from qa.generators.hf import TIE_CANDIDATES

    torch.manual_seed(0)
    lin = torch.nn.Linear(64, 512, bias=False).to(torch.bfloat16)
    q = _int8_linear_class()(lin, int4=True)
    assert q.int4 is not None
    x = torch.randn(4, 64, dtype=torch.bfloat16)
    exact = x.float() @ lin.weight.float().T
    got = q(x).float()
    assert (got - exact).abs().max() < 0.15 * exact.abs().max()
    top = got.topk(TIE_CANDIDATES, dim=-1).indices
    assert (top == exact.argmax(-1, keepdim=True)).any(-1).all()


def test_int4_rows_add_the_bias():
    torch.manual_seed(0)
    lin = torch.nn.Linear(64, 512, bias=True).to(torch.bfloat16)
    with torch.no_grad():
        lin.bias.fill_(5.0)
    q = _int8_linear_class()(lin, int4=True)
    x = torch.randn(2, 64, dtype=torch.bfloat16)
    ref = lin(x).float()
    assert (q(x).float() - ref).abs().max() < 0.15 * ref.abs().max()
