#!/usr/bin/env bash
# Build the image with podman, run it with the network cut, and check that it
# answers a question about the bundled article with a citation.
#
#   scripts/container_check.sh
#
# 1. Base image: $BASE when set (python:3.11-slim where a registry answers).
#    Otherwise localhost/debian-python:bookworm: a Debian bookworm root with
#    python3.11, made with mmdebstrap and imported into podman the first time.
# 2. `podman build --network host` with this machine's pip configuration
#    (its config files and PIP_* variables, and the local folders and files they
#    name, mounted read-only for the build only); the Dockerfile names no host.
# 3. `podman run --network none`; waits for /ready, asks POST /ask, checks that a
#    cited answer comes back; runs the HEALTHCHECK; checks the user and address.
# 4. Reports each step's time, the image size and the cold start (from
#    `podman run` to /ready answering 200, and to the first answer).
# Any failure stops it with a message and a non-zero exit.
#
# Environment:
#   BASE             base image (unset: the local Debian one)
#   REBUILD_BASE=1   make the local Debian base again
#   DEBIAN_MIRROR    (http://deb.debian.org/debian) and DEBIAN_SECURITY for it
#   IMAGE            tag to build (localhost/docqa:check)
#   PIP_CONF         a pip config file to use instead of this machine's configuration
#   TORCH_INDEX_URL  where the CPU build of torch comes from (unset: PyTorch's CPU
#                    index if it answers, else this machine's pip configuration)
#   QUESTION, EXPECT the question asked and a text its answer must contain
#   READY_TIMEOUT_S  longest wait for /ready (300)
#   RUNTIME          OCI runtime (runc: crun fails on hosts with cgroups v1)
#   PODMAN_ULIMITS   limits passed to build and run (runc needs explicit ones)
#   LOG_DIR          build log and report (var/container-check)
#   KEEP=1           leave the container running afterwards
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit 0
fi

LOCAL_BASE=localhost/debian-python:bookworm
IMAGE=${IMAGE:-localhost/docqa:check}
QUESTION=${QUESTION:-How many houses did Jilin rebuild and repair?}
EXPECT=${EXPECT:-5,529}
READY_TIMEOUT_S=${READY_TIMEOUT_S:-300}
RUNTIME=${RUNTIME:-runc}
read -r -a LIMITS <<< "${PODMAN_ULIMITS:---ulimit nofile=1024:1024 --ulimit nproc=1024:1024}"
LOG_DIR=${LOG_DIR:-var/container-check}
mkdir -p "$LOG_DIR"
LOG_DIR=$(cd "$LOG_DIR" && pwd)
REPORT=$LOG_DIR/report.txt
: > "$REPORT"
WORK=$(mktemp -d)
CONTAINER=docqa-check-$$
STARTED=""

cleanup() {
  if [ -n "$STARTED" ] && [ "${KEEP:-}" != 1 ]; then
    podman rm -f -t 0 "$CONTAINER" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

die() {
  echo "container check FAILED: $*" >&2
  echo "FAILED: $*" >> "$REPORT"
  exit 1
}
note() { echo "== $*" >&2; }
report() { echo "$*" | tee -a "$REPORT"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

command -v podman >/dev/null ||
  die "podman is not installed: apt-get install podman buildah runc (Debian), then run this again"
if [ "$RUNTIME" = runc ] && ! command -v runc >/dev/null; then
  die "runc is not installed: apt-get install runc (or RUNTIME=crun where crun works)"
fi
PY=python3
[ -x .venv/bin/python ] && PY=.venv/bin/python
command -v "$PY" >/dev/null || die "python3 is needed on this machine (pip configuration, JSON checks)"
report "container check of $(git describe --always --dirty 2>/dev/null || echo 'this tree'), $(date -u +%FT%TZ)"
report "podman $(podman --version | awk '{print $3}'), runtime $RUNTIME, limits: ${LIMITS[*]}"
report "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 1. the base image ---------------------------------------------------------
if [ -z "${BASE:-}" ]; then
  BASE=$LOCAL_BASE
  if [ "${REBUILD_BASE:-}" = 1 ] || ! podman image exists "$BASE"; then
    command -v mmdebstrap >/dev/null ||
      die "mmdebstrap is not installed (apt-get install mmdebstrap), or pass BASE=python:3.11-slim where a registry can be reached"
    mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
    security=${DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
    note "making $BASE with mmdebstrap (bookworm, python3.11, venv, CA certificates)"
    t=$(now)
    mmdebstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
      bookworm "$WORK/base.tar" "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
      "deb $security bookworm-security main" > "$LOG_DIR/mmdebstrap.log" 2>&1 ||
      die "mmdebstrap failed (the Debian mirror $mirror unreachable?): see $LOG_DIR/mmdebstrap.log"
    report "base root made with mmdebstrap: $(since "$t") s"
    t=$(now)
    podman import --change 'ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV=LANG=C.UTF-8' --change 'CMD=["python3"]' "$WORK/base.tar" "$BASE" > "$LOG_DIR/import.log" 2>&1 ||
      die "podman import of the mmdebstrap root failed: see $LOG_DIR/import.log"
    rm -f "$WORK/base.tar"
    report "base imported into podman: $(since "$t") s"
  else
    report "base: $BASE (already in podman; REBUILD_BASE=1 makes it again)"
  fi
fi
report "base image: $BASE"

# --- 2. pip's configuration for the build ---------------------------------------------
# One pip.conf, merged from this machine's (or $PIP_CONF), mounted for the build;
# the folders and files it names are mounted read-only under /run/host-pip.
MOUNT_ROOT=/run/host-pip
mkdir -p "$WORK/pip"
"$PY" - "$WORK/pip/pip.conf" "$MOUNT_ROOT" "${PIP_CONF:-}" > "$WORK/mounts" <<'EOF' ||
import configparser, os, subprocess, sys
from urllib.parse import unquote, urlparse

out, root, given = sys.argv[1], sys.argv[2], sys.argv[3]
# Keys that name things on this machine that a build has no use for.
SKIP = {"cache-dir", "log", "log-file", "target", "prefix", "root", "src", "user", "python",
        "config-file", "isolated", "no-cache-dir", "require-virtualenv"}
values = {}
if given:
    cp = configparser.RawConfigParser()
    if not cp.read(given):
        sys.exit(f"PIP_CONF={given} cannot be read")
    for section in ("global", "install", "download"):
        if cp.has_section(section):
            values.update(cp.items(section))
else:
    r = subprocess.run([sys.executable, "-m", "pip", "config", "list"],
                       capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"pip config list failed: {r.stderr.strip()}")
    env = {}
    for line in r.stdout.splitlines():
        key, _, value = line.partition("=")
        section, _, name = key.rpartition(".")
        value = value.strip().strip("'\"")
        if section == ":env:":
            env[name] = value
        elif section in ("global", "install", "download"):
            values[name] = value
    values.update(env)  # variables override files, as in pip

mounts = {}
def local(token):
    path = unquote(urlparse(token).path) if token.startswith("file:") else token
    if not path.startswith("/") or not os.path.exists(path):
        return token
    path = os.path.realpath(path)
    # a PEP 503 index links to ../../files: mount the folder that holds `simple`
    top = os.path.dirname(path) if os.path.basename(path) == "simple" else path
    mounts[top] = root + top
    return ("file://" if token.startswith("file:") else "") + root + path

lines = ["[global]"]
for name, value in sorted(values.items()):
    if name in SKIP:
        continue
    lines.append(f"{name} = " + " ".join(local(t) for t in value.split()))
open(out, "w").write("\n".join(lines) + "\n")
tops = sorted(mounts)
for top in tops:  # a mount inside another one is already there
    if not any(top != o and top.startswith(o + "/") for o in tops):
        print(f"{top}:{mounts[top]}:ro")
EOF
  die "could not read pip's configuration on this machine (set PIP_CONF to a pip config file)"
BUILD_MOUNTS=(-v "$WORK/pip:/run/host-pip-conf:ro")
while IFS= read -r m; do BUILD_MOUNTS+=(-v "$m"); done < "$WORK/mounts"
note "pip configuration passed to the build:"
sed 's/^/    /' "$WORK/pip/pip.conf" >&2
sed 's/^/    mounted: /' "$WORK/mounts" >&2

if [ -z "${TORCH_INDEX_URL+set}" ]; then
  TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
  if ! "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + '/torch/', timeout=15)" \
       "$TORCH_INDEX_URL" >/dev/null 2>&1; then
    note "$TORCH_INDEX_URL does not answer: torch comes from pip's configuration (the build stops if it is a CUDA build)"
    TORCH_INDEX_URL=""
  fi
fi
report "torch index: ${TORCH_INDEX_URL:-(pip configuration)}"

# --- 3. the image --------------------------------------------------------------------
note "building $IMAGE (log: $LOG_DIR/build.log)"
old_id=$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
t=$(now)
if ! podman build --format docker --runtime "$RUNTIME" "${LIMITS[@]}" --network host \
     "${BUILD_MOUNTS[@]}" \
     --build-arg "BASE=$BASE" --build-arg "TORCH_INDEX_URL=$TORCH_INDEX_URL" \
     --build-arg PIP_CONFIG_FILE=/run/host-pip-conf/pip.conf \
     -t "$IMAGE" . 2>&1 |
     { while IFS= read -r line; do printf '%5d %s\n' "$SECONDS" "$line"; done; } > "$LOG_DIR/build.log"
then
  tail -n 40 "$LOG_DIR/build.log" >&2
  die "podman build failed (last lines above; whole log: $LOG_DIR/build.log)"
fi
report "image built: $(since "$t") s; its steps of a second or more:"
# each line of the log starts with the seconds since this script started
awk '$2 == "STEP" { if (step) took(); t = $1; step = substr($0, index($0, "STEP"), 100) }
     { last = $1 }
     function took() { if (last - t >= 1) printf "  %5d s  %s\n", last - t, step }
     END { if (step) took() }' "$LOG_DIR/build.log" | tee -a "$REPORT"
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
if [ -n "$old_id" ] && [ "$old_id" != "$(podman image inspect --format '{{.Id}}' "$IMAGE")" ]; then
  podman rmi "$old_id" > /dev/null 2>&1 || true  # the previous build of $IMAGE, now untagged
fi
report "image size: $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.2f GB", s / 1e9 }'))"
podman history --format '{{.Size}}	{{.CreatedBy}}' "$IMAGE" | cut -c 1-160 > "$LOG_DIR/layers.txt"

# --- 4. run it with the network cut -----------------------------------------------
note "running $IMAGE with --network none"
t0=$(now)
STARTED=1
# --no-healthcheck: podman runs health checks from systemd timers, absent here; the
# image's HEALTHCHECK command is run by hand below.
podman run -d --name "$CONTAINER" --runtime "$RUNTIME" "${LIMITS[@]}" --network none \
  --no-healthcheck "$IMAGE" > /dev/null 2> "$WORK/run.err" || {
  cat "$WORK/run.err" >&2
  die "podman run failed"
}
# Polled from inside the container: with no network, nothing outside can reach it.
# The container shares this machine's clock, so the times it prints are comparable.
ready_at=$(podman exec "$CONTAINER" python -c '
import sys, time, urllib.error, urllib.request
end = time.time() + float(sys.argv[1])
while time.time() < end:
    try:
        if urllib.request.urlopen("http://127.0.0.1:8000/ready", timeout=2).status == 200:
            print(f"{time.time():.3f}")
            sys.exit(0)
    except (urllib.error.URLError, OSError):
        pass
    time.sleep(0.2)
sys.exit(1)' "$READY_TIMEOUT_S") || {
  podman logs "$CONTAINER" 2>&1 | grep -v 'GET /ready' | tail -n 40 >&2 || true
  die "/ready did not answer 200 within $READY_TIMEOUT_S s (the container's log is above)"
}

podman exec -i "$CONTAINER" python -c '
import json, sys, time, urllib.request
body = json.dumps({"question": sys.argv[1]}).encode()
req = urllib.request.Request("http://127.0.0.1:8000/ask", body, {"content-type": "application/json"})
with urllib.request.urlopen(req, timeout=120) as r:
    answer = json.load(r)
print(f"{time.time():.3f}")
print(json.dumps(answer, ensure_ascii=False))' "$QUESTION" > "$WORK/ask" 2> "$WORK/ask.err" || {
  cat "$WORK/ask.err" >&2
  podman logs --tail 20 "$CONTAINER" >&2 || true
  die "POST /ask failed inside the container"
}
answered_at=$(head -n 1 "$WORK/ask")
tail -n 1 "$WORK/ask" > "$LOG_DIR/answer.json"
"$PY" - "$LOG_DIR/answer.json" "$EXPECT" <<'EOF' || die "the answer to \"$QUESTION\" is not a cited answer containing \"$EXPECT\" (it is in $LOG_DIR/answer.json)"
import json, sys
a = json.load(open(sys.argv[1]))
expect = sys.argv[2]
cites = a.get("citations") or []
problems = []
if a.get("abstained"):
    problems.append("it abstained: " + "; ".join(a.get("reasons") or []))
if expect not in a.get("answer", ""):
    problems.append(f"the answer does not contain {expect!r}")
if not cites:
    problems.append("no citations")
elif not any(expect in c.get("text", "") for c in cites):
    problems.append(f"no citation holds {expect!r}")
for c in cites:
    if not (isinstance(c.get("start"), int) and isinstance(c.get("end"), int)
            and c["end"] - c["start"] == len(c.get("text", ""))):
        problems.append(f"citation {c.get('id')} has offsets that do not fit its text")
print("answer:", a.get("answer"))
for c in cites:
    print(f"  [{c.get('id')}] {c.get('doc_title')} chars {c.get('start')}-{c.get('end')}: {c.get('text')}")
if problems:
    print("problems: " + "; ".join(problems), file=sys.stderr)
    sys.exit(1)
EOF

# --- 5. what the container is -------------------------------------------------------
health=$(podman image inspect --format '{{json .Config.Healthcheck}}' "$IMAGE")
mapfile -t health_cmd < <("$PY" -c '
import json, sys
test = (json.loads(sys.argv[1]) or {}).get("Test") or []
if test[:1] == ["CMD"]:
    print("\n".join(test[1:]))
elif test[:1] == ["CMD-SHELL"]:
    print("\n".join(["/bin/sh", "-c", test[1]]))' "$health")
[ "${#health_cmd[@]}" -gt 0 ] ||
  die "the image has no HEALTHCHECK (built without --format docker?)"
podman exec "$CONTAINER" "${health_cmd[@]}" ||
  die "the image's HEALTHCHECK command failed on a ready container"
uid=$(podman exec "$CONTAINER" id -u)
[ "$uid" != 0 ] || die "the server runs as root"
# 0.0.0.0:8000 listening (state 0A) in the container's /proc/net/tcp
podman exec "$CONTAINER" grep -q ' 00000000:1F40 00000000:0000 0A ' /proc/net/tcp ||
  die "the server does not listen on 0.0.0.0:8000"
podman exec "$CONTAINER" python -c '
import socket, sys
try:
    socket.create_connection(("1.1.1.1", 443), timeout=3)
except OSError:
    sys.exit(0)
sys.exit(1)' || die "the container reached the network: it was not started with --network none"

report "question: $QUESTION"
report "answer: $("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["answer"])' "$LOG_DIR/answer.json")"
report "run as uid $uid, serving on 0.0.0.0:8000, no network, HEALTHCHECK healthy"
report "machine load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
report "cold start: $(awk -v a="$t0" -v b="$ready_at" 'BEGIN { printf "%.1f", b - a }') s from podman run to /ready 200," \
       "$(awk -v a="$t0" -v b="$answered_at" 'BEGIN { printf "%.1f", b - a }') s to the first /ask answer"
if [ "${KEEP:-}" = 1 ]; then
  echo "left running: podman exec $CONTAINER ...; podman rm -f $CONTAINER" >&2
else
  t=$(now)
  podman stop -t 35 "$CONTAINER" > /dev/null || die "podman stop failed"
  report "stopped (SIGTERM) in $(since "$t") s"
fi
echo "container check passed; report: $REPORT" >&2
