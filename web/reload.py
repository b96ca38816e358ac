"""A running server follows the index: a new build (from `qa index build`, `add`,
`remove`, `update` or an upload) is served without a restart.

`IndexWatcher.check` reads where `QA_INDEX_DIR/current` points (one readlink, every
`every_s` seconds). When it names another build than the one served, the new index is
opened and checked (manifest, format, embedder probe, every file's sha256) and a
pipeline made on it in a worker thread, with the embedders and generator already
loaded (no model is loaded twice); then the Service's pipeline reference is swapped.
A request holds the pipeline it started with to its end, so requests in flight finish
on the old index, whose files stay readable even after the build that wrote them is
pruned (they are open or memory-mapped, index/atomic.py). A new build that cannot be
opened is logged and reported on /ready (`reload_error`); the old one keeps serving,
and the watcher tries again when `current` changes again.

Not handled: several server processes behind one index each swap on their own (within
`every_s` of each other).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from pathlib import Path

from qa.pipeline import Pipeline
from qa.settings import Settings

log = logging.getLogger("web")

EVERY_S = 2.0


def reopen_with(settings: Settings) -> Callable[[Pipeline], Pipeline]:
    """A new pipeline on the current index, sharing the models of `old`."""
    def reopen(old: Pipeline) -> Pipeline:
        from qa import factory

        r = old.retriever
        return factory.make_pipeline(settings, embedder=r.embedder, generator=old.generator,
                                     use_generator=old.generator is not None, xling=r.xling)
    return reopen


class IndexWatcher:
    def __init__(self, index_dir: Path, reopen: Callable[[Pipeline], Pipeline],
                 every_s: float = EVERY_S):
        self.index_dir, self.reopen, self.every_s = Path(index_dir), reopen, every_s
        self.failed: str | None = None  # the build that could not be opened
        self.error: str | None = None
        self.reloads = 0
        self._one_at_a_time = asyncio.Lock()

    def target(self) -> str | None:
        """The name of the build `current` points to (None: no index there)."""
        try:
            return os.path.basename(os.readlink(self.index_dir / "current"))
        except OSError:
            return None

    async def run(self, service) -> None:
        """Check every `every_s` seconds (never when it is 0)."""
        while self.every_s > 0:
            await asyncio.sleep(self.every_s)
            try:
                await self.check(service)
            except Exception:  # noqa: BLE001 - the watcher outlives any one failure
                log.exception("checking the index for a new version failed")

    async def check(self, service) -> bool:
        """Swap `service.pipeline` for one on the new build if `current` changed;
        True when it did. (Called every `every_s` s, and by an upload when its build is
        written; one check at a time.)"""
        async with self._one_at_a_time:
            return await self._check(service)

    async def _check(self, service) -> bool:
        old = service.pipeline
        target = self.target()
        if old is None or target is None or target == Path(old.index.path).name \
                or target == self.failed:
            return False
        log.info("index: new version %s; loading it while %s serves",
                 target, Path(old.index.path).name)
        try:
            new = await asyncio.to_thread(self.reopen, old)
            await asyncio.to_thread(getattr, new, "overviews", None)  # not on a question
        except Exception as e:  # noqa: BLE001 - a bad build must not stop the server
            self.failed, self.error = target, f"{type(e).__name__}: {e}"
            log.error("index: version %s could not be loaded (%s); still serving %s",
                      target, self.error, Path(old.index.path).name)
            return False
        if service.pipeline is not old:  # swapped meanwhile (not by us): leave it
            return False
        service.pipeline = new
        self.failed = self.error = None
        self.reloads += 1
        log.info("index: now serving %s (%d chunks)", Path(new.index.path).name,
                 len(new.index.chunks))
        return True
