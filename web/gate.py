"""Generation slots: the Gate that queues questions, and `GatedRun`, one question's
turn at it, which both `/ask` and `/ask/stream` (and the chat page's form) use.

A run waits for a slot (503 with Retry-After past `queued` waiters or `timeout_s`),
runs the pipeline in a worker thread, and gives the slot back when the work ends,
whichever way. While it waits or works, it watches for the client going away: then it
leaves the queue (499) or sets `cancel`, which stops the worker.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TypeVar

import anyio
from starlette.requests import Request

from qa.errors import BadQuestion, GenerationCancelled

from .errors import CLIENT_GONE, ApiError

log = logging.getLogger("web")
T = TypeVar("T")


class Gate:
    """At most `running` generations at once and `queued` waiting (for at most
    `timeout_s`); more, or longer -> 503 with Retry-After. A waiter whose client
    goes away (`gone` is set) leaves the queue."""

    def __init__(self, running: int = 1, queued: int = 8, timeout_s: float = 60.0):
        self.sem = asyncio.Semaphore(running)
        self.running = running
        self.queued = queued
        self.timeout_s = timeout_s
        self.waiting = 0
        self.active = 0

    def stats(self) -> dict:
        return {"running": self.active, "waiting": self.waiting,
                "max_running": self.running, "max_queued": self.queued}

    def busy(self, why: str) -> ApiError:
        return ApiError(503, "overloaded", f"The server is busy answering other questions ({why}). "
                        "Retry in a few seconds.", {"Retry-After": "5"})

    async def acquire(self, gone: asyncio.Event | None = None) -> None:
        if self.sem.locked() and self.waiting >= self.queued:
            raise self.busy(f"{self.running} running, {self.waiting} waiting")
        self.waiting += 1
        acq = asyncio.ensure_future(self.sem.acquire())
        watch = asyncio.ensure_future(gone.wait()) if gone is not None else None
        ok = False
        try:
            await asyncio.wait([t for t in (acq, watch) if t is not None],
                               timeout=self.timeout_s, return_when=asyncio.FIRST_COMPLETED)
            if gone is not None and gone.is_set():
                raise ApiError(*CLIENT_GONE)
            if not acq.done():
                raise self.busy(f"no slot within {self.timeout_s:.0f} s")
            ok = True
            self.active += 1
        finally:
            self.waiting -= 1
            if watch is not None:
                watch.cancel()
            if not ok:  # give the slot back if it was granted after all
                acq.cancel()
                acq.add_done_callback(self._give_back)

    def _give_back(self, fut: asyncio.Future) -> None:
        if not fut.cancelled() and fut.exception() is None:
            self.sem.release()

    def release(self) -> None:
        self.active -= 1
        self.sem.release()

    async def __aenter__(self):
        await self.acquire()

    async def __aexit__(self, *exc):
        self.release()

    def run(self, request: Request | None = None) -> GatedRun:
        return GatedRun(self, request)


class GatedRun:
    """`async with gate.run(request) as run:` holds a slot (or raises the 503 / 499
    ApiError); `await run.call(fn, ...)` or `async for ev in run.stream(fn, ...)`
    runs `fn(..., cancel=run.cancel)` in a worker thread. The slot is given back as
    soon as the work ends, and at the latest when the block is left."""

    def __init__(self, gate: Gate, request: Request | None = None):
        self.gate, self.request = gate, request
        self.gone = asyncio.Event()  # the client went away (ends the wait in the queue)
        self.cancel = threading.Event()  # ... and stops the worker
        self._watcher: asyncio.Task | None = None
        self._worker: asyncio.Future | None = None
        self._held = self._closed = False

    async def __aenter__(self) -> GatedRun:
        if self.request is not None:
            self._watcher = asyncio.create_task(self._until_disconnected())
        try:
            await self.gate.acquire(self.gone)
        except BaseException:
            self._stop_watching()
            raise
        self._held = True
        return self

    async def __aexit__(self, *exc) -> None:
        self._stop_watching()
        with anyio.CancelScope(shield=True):
            await self.close()

    async def _until_disconnected(self) -> None:
        """After the body, `receive()` only returns when the client goes away (or the
        response is complete): say so to the queue and the worker."""
        while (await self.request.receive())["type"] != "http.disconnect":
            pass
        self.gone.set()
        self.cancel.set()

    def _stop_watching(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()

    def _release(self) -> None:
        if self._held:
            self._held = False
            self.gate.release()

    async def close(self) -> None:
        """Stop the worker, wait for it, give the slot back: once."""
        if self._closed:
            return
        self._closed = True
        self.cancel.set()
        try:
            if self._worker is not None:
                await self._worker
        finally:
            self._release()

    async def call(self, fn: Callable[..., T], *args) -> T:
        """`fn(*args, cancel=...)`'s result: BadQuestion is a 422, a cancelled
        generation a 499."""
        try:
            return await asyncio.to_thread(fn, *args, cancel=self.cancel)
        except BadQuestion as e:
            raise ApiError(422, "bad_question", str(e)) from e
        except GenerationCancelled as e:
            raise ApiError(*CLIENT_GONE) from e
        except asyncio.CancelledError:
            self.cancel.set()  # the server is going down: stop the worker too
            raise
        finally:
            self._release()

    async def stream(self, fn: Callable[..., Iterator[dict]], *args) -> AsyncIterator[dict]:
        """The events of `fn(*args, cancel=...)` as it yields them, then the slot is
        given back. A BadQuestion or a crash ends them with an `error` event."""
        queue: asyncio.Queue = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def put(ev: dict | None) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, ev)

        def produce() -> None:
            try:
                for ev in fn(*args, cancel=self.cancel):
                    if self.cancel.is_set():
                        break
                    put(ev)
            except GenerationCancelled:
                pass
            except BadQuestion as e:
                put({"event": "error", "data": {"code": "bad_question", "message": str(e)}})
            except Exception as e:  # noqa: BLE001 - told to the client as an event
                log.exception("stream failed")
                put({"event": "error", "data": {"code": "internal_error",
                                                "message": type(e).__name__}})
            finally:
                put(None)

        self._worker = loop.run_in_executor(None, produce)
        while (ev := await queue.get()) is not None:
            yield ev
        await self.close()
