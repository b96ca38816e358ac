"""SIGTERM while answering: in-flight and queued requests finish, new ones are refused,
and the process exits by itself (uvicorn's graceful shutdown).

Starts a server on 127.0.0.1 (the fake generator taking --gen-delay s per answer, or
`qa serve` with the real models), sends one /ask that is being generated, one /ask
and one /ask/stream that wait in the queue, then SIGTERM; reports what each got.

    .venv/bin/python scripts/sigterm_test.py [--server real]
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from pathlib import Path

import httpx

from eval.servers import ROOT, fake_cmd, free_port, real_cmd, spawn

Q = "What did Tianjin plan for flood season?"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", choices=["fake", "real"], default="fake")
    ap.add_argument("--gen-delay", type=float, default=3.0)
    ap.add_argument("--term-after", type=float, default=1.0, help="s after the first request")
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "reliability" / "sigterm.json")
    args = ap.parse_args(argv)
    port = free_port()
    cmd = (fake_cmd(port, "--gen-delay", str(args.gen_delay), "--graceful-s", "60")
           if args.server == "fake" else real_cmd(port))
    results: dict = {}

    def ask(name: str, path: str):
        t = time.monotonic()
        try:
            r = httpx.post(url + path, json={"question": Q}, timeout=300)
            ok = r.status_code == 200 and (path == "/ask" or "event: done" in r.text)
            results[name] = {"status": r.status_code, "complete": ok,
                             "seconds": round(time.monotonic() - t, 2)}
        except httpx.HTTPError as e:
            results[name] = {"error": type(e).__name__, "seconds": round(time.monotonic() - t, 2)}

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with spawn(cmd, port, ready_timeout=600, log=args.out.with_suffix(".server.log")) as (url, p):
        threads = [threading.Thread(target=ask, args=("running /ask", "/ask"))]
        threads[0].start()
        time.sleep(0.3)
        for name, path in [("queued /ask", "/ask"), ("queued /ask/stream", "/ask/stream")]:
            threads.append(threading.Thread(target=ask, args=(name, path)))
            threads[-1].start()
        time.sleep(args.term_after)
        t_term = time.monotonic()
        p.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        try:
            r = httpx.post(url + "/ask", json={"question": Q}, timeout=5)
            results["new request after SIGTERM"] = {"status": r.status_code}
        except httpx.HTTPError as e:
            results["new request after SIGTERM"] = {"refused": type(e).__name__}
        for t in threads:
            t.join(300)
        code = p.wait(120)
        results["exit"] = {"code": code, "seconds_after_sigterm": round(time.monotonic() - t_term, 2)}
    finished = all(results[k].get("complete") for k in
                   ("running /ask", "queued /ask", "queued /ask/stream"))
    report = {"server": args.server, "gen_delay_s": args.gen_delay if args.server == "fake" else None,
              "results": results, "in_flight_finished": finished,
              "new_refused": "refused" in results["new request after SIGTERM"]
              or results["new request after SIGTERM"].get("status") == 503,
              # uvicorn shuts down gracefully, then re-raises the SIGTERM it caught, so the
              # process ends "killed by SIGTERM" (-15) once everything has finished
              "clean_exit": results["exit"]["code"] in (0, -signal.SIGTERM)}
    args.out.write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))
    return 0 if finished and report["clean_exit"] else 1


if __name__ == "__main__":
    sys.exit(main())
