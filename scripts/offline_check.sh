#!/usr/bin/env bash
# Offline check: the unit tests, and `qa serve` with the real models answering one
# /ask, inside a network namespace that has nothing but loopback (`unshare -n`).
# Needs root (or unprivileged user namespaces). Usage:
#   QA_INDEX_DIR=/tmp/ridx QA_MODEL_CACHE_DIR=var/models scripts/offline_check.sh [--integration]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! unshare -n true 2>/dev/null; then
  echo "unshare -n is not permitted here (needs root or user namespaces); nothing checked" >&2
  exit 2
fi
export OFFLINE_INTEGRATION=${1:-}
exec unshare -n bash -euo pipefail -c '
ip link set lo up
echo "== interfaces in the namespace:"; ip -o -4 addr show | awk "{print \$2, \$4}"
echo "== reaching the outside:"
.venv/bin/python - <<PY
import socket
for host, port in [("1.1.1.1", 443), ("huggingface.co", 443)]:
    try:
        socket.create_connection((host, port), timeout=3)
        print(f"{host}: CONNECTED (the network is not cut!)"); raise SystemExit(1)
    except OSError as e:
        print(f"{host}: {type(e).__name__}: {e}")
PY
echo "== unit tests:"
t=$(date +%s)
.venv/bin/python -m pytest -q -m "not integration" -p no:cacheprovider 2>&1 | tail -3 || true
echo "   ($(( $(date +%s) - t )) s)"
if [ "$OFFLINE_INTEGRATION" = "--integration" ]; then
  echo "== integration tests (real models):"
  .venv/bin/python -m pytest -q -m integration -p no:cacheprovider 2>&1 | grep -E "^(FAILED|ERROR)|passed|failed" || true
fi
echo "== qa serve + one /ask:"
port=8799
.venv/bin/qa serve --port $port > /tmp/offline-serve.log 2>&1 &
pid=$!
t=$(date +%s)
for _ in $(seq 1 300); do
  if .venv/bin/python -c "import httpx,sys; sys.exit(httpx.get(\"http://127.0.0.1:$port/ready\").status_code != 200)" 2>/dev/null; then break; fi
  sleep 1
done
echo "   ready after $(( $(date +%s) - t )) s"
.venv/bin/python - <<PY
import httpx, time
t = time.perf_counter()
r = httpx.post("http://127.0.0.1:$port/ask", json={"question": "What did Tianjin plan for flood season?"}, timeout=300)
b = r.json()
print("   /ask ->", r.status_code, b.get("mode"), round((time.perf_counter() - t) * 1000), "ms:", b.get("answer", "")[:100])
PY
kill -TERM $pid; wait $pid || true
echo "   server log mentions of network/hub:"; grep -ciE "huggingface|connection|resolve|urlopen" /tmp/offline-serve.log || true
'
