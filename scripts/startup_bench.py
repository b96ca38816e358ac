"""Server start-up and /ask latency with the real models, as figures (not a test).

    python scripts/startup_bench.py [--questions 20] [--fresh-cache]

Builds nothing: QA_INDEX_DIR must hold an index. With --fresh-cache the
generator is converted again into an empty temporary model cache, which is what
a first start on a new machine costs. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from eval.servers import free_port, memory_mb, real_cmd, spawn

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", type=int, default=20)
    ap.add_argument("--fresh-cache", action="store_true")
    args = ap.parse_args()
    env = {}
    tmp = None
    if args.fresh_cache:
        tmp = tempfile.TemporaryDirectory()
        env["QA_MODEL_CACHE_DIR"] = tmp.name
    qs = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").open()]
    qs = [q for q in qs if not q["history"]][: args.questions]
    port = free_port()
    t0 = time.monotonic()
    with spawn(real_cmd(port), port, env=env, ready_timeout=600) as (url, proc):
        ready_s = time.monotonic() - t0
        lat, statuses = [], []
        with httpx.Client(timeout=120) as c:
            for q in qs:
                t = time.perf_counter()
                r = c.post(url + "/ask", json={"question": q["question"]})
                lat.append((time.perf_counter() - t) * 1000)
                statuses.append(r.status_code)
        rss = memory_mb(proc.pid).get("rss_mb")
    lat.sort()
    out = {
        "fresh_model_cache": args.fresh_cache,
        "time_to_ready_s": round(ready_s, 1),
        "ask_requests": len(lat),
        "ask_status": {str(s): statuses.count(s) for s in set(statuses)},
        "ask_p50_ms": round(statistics.median(lat)),
        "ask_p95_ms": round(lat[min(len(lat) - 1, int(0.95 * len(lat)))]),
        "ask_max_ms": round(lat[-1]),
        "server_rss_mb": rss,
        "cpus": os.cpu_count(),
    }
    print(json.dumps(out, indent=2))
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
