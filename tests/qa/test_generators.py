"""Every generator backend implements the whole Generator protocol: the pipeline passes
`cancel` and `stop_when` to each without looking at its signature."""

from __future__ import annotations

import inspect
import threading

import pytest

from qa.errors import GenerationCancelled, GenerationTimeout
from qa.generators import Generator
from qa.generators.echo import EchoGenerator
from qa.generators.hf import TransformersGenerator
from qa.generators.llamacpp import LlamaCppGenerator
from qa.generators.openai import OpenAICompatGenerator

BACKENDS = [EchoGenerator, TransformersGenerator, LlamaCppGenerator, OpenAICompatGenerator]


@pytest.mark.parametrize("backend", BACKENDS, ids=lambda b: b.__name__)
def test_backend_takes_the_protocols_keywords(backend):
    for method in ("generate", "stream"):
        params = inspect.signature(getattr(backend, method)).parameters
        for kw in ("cancel", "stop_when"):
            assert params[kw].kind is inspect.Parameter.KEYWORD_ONLY, (method, kw)
            assert params[kw].default is None
        assert list(params)[1:4] == ["messages", "max_new_tokens", "deadline_s"]
    assert list(inspect.signature(backend.judge).parameters) == ["self", "messages"]
    assert list(inspect.signature(backend.count_tokens).parameters) == ["self", "messages",
                                                                        "text"]


def test_echo_is_a_generator_and_honours_the_keywords():
    g = EchoGenerator(reply="one two three four")
    assert isinstance(g, Generator)
    msgs = [{"role": "user", "content": "x"}]
    assert list(g.stream(msgs, stop_when=lambda t: "two" in t)) == ["one ", "two "]
    r = g.generate(msgs)
    assert (r.prompt_tokens, r.new_tokens) == g.count_tokens(msgs, r.text) == (1, 4)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(GenerationCancelled):
        EchoGenerator(delay_s=0.5).generate(msgs, cancel=cancel)
    with pytest.raises(GenerationTimeout):
        list(EchoGenerator(delay_s=0.5).stream(msgs, deadline_s=0.01))
