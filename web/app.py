"""FastAPI app factory: JSON API, chat page, errors as JSON, security headers.

Models and the index load once, at start-up, in the lifespan; `/ready` is false
until then. Generation runs in a worker thread behind a small concurrency limit
with a bounded queue: past it, 503 with Retry-After.

Not handled: authentication (run it behind your reverse proxy) and multiple
collections per server.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from contextlib import asynccontextmanager
from dataclasses import asdict
from pathlib import Path

from fastapi import FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from qa.errors import BadQuestion, IndexError_, ModelUnavailable
from qa.pipeline import Answer, Pipeline
from qa.settings import Settings

from .feedback import FeedbackStore
from .schemas import (
    AskRequest,
    AskResponse,
    DocumentOut,
    ErrorResponse,
    FeedbackRequest,
    SearchHit,
    SearchRequest,
)

log = logging.getLogger("web")
HERE = Path(__file__).parent
MAX_BODY = 64 * 1024
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status, headers=headers)


class Gate:
    """At most `running` generations at once and `queued` waiting; more -> 503."""

    def __init__(self, running: int = 1, queued: int = 8):
        self.sem = asyncio.Semaphore(running)
        self.queued = queued
        self.waiting = 0

    async def __aenter__(self):
        if self.sem.locked() and self.waiting >= self.queued:
            raise ApiError(503, "overloaded", "The server is busy answering other questions. "
                           "Retry in a few seconds.", {"Retry-After": "5"})
        self.waiting += 1
        try:
            await self.sem.acquire()
        finally:
            self.waiting -= 1

    async def __aexit__(self, *exc):
        self.sem.release()


def create_app(settings: Settings | None = None, pipeline: Pipeline | None = None,
               max_running: int = 1, max_queued: int = 8) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.gate = Gate(max_running, max_queued)
        if app.state.pipeline is None:
            t = time.perf_counter()
            try:
                from qa import factory

                app.state.pipeline = await asyncio.to_thread(factory.make_pipeline, settings)
            except (IndexError_, ModelUnavailable) as e:
                app.state.load_error = str(e)
                log.error("not ready: %s", e)
            else:
                log.info("models and index loaded in %.1f s", time.perf_counter() - t)
        yield

    app = FastAPI(
        title="Document QA", version="0.1.0", lifespan=lifespan,
        description="Answers questions from the indexed documents. Every answer cites the "
        "exact source passages (`text == document[start:end]`), or abstains when the "
        "documents don't say.",
        responses={422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
    )
    app.state.pipeline = pipeline
    app.state.load_error = None
    app.state.feedback = None
    app.state.settings = settings
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def guard(request: Request, call_next):
        cl = request.headers.get("content-length")
        if cl is not None:
            if not cl.isdigit():
                return error(400, "bad_content_length", "Content-Length is not a number.")
            if int(cl) > MAX_BODY:
                return error(413, "body_too_large",
                             f"The request body is {cl} bytes; the limit is {MAX_BODY}.")
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(ApiError)
    async def _api_error(request, exc: ApiError):
        return error(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request, exc: RequestValidationError):
        parts = []
        for e in exc.errors()[:5]:
            loc = ".".join(str(x) for x in e.get("loc", ()) if x != "body")
            parts.append(f"{loc or 'body'}: {e.get('msg')}")
        too_long = any(e.get("type") == "string_too_long" and "question" in e.get("loc", ())
                       for e in exc.errors())
        if too_long:
            return error(413, "question_too_long", "; ".join(parts))
        return error(422, "invalid_request", "; ".join(parts) or "Invalid request.")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _crash(request, exc: Exception):
        log.exception("unhandled error")
        return error(500, "internal_error", "Something went wrong on the server; it is logged.")

    def ready_pipeline() -> Pipeline:
        p = app.state.pipeline
        if p is None:
            msg = app.state.load_error or "The server is still loading models and the index."
            raise ApiError(503, "not_ready", msg, {"Retry-After": "10"})
        return p

    async def run_answer(question: str, history: list[dict]) -> Answer:
        pipe = ready_pipeline()
        async with app.state.gate:
            try:
                return await asyncio.to_thread(pipe.answer, question, history)
            except BadQuestion as e:
                raise ApiError(422, "bad_question", str(e)) from e

    @app.get("/health", tags=["status"])
    async def health():
        """The process is up."""
        return {"status": "ok"}

    @app.get("/ready", tags=["status"], responses={503: {"model": ErrorResponse}})
    async def ready():
        """Models and index are loaded."""
        p = app.state.pipeline
        if p is None:
            return JSONResponse({"ready": False, "error": app.state.load_error}, 503)
        return {"ready": True, "index": str(p.index.path),
                "generator": getattr(p.generator, "name", "extractive"),
                "chunks": len(p.index.chunks)}

    @app.post("/ask", response_model=AskResponse, tags=["qa"],
              responses={413: {"model": ErrorResponse}})
    async def ask(req: AskRequest):
        """Answer a question with cited passages, or abstain."""
        a = await run_answer(req.question, [t.model_dump() for t in req.history])
        return a.to_dict()

    @app.post("/ask/stream", tags=["qa"])
    async def ask_stream(req: AskRequest, request: Request):
        """Server-sent events: `token` (text pieces as generated), `citations`
        (the verified answer, as /ask returns it), `done`, or `error`."""
        pipe = ready_pipeline()
        history = [t.model_dump() for t in req.history]
        gate = app.state.gate
        await gate.__aenter__()

        async def events():
            queue: asyncio.Queue = asyncio.Queue()
            loop = asyncio.get_running_loop()
            cancelled = False

            def produce():
                try:
                    for ev in pipe.stream(req.question, history):
                        if cancelled:
                            break
                        loop.call_soon_threadsafe(queue.put_nowait, ev)
                except BadQuestion as e:
                    loop.call_soon_threadsafe(queue.put_nowait,
                                              {"event": "error", "data": {"code": "bad_question",
                                                                          "message": str(e)}})
                except Exception as e:  # noqa: BLE001
                    log.exception("stream failed")
                    loop.call_soon_threadsafe(queue.put_nowait, {"event": "error", "data": {
                        "code": "internal_error", "message": type(e).__name__}})
                finally:
                    loop.call_soon_threadsafe(queue.put_nowait, None)

            task = loop.run_in_executor(None, produce)
            try:
                while True:
                    ev = await queue.get()
                    if ev is None:
                        break
                    if ev["event"] == "token":
                        yield _sse("token", {"text": ev["data"]})
                    elif ev["event"] == "answer":
                        yield _sse("citations", ev["data"].to_dict())
                    else:
                        yield _sse(ev["event"], ev["data"])
                yield _sse("done", {})
            finally:
                cancelled = True
                await task
                await gate.__aexit__()

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store"})

    @app.post("/search", response_model=list[SearchHit], tags=["qa"])
    async def search(req: SearchRequest):
        """Retrieval only: the best chunks with fused, dense and BM25 scores and offsets."""
        pipe = ready_pipeline()
        res = await asyncio.to_thread(pipe.retriever.search, req.query, req.top_k)
        docs = pipe.index.documents
        return [SearchHit(rank=h.rank + 1, doc_id=h.chunk.doc_id, doc_title=docs[h.chunk.doc_id].title,
                          section=h.chunk.section, text=h.chunk.text, start=h.chunk.start,
                          end=h.chunk.end, score=h.score, dense=h.dense, bm25=h.bm25)
                for h in res.hits]

    @app.get("/documents", response_model=list[DocumentOut], tags=["qa"])
    async def documents():
        """The indexed collection."""
        pipe = ready_pipeline()
        counts: dict[str, int] = {}
        for c in pipe.index.chunks:
            counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
        return [DocumentOut(doc_id=d.doc_id, title=d.title, release_date=d.meta.get("release_date"),
                            source=d.meta.get("source"), chars=len(d.text),
                            chunks=counts.get(d.doc_id, 0))
                for d in pipe.index.documents.values()]

    @app.post("/feedback", status_code=201, tags=["feedback"])
    async def feedback(req: FeedbackRequest):
        """Thumbs up/down on an answer, with an optional comment (stored locally)."""
        store = app.state.feedback or FeedbackStore(settings.feedback_db)
        app.state.feedback = store
        fid = await asyncio.to_thread(store.add, req.question, req.answer, req.rating,
                                      req.comment, [t.model_dump() for t in req.history],
                                      req.citations)
        return {"id": fid}

    # -- chat page ------------------------------------------------------------
    def page(request: Request, turns: list[dict], status: int = 200, error_msg: str = ""):
        p = app.state.pipeline
        docs = list(p.index.documents.values()) if p else []
        return templates.TemplateResponse(request, "chat.html", {
            "turns": turns, "error": error_msg, "examples": EXAMPLES, "documents": docs,
            "history_json": json.dumps([{"role": t["role"], "content": t["content"]} for t in turns],
                                       ensure_ascii=False),
        }, status_code=status)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home(request: Request):
        return page(request, [])

    @app.post("/", response_class=HTMLResponse, include_in_schema=False)
    async def home_post(request: Request, question: str = Form(""), history: str = Form("[]")):
        """The chat without JavaScript: the form posts, the server renders the answer."""
        try:
            turns = [t for t in json.loads(history) if isinstance(t, dict)][-20:]
            turns = [{"role": t.get("role"), "content": str(t.get("content", ""))[:8000]}
                     for t in turns if t.get("role") in ("user", "assistant")]
        except ValueError:
            turns = []
        try:
            a = await run_answer(question, turns)
        except ApiError as e:
            return page(request, turns, e.status if e.status != 422 else 400, e.message)
        turns = turns + [{"role": "user", "content": question},
                         {"role": "assistant", "content": a.answer, "answer": asdict(a)}]
        return page(request, turns)

    return app


EXAMPLES = [
    "What did Tianjin plan for flood season?",
    "How many houses did Jilin rebuild and repair?",
    "What is Shanxi doing about extreme weather?",
    "天津在汛期前计划完成多少个水毁修复工程？",
]


def _sse(event: str, data) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
