"""`qa serve` and `qa feedback export`: the chat page and HTTP API, and what users said."""

from __future__ import annotations

import json
import sys


def register(sub) -> None:
    sv = sub.add_parser("serve", help="serve the chat page and HTTP API")
    sv.add_argument("--host")
    sv.add_argument("--port", type=int)
    sv.set_defaults(fn=cmd_serve)
    fb = sub.add_parser("feedback", help="thumbs up/down given in the chat")
    fbs = fb.add_subparsers(dest="feedback_cmd", required=True)
    fe = fbs.add_parser("export", help="write feedback in the eval set's JSONL format")
    fe.add_argument("--out", help="file to write (default: standard output)")
    fe.set_defaults(fn=cmd_feedback_export)


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
