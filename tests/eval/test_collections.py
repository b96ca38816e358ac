"""Collections, frozen splits, fixed samples, scoring against the cited document, calibration."""

from __future__ import annotations

import json
from collections import Counter
from types import SimpleNamespace

import pytest

from eval import calibrate_answerability as CA
from eval import collections as C
from eval.run import score_one, summarize
from qa.pipeline import Answer, Citation


def test_both_collections_load_with_disjoint_frozen_splits():
    cs = C.collections()
    art, squad = C.load(cs["article"]), C.load(cs["squad2-wiki"])
    assert len(art) == 99 and len(squad) == 2169
    for rows in (art, squad):
        dev = {r["id"] for r in rows if r["split"] == "dev"}
        test = {r["id"] for r in rows if r["split"] == "test"}
        assert dev and test and not dev & test and len(dev | test) == len(rows)
    # the article's split is stratified by kind; SQuAD's is by article
    kinds = Counter((r["kind"], r["split"]) for r in art)
    assert all(abs(kinds[(k, "dev")] - kinds[(k, "test")]) <= 1 for k, _ in kinds)
    docs = {s: {r["doc"] for r in squad if r["split"] == s} for s in ("dev", "test")}
    assert not docs["dev"] & docs["test"]
    assert all((cs["squad2-wiki"].docs / d).is_file() for d in docs["dev"] | docs["test"])


def test_a_sample_is_the_same_every_run_and_inside_its_split():
    c = C.collections()["squad2-wiki"]
    a, b = C.load(c, "test", 50), C.load(c, "test", 50)
    assert [r["id"] for r in a] == [r["id"] for r in b] and len(a) == 50
    assert {r["split"] for r in a} == {"test"}
    assert {r["id"] for r in C.load(c, "test", 20)} <= {r["id"] for r in a}


def _cite(doc_id: str, text: str, start: int) -> Citation:
    return Citation(1, doc_id, doc_id, "", text, start, start + len(text), 1.0, 0, 0)


def test_a_citation_counts_only_against_the_document_it_cites():
    docs = {"a.txt": SimpleNamespace(text="Rollo led the Norse."),
            "b.txt": SimpleNamespace(text="Rollo was a horse.")}
    pipe = SimpleNamespace(index=SimpleNamespace(documents=docs))
    q = {"id": "x", "kind": "who", "question": "Who led the Norse?", "answers": ["Rollo"],
         "evidence": [], "doc": "a.txt", "lang": "en"}

    def answer(cite):
        return Answer(q["question"], q["question"], "Rollo.", False, "extractive", [cite], [], {})

    right = score_one(q, answer(_cite("a.txt", "Rollo led the Norse.", 0)), pipe, [])
    wrong_doc = score_one(q, answer(_cite("b.txt", "Rollo was a horse.", 0)), pipe, [])
    assert right["correct_cited"] and right["citation_precision"] == 1.0
    assert wrong_doc["correct"] and not wrong_doc["correct_cited"]
    assert wrong_doc["citation_precision"] == 0.0


def test_summary_has_intervals_and_the_checks_that_refused():
    rows = [{"answerable": True, "correct": True, "correct_cited": True, "abstained": False,
             "mode": "generated", "kind": "who", "timings_ms": {}, "refused_by": None,
             "em": 0.0, "f1": 0.5, "citation_precision": 1.0, "citation_recall": 1.0},
            {"answerable": False, "abstained": True, "mode": "abstained", "kind": "who",
             "timings_ms": {}, "refused_by": "coverage"}]
    s = summarize(rows)
    assert s["ci95"]["accuracy_cited"][0] < 1.0 == s["ci95"]["accuracy_cited"][1]
    assert s["refused_by"] == {"coverage": 1}


def test_calibration_refuses_test_reports_and_fits_on_dev(tmp_path):
    def report(split, rows):
        p = tmp_path / f"{split}-{len(rows)}.json"
        p.write_text(json.dumps({"split": split, "collection": "c",
                                 "systems": {"pipeline": {"rows": rows}}}))
        return p

    with pytest.raises(SystemExit, match="dev only"):
        CA.load([report("test", [])])
    rows = []
    for i in range(60):  # right answers have strong evidence; unanswerable ones weak
        good = i % 2 == 0
        rows.append({"answerable": good, "correct_cited": good, "abstained": False,
                     "signals": {"evidence": 1.2 if good else 0.6 + i / 1000, "focus": 0.7,
                                 "names": 1.0, "generated": 1.0}})
    fitted = CA.fit(CA.load([report("dev", rows)]), CA.BASE, max_false=0.0)
    assert fitted["features"] == list(CA.BASE) and fitted["weights"][0] > 0
    assert fitted["dev"]["c"]["added_false_abstentions"] == 0.0
    assert fitted["dev"]["c"]["added_abstention_recall"] == 1.0


def test_calibration_weighs_a_question_set_of_ones_own_as_a_collection(tmp_path):
    def report(name, split, collection, rows):
        p = tmp_path / f"{name}.json"
        p.write_text(json.dumps({"split": split, "collection": collection,
                                 "systems": {"pipeline": {"rows": rows}}}))
        return p

    def row(answerable, right, evidence):
        return {"answerable": answerable, "correct_cited": right, "abstained": False,
                "signals": {"evidence": evidence, "focus": 0.5, "names": 1.0, "generated": 0.0}}

    # on the dev split weak evidence marks the unanswerable questions; a user's own set
    # has right answers on evidence as weak, which the judgement must not refuse
    dev = [row(True, True, 1.2) for _ in range(30)] + [row(False, False, 0.6) for _ in range(30)]
    own = [row(True, True, 0.6) for _ in range(20)] + [row(False, False, 1.2) for _ in range(5)]
    squad = report("squad", "dev", "squad2-wiki", dev)
    mine = report("mine", "all", "questions.jsonl", own)
    alone = CA.fit(CA.load([squad]), CA.BASE, max_false=0.0)
    both = CA.fit(CA.load([squad], [f"mine={mine}"]), CA.BASE, max_false=0.0)
    assert alone["dev"]["squad2-wiki"]["added_abstention_recall"] == 1.0
    assert both["dev"]["mine"]["added_false_abstentions"] == 0.0
    with pytest.raises(SystemExit, match="of one's own"):
        CA.load([], [f"x={report('t', 'test', 'squad2-wiki', dev)}"])


def _a_set(folder, rows):
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "manual.txt").write_text("The pump starts at 40 degrees.")
    (folder / "questions.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return folder


_ROWS = [{"id": "m1", "split": "dev", "doc": "manual.txt", "question": "When does the pump start?",
          "answers": ["40 degrees"], "plausible_answers": []},
         {"id": "m2", "doc": "manual.txt", "question": "When does the fan start?",
          "answers": [], "plausible_answers": ["40 degrees"]}]


def test_a_set_in_the_datasets_folder_is_a_collection_by_its_name(tmp_path, monkeypatch):
    _a_set(tmp_path / "datasets" / "manuals", _ROWS)
    (tmp_path / "datasets" / "notes").mkdir()  # no questions: not a set
    monkeypatch.setattr(C, "HERE", tmp_path)
    cs = C.collections()
    assert list(cs) == ["article", "manuals"]
    rows = C.load(cs["manuals"])
    assert [r["kind"] for r in rows] == ["when", "when"]
    assert [r["id"] for r in C.load(cs["manuals"], "dev")] == ["m1"]  # a row without a split


def test_a_users_own_folder_is_a_collection_by_its_path(tmp_path):
    c = C.named(str(_a_set(tmp_path / "mine", _ROWS)))
    assert c.name.startswith("mine-") and c.docs == tmp_path / "mine" / "docs"
    assert len(C.load(c)) == 2
    # the same name elsewhere is another collection, with its own index folder
    assert C.named(str(_a_set(tmp_path / "b" / "mine", _ROWS))).name != c.name
    with pytest.raises(ValueError, match="name one of article, .*squad2-wiki"):
        C.named(str(tmp_path / "nowhere"))


def test_eval_names_an_unknown_collection_and_exits_2(capsys):
    from eval.run import main

    args = SimpleNamespace(collection="no-such-set", generator=None)
    assert main(args) == 2
    assert "no collection 'no-such-set'" in capsys.readouterr().err


def test_eval_with_no_question_in_the_split_exits_2_before_building(tmp_path, capsys,
                                                                     monkeypatch):
    import eval.run as R

    folder = _a_set(tmp_path / "mine", _ROWS)
    monkeypatch.setattr(R, "collection_index", lambda *a, **k: pytest.fail("built an index"))
    args = SimpleNamespace(collection=str(folder), generator=None, split="test", sample=None,
                           limit=None, quiet=True)
    assert R.main(args) == 2
    assert "no questions to score (split 'test'" in capsys.readouterr().err
