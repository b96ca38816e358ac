"""The evaluation set is well-formed and checkable against the bundled article."""

import json
from collections import Counter

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
