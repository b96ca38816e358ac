"""What of the evidence the model reads (qa/prompt.py `trimmed`): low-scoring passages
left out, long windows cut to the clause that answers; verification still reads the
whole windows."""

from qa import prompt
from qa.generators.echo import EchoGenerator
from qa.pipeline import Pipeline

Q = "What did Tianjin plan for flood season?"


class Recording(EchoGenerator):
    def __init__(self):
        super().__init__()
        self.prompts: list[str] = []

    def generate(self, messages, *a, **k):
        self.prompts.append(messages[-1]["content"])
        return super().generate(messages, *a, **k)


def _run(built_index, fake_embedder, trim, q=Q):
    gen = Recording()
    p = Pipeline(built_index, fake_embedder, gen, min_score=0.2, direct_quotes="off",
                 prompt_trim=trim)
    return p, p.answer(q), gen.prompts[0]


def _blocks(user: str) -> list[str]:
    return [line for line in user.splitlines() if line.startswith("[")]


def test_untrimmed_by_default(built_index, fake_embedder):
    p, _, user = _run(built_index, fake_embedder, (3.0, 0))
    w = p.prepare(Q, None)
    assert user == prompt.messages(w.standalone, w.evidence, False)[1]["content"]


def test_passages_far_below_the_best_are_left_out(built_index, fake_embedder):
    p, a, user = _run(built_index, fake_embedder, (0.0, 0))
    w = p.prepare(Q, None)
    best = w.evidence[0]
    # something to drop: what `trimmed` weighs is the score with what the order adds
    assert len(w.evidence) > 1 and (w.evidence[1].score + w.evidence[1].subject
                                    < best.score + best.subject)
    assert _blocks(user) == [f"[1] {best.context}"]
    assert not a.abstained and "43 water damage repair projects" in a.answer


def test_long_windows_are_cut_to_the_clause_that_answers(built_index, fake_embedder):
    q = "How many houses did Jilin rebuild and repair?"  # its evidence: a list of clauses
    p, a, user = _run(built_index, fake_embedder, (3.0, 120), q)
    w = p.prepare(q, None)
    _, _, whole = _run(built_index, fake_embedder, (3.0, 0), q)
    assert len(user) < len(whole) - 400
    clause = ("Jilin rebuilt and repaired 5,529 houses damaged by floods, ensuring all "
              "affected people had a warm winter")
    assert any(b.endswith("] " + clause) for b in _blocks(user))  # blocks: document order
    for b in _blocks(user):  # every block is still text of the documents, word for word
        assert any(b.split("] ", 1)[1] in e.doc.text for e in w.evidence)
    assert not a.abstained and "5,529" in a.answer and a.citations


def test_trim_keeps_the_best_and_the_order(built_index, fake_embedder):
    p = Pipeline(built_index, fake_embedder, None, min_score=0.2)
    w = p.prepare(Q, None)
    kept = prompt.trimmed(w.evidence, w.q, 0.05, None)
    assert kept[0] is w.evidence[0]
    assert [e.score for e in kept] == sorted((e.score for e in kept), reverse=True)
    assert all(e.score >= w.evidence[0].score - 0.05 for e in kept)
    assert prompt.trimmed([], w.q, 0.0, 10) == []


def test_a_question_in_another_language_has_its_own_margin(built_index, fake_embedder):
    """A Chinese question's evidence is scored by the multilingual cosine, whose values lie
    closer together: the third number of `prompt_trim` is its margin."""
    q = "天津为汛期计划了什么？"
    p, _, narrow = _run(built_index, fake_embedder, (3.0, 0, 0.0), q)
    w = p.prepare(q, None)
    assert w.q.chinese and w.evidence[-1].score < w.evidence[0].score  # something to drop
    _, _, wide = _run(built_index, fake_embedder, (0.0, 0, 3.0), q)
    assert wide == prompt.messages(q, w.evidence, True)[1]["content"]
    assert narrow == prompt.messages(q, prompt.trimmed(w.evidence, w.q, 0.0, 0), True)[1]["content"]
    assert len(narrow) < len(wide)
    _, _, english_margin = _run(built_index, fake_embedder, (0.0, 0), q)  # no third: the first
    assert _blocks(english_margin) == _blocks(narrow)
