"""`qa eval`: score the system on an evaluation collection (eval/run.py does the work)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub) -> None:
    ev = sub.add_parser("eval", help="score the system on the evaluation set")
    add_arguments(ev)
    ev.set_defaults(fn=cmd_eval)


def add_arguments(p: argparse.ArgumentParser) -> None:
    from eval.run import DEFAULT_QUESTIONS, THRESHOLDS

    p.add_argument("--collection",
                   help="score this collection on its own index under var/eval/ (built or "
                   "reused): article, squad2-wiki, another set of eval/datasets/, or the path "
                   "of your own folder with docs/ and questions.jsonl; without it, the "
                   "questions file against QA_INDEX_DIR")
    p.add_argument("--split", choices=["dev", "test", "all"], default="all",
                   help="tune on dev, report test (default all)")
    p.add_argument("--sample", type=int,
                   help="a fixed sample of N questions of the split (the same every run)")
    p.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    p.add_argument("--out", type=Path, default=Path("reports/eval"))
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--baseline", action="store_true",
                   help="also run the baselines for comparison: the naive pipeline (dense top-3, "
                   "no checks) and the nearest sentence (quoted, never refused)")
    p.add_argument("--generator", help="override QA_GENERATOR for this run")
    p.add_argument("--quiet", action="store_true")
    for opt in THRESHOLDS:
        p.add_argument("--" + opt.replace("_", "-"), type=float)


def cmd_eval(args, s) -> int:
    from eval.run import main as eval_main

    return eval_main(args)
