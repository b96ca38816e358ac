from eval.calibrate import replay, suggest, sweep
from eval.metrics import (
    chunk_relevant,
    contains,
    exact_match,
    f1,
    faithfulness,
    holds,
    locate,
    retrieval_scores,
    wilson,
)


def test_squad_scores():
    assert exact_match("The 43 projects.", ["43 projects"]) == 1.0
    assert f1("complete 43 projects", ["43 projects"]) == 0.8
    assert contains("It will complete 43 water damage repair projects.", ["43 water damage"])
    assert not contains("44 projects", ["43"])


def test_holds_and_retrieval():
    doc = "Alpha beta. Tianjin will complete 43 projects. Gamma."
    ev = locate(doc, ["complete 43 projects"])
    assert ev == [(doc.index("complete"), doc.index("complete") + 20)]
    sent = (doc.index("Tianjin"), doc.index("Gamma") - 1)
    assert holds(sent, ev[0], doc, ["43"])
    assert not holds((0, 11), ev[0], doc, ["43"])
    covers = [{i for i, e in enumerate(ev) if chunk_relevant(c, e)} for c in [(0, 11), sent]]
    s = retrieval_scores(covers, len(ev))
    assert s["recall@1"] == 0 and s["recall@3"] == 1 and s["mrr"] == 0.5


def test_wilson_interval():
    lo, hi = wilson(95, 100)
    assert 0.88 < lo < 0.95 < hi < 0.99
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == 1.0
    assert wilson(0, 0) is None


def test_faithfulness_counts_unsupported_numbers():
    fs, fn, bad = faithfulness("Tianjin will complete 44 projects.", "Tianjin will complete 43 projects.")
    assert bad == 1 and fn == 0.0


def test_calibration_replay():
    rows = [
        {"answerable": True, "abstained": False, "confidence": 0.9, "correct_cited": True},
        {"answerable": True, "abstained": False, "confidence": 0.5, "correct_cited": True},
        {"answerable": False, "abstained": False, "confidence": 0.4},
        {"answerable": False, "abstained": True, "confidence": 0.8},
    ]
    r = replay(rows, 0.45)
    assert r["abstention_recall"] == 1.0 and r["false_abstentions"] == 0.0 and r["accuracy"] == 1.0
    assert suggest(sweep(rows), max_false=0.0)["threshold"] >= 0.4
