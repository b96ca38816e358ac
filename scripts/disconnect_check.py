"""A client that disconnects frees its generation slot: how fast, with the real model.

Starts `qa serve` on 127.0.0.1 (or the fake server with --server fake), times one
full answer, then sends the same question and hangs up after --hangup seconds,
and polls /ready until the generation slot is free again.

    QA_INDEX_DIR=/tmp/ridx .venv/bin/python scripts/disconnect_check.py
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import httpx

from eval.servers import ROOT, fake_cmd, free_port, real_cmd, spawn

Q = "What did Zhejiang propose against typhoons?"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", choices=["fake", "real"], default="real")
    ap.add_argument("--hangup", type=float, default=1.5)
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "reliability" / "disconnect.json")
    args = ap.parse_args(argv)
    port = free_port()
    cmd = real_cmd(port) if args.server == "real" else fake_cmd(port, "--gen-delay", "5")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report: dict = {"server": args.server}
    with spawn(cmd, port, ready_timeout=600, log=args.out.with_suffix(".server.log")) as (url, _):
        t = time.monotonic()
        r = httpx.post(url + "/ask", json={"question": Q}, timeout=300)
        report["full_answer_s"] = round(time.monotonic() - t, 2)
        report["full_answer_mode"] = r.json().get("mode")
        for path in ("/ask", "/ask/stream"):
            t = time.monotonic()
            events = 0
            if path == "/ask":
                try:
                    httpx.post(url + path, json={"question": Q}, timeout=args.hangup)
                    report[path] = {"hung_up": False}
                    continue
                except httpx.TimeoutException:
                    pass
            else:  # read tokens for a while, then close the connection
                with httpx.Client(timeout=60) as c, c.stream("POST", url + path,
                                                             json={"question": Q}) as r:
                    for line in r.iter_lines():
                        events += line.startswith("event: token")
                        if time.monotonic() - t > args.hangup:
                            break
            hung = time.monotonic()
            while True:
                g = httpx.get(url + "/ready", timeout=10).json()["generations"]
                if g["running"] == 0 and g["waiting"] == 0:
                    break
                time.sleep(0.05)
            report[path] = {"hung_up_after_s": round(hung - t, 2), "tokens_read": events,
                            "slot_free_after_hangup_s": round(time.monotonic() - hung, 2)}
    args.out.write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
