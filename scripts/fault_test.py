"""Fault injection for the on-disk index (docs/RELIABILITY.md, "Index safety").

1. kill -9 a build at a random moment, --kills times: the index still opens
   (the previous one, or the new one when the kill came after the swap).
2. Flip one byte of each index file, --flips positions per file, and truncate
   each file: every change is refused by open_index (and by the server's /ready).
3. Another embedder configured, of the same dimension (another name, or the same
   name with other weights): refused with a message that says to rebuild.
4. A full disk during a build (a small tmpfs when it can be mounted, else a
   simulated ENOSPC): the build fails with a clear message, the old index serves.
5. Two builds at once: the second is refused while the first holds the lock.

    .venv/bin/python scripts/fault_test.py            # full: 20 kills, 25 flips per file
    .venv/bin/python scripts/fault_test.py --quick    # CI: 3 kills, 3 flips per file
    .venv/bin/python scripts/fault_test.py --real-cli # also the real `qa` CLI (MiniLM)

Uses the hashing fake embedder on copies of the bundled report, so builds take
seconds; --real-cli adds checks through `qa index build` / `qa ask` and the model
files (scripts/fault_real.py).
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.atomic import build_lock  # noqa: E402
from index.build import build_index  # noqa: E402
from index.embedding import HashEmbedder  # noqa: E402
from index.errors import (  # noqa: E402
    BuildFailed,
    BuildInProgress,
    IndexCorrupt,
    IndexError_,
    IndexMismatch,
)
from index.loaders import default_corpus, load_paths  # noqa: E402
from index.manifest import current_path  # noqa: E402
from index.store import open_index  # noqa: E402

EMB = HashEmbedder(dim=256)


def corpus(copies: int):
    doc = load_paths([default_corpus()])[0]
    return [replace(doc, doc_id=f"copy{i:03d}-{doc.doc_id}") for i in range(copies)]


def worker(index_dir: Path, copies: int) -> int:
    """A build in its own process, to be killed."""
    build_index(corpus(copies), index_dir, EMB)
    return 0


def _spawn_build(index_dir: Path, copies: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "--worker", str(index_dir),
                             "--copies", str(copies)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


# -- 1. kill -9 during a build ------------------------------------------------------
def _files_in_tmp(d: Path, old: set[str]) -> tuple[int, int]:
    """(new build folders still named .tmp, files inside them)."""
    tmp = [x for x in (d / "builds").iterdir() if x.name.endswith(".tmp") and x.name not in old]
    return len(tmp), sum(1 for t in tmp for f in t.rglob("*") if f.is_file())


def kills(n: int, copies: int, seed: int) -> dict:
    """Odd kills at a random moment of the whole build; even kills aimed at the write
    phase: once the new folder holds a random number of files (or has been renamed)."""
    rng = random.Random(seed)
    d = Path(tempfile.mkdtemp(prefix="fault-kill-"))
    try:
        build_index(corpus(copies), d, EMB)
        t = time.monotonic()
        p = _spawn_build(d, copies)
        p.wait()
        build_s = time.monotonic() - t
        n_files = sum(1 for f in current_path(d).rglob("*") if f.is_file())
        rows = []
        for i in range(n):
            before = current_path(d)
            builds_before = {x.name for x in (d / "builds").iterdir()}
            p = _spawn_build(d, copies)
            t = time.monotonic()
            if i % 2 == 0:
                aim = f"random time {rng.uniform(0.3, build_s * 1.05):.2f} s"
                time.sleep(float(aim.split()[2]))
            else:
                target = rng.randint(1, n_files)  # n_files: the rename has happened
                aim = f"{target} file(s) written" if target < n_files else "folder renamed"
                while p.poll() is None and time.monotonic() - t < 120:
                    dirs, written = _files_in_tmp(d, builds_before)
                    renamed = any(not x.name.endswith(".tmp") and x.name not in builds_before
                                  for x in (d / "builds").iterdir())
                    if (dirs and written >= target) or renamed:
                        break
                    time.sleep(0.001)
            dirs, written = _files_in_tmp(d, builds_before)
            p.send_signal(signal.SIGKILL)
            p.wait()
            at = time.monotonic() - t
            try:
                ix = open_index(d, EMB.name, EMB.dim, embedder=EMB)
                now = current_path(d)
                state = "old index" if now == before else "new index (kill came after the swap)"
                ok = ix.manifest["counts"]["chunks"] == len(ix.chunks) > 0
            except IndexError_ as e:
                state, ok = f"FAILED: {e}", False
            phase = ("writing files" if written else "loading/embedding" if dirs
                     else "starting up, or after the rename")
            rows.append({"kill": i + 1, "aim": aim, "at_s": round(at, 3), "phase": phase,
                         "files_written": written, "opens": ok, "served": state})
        # the lock is free again and a build cleans up what the kills left
        build_index(corpus(2), d, EMB)
        left = [x.name for x in (d / "builds").iterdir()]
        phases: dict = {}
        for r in rows:
            phases[r["phase"]] = phases.get(r["phase"], 0) + 1
        return {"kills": n, "build_s": round(build_s, 2), "opens": sum(r["opens"] for r in rows),
                "phases": phases,
                "old_index": sum(r["served"] == "old index" for r in rows),
                "new_index": sum(r["served"].startswith("new") for r in rows),
                "rebuild_after_kills_ok": len(left) == 1, "rows": rows}
    finally:
        shutil.rmtree(d, ignore_errors=True)


# -- 2. flipped bytes and truncated files -------------------------------------------------
def flips(per_file: int, seed: int) -> dict:
    rng = random.Random(seed)
    d = Path(tempfile.mkdtemp(prefix="fault-flip-"))
    try:
        build_index(corpus(1), d, EMB)
        root = current_path(d)
        files = sorted(p for p in root.rglob("*") if p.is_file())
        per, missed = {}, []
        for p in files:
            original = p.read_bytes()
            name = str(p.relative_to(root))
            detected = tried = 0
            positions = rng.sample(range(len(original)), min(per_file, len(original)))
            damaged = []
            for pos in positions:
                data = bytearray(original)
                data[pos] ^= 1 << rng.randrange(8)  # one bit of one byte
                damaged.append((bytes(data), f"{name}@{pos}"))
            # truncation: half the file, and empty
            damaged += [(original[:cut], f"{name} truncated to {cut}")
                        for cut in (len(original) // 2, 0)]
            for data, label in damaged:
                p.write_bytes(data)
                tried += 1
                try:
                    open_index(d, EMB.name, EMB.dim, embedder=EMB)
                    missed.append(label)
                except (IndexCorrupt, IndexMismatch):
                    detected += 1
            p.write_bytes(original)
            per[name] = {"bytes": len(original), "changes": tried, "detected": detected}
        open_index(d, EMB.name, EMB.dim, embedder=EMB)  # restored: opens again
        # the server refuses a damaged index on /ready, with the message
        victim = root / "dense.faiss"
        original = victim.read_bytes()
        victim.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
        ready = _server_ready(d)
        victim.write_bytes(original)
        total = sum(v["changes"] for v in per.values())
        return {"files": len(files), "changes": total,
                "detected": sum(v["detected"] for v in per.values()), "missed": missed,
                "per_file": per, "server_on_damaged_index": ready}
    finally:
        shutil.rmtree(d, ignore_errors=True)


def _server_ready(index_dir: Path) -> dict:
    """/ready of the real app factory (loading path included) on a damaged index."""
    from fastapi.testclient import TestClient

    import qa.factory as factory
    from qa.settings import Settings
    from web.app import create_app

    real_embedder = factory.make_embedder
    factory.make_embedder = lambda s: EMB  # the index was built with the fake embedder
    try:
        s = Settings(index_dir=index_dir, generator="extractive", multilingual=False)
        with TestClient(create_app(s)) as c:
            for _ in range(100):
                r = c.get("/ready")
                if r.json().get("error"):
                    break
                time.sleep(0.05)
            ask = c.post("/ask", json={"question": "What did Tianjin plan?"})
            return {"ready_status": r.status_code, "error": r.json().get("error"),
                    "ask_status": ask.status_code}
    finally:
        factory.make_embedder = real_embedder


# -- 3. another embedder ------------------------------------------------------------------
class _Salted(HashEmbedder):
    def _one(self, text):
        return super()._one("salt " + text[::-1])


def other_embedder() -> dict:
    d = Path(tempfile.mkdtemp(prefix="fault-emb-"))
    out = {}
    try:
        build_index(corpus(1), d, EMB)
        for label, e in [("another name, same dimension", HashEmbedder(dim=256, name="other")),
                         ("same name and dimension, other weights", _Salted(dim=256))]:
            try:
                open_index(d, e.name, e.dim, embedder=e)
                out[label] = {"refused": False}
            except IndexMismatch as err:
                out[label] = {"refused": True, "message": str(err)}
        return out
    finally:
        shutil.rmtree(d, ignore_errors=True)


# -- 4. full disk --------------------------------------------------------------------------
def full_disk() -> dict:
    mnt = Path(tempfile.mkdtemp(prefix="fault-disk-"))
    mounted = False
    if os.geteuid() == 0 and shutil.which("mount"):
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)],
                                 capture_output=True).returncode == 0
    try:
        d = mnt / "index"
        build_index(corpus(1), d, EMB)
        before = current_path(d)
        if mounted:
            # fill the disk but ~150 KB, less than a build needs
            free = shutil.disk_usage(mnt).free
            with open(mnt / "filler", "wb") as f:
                try:
                    f.write(b"\0" * max(0, free - 150_000))
                except OSError:
                    pass
            how = "tmpfs of 4 MiB, filled to 150 KB free"
            error = _try_build(d)
        else:
            import numpy as np

            real_save = np.save

            def no_space(*a, **k):
                raise OSError(errno.ENOSPC, "No space left on device")

            np.save = no_space
            try:
                error = _try_build(d)
            finally:
                np.save = real_save
            how = "simulated: numpy.save raising ENOSPC (no tmpfs could be mounted)"
        ix = open_index(d, EMB.name, EMB.dim, embedder=EMB)
        leftovers = [x.name for x in (d / "builds").iterdir() if x != before]
        res = {"how": how, "error": error, "old_index_opens": current_path(d) == before
               and len(ix.chunks) > 0, "leftover_build_dirs": leftovers}
        if mounted:
            (mnt / "filler").unlink()
            build_index(corpus(1), d, EMB)
            res["build_after_freeing_space"] = "ok"
        return res
    finally:
        if mounted:
            subprocess.run(["umount", str(mnt)], capture_output=True)
        shutil.rmtree(mnt, ignore_errors=True)


def _try_build(d: Path) -> str | None:
    try:
        build_index(corpus(3), d, EMB)
    except BuildFailed as e:
        return str(e)
    return None


# -- 5. two builds at once ------------------------------------------------------------------
def concurrent_builds() -> dict:
    d = Path(tempfile.mkdtemp(prefix="fault-lock-"))
    try:
        with build_lock(d):
            try:
                build_index(corpus(1), d, EMB)
                return {"second_refused": False}
            except BuildInProgress as e:
                msg = str(e)
        p = _spawn_build(d, 1)  # the lock is free again
        return {"second_refused": True, "message": msg, "build_after": p.wait() == 0}
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3 kills, 3 flips per file (CI)")
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--flips", type=int, default=25, help="per file")
    ap.add_argument("--copies", type=int, default=12, help="copies of the report per build")
    ap.add_argument("--seed", type=int, default=20240305)
    ap.add_argument("--real-cli", action="store_true")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(args.worker, args.copies)
    if args.quick:
        args.kills, args.flips, args.copies = 3, 3, 4
    t0 = time.monotonic()
    report = {"kill -9 during build": kills(args.kills, args.copies, args.seed),
              "flipped bytes": flips(args.flips, args.seed),
              "other embedder": other_embedder(), "full disk": full_disk(),
              "two builds at once": concurrent_builds()}
    if args.real_cli:
        from fault_real import model_faults, real_cli

        report["real CLI"] = real_cli()
        report["model files"] = model_faults()
    report["seconds"] = round(time.monotonic() - t0, 1)
    k, f = report["kill -9 during build"], report["flipped bytes"]
    ok = (k["opens"] == k["kills"] and k["rebuild_after_kills_ok"]
          and f["detected"] == f["changes"] and f["server_on_damaged_index"]["ready_status"] == 503
          and all(v["refused"] for v in report["other embedder"].values())
          and report["full disk"]["error"] and report["full disk"]["old_index_opens"]
          and not report["full disk"]["leftover_build_dirs"]
          and report["two builds at once"]["second_refused"])
    report["ok"] = bool(ok)
    text = json.dumps(report, indent=1, ensure_ascii=False)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    summary = {
        "kill -9": f"{k['opens']}/{k['kills']} opened ({k['old_index']} old, {k['new_index']} new)",
        "kill phases": k["phases"],
        "flips+truncations": f"{f['detected']}/{f['changes']} detected in {f['files']} files",
        "server on damaged index": f["server_on_damaged_index"],
        "other embedder": {lbl: v["refused"] for lbl, v in report["other embedder"].items()},
        "full disk": report["full disk"],
        "two builds": report["two builds at once"],
        "ok": report["ok"], "seconds": report["seconds"]}
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    if args.real_cli:
        print(json.dumps({k: report[k] for k in ("real CLI", "model files")}, indent=1,
                         ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
