"""Fit the answerability judgement (qa/answerability.py) on dev-split eval reports.

    QA_ANSWERABILITY=record qa eval --collection squad2-wiki --split dev --out reports/rec-squad
    QA_ANSWERABILITY=record qa eval --collection article --split dev --out reports/rec-article
    python -m eval.calibrate_answerability reports/rec-squad/report.json \\
        reports/rec-article/report.json [--max-false 0.04] [--write]

Every answer given in those runs is a training row: its signals, and whether it was
right (an answerable question answered correctly with a citation that holds the
answer). A logistic regression (scikit-learn) is fitted for each signal set in
CANDIDATES, each collection weighted equally; one that reads more signals is kept only
when it refuses at least GAIN more of the unanswerable dev questions. Each threshold is the
one that, keeping the false abstentions it adds on each collection's dev questions at
or under `--max-false`, refuses the most unanswerable questions.
`--write` stores the weights in qa/answerability.json.

Reports of a test split are refused: tuning there would leak into what is reported.
`--own LABEL=REPORT` adds the report of a question set of one's own documents (`qa eval
--questions FILE`), weighed as one more collection: SQuAD's crowd-written questions share
more words with their passages than a user's paraphrases do, so a judgement fitted on
them alone refuses a user's right answers (on two such sets it refused 3 answerable
questions and no unanswerable one).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from qa.answerability import CALIBRATION

BASE = ("evidence", "focus", "names", "generated")
# most informed first; the first whose signals an answer has is the one used
CANDIDATES = {"e5_judge": BASE + ("e5", "judge"), "e5": BASE + ("e5",), "base": BASE}
# a signal costs time on every answer (the judge pass about 0.15 s, E5 about 0.05 s):
# a model that reads more must refuse this much more of the unanswerable dev questions
GAIN = 0.02


def load(paths: list[Path], own: list[str] = ()) -> list[tuple[str, list[dict]]]:
    out = []
    for label, _, path in (o.partition("=") for o in own):
        rep = json.loads(Path(path).read_text())
        if rep.get("split") not in ("all", "dev") or not str(rep.get("collection")).endswith(
                ".jsonl"):
            raise SystemExit(f"{path}: not the report of a question set of one's own")
        out.append((label, rep["systems"]["pipeline"]["rows"]))
    for p in paths:
        rep = json.loads(p.read_text())
        if rep.get("split") != "dev":
            raise SystemExit(f"{p}: a report of split {rep.get('split')!r}; calibrate on dev only")
        out.append((rep.get("collection", str(p)), rep["systems"]["pipeline"]["rows"]))
    return out


def fit(reports: list[tuple[str, list[dict]]], features: tuple[str, ...], max_false: float,
        min_score: float = 0.0) -> dict | None:
    from sklearn.linear_model import LogisticRegression

    rows = [(name, r) for name, rs in reports for r in rs if r.get("signals")
            and not r["abstained"] and all(f in r["signals"] for f in features)
            and r["signals"]["evidence"] >= min_score]
    counts = {name: sum(1 for n, _ in rows if n == name) for name, _ in reports}
    x = np.array([[r["signals"][f] for f in features] for _, r in rows])
    y = np.array([int(bool(r["answerable"] and r.get("correct_cited"))) for _, r in rows])
    if len(set(y.tolist())) < 2:  # that signal was not recorded, or every answer was alike
        return None
    w = np.array([len(rows) / (len(counts) * counts[name]) for name, _ in rows])
    clf = LogisticRegression(C=1.0, max_iter=1000).fit(x, y, sample_weight=w)
    p = clf.predict_proba(x)[:, 1]
    best = {"threshold": 0.0, "recall": 0.0, "per": {}}
    for t in [0.0] + sorted(set(np.round(p, 3).tolist())):  # 0: refuse nothing
        refused = p < t
        ok, recall, per = True, [], {}
        for name, rs in reports:
            mine = np.array([n == name for n, _ in rows])
            answerable = np.array([r["answerable"] for _, r in rows])
            n_ans = sum(r["answerable"] for r in rs)
            n_una = len(rs) - n_ans
            lost = int((refused & mine & (y == 1)).sum())  # right answers refused
            if n_ans and lost / n_ans > max_false:
                ok = False
            recall.append(int((refused & mine & ~answerable).sum()) / n_una if n_una else 0.0)
            per[name] = {"added_abstention_recall": round(recall[-1], 4),
                         "added_false_abstentions": round(lost / n_ans, 4) if n_ans else 0.0}
        if ok and float(np.mean(recall)) >= best["recall"]:
            best = {"threshold": float(t), "recall": float(np.mean(recall)), "per": per}
    return {"features": list(features), "weights": [round(float(v), 5) for v in clf.coef_[0]],
            "bias": round(float(clf.intercept_[0]), 5), "threshold": best["threshold"],
            "dev_added_abstention_recall": round(best["recall"], 4), "dev": best["per"],
            "rows": int(len(y)),
            "right": int(y.sum())}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reports", nargs="+", type=Path)
    ap.add_argument("--max-false", type=float, default=0.04,
                    help="false abstentions the judgement may add on each collection's dev set")
    ap.add_argument("--own", action="append", default=[], metavar="LABEL=REPORT",
                    help="the report of a question set of one's own documents, used as dev")
    ap.add_argument("--min-score", type=float, default=0.0,
                    help="QA_MIN_SCORE to be used: answers under it abstain before the judgement")
    ap.add_argument("--write", action="store_true", help=f"write {CALIBRATION}")
    a = ap.parse_args(argv)
    reports = load(a.reports, a.own)
    models = {name: m for name, feats in CANDIDATES.items()
              if (m := fit(reports, feats, a.max_false, a.min_score)) is not None}
    if not models:
        raise SystemExit("no answers with signals of both outcomes in these reports: run them "
                         "with QA_ANSWERABILITY=record")
    names = [n for n in CANDIDATES if n in models]  # richest first
    for richer, simpler in zip(names, names[1:], strict=False):
        gain = (models[richer]["dev_added_abstention_recall"]
                - max(models[n]["dev_added_abstention_recall"] for n in names[names.index(simpler):]))
        if gain < GAIN:
            print(f"{richer} adds {gain:+.3f} abstention recall on dev over {simpler}: not shipped",
                  file=sys.stderr)
            del models[richer]
    out = {"fitted_on": [f"{name} dev" for name, _ in reports], "max_false": a.max_false,
           "min_score": a.min_score, "models": models}
    print(json.dumps(out, indent=1))
    if a.write:
        CALIBRATION.write_text(json.dumps(out, indent=1) + "\n")
        print(f"wrote {CALIBRATION}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
