import pytest

from qa.errors import BadQuestion
from qa.generators.echo import EchoGenerator
from qa.pipeline import Pipeline


def _check_citations(pipeline, a):
    for c in a.citations + a.related:
        doc = pipeline.index.documents[c.doc_id]
        assert doc.text[c.start:c.end] == c.text


def test_tianjin_answer_is_cited(pipeline):
    a = pipeline.answer("What did Tianjin plan for flood season?")
    assert not a.abstained
    assert "43 water damage repair projects" in " ".join(c.text for c in a.citations)
    _check_citations(pipeline, a)
    assert set(a.timings_ms) >= {"embed_query", "dense_search", "bm25", "evidence", "total"}


@pytest.mark.parametrize("q", [
    "What was Shanghai's GDP in 2023?",
    "How many water damage repair projects did Hebei plan?",
    "What is the population of Mars?",
])
def test_abstains_when_documents_dont_say(pipeline, q):
    a = pipeline.answer(q)
    assert a.abstained and a.answer.startswith("The documents don't say")
    assert a.citations == []
    _check_citations(pipeline, a)


def test_invented_number_falls_back_to_extractive(built_index, fake_embedder):
    p = Pipeline(built_index, fake_embedder,
                 EchoGenerator("Tianjin will complete 99 projects before the flood season."),
                 min_score=0.2)
    a = p.answer("What did Tianjin plan for flood season?")
    assert a.mode == "extractive" and "99" not in a.answer
    assert any("99" in r for r in a.reasons)
    _check_citations(p, a)


def test_model_saying_not_found_abstains_or_quotes(built_index, fake_embedder):
    p = Pipeline(built_index, fake_embedder, EchoGenerator("NOT FOUND"), min_score=0.2)
    a = p.answer("Who is the Governor of Shandong?")
    assert a.abstained


def test_follow_up_is_rewritten(pipeline):
    h = [{"role": "user", "content": "What three-year plan did Zhejiang propose?"},
         {"role": "assistant", "content": "A three-year action plan."}]
    a = pipeline.answer("And Guangdong?", h)
    assert a.standalone_question == "What three-year plan did Guangdong propose?"


@pytest.mark.parametrize("q,h,msg", [
    ("", None, "empty"), ("   ", None, "empty"), ("x" * 1001, None, "limit"),
    ("ok?", [{"role": "user", "content": "x"}] * 21, "turns"),
    ("ok?", [{"role": "user", "content": "x" * 9000}], "longer"),
])
def test_bad_questions(pipeline, q, h, msg):
    with pytest.raises(BadQuestion, match=msg):
        pipeline.answer(q, h)


def test_stream_yields_tokens_then_answer(pipeline):
    events = list(pipeline.stream("What did Tianjin plan for flood season?"))
    assert events[-1]["event"] == "answer"
    assert any(e["event"] == "token" for e in events[:-1])


def test_extractive_only(built_index, fake_embedder):
    p = Pipeline(built_index, fake_embedder, None, min_score=0.2)
    a = p.answer("How many houses did Jilin rebuild and repair?")
    assert a.mode == "extractive" and "5,529" in a.answer


def test_bad_config(built_index, fake_embedder):
    with pytest.raises(ValueError, match="top_k"):
        Pipeline(built_index, fake_embedder, None, top_k=0)


class _Refusing(EchoGenerator):
    """Fails the test if the model is run."""

    def generate(self, *a, **k):
        raise AssertionError("the generator ran")

    stream = generate


def test_typed_question_is_answered_by_a_verified_quote_without_the_model(built_index,
                                                                          fake_embedder):
    p = Pipeline(built_index, fake_embedder, _Refusing(), min_score=0.2)
    a = p.answer("How many houses did Jilin rebuild and repair?")
    assert a.mode == "extractive" and "5,529" in a.answer
    assert any("count question" in r for r in a.reasons)
    _check_citations(p, a)
    events = list(p.stream("How many houses did Jilin rebuild and repair?"))
    assert [e["event"] for e in events] == ["answer"]


def _counting(calls: list) -> type[EchoGenerator]:
    """An echo generator that appends to `calls` each time it generates."""
    class Counting(EchoGenerator):
        def generate(self, *a, **k):
            calls.append(1)
            return super().generate(*a, **k)

    return Counting


def test_open_question_still_runs_the_model(built_index, fake_embedder):
    calls = []
    Counting = _counting(calls)

    Pipeline(built_index, fake_embedder, Counting(), min_score=0.2).answer(
        "What did Tianjin plan for flood season?")
    assert calls == [1]
    Pipeline(built_index, fake_embedder, Counting(), min_score=0.2, direct_quotes=False
             ).answer("How many houses did Jilin rebuild and repair?")
    assert calls == [1, 1]


def test_generation_stops_once_its_answer_is_refused(built_index, fake_embedder):
    junk = ("Shenzhen launched a fleet of orbital weather balloons last spring. "
            + "Then more words followed for a long while. " * 10)
    words = []

    class Counting(EchoGenerator):
        def stream(self, *a, **k):
            for w in super().stream(*a, **k):
                words.append(w)
                yield w

    def ask(gen):
        p = Pipeline(built_index, fake_embedder, gen, min_score=0.2, direct_quotes=False)
        return [e for e in p.stream("What did Tianjin plan for flood season?")][-1]["data"]

    stopped = ask(Counting(reply=junk))
    assert 0 < len(words) < 15  # the first sentence was refused: the rest was not generated

    class NoStop(EchoGenerator):  # the same generator ignoring `stop_when`
        def stream(self, messages, max_new_tokens=96, deadline_s=None, *, cancel=None,
                   stop_when=None):
            return super().stream(messages, max_new_tokens, deadline_s, cancel=cancel)

    whole = ask(NoStop(reply=junk))
    assert (stopped.mode, stopped.answer) == (whole.mode, whole.answer) != ("generated", junk)


@pytest.mark.parametrize("q,route", [
    ("What is the population of Mars?", "abstain"),
    ("How many houses did Jilin rebuild and repair?", "quote"),
    ("What did Tianjin plan for flood season?", "generate"),
])
def test_each_question_takes_one_route(pipeline, q, route):
    r = pipeline.route(pipeline.prepare(q, None))
    assert r.name == route
    assert (r.answer is None) == (route == "generate")
    if r.answer is not None:
        assert r.answer.abstained == (route == "abstain")


@pytest.mark.parametrize("q", [
    "What did Tianjin plan for flood season?",
    "How many houses did Jilin rebuild and repair?",
    "What is the population of Mars?",
])
def test_answer_and_stream_give_the_same_answer(pipeline, q):
    a, s = pipeline.answer(q), list(pipeline.stream(q))[-1]["data"]
    assert (a.mode, a.answer, a.citations, a.reasons) == (s.mode, s.answer, s.citations,
                                                          s.reasons)
    counts = ("prompt_tokens", "new_tokens")
    assert [a.timings_ms.get(k) for k in counts] == [s.timings_ms.get(k) for k in counts]


def test_cancelled_before_generation(pipeline):
    import threading

    from qa.errors import GenerationCancelled

    cancel = threading.Event()
    cancel.set()
    with pytest.raises(GenerationCancelled):
        pipeline.answer("What did Tianjin plan for flood season?", cancel=cancel)
    with pytest.raises(GenerationCancelled):
        list(pipeline.stream("What did Tianjin plan for flood season?", cancel=cancel))


def test_the_retriever_is_injected(built_index, fake_embedder):
    from qa.retrieval import HybridRetriever

    asked = []

    class Recording(HybridRetriever):
        def search(self, query, top_k=5, leaders=False):
            asked.append((query, top_k))
            return super().search(query, top_k, leaders)

    r = Recording(built_index, fake_embedder)
    p = Pipeline(built_index, r, EchoGenerator(), min_score=0.2, top_k=4)
    assert p.retriever is r
    assert not p.answer("What did Tianjin plan for flood season?").abstained
    assert asked == [("What did Tianjin plan for flood season?", 4)]


def test_no_generation_when_no_passage_is_about_the_place_asked(built_index, fake_embedder):
    # Hebei is named in the article only inside "Beijing-Tianjin-Hebei": no passage is about
    # it, so whatever the model wrote would fail the `subject` check; it is not run
    calls = []
    Counting = _counting(calls)

    p = Pipeline(built_index, fake_embedder, Counting(), min_score=0.2, direct_quotes="all")
    q = "How many water damage repair projects did Hebei plan to complete before the flood season?"
    route = p.route(p.prepare(q, None))
    assert route.name == "abstain" and calls == []
    assert route.answer.abstained and route.answer.reasons[-1].startswith("subject: ")


def test_no_generation_when_no_evidence_gives_the_type_asked(built_index, fake_embedder):
    # the Tianjin passage counts projects, not engineers: no evidence sentence gives the
    # count asked for, so whatever the model wrote would be refused; it is not run
    calls = []
    Counting = _counting(calls)

    p = Pipeline(built_index, fake_embedder, Counting(), min_score=0.2)
    q = "How many engineers worked on Tianjin's water damage repair projects?"
    route = p.route(p.prepare(q, None))
    assert route.name == "abstain" and calls == []
    assert route.answer.reasons[-1] == "answer-type: no evidence sentence gives the count asked for"
    # an open question is still the model's, and so is any question when quotes are off
    assert p.route(p.prepare("What did Tianjin plan for flood season?", None)).name == "generate"
    off = Pipeline(built_index, fake_embedder, Counting(), min_score=0.2, direct_quotes="off")
    assert off.route(off.prepare(q, None)).name == "generate"
