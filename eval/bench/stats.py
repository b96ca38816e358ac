"""What every part of the benchmark shares: the machine it runs on, the questions it
asks, percentiles, and how busy the rest of the machine was while a part ran."""

from __future__ import annotations

import math
import os
import time

WARMUP = 2


CPU_FLAGS = ("avx2", "fma", "f16c", "avx_vnni", "avx512", "amx")  # what kernels are chosen by


def cpu_info() -> dict:
    """The CPU's model name, core count and the instruction-set flags that decide which
    kernels a runtime uses ("unknown" and [] where /proc/cpuinfo is missing)."""
    from qa.generators import cpu_flags

    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            model = next((v.strip() for k, _, v in (line.partition(":") for line in f)
                          if k.strip() == "model name"), model)
    except OSError:
        pass
    return {"model": model, "flags": sorted(x for x in cpu_flags() if x.startswith(CPU_FLAGS)),
            "cores": os.cpu_count()}


def environment_summary() -> dict:
    import platform

    cpu = cpu_info()
    info = {"cpus": os.cpu_count(), "cpu": cpu["model"], "cpu_flags": cpu["flags"],
            "python": platform.python_version(), "machine": platform.machine()}
    try:
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    except ImportError:
        pass
    return info


def stats(xs: list[float]) -> dict:
    """n, p50, p95, mean and max of the values (None when there are none)."""
    from ..metrics import percentile

    xs = [float(x) for x in xs if x is not None and math.isfinite(x)]
    if not xs:
        return {"n": 0, "p50": None, "p95": None, "mean": None, "max": None}
    return {"n": len(xs), "p50": round(percentile(xs, 50), 2), "p95": round(percentile(xs, 95), 2),
            "mean": round(sum(xs) / len(xs), 2), "max": round(max(xs), 2)}


def select(questions: list[dict], limit: int | None) -> tuple[list[dict], list[dict]]:
    """(measured, warm-up): `limit` questions evenly spread over the file, and two
    others to warm up with (the first measured ones when none are left over)."""
    if limit is None or limit >= len(questions):
        picked = list(range(len(questions)))
    else:
        picked = sorted({int(i * len(questions) / limit) for i in range(limit)})
    chosen = set(picked)
    rest = [q for i, q in enumerate(questions) if i not in chosen]
    measured = [questions[i] for i in picked]
    return measured, (rest or measured)[:WARMUP]


class Contention:
    """CPU time that other processes used while a part ran: busy time of the whole
    machine (/proc/stat) less this process's and its waited-for children's. On a
    2-core machine anything above a few tenths of a core slows every stage."""

    def __enter__(self):
        self.t0, self.busy0, self.own0 = time.monotonic(), _busy_s(), _own_cpu_s()
        return self

    def __exit__(self, *exc):
        self.result = None
        busy1 = _busy_s()
        if self.busy0 is None or busy1 is None:
            return
        wall = time.monotonic() - self.t0
        other = max(0.0, (busy1 - self.busy0) - (_own_cpu_s() - self.own0))
        self.result = {"wall_s": round(wall, 1), "other_cpu_s": round(other, 1),
                       "other_cores": round(other / wall, 2) if wall else None,
                       "load_avg_1m": round(os.getloadavg()[0], 2)}


def _busy_s() -> float | None:
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal ...: all but idle and iowait
    return (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
