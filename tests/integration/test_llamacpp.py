"""The llama.cpp backend on the packaged GGUFs (marker: integration).

SmolLM2 (98 MB) drives the behaviour checks, which it answers in milliseconds; Qwen,
the default, checks what must agree with the transformers reference: the prompt's
token ids and the yes/no judgement's sign.
"""

from __future__ import annotations

import math
import threading

import pytest

pytest.importorskip("llama_cpp", reason="llama-cpp-python is built by scripts/install.sh")

from qa.errors import GenerationCancelled, GenerationTimeout, ModelUnavailable  # noqa: E402
from qa.generators import Generator  # noqa: E402
from qa.generators.llamacpp import LlamaCppGenerator  # noqa: E402

pytestmark = pytest.mark.integration

MSGS = [{"role": "system", "content": "Answer in one short sentence."},
        {"role": "user", "content": "What is the capital of France?"}]


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    from qa.settings import Settings

    return Settings().model_cache_dir


@pytest.fixture(scope="module")
def smol(cache):
    return LlamaCppGenerator("smollm2-135m", cache, threads=2)


@pytest.fixture(scope="module")
def qwen(cache):
    return LlamaCppGenerator("qwen2.5-coder-0.5b", cache, threads=2)


def test_generates_streams_and_counts(smol):
    assert isinstance(smol, Generator)
    r = smol.generate(MSGS, max_new_tokens=12)
    assert r.text and 0 < r.new_tokens <= 12 and r.prompt_tokens > 10
    assert r.first_token_ms > 0 and r.total_ms >= r.first_token_ms
    assert "".join(smol.stream(MSGS, max_new_tokens=12)).strip() == r.text  # greedy: same text
    assert smol.count_tokens(MSGS, r.text) == (r.prompt_tokens, r.new_tokens)


def test_stop_when_cancel_and_deadline(smol):
    seen = []
    r = smol.generate(MSGS, max_new_tokens=40, stop_when=lambda t: seen.append(t) or True)
    assert len(seen) == 1 and r.new_tokens == 1
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(GenerationCancelled):
        smol.generate(MSGS, cancel=cancel)
    with pytest.raises(GenerationTimeout):
        list(smol.stream(MSGS, max_new_tokens=40, deadline_s=1e-9))
    # an interrupted answer leaves the cache fit for the next prompt
    assert smol.generate(MSGS, max_new_tokens=12).text == smol.generate(MSGS, 12).text


def test_prefix_of_the_previous_prompt_is_reused(smol, monkeypatch):
    evidence = {"role": "system", "content": "Evidence: " + "The river floods in June. " * 80}
    smol.generate([evidence, {"role": "user", "content": "When does the river flood?"}], 1)
    again = [evidence, {"role": "user", "content": "Which river floods?"}]
    read: list[int] = []  # the tokens llama.cpp evaluates, a call at a time
    real = smol.llm.eval
    monkeypatch.setattr(smol.llm, "eval", lambda tokens: (read.append(len(tokens)),
                                                          real(tokens))[1])
    smol.generate(again, max_new_tokens=1)
    # only the question was read, not the evidence again (counted, not timed: a timing
    # ratio failed on a loaded 2-core machine)
    assert read and read[0] < len(smol._ids(again)) / 4


def test_prompt_tokens_match_transformers(qwen, cache):
    """The GGUF's chat template through llama.cpp's tokenizer gives the ids that
    transformers gives (eval.runtimes compares their answers on the same ids)."""
    from transformers import AutoTokenizer

    from qa.answerability import judge_messages
    from qa.models import resolve_model_folder

    tok = AutoTokenizer.from_pretrained(resolve_model_folder("qwen2.5-coder-0.5b", cache),
                                        local_files_only=True)
    msgs = judge_messages("Who opened the Kraków bridge in 1911?",
                          "The bridge in Kraków was opened by Dr. Zieliński in 1911; it cost "
                          "1,300,000 złoty (c. $40,000). 天津在汛期前计划完成43个工程。",
                          "Dr. Zieliński")
    hf = tok.apply_chat_template(msgs, add_generation_prompt=True, return_dict=True)["input_ids"]
    assert qwen._ids(msgs) == list(hf)


def test_judge_reads_yes_and_no(qwen):
    from qa.answerability import judge_messages

    yes = qwen.judge(judge_messages("What is the capital of France?",
                                    "Paris is the capital of France.", "Paris"))
    no = qwen.judge(judge_messages("What is the population of Lyon?",
                                   "Paris has many bridges.", "2 million"))
    assert math.isfinite(yes) and math.isfinite(no) and yes > no  # a 0.5B judge leans "Yes"


def test_damaged_converted_gguf_is_refused(tmp_path):
    from pathlib import Path

    f = Path(LlamaCppGenerator("smollm2-135m", tmp_path).llm.model_path)  # made once
    assert f.is_relative_to(tmp_path)
    with open(f, "r+b") as fh:
        fh.seek(1 << 20)
        b = fh.read(1)
        fh.seek(1 << 20)
        fh.write(bytes([b[0] ^ 0xFF]))
    with pytest.raises(ModelUnavailable, match=f"damaged.*delete {f.parent}"):
        LlamaCppGenerator("smollm2-135m", tmp_path)
