"""One configuration measured: every part for the Settings of this process, or the
same in a child process with other environment variables (so settings and models
don't leak between configurations)."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .build import run_build
from .pipeline import run_pipeline
from .server import run_http
from .stats import Contention


def bench_config(s, questions: list[dict], warmup: list[dict], *, server: bool = True,
                 build: bool = True, build_chunks: int = 2000,
                 build_multilingual: bool = False, with_eval: bool = False,
                 progress: bool = True, pipe=None, server_cmd=None,
                 log_dir: Path | None = None, name: str = "default") -> dict:
    """Every part for the configuration of Settings s (and this process's environment)."""
    from qa import factory

    res: dict = {"settings": settings_summary(s)}
    if pipe is None:
        t = time.perf_counter()
        pipe = factory.make_pipeline(s)
        res["load_s"] = round(time.perf_counter() - t, 2)
    res["generator"] = getattr(pipe.generator, "name", "extractive")
    res["generator_info"] = getattr(pipe.generator, "info", None)  # backend, kernels
    res["contention"] = {}
    with Contention() as c:
        res["pipeline"] = run_pipeline(pipe, questions, warmup, with_eval, progress)
    res["contention"]["pipeline"] = c.result
    del pipe
    gc.collect()
    if server:
        log = (log_dir / f"server-{name}.log") if log_dir else None
        with Contention() as c:
            res["http"] = run_http(questions, warmup, server_cmd, log, progress=progress)
        res["contention"]["http"] = c.result
    if build:
        with Contention() as c:
            res["build"] = run_build(build_chunks, build_multilingual)
        res["contention"]["build"] = c.result
    return res


def settings_summary(s) -> dict:
    d = s.model_dump(mode="json")
    d.pop("openai_api_key", None)
    return d


def config_result_path(out_dir: Path, name: str) -> Path:
    """Where a configuration's child process writes its result."""
    return out_dir / "configs" / f"{name}.json"


def write_config_result(res: dict, out_dir: Path, name: str) -> None:
    path = config_result_path(out_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(res, ensure_ascii=False))


def run_child_config(name: str, env: dict, cmd: list[str], out_dir: Path) -> dict:
    """One configuration in a child process: `cmd` (which ends by writing the result
    with write_config_result) run with env set; returns the result."""
    out = config_result_path(out_dir, name)
    out.unlink(missing_ok=True)
    print(f"== {name}: {' '.join(f'{k}={v}' for k, v in env.items()) or '(environment as is)'}",
          file=sys.stderr, flush=True)
    r = subprocess.run(cmd, env={**os.environ, **env})
    if r.returncode != 0 or not out.is_file():
        raise ChildFailed(name, r.returncode)
    return json.loads(out.read_text())


class ChildFailed(Exception):
    def __init__(self, name: str, code: int):
        super().__init__(f"configuration {name!r} failed (exit {code})")
        self.code = code
