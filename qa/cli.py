"""The `qa` command: build the index, ask, serve, evaluate, benchmark.

Exit codes: 0 ok, 1 evaluation below threshold, 2 bad usage or bad question,
3 index missing/corrupt/mismatched, 4 model missing or damaged, 5 build in
progress, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

EXIT_EVAL, EXIT_USAGE, EXIT_INDEX, EXIT_MODEL, EXIT_BUSY = 1, 2, 3, 4, 5


def _quiet_libraries() -> None:
    import logging
    import warnings

    warnings.filterwarnings("ignore")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from transformers.utils import logging as tlog

        tlog.set_verbosity_error()
        tlog.disable_progress_bar()
    except ImportError:
        pass
    logging.getLogger("sentence_transformers").setLevel(logging.ERROR)


def cmd_build(args, s) -> int:
    from tqdm import tqdm

    from qa import factory

    bars: dict[str, tqdm] = {}

    def progress(label: str, done: int, total: int) -> None:
        bar = bars.get(label)
        if bar is None:
            bar = bars[label] = tqdm(total=total, desc=f"{label:>12}", unit="text", file=sys.stderr)
        bar.update(done - bar.n)

    t = time.perf_counter()
    path = factory.build(s, [Path(p) for p in args.paths] or None, progress=progress)
    for b in bars.values():
        b.close()
    m = json.loads((path / "manifest.json").read_text())
    c = m["counts"]
    print(f"Built index of {c['documents']} document(s), {c['chunks']} chunks, "
          f"{c['sentences']} sentences in {time.perf_counter() - t:.1f} s -> {s.index_dir}")
    return 0


def cmd_ask(args, s) -> int:
    from qa import factory

    pipe = factory.make_pipeline(s)
    history = json.loads(args.history) if args.history else None
    a = pipe.answer(args.question, history)
    if args.json:
        print(json.dumps(a.to_dict(), ensure_ascii=False, indent=2))
        return 0
    if a.standalone_question != a.question:
        print(f"(understood as: {a.standalone_question})")
    cites = a.citations or a.related
    marks = "".join(f" [{c.id}]" for c in a.citations)
    print(a.answer + marks)
    if cites:
        print("\nRelated passages:" if a.abstained else "\nSources:")
        for c in cites:
            where = f"{c.doc_title}" + (f" — {c.section}" if c.section else "")
            print(f"[{c.id}] {where} (chars {c.start}-{c.end})\n    \"{c.text}\"")
    return 0


def cmd_serve(args, s) -> int:
    import uvicorn

    from web.app import create_app

    s = s.model_copy(update={"host": args.host or s.host, "port": args.port or s.port})
    # SIGTERM: stop accepting, let running and queued answers finish (up to 30 s), exit.
    # Past max_connections open connections uvicorn answers 503 itself.
    uvicorn.run(create_app(s), host=s.host, port=s.port, log_level="info",
                timeout_graceful_shutdown=30, limit_concurrency=s.max_connections,
                timeout_keep_alive=5)
    return 0


def cmd_eval(args, s) -> int:
    from eval.run import main as eval_main

    return eval_main(args)


def cmd_bench(args, s) -> int:
    from eval.bench import main as bench_main

    return bench_main(args)


def cmd_feedback_export(args, s) -> int:
    from web.feedback import FeedbackStore

    rows = FeedbackStore(s.feedback_db).export()
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    for r in rows:
        out.write(json.dumps(r, ensure_ascii=False) + "\n")
    if args.out:
        out.close()
        print(f"{len(rows)} feedback rows -> {args.out}", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qa", description="Offline question answering over documents, "
                                "with cited passages.")
    sub = p.add_subparsers(dest="cmd", required=True)
    ix = sub.add_parser("index", help="manage the index")
    ixs = ix.add_subparsers(dest="index_cmd", required=True)
    b = ixs.add_parser("build", help="build the index (default: the bundled article)")
    b.add_argument("paths", nargs="*", help=".txt/.md/.html files or folders")
    b.set_defaults(fn=cmd_build)
    a = sub.add_parser("ask", help="answer one question with citations")
    a.add_argument("question")
    a.add_argument("--history", help='JSON list of {"role","content"} turns')
    a.add_argument("--json", action="store_true", help="print the full answer as JSON")
    a.set_defaults(fn=cmd_ask)
    sv = sub.add_parser("serve", help="serve the chat page and HTTP API")
    sv.add_argument("--host")
    sv.add_argument("--port", type=int)
    sv.set_defaults(fn=cmd_serve)
    fb = sub.add_parser("feedback", help="thumbs up/down given in the chat")
    fbs = fb.add_subparsers(dest="feedback_cmd", required=True)
    fe = fbs.add_parser("export", help="write feedback in the eval set's JSONL format")
    fe.add_argument("--out", help="file to write (default: standard output)")
    fe.set_defaults(fn=cmd_feedback_export)
    from eval.run import add_arguments

    ev = sub.add_parser("eval", help="score the system on the evaluation set")
    add_arguments(ev)
    ev.set_defaults(fn=cmd_eval)
    from eval.bench import add_arguments as bench_arguments

    bn = sub.add_parser("bench", help="speed figures: stage latency, HTTP, memory, build")
    bench_arguments(bn)
    bn.set_defaults(fn=cmd_bench)
    return p


def _exit_codes() -> list[tuple[type[BaseException], int, str]]:
    """Errors the CLI reports in one line, most specific first, with their exit codes."""
    from pydantic import ValidationError

    from index.errors import BuildInProgress, DocumentError, IndexError_, ModelUnavailable
    from qa.errors import BadQuestion

    return [
        (ValidationError, EXIT_USAGE, "bad configuration: "),
        (json.JSONDecodeError, EXIT_USAGE, "--history is not valid JSON: "),
        (BadQuestion, EXIT_USAGE, ""),
        (DocumentError, EXIT_USAGE, ""),
        (ModelUnavailable, EXIT_MODEL, ""),
        (BuildInProgress, EXIT_BUSY, ""),
        (IndexError_, EXIT_INDEX, ""),
    ]


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    _quiet_libraries()
    from qa.settings import get_settings

    try:
        return args.fn(args, get_settings())
    except KeyboardInterrupt:
        return 130
    except Exception as e:
        for kind, code, prefix in _exit_codes():
            if isinstance(e, kind):
                print(f"error: {prefix}{e}", file=sys.stderr)
                return code
        raise


if __name__ == "__main__":
    sys.exit(main())
