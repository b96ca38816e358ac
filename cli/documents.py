"""`qa index build` and `qa ask`: the collection and the questions about it."""

from __future__ import annotations

import json
import time
from pathlib import Path

from . import updates
from .progress import ProgressBars


def register(sub) -> None:
    ix = sub.add_parser("index", help="manage the index")
    ixs = ix.add_subparsers(dest="index_cmd", required=True)
    b = ixs.add_parser("build", help="build the index (default: the bundled article)")
    b.add_argument("paths", nargs="*", help=".txt/.md/.html/.pdf/.docx files or folders")
    b.set_defaults(fn=cmd_build)
    updates.register(ixs)
    a = sub.add_parser("ask", help="answer one question with citations")
    a.add_argument("question")
    a.add_argument("--history", help='JSON list of {"role","content"} turns')
    a.add_argument("--json", action="store_true", help="print the full answer as JSON")
    a.set_defaults(fn=cmd_ask)


def cmd_build(args, s) -> int:
    from qa import factory

    progress = ProgressBars()
    t = time.perf_counter()
    path = factory.build(s, [Path(p) for p in args.paths] or None, progress=progress)
    progress.close()
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
