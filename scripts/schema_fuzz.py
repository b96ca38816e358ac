"""Schemathesis against the OpenAPI schema with the fake pipeline, at scale.

Runs tests/web/test_schema_fuzz.py with --examples per operation and phase
(examples, coverage, fuzzing; valid and invalid data), then prints how many
requests were made, by route and status, and how many were server errors.

    .venv/bin/python scripts/schema_fuzz.py --examples 100
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=100)
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "reliability" / "schema.json")
    args = ap.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SCHEMA_FUZZ_EXAMPLES": str(args.examples),
           "SCHEMA_FUZZ_REPORT": str(args.out)}
    t = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "tests/web/test_schema_fuzz.py"], cwd=ROOT, env=env,
                       capture_output=True, text=True)
    seconds = round(time.monotonic() - t, 1)
    args.out.with_suffix(".pytest.log").write_text(r.stdout + r.stderr)
    tail = "\n".join(r.stdout.strip().splitlines()[-3:])
    data = json.loads(args.out.read_text())
    by_status: Counter = Counter()
    by_route: Counter = Counter()
    for row in data["calls"]:
        by_status[row["status"]] += row["count"]
        by_route[f"{row['method']} {row['path']}"] += row["count"]
    total = sum(by_status.values())
    server_errors = sum(n for s, n in by_status.items() if s >= 500)
    data.update({"total_requests": total, "server_errors": server_errors,
                 "by_status": {str(k): v for k, v in sorted(by_status.items())},
                 "by_route": dict(sorted(by_route.items())), "pytest": tail,
                 "pytest_exit": r.returncode, "seconds": seconds})
    args.out.write_text(json.dumps(data, indent=1))
    print(json.dumps({k: v for k, v in data.items() if k != "calls"}, indent=1))
    if r.returncode:
        print(r.stdout[-4000:], file=sys.stderr)
    return r.returncode or (1 if server_errors else 0)


if __name__ == "__main__":
    sys.exit(main())
