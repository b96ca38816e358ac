"""The evaluation set is well-formed and checkable against the bundled article."""

import json
from collections import Counter

import pytest

from eval.run import DEFAULT_QUESTIONS, load_questions

KINDS = {"factoid", "numeric", "list", "paraphrase", "comparison", "unanswerable", "followup",
         "chinese"}


def test_questions_are_checkable(article):
    rows = load_questions(DEFAULT_QUESTIONS)
    assert len(rows) >= 80
    assert len({r["id"] for r in rows}) == len(rows)
    kinds = Counter(r["kind"] for r in rows)
    assert set(kinds) == KINDS
    assert kinds["unanswerable"] / len(rows) >= 0.15
    for r in rows:
        if r["kind"] == "unanswerable":
            assert r["answers"] == [] and r["evidence"] == []
            continue
        for ev in r["evidence"]:
            assert ev in article.text, (r["id"], ev)
        assert any(a.lower() in ev.lower() for a in r["answers"] for ev in r["evidence"]), r["id"]
        if r["kind"] == "followup":
            assert r["history"]
        if r["kind"] == "chinese":
            assert r["lang"] == "zh"


def test_every_paragraph_is_covered(article):
    rows = load_questions(DEFAULT_QUESTIONS)
    evidence = [ev for r in rows for ev in r["evidence"]]
    for p in article.paragraphs[1:]:
        para = article.text[p.start:p.end]
        assert any(ev in para for ev in evidence), para[:60]


def test_file_is_utf8_jsonl():
    for line in DEFAULT_QUESTIONS.read_text(encoding="utf-8").splitlines():
        json.loads(line)


def test_a_questions_file_of_ones_own_needs_no_kind_and_names_a_missing_field(tmp_path):
    """A user's questions file: "kind" is read from the question when left out; a row
    without "answers" stops the run with the line it is on, not a traceback."""
    good = tmp_path / "q.jsonl"
    good.write_text('{"id": "a", "question": "Who ruled Normandy?", "answers": ["Rollo"]}\n')
    assert load_questions(good)[0]["kind"] == "who"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "Who ruled?"}\n')
    with pytest.raises(SystemExit, match=r"bad.jsonl:1: a question row needs answers"):
        load_questions(bad)
