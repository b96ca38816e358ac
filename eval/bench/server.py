"""Part 2: a server in a child process (default `qa serve`), `POST /ask` for the same
questions one at a time: client-side latency, the server's own total, its memory."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .stats import stats


def run_http(questions: list[dict], warmup: list[dict], cmd=None, log: Path | None = None,
             ready_timeout: float = 600, progress: bool = True) -> dict:
    """Start a server (`cmd(port)`, default `qa serve`), POST /ask for each question in turn."""
    try:
        import httpx

        from ..servers import free_port, memory_mb, real_cmd, spawn
    except ImportError as e:
        raise SystemExit(f"the HTTP part needs httpx ({e}): pip install httpx, "
                         "or run with --no-server") from e
    port = free_port()
    lat, server_total, statuses = [], [], {}
    with spawn((cmd or real_cmd)(port), port, ready_timeout=ready_timeout, log=log) as (url, proc):
        mem_ready = memory_mb(proc.pid)
        with httpx.Client(timeout=300) as c:
            for q in warmup:
                c.post(url + "/ask", json={"question": q["question"],
                                           "history": q.get("history") or []})
            for i, q in enumerate(questions, 1):
                t = time.perf_counter()
                r = c.post(url + "/ask", json={"question": q["question"],
                                               "history": q.get("history") or []})
                lat.append((time.perf_counter() - t) * 1000)
                statuses[str(r.status_code)] = statuses.get(str(r.status_code), 0) + 1
                if r.status_code == 200:
                    server_total.append(r.json().get("timings_ms", {}).get("total"))
                if progress:
                    print(f"[http {i}/{len(questions)}] {r.status_code} {lat[-1]:7.0f} ms",
                          file=sys.stderr, flush=True)
        mem = memory_mb(proc.pid)
        ready_s = proc.ready_s
    return {"questions": len(questions), "warmup_questions": len(warmup),
            "time_to_ready_s": round(ready_s, 2), "status": statuses,
            "ask_ms": stats(lat), "server_total_ms": stats(server_total),
            "server_rss_mb_ready": mem_ready.get("rss_mb"), "server_rss_mb": mem.get("rss_mb"),
            "server_hwm_mb": mem.get("hwm_mb")}
