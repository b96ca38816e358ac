"""The server helpers of the reliability scripts; they live in eval/servers.py, shared
with `qa bench`."""

from eval.servers import (  # noqa: F401
    LOOPBACK,
    ROOT,
    check_loopback,
    fake_cmd,
    free_port,
    memory_mb,
    real_cmd,
    spawn,
    wait_ready,
)
