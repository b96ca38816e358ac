"""Serve the real app on 127.0.0.1 with a fake pipeline, for the reliability scripts
and the HTTP tests of `qa bench`.

The index is the bundled report, embedded with the hashing fake (or MiniLM with
--embedder minilm); the generator is the echo fake taking --gen-delay seconds per
answer (a stand-in for the model, honouring cancel and the time budget). Everything
else (limits, queue, disconnects, shutdown) is the production code path.

    .venv/bin/python -m cli.fake_server --port 8765 --gen-delay 0.25

(eval/servers.py's `fake_cmd(port)` is that command line.)
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path


def make_pipeline(index_dir: Path, gen_delay: float, embedder: str = "hash"):
    from index.build import build_index
    from index.embedding import HashEmbedder, SentenceTransformerEmbedder
    from index.loaders import default_corpus, load_paths
    from index.store import open_index
    from qa.generators.echo import EchoGenerator
    from qa.pipeline import Pipeline

    if embedder == "minilm":
        emb, min_score = SentenceTransformerEmbedder(), 0.45
    else:
        emb, min_score = HashEmbedder(dim=256), 0.2
    try:
        ix = open_index(index_dir, emb.name, emb.dim, embedder=emb)
    except Exception:  # noqa: BLE001 - no usable index there yet: build one
        build_index(load_paths([default_corpus()]), index_dir, emb)
        ix = open_index(index_dir, emb.name, emb.dim, embedder=emb)
    return Pipeline(ix, emb, EchoGenerator(delay_s=gen_delay), min_score=min_score)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--gen-delay", type=float, default=0.25, help="seconds per fake answer")
    ap.add_argument("--embedder", choices=["hash", "minilm"], default="hash")
    ap.add_argument("--index-dir", type=Path, help="default: a temporary folder")
    ap.add_argument("--max-running", type=int, default=1)
    ap.add_argument("--max-queued", type=int, default=8)
    ap.add_argument("--queue-timeout", type=float, default=60.0)
    ap.add_argument("--graceful-s", type=float, default=30.0)
    args = ap.parse_args(argv)

    import uvicorn

    from qa.settings import Settings
    from web.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    tmp = Path(tempfile.mkdtemp(prefix="fake-server-"))
    index_dir = args.index_dir or tmp / "index"
    pipe = make_pipeline(index_dir, args.gen_delay, args.embedder)
    settings = Settings(index_dir=index_dir, feedback_db=tmp / "feedback.sqlite3",
                        max_concurrent_generations=args.max_running, max_queued=args.max_queued,
                        queue_timeout_s=args.queue_timeout)
    app = create_app(settings, pipeline=pipe)
    print(f"fake server on http://127.0.0.1:{args.port} (gen delay {args.gen_delay} s, "
          f"{args.embedder} embedder)", file=sys.stderr, flush=True)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning",
                timeout_graceful_shutdown=args.graceful_s, limit_concurrency=128)
    return 0


if __name__ == "__main__":
    sys.exit(main())
