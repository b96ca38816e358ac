"""The disk side of a build: one at a time, all or nothing.

`new_build` holds `.build.lock` (flock) and gives the build a fresh
`builds/<id>.tmp` folder. When the build's block ends, every file is fsynced, the
folder renamed to `builds/<id>` and `current` repointed with `os.replace`: a crash
(or a full disk) at any moment leaves the previous index loadable. Failed writes
become `BuildFailed`, which says the previous index is untouched (`writing`).

Not handled: concurrent builds on network file systems without working `flock`.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import numpy as np

from .errors import BuildFailed, BuildInProgress


@contextmanager
def build_lock(index_dir: Path):
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / ".build.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise BuildInProgress(str(index_dir)) from e
        yield
    finally:
        os.close(fd)


@contextmanager
def new_build(index_dir: Path, locked: bool = False) -> Iterator[tuple[Path, Path]]:
    """Hold the build lock (`locked`: the caller holds it already); yield (work, final):
    the folder to write the build into and the name it will have. When the block ends,
    the build is made current and older builds (and leftovers of crashed ones) are
    removed; on any error, the new build is removed and the previous one stays current.

    A server still reading a removed build is not disturbed: its files were opened
    (memory-mapped or read) when it loaded the build, and an open file outlives its
    name on Linux."""
    with nullcontext() if locked else build_lock(index_dir):
        builds = index_dir / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        build_id = time.strftime("%Y%m%dT%H%M%S") + f"-{uuid.uuid4().hex[:8]}"
        work = builds / (build_id + ".tmp")
        final = builds / build_id
        work.mkdir()
        try:
            yield work, final
            with writing(index_dir, work):
                _fsync_tree(work)
                os.rename(work, final)
                _fsync_dir(builds)
                _point_current(index_dir, final)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            if final.exists() and _current_target(index_dir) != final.resolve():
                shutil.rmtree(final, ignore_errors=True)
            raise
        _prune(index_dir, keep=final)


@contextmanager
def writing(index_dir: Path, work: Path):
    """Turn write failures (a full disk above all) into BuildFailed, which says the
    previous index is untouched."""
    try:
        yield
    except (OSError, RuntimeError) as e:
        # faiss reports write errors as RuntimeError; check the disk to tell why
        full = isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT)
        try:
            full = full or shutil.disk_usage(index_dir).free < (1 << 20)
        except OSError:
            pass
        why = (f"the disk holding {index_dir} is full" if full
               else f"writing {work.name} failed ({type(e).__name__}: {e})")
        raise BuildFailed(
            f"The new index could not be written: {why}. The previous index (if any) is "
            f"untouched and still served. "
            + ("Free some space and run `qa index build` again." if full
               else "Fix the cause and run `qa index build` again.")
        ) from e


class NpyWriter:
    """Rows appended to a .npy file of known shape with plain writes (a full disk is
    an OSError here, where a written memory map would die of SIGBUS)."""

    def __init__(self, path: Path, rows: int, dim: int):
        self.f = open(path, "wb")
        np.lib.format.write_array_header_1_0(
            self.f, {"descr": np.lib.format.dtype_to_descr(np.dtype(np.float32)),
                     "fortran_order": False, "shape": (rows, dim)})
        self.rows, self.written = rows, 0

    def __call__(self, lo: int, batch: np.ndarray) -> None:
        assert lo == self.written
        self.f.write(np.ascontiguousarray(batch, dtype=np.float32).tobytes())
        self.written += len(batch)

    def close(self) -> None:
        self.f.close()
        if self.written != self.rows:
            raise RuntimeError(f"{self.f.name}: {self.written} rows written, {self.rows} expected")


def writing_npy(index_dir: Path, work: Path, name: str, rows: int, dim: int) -> NpyWriter:
    with writing(index_dir, work):
        return NpyWriter(work / name, rows, dim)


def _fsync_dir(d: Path) -> None:
    fd = os.open(d, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for p in sorted(root.rglob("*")):
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())
    for d in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
        _fsync_dir(d)


def _point_current(index_dir: Path, target: Path) -> None:
    tmp = index_dir / f".current.{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(Path("builds") / target.name, tmp)
    os.replace(tmp, index_dir / "current")
    _fsync_dir(index_dir)


def _current_target(index_dir: Path) -> Path | None:
    cur = Path(index_dir) / "current"
    return cur.resolve() if cur.exists() else None


def _prune(index_dir: Path, keep: Path) -> None:
    """Remove older builds and leftovers of crashed ones (we hold the build lock)."""
    for p in (index_dir / "builds").iterdir():
        if p.resolve() != keep.resolve():
            shutil.rmtree(p, ignore_errors=True)
