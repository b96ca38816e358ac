"""Load test: N concurrent clients asking questions, against 127.0.0.1 only.

For each concurrency level, every client sends questions from eval/questions.jsonl
one after another (at most --requests each, for at most --duration seconds; after
a 503 it waits min(Retry-After, --backoff) seconds, as a polite client would).
Reports p50/p95/p99 latency (all responses, and 200s alone) and the share of
200 / 503 / other, then checks that the server still answers.

    .venv/bin/python scripts/load_test.py                     # fake generator, 1,4,16,32
    .venv/bin/python scripts/load_test.py --server real --levels 1,4 --requests 3
    .venv/bin/python scripts/load_test.py --url http://127.0.0.1:8000   # a running server

The numbers go to stdout as a Markdown table and to --out as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from eval.servers import ROOT, check_loopback, fake_cmd, free_port, real_cmd, spawn


def questions() -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").open() if line.strip()]
    return [r["question"] for r in rows]


def pct(xs: list[float], p: float) -> float | None:
    if not xs:
        return None
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, round(p / 100 * len(xs) + 0.5) - 1))
    return xs[k]


async def level(url: str, clients: int, requests: int, duration: float, backoff: float,
                qs: list[str], timeout: float) -> dict:
    results: list[tuple[int, float]] = []  # (status or -1 for a client error, seconds)
    errors: Counter = Counter()
    t_end = time.monotonic() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(i: int, http: httpx.AsyncClient):
        for n in range(requests):
            if time.monotonic() > t_end:
                return
            q = qs[(i * 7 + n) % len(qs)]
            t = time.perf_counter()
            try:
                r = await http.post(url + "/ask", json={"question": q})
                status = r.status_code
            except httpx.HTTPError as e:
                status = -1
                errors[type(e).__name__] += 1
            results.append((status, time.perf_counter() - t))
            if status == 503:
                await asyncio.sleep(min(float(r.headers.get("retry-after", 1)), backoff))

    t0 = time.monotonic()
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as http:
        await asyncio.gather(*(client(i, http) for i in range(clients)))
    wall = time.monotonic() - t0
    codes = Counter(s for s, _ in results)
    n = len(results)
    lat = [d for _, d in results]
    ok = [d for s, d in results if s == 200]

    def ms(x):
        return None if x is None else round(x * 1000, 1)

    return {
        "clients": clients, "requests": n, "wall_s": round(wall, 1),
        "throughput_rps": round(n / wall, 2) if wall else None,
        "ok_per_s": round(codes[200] / wall, 2) if wall else None,
        "share_200": round(codes[200] / n, 3) if n else None,
        "share_503": round(codes[503] / n, 3) if n else None,
        "share_other": round((n - codes[200] - codes[503]) / n, 3) if n else None,
        "statuses": {str(k): v for k, v in sorted(codes.items())},
        "client_errors": dict(errors),
        "p50_ms": ms(pct(lat, 50)), "p95_ms": ms(pct(lat, 95)), "p99_ms": ms(pct(lat, 99)),
        "ok_p50_ms": ms(pct(ok, 50)), "ok_p95_ms": ms(pct(ok, 95)), "ok_p99_ms": ms(pct(ok, 99)),
        "mean_ms": ms(statistics.fmean(lat)) if lat else None,
    }


def after_check(url: str) -> dict:
    t = time.perf_counter()
    ready = httpx.get(url + "/ready", timeout=30).status_code
    r = httpx.post(url + "/ask", json={"question": "What did Tianjin plan for flood season?"},
                   timeout=300)
    return {"ready": ready, "ask": r.status_code, "ask_ms": round((time.perf_counter() - t) * 1000),
            "answer": r.json().get("answer", "")[:120] if r.status_code == 200 else r.text[:200]}


async def drain(url: str, limit: float = 120) -> None:
    """Wait until the server answers /ask at once again (queue empty) between levels."""
    end = time.monotonic() + limit
    async with httpx.AsyncClient(timeout=limit) as http:
        while time.monotonic() < end:
            r = await http.get(url + "/ready")
            gen = r.json().get("generations") if r.status_code == 200 else None
            if r.status_code == 200 and (not gen or gen["running"] + gen["waiting"] == 0):
                return
            await asyncio.sleep(0.5)


def table(rows: list[dict]) -> str:
    head = ("| clients | requests | 200 | 503 | other | p50 ms | p95 ms | p99 ms "
            "| p50 ms (200s) | p95 ms (200s) | p99 ms (200s) | answers/s |")
    out = [head, "|---" * 12 + "|"]
    for r in rows:
        out.append(f"| {r['clients']} | {r['requests']} | {r['share_200']:.0%} | {r['share_503']:.0%} "
                   f"| {r['share_other']:.0%} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} "
                   f"| {r['ok_p50_ms']} | {r['ok_p95_ms']} | {r['ok_p99_ms']} | {r['ok_per_s']} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Bounded load test against 127.0.0.1.")
    ap.add_argument("--server", choices=["fake", "real"], default="fake",
                    help="start the fake-generator server or `qa serve` (real models)")
    ap.add_argument("--url", help="use a server already running on 127.0.0.1 instead")
    ap.add_argument("--levels", default="1,4,16,32")
    ap.add_argument("--requests", type=int, default=25, help="per client, at most")
    ap.add_argument("--duration", type=float, default=60, help="seconds per level, at most")
    ap.add_argument("--backoff", type=float, default=1.0, help="longest pause after a 503")
    ap.add_argument("--timeout", type=float, default=180, help="per request")
    ap.add_argument("--gen-delay", type=float, default=0.25, help="fake generator: s per answer")
    ap.add_argument("--embedder", choices=["hash", "minilm"], default="hash")
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "reliability" / "load.json")
    args = ap.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",")]
    if max(levels) > 64 or args.requests > 500 or args.duration > 600:
        raise SystemExit("bounded on purpose: at most 64 clients, 500 requests each, 600 s a level")
    qs = questions()

    def run(url: str, info: dict) -> dict:
        rows = []
        for c in levels:
            asyncio.run(drain(url))
            row = asyncio.run(level(url, c, args.requests, args.duration, args.backoff, qs,
                                    args.timeout))
            print(json.dumps(row), flush=True)
            rows.append(row)
        return {**info, "levels": rows, "after": after_check(url)}

    if args.url:
        report = run(check_loopback(args.url), {"server": args.url})
    else:
        port = free_port()
        if args.server == "fake":
            cmd = fake_cmd(port, "--gen-delay", str(args.gen_delay), "--embedder", args.embedder)
            info = {"server": "fake", "gen_delay_s": args.gen_delay, "embedder": args.embedder}
        else:
            cmd, info = real_cmd(port), {"server": "real (qa serve)"}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with spawn(cmd, port, ready_timeout=600, log=args.out.with_suffix(".server.log")) as (url, p):
            info["ready_s"] = round(p.ready_s, 1)
            report = run(url, info)
            report["server_alive"] = p.poll() is None
    report["settings"] = {"levels": levels, "requests_per_client": args.requests,
                          "duration_s": args.duration, "backoff_s": args.backoff}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    print(table(report["levels"]))
    print("after:", json.dumps(report["after"]))
    return 0 if report["after"]["ask"] == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
