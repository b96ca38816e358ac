"""The one object the routes talk to: the pipeline once loaded (or why it did not
load), the generation gate, the feedback store and the chat page's example questions.
It is the only part of the web layer that reads the pipeline's parts (its index and
retriever); routes get it with `Depends(get_service)`.

Models and the index load once, in the background from start-up: until they are
loaded, or when loading failed, every question gets 503 with the reason. A new
version of the index is then picked up without a restart (web/reload.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Annotated

from fastapi import Depends, Request

from index.loaders import Document
from qa.errors import IndexError_, ModelUnavailable
from qa.pipeline import Answer, Pipeline
from qa.settings import Settings

from .errors import ApiError
from .examples import derive_examples, pack_examples
from .feedback import FeedbackStore
from .gate import Gate, GatedRun
from .reload import EVERY_S, IndexWatcher, reopen_with
from .schemas import DocumentOut, FeedbackRequest, SearchHit
from .uploads import Uploads

log = logging.getLogger("web")


@dataclass
class Asking:
    """One question holding a generation slot: answered whole or as events."""
    run: GatedRun
    pipeline: Pipeline
    question: str
    history: list[dict]

    async def answer(self) -> Answer:
        return await self.run.call(self.pipeline.answer, self.question, self.history)

    def events(self) -> AsyncIterator[dict]:
        """The pipeline's events: `token`, `answer`, or `error` (a bad question, a crash)."""
        return self.run.stream(self.pipeline.stream, self.question, self.history)


class Service:
    def __init__(self, settings: Settings, pipeline: Pipeline | None = None, *,
                 max_running: int = 1, max_queued: int = 8, queue_timeout_s: float = 60.0,
                 reload_every_s: float | None = None, reopen=None, uploads: Uploads | None = None):
        """`reload_every_s`: how often to look for a new index version (0: never; None:
        every 2 s when the service loads the pipeline itself, never when one is given);
        `reopen(old pipeline) -> new pipeline` makes the new one (web/reload.py);
        `uploads`: documents added from the page (web/uploads.py; default: QA_UPLOADS)."""
        self.settings = settings
        self.pipeline = pipeline
        every = (EVERY_S if pipeline is None else 0) if reload_every_s is None else reload_every_s
        self.watcher = IndexWatcher(settings.index_dir, reopen or reopen_with(settings), every)
        self.uploads = uploads or Uploads.configured(settings.index_dir)
        self.load_error: str | None = None
        self._gate_args = (max_running, max_queued, queue_timeout_s)
        self.gate = Gate(*self._gate_args)
        self._feedback: FeedbackStore | None = None
        self._examples: tuple[object, list[str]] | None = None  # (pipeline, its examples)

    # -- life ------------------------------------------------------------------------
    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The app's lifespan: a gate of this event loop, and the pipeline loading in
        the background unless one was given."""
        self.gate = Gate(*self._gate_args)
        loader = watcher = None
        if self.pipeline is None:
            log.info("loading models and the index; /ready is false until done")
            loader = asyncio.create_task(self.load())
        if self.watcher.every_s > 0:
            watcher = asyncio.create_task(self.watcher.run(self))
        try:
            yield
        finally:
            for task in (loader, watcher):
                if task is not None and not task.done():
                    task.cancel()

    async def load(self) -> None:
        t = time.perf_counter()
        try:
            from qa import factory

            pipeline = await asyncio.to_thread(factory.make_pipeline, self.settings)
            # the titles and headings that questions about them need, read now and not
            # on the first question (every document is read: long on a large collection)
            await asyncio.to_thread(getattr, pipeline, "overviews", None)
            self.pipeline = pipeline
        except (IndexError_, ModelUnavailable) as e:
            self.load_error = str(e)
            log.error("not ready: %s", e)
        except Exception as e:  # noqa: BLE001 - reported on /ready, the process stays up
            self.load_error = f"Loading failed ({type(e).__name__}: {e}); see the server log."
            log.exception("not ready")
        else:
            log.info("models and index loaded in %.1f s; ready", time.perf_counter() - t)

    def ready(self) -> Pipeline:
        """The loaded pipeline, else 503 saying why not."""
        if self.pipeline is None:
            msg = self.load_error or "The server is still loading models and the index."
            raise ApiError(503, "not_ready", msg, {"Retry-After": "10"})
        return self.pipeline

    def status(self) -> dict:
        p = self.pipeline
        if p is None:
            return {"ready": False, "error": self.load_error, "loading": self.load_error is None}
        out = {"ready": True, "index": str(p.index.path),
               "generator": getattr(p.generator, "name", "extractive"),
               "chunks": len(p.index.chunks), "generations": self.gate.stats()}
        if self.watcher.error:
            out["reload_error"] = (f"The index version {self.watcher.failed} could not be "
                                   f"loaded ({self.watcher.error}); the previous one is served.")
        return out

    # -- questions ---------------------------------------------------------------------
    @asynccontextmanager
    async def asking(self, request: Request | None, question: str,
                     history: list[dict]) -> AsyncIterator[Asking]:
        """A question with its slot: 503 when not ready or overloaded, 499 when the
        client goes away while it waits."""
        pipe = self.ready()
        async with self.gate.run(request) as run:
            yield Asking(run, pipe, question, history)

    async def search(self, query: str, top_k: int) -> list[SearchHit]:
        pipe = self.ready()
        res = await asyncio.to_thread(pipe.retriever.search, query, top_k)
        docs = pipe.index.documents
        return [SearchHit(rank=h.rank + 1, doc_id=h.chunk.doc_id, doc_title=docs[h.chunk.doc_id].title,
                          section=h.chunk.section, text=h.chunk.text, start=h.chunk.start,
                          end=h.chunk.end, score=h.score, dense=h.dense, bm25=h.bm25)
                for h in res.hits]

    def documents(self) -> list[DocumentOut]:
        pipe = self.ready()
        chunks = pipe.index.chunks
        if hasattr(chunks, "per_document"):
            counts = chunks.per_document()
        else:
            counts: dict[str, int] = {}
            for c in chunks:
                counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
        return [DocumentOut(doc_id=d.doc_id, title=d.title, release_date=d.meta.get("release_date"),
                            source=d.meta.get("source"), chars=len(d.text),
                            chunks=counts.get(d.doc_id, 0))
                for d in pipe.index.documents.values()]

    # -- the chat page -------------------------------------------------------------------
    def first_documents(self, n: int) -> tuple[list[Document], int]:
        """The first `n` documents (none until loaded) and how many more there are."""
        all_docs = self.pipeline.index.documents if self.pipeline is not None else {}
        docs = [all_docs[k] for k in islice(all_docs, n)]
        return docs, len(all_docs) - len(docs)

    def examples(self) -> list[str]:
        """QA_EXAMPLE_QUESTIONS, else the collection's domain pack's, else derived from the
        collection; worked out once per loaded pipeline."""
        if self.settings.example_questions:
            return list(self.settings.example_questions)
        p = self.pipeline
        if p is None:
            return []
        if self._examples is None or self._examples[0] is not p:
            self._examples = (p, pack_examples(p.index) or derive_examples(p.index.documents))
        return self._examples[1]

    # -- feedback ------------------------------------------------------------------------
    async def add_feedback(self, req: FeedbackRequest) -> int:
        if self._feedback is None:
            self._feedback = FeedbackStore(self.settings.feedback_db)
        return await asyncio.to_thread(self._feedback.add, req.question, req.answer, req.rating,
                                       req.comment, [t.model_dump() for t in req.history],
                                       req.citations)


def get_service(request: Request) -> Service:
    """The dependency every route uses: the app's one Service."""
    return request.app.state.service


ServiceDep = Annotated[Service, Depends(get_service)]
