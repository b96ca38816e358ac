"""The greedy decoder (prompt lookup + prefix reuse) against plain greedy decoding,
on a tiny randomly initialised Qwen2 model (no model files needed)."""

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from qa.generators.hf import GreedyDecoder, _lookup  # noqa: E402


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    cfg = transformers.Qwen2Config(vocab_size=48, hidden_size=32, intermediate_size=64,
                                   num_hidden_layers=2, num_attention_heads=4,
                                   num_key_value_heads=2, max_position_embeddings=256)
    return transformers.Qwen2ForCausalLM(cfg).eval()


def plain_greedy(model, ids, n, eos):
    """One full forward pass per token, no cache: the reference."""
    out = []
    with torch.inference_mode():
        for _ in range(n):
            t = int(model(input_ids=torch.tensor([ids + out])).logits[0, -1].argmax())
            if t in eos:
                break
            out.append(t)
    return out


PROMPTS = [
    [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2],  # repetitive: drafts accepted
    [9, 30, 11, 2, 40, 17, 5, 5, 5, 21, 33, 8],
    [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12],  # shares a prefix with the first
]


@pytest.mark.parametrize("draft", [3, 10, 1, 0])
def test_same_tokens_as_plain_greedy(model, draft):
    dec = GreedyDecoder(model, eos={47}, draft=draft)
    for ids in PROMPTS:  # one decoder for all: the cache is reused and cut back
        got = [t for step in dec.tokens(ids, 24) for t in step]
        assert got == plain_greedy(model, ids, 24, {47})


def test_stops_at_max_new_tokens_and_at_an_end_token(model):
    ref = plain_greedy(model, PROMPTS[0], 30, set())
    dec = GreedyDecoder(model, eos=set())
    for n in (1, 2, 5, 13):
        assert [t for s in dec.tokens(PROMPTS[0], n) for t in s] == ref[:n]
    stop = ref[6]
    dec = GreedyDecoder(model, eos={stop})
    assert [t for s in dec.tokens(PROMPTS[0], 30) for t in s] == ref[:ref.index(stop)]


def test_a_caller_that_stops_early_leaves_a_usable_cache(model):
    dec = GreedyDecoder(model, eos=set())
    steps = dec.tokens(PROMPTS[1], 20)
    next(steps)
    steps.close()
    assert [t for s in dec.tokens(PROMPTS[1], 10) for t in s] == plain_greedy(
        model, PROMPTS[1], 10, set())


def test_lookup_prefers_the_longest_and_latest_match():
    assert _lookup([1, 2, 9, 1, 2, 7, 8, 3, 1, 2], 2, 2) == [7, 8]
    assert _lookup([4, 5, 6], 3, 3) == []
    assert _lookup([4, 5, 4], 3, 3) == [5, 4]


class _CharTokenizer:
    """One letter a token (ids 0-25 are 'a'-'z'), enough to drive TransformersGenerator."""

    def apply_chat_template(self, messages, **kw):
        text = "".join(m["content"] for m in messages)
        return {"input_ids": torch.tensor([[ord(c) % 26 for c in text]])}

    def decode(self, ids, skip_special_tokens=True):
        return "".join(chr(97 + i % 26) for i in ids)

    def __call__(self, text, add_special_tokens=False):
        return {"input_ids": [ord(c) % 26 for c in text]}

    def encode(self, text, add_special_tokens=False):
        return self(text)["input_ids"]


def test_generator_generate_stream_and_counts_agree(model):
    import threading

    from qa.errors import GenerationCancelled
    from qa.generators.hf import TransformersGenerator

    g = object.__new__(TransformersGenerator)  # the tiny model in place of a loaded one
    g.name, g.tok, g.model, g._lock = "tiny", _CharTokenizer(), model, threading.Lock()
    g._decoder = GreedyDecoder(model, {47}, draft=3)
    msgs = [{"role": "user", "content": "abcabcabd"}]
    r = g.generate(msgs, 12)
    assert r.text == "".join(g.stream(msgs, 12)).strip() and len(r.text) == 12
    assert (r.prompt_tokens, r.new_tokens) == g.count_tokens(msgs, r.text) == (9, 12)
    assert r.first_token_ms > 0 and r.total_ms >= r.first_token_ms
    stopped = g.generate(msgs, 12, stop_when=lambda t: len(t) >= 4).text
    assert r.text.startswith(stopped) and 4 <= len(stopped) < 12
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(GenerationCancelled):
        g.generate(msgs, 12, cancel=cancel)
    assert isinstance(g.judge(msgs), float)
