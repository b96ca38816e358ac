"""Start and stop servers for the reliability scripts and `qa bench` (loopback only)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def check_loopback(url: str) -> str:
    host = urlparse(url).hostname
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to send load to {host!r}: only 127.0.0.1 is allowed")
    return url.rstrip("/")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, timeout: float, proc: subprocess.Popen | None = None) -> float:
    import httpx

    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode} before it was ready")
        try:
            if httpx.get(url + "/ready", timeout=2).status_code == 200:
                return time.monotonic() - t0
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} was not ready within {timeout:.0f} s")


@contextmanager
def spawn(cmd: list[str], port: int, env: dict | None = None, ready_timeout: float = 120,
          log: Path | None = None):
    """Run a server command, wait for /ready, yield (url, proc); SIGTERM it at the end."""
    out = open(log, "w") if log else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        proc.ready_s = wait_ready(url, ready_timeout, proc)
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(40)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if log:
            out.close()


def fake_cmd(port: int, *extra: str) -> list[str]:
    """The fake server (the real app over a fake pipeline: cli/fake_server.py)."""
    return [sys.executable, "-m", "cli.fake_server", "--port", str(port), *extra]


def real_cmd(port: int) -> list[str]:
    """`qa serve`, the production server."""
    return [str(Path(sys.executable).with_name("qa")), "serve", "--port", str(port)]


def memory_mb(pid: int) -> dict:
    """Resident memory of a live process from /proc/<pid>/status: {"rss_mb", "hwm_mb"}
    (VmRSS now, VmHWM its peak); empty where /proc is not available."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key = {"VmRSS:": "rss_mb", "VmHWM:": "hwm_mb"}.get(line.split(":")[0] + ":")
            if key:
                out[key] = round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError, IndexError):
        return {}
    return out
