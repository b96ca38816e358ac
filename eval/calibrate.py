"""Calibrate the abstention threshold (QA_MIN_SCORE) from an evaluation report.

    python -m eval.calibrate reports/eval/report.json

The report must come from a run with a low threshold (e.g. QA_MIN_SCORE=0), so
every question reaches the later checks. For each candidate threshold it
replays the decision "abstain when the best evidence scores below it" over the
recorded outcomes and prints abstention recall, false abstentions and accuracy,
then suggests the threshold with the best balance (false abstentions at most
the limit, then highest abstention recall, then highest accuracy).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def replay(rows: list[dict], tau: float) -> dict:
    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]

    def abstains(r):
        return r["abstained"] or r["confidence"] < tau

    return {
        "threshold": round(tau, 3),
        "abstention_recall": sum(abstains(r) for r in una) / max(1, len(una)),
        "false_abstentions": sum(abstains(r) for r in ans) / max(1, len(ans)),
        "accuracy": sum(bool(r.get("correct_cited")) and not abstains(r) for r in ans)
        / max(1, len(ans)),
    }


def sweep(rows: list[dict], lo: float = 0.0, hi: float = 1.2, step: float = 0.05) -> list[dict]:
    out, tau = [], lo
    while tau <= hi + 1e-9:
        out.append(replay(rows, tau))
        tau += step
    return out


def suggest(table: list[dict], max_false: float = 0.03) -> dict:
    ok = [t for t in table if t["false_abstentions"] <= max_false] or table
    return max(ok, key=lambda t: (t["abstention_recall"], t["accuracy"], -t["threshold"]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report", type=Path)
    ap.add_argument("--max-false-abstentions", type=float, default=0.03)
    args = ap.parse_args()
    rows = json.loads(args.report.read_text())["systems"]["pipeline"]["rows"]
    table = sweep(rows)
    print("| threshold | abstention recall | false abstentions | accuracy (cited) |")
    print("|---|---|---|---|")
    for t in table:
        print(f"| {t['threshold']:.2f} | {t['abstention_recall']:.3f} | "
              f"{t['false_abstentions']:.3f} | {t['accuracy']:.3f} |")
    best = suggest(table, args.max_false_abstentions)
    print(f"\nsuggested QA_MIN_SCORE={best['threshold']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
