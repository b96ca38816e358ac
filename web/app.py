"""FastAPI app factory: JSON API, chat page, errors as JSON, security headers.

Models and the index load once, in the background from start-up: `/health`
answers at once, `/ready` (and every question) gets 503 until everything is
loaded, or with the load error that says what to install or rebuild.

Reliability, see docs/RELIABILITY.md:
- request bodies are capped while they are read (Content-Length or chunked) and
  must arrive within `body_timeout_s`: 413 / 408 as JSON, before pydantic runs;
- generation runs in a worker thread behind `max_running` slots and a queue of
  `max_queued` (waiting at most `queue_timeout_s`): past it, 503 with Retry-After;
- a client that disconnects cancels its queued or running generation.

Not handled: authentication (run it behind your reverse proxy) and multiple
collections per server.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Mapping
from contextlib import asynccontextmanager
from dataclasses import asdict
from itertools import islice
from pathlib import Path

from fastapi import FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from index.loaders import HEADER_SECTION, Document
from qa.errors import BadQuestion, GenerationCancelled, IndexError_, ModelUnavailable
from qa.pipeline import Answer, Limits, Pipeline
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
BODY_TIMEOUT_S = 10.0
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status, headers=headers)


CLIENT_GONE = (499, "client_closed_request",
               "The client closed the connection before the answer was ready.")


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


class Guard:
    """Pure ASGI middleware: security headers on every response, and the request
    body capped at `max_body` bytes while it is read (Content-Length and chunked
    bodies alike, before anything parses it) and due within `body_timeout_s`.

    The body is read here and replayed to the app; later `receive()` calls go to
    the server, so the app still learns when the client disconnects."""

    def __init__(self, app, max_body: int = MAX_BODY, body_timeout_s: float = BODY_TIMEOUT_S):
        self.app, self.max_body, self.body_timeout_s = app, max_body, body_timeout_s

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        async def reply(status: int, code: str, msg: str):
            await error(status, code, msg)(scope, receive, send_with_headers)

        cl = [v for k, v in scope.get("headers", []) if k == b"content-length"]
        if cl:
            if not all(v.isdigit() for v in cl) or len(set(cl)) > 1:
                return await reply(400, "bad_content_length",
                                   "Content-Length is not a single number: send a valid one.")
            if int(cl[0]) > self.max_body:
                return await reply(413, "body_too_large",
                                   f"The request body is {int(cl[0])} bytes; the limit is "
                                   f"{self.max_body}. Send a shorter question or history.")
        body = bytearray()
        deadline = time.monotonic() + self.body_timeout_s
        more = True
        while more:
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                return await reply(408, "body_timeout",
                                   f"The request body did not arrive within {self.body_timeout_s:.0f} s. "
                                   "Send it all at once.")
            if message["type"] == "http.disconnect":
                return  # the client went away while sending
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body:
                return await reply(413, "body_too_large",
                                   f"The request body is over {self.max_body} bytes, the limit. "
                                   "Send a shorter question or history.")
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send_with_headers)


SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


async def _until_disconnected(request: Request, gone: asyncio.Event,
                              cancel: threading.Event) -> None:
    """Wait for the client to go away (after the body, `receive()` only returns then,
    or when the response is complete), and say so to the queue and the worker."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
    gone.set()
    cancel.set()


class _GatedStream(StreamingResponse):
    """Server-sent events that hold a generation slot: the slot is given back (and
    the worker stopped) whichever way the response ends, even when the client goes
    away before the first event or the events generator never runs."""

    def __init__(self, content, on_close, cancel: threading.Event, **kw):
        super().__init__(content, **kw)
        self.on_close, self.cancel = on_close, cancel

    async def __call__(self, scope, receive, send):
        import anyio

        try:
            async with anyio.create_task_group() as tg:
                async def watch():
                    while (await receive())["type"] != "http.disconnect":
                        pass
                    self.cancel.set()
                    tg.cancel_scope.cancel()

                tg.start_soon(watch)
                try:
                    await self.stream_response(send)
                except OSError:  # the client went away mid-send
                    self.cancel.set()
                tg.cancel_scope.cancel()
        finally:
            with anyio.CancelScope(shield=True):
                await self.on_close()


def create_app(settings: Settings | None = None, pipeline: Pipeline | None = None,
               max_running: int | None = None, max_queued: int | None = None,
               queue_timeout_s: float | None = None, max_body: int = MAX_BODY,
               body_timeout_s: float = BODY_TIMEOUT_S) -> FastAPI:
    settings = settings or Settings()
    max_running = max_running or settings.max_concurrent_generations
    max_queued = settings.max_queued if max_queued is None else max_queued
    queue_timeout_s = queue_timeout_s or settings.queue_timeout_s

    async def load() -> None:
        t = time.perf_counter()
        try:
            from qa import factory

            app.state.pipeline = await asyncio.to_thread(factory.make_pipeline, settings)
        except (IndexError_, ModelUnavailable) as e:
            app.state.load_error = str(e)
            log.error("not ready: %s", e)
        except Exception as e:  # noqa: BLE001 - reported on /ready, the process stays up
            app.state.load_error = f"Loading failed ({type(e).__name__}: {e}); see the server log."
            log.exception("not ready")
        else:
            log.info("models and index loaded in %.1f s; ready", time.perf_counter() - t)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.gate = Gate(max_running, max_queued, queue_timeout_s)
        loader = None
        if app.state.pipeline is None:
            log.info("loading models and the index; /ready is false until done")
            loader = asyncio.create_task(load())
        yield
        if loader is not None and not loader.done():
            loader.cancel()

    app = FastAPI(
        title="Document QA", version="0.1.0", lifespan=lifespan,
        description="Answers questions from the indexed documents. Every answer cites the "
        "exact source passages (`text == document[start:end]`), or abstains when the "
        "documents don't say.",
        responses={code: {"model": ErrorResponse, "description": what} for code, what in [
            (400, "Malformed request framing (Content-Length)"),
            (408, "The request body did not arrive in time"),
            (413, "Request body, question or history too large"),
            (422, "Invalid request: the message says which field and how to fix it"),
            (503, "Not ready yet, or overloaded: retry after `Retry-After` seconds"),
        ]},
    )
    app.state.pipeline = pipeline
    app.state.gate = Gate(max_running, max_queued, queue_timeout_s)  # again per lifespan
    app.state.load_error = None
    app.state.feedback = None
    app.state.settings = settings
    app.state.examples = None  # (pipeline, its example questions)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(Guard, max_body=max_body, body_timeout_s=body_timeout_s)

    @app.exception_handler(ApiError)
    async def _api_error(request, exc: ApiError):
        return error(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request, exc: RequestValidationError):
        errors = exc.errors()
        parts = [_explain(e) for e in errors[:5]]
        msg = "; ".join(parts) or "Invalid request."
        if any(e.get("type") == "string_pattern_mismatch" and "question" in e.get("loc", ())
               for e in errors):
            return error(422, "bad_question", "The question is empty or only spaces: type a "
                         "question about the documents.")
        oversized = [e for e in errors if e.get("type") in OVERSIZED]
        if oversized:
            loc = oversized[0].get("loc", ())
            code = ("question_too_long" if "question" in loc
                    else "history_too_large" if "history" in loc
                    or oversized[0].get("type") == "history_too_large" else "field_too_long")
            return error(413, code, msg)
        return error(422, "invalid_request", msg)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

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

    async def run_answer(question: str, history: list[dict],
                         request: Request | None = None) -> Answer:
        """Queue for a slot, answer in a worker thread; the client going away (seen
        by a watcher on `receive()`) takes it out of the queue or stops generation."""
        pipe = ready_pipeline()
        gate: Gate = app.state.gate
        gone, cancel = asyncio.Event(), threading.Event()
        watcher = (asyncio.create_task(_until_disconnected(request, gone, cancel))
                   if request is not None else None)
        try:
            await gate.acquire(gone)
            try:
                return await asyncio.to_thread(pipe.answer, question, history, cancel=cancel)
            except BadQuestion as e:
                raise ApiError(422, "bad_question", str(e)) from e
            except GenerationCancelled as e:
                raise ApiError(*CLIENT_GONE) from e
            except asyncio.CancelledError:
                cancel.set()  # the server is going down: stop the worker too
                raise
            finally:
                gate.release()
        finally:
            if watcher is not None:
                watcher.cancel()

    @app.get("/health", tags=["status"])
    async def health():
        """The process is up."""
        return {"status": "ok"}

    @app.get("/ready", tags=["status"], responses={503: {"model": ErrorResponse}})
    async def ready():
        """Models and index are loaded."""
        p = app.state.pipeline
        if p is None:
            return JSONResponse({"ready": False, "error": app.state.load_error,
                                 "loading": app.state.load_error is None}, 503,
                                headers={"Retry-After": "10"})
        return {"ready": True, "index": str(p.index.path),
                "generator": getattr(p.generator, "name", "extractive"),
                "chunks": len(p.index.chunks), "generations": app.state.gate.stats()}

    @app.post("/ask", response_model=AskResponse, tags=["qa"],
              responses={413: {"model": ErrorResponse}})
    async def ask(req: AskRequest, request: Request):
        """Answer a question with cited passages, or abstain."""
        a = await run_answer(req.question, [t.model_dump() for t in req.history], request)
        return a.to_dict()

    @app.post("/ask/stream", tags=["qa"], response_class=StreamingResponse, responses={
        200: {"content": {"text/event-stream": {"schema": {
            "type": "object", "required": ["event", "data"],
            "properties": {"event": {"enum": ["token", "citations", "done", "error"]},
                           "data": {"type": "string", "description": "JSON"}}}}},
              "description": "Server-sent events: token*, citations, done (or error)"}})
    async def ask_stream(req: AskRequest, request: Request):
        """Server-sent events: `token` (text pieces as generated), `citations`
        (the verified answer, as /ask returns it), `done`, or `error`."""
        pipe = ready_pipeline()
        history = [t.model_dump() for t in req.history]
        gate: Gate = app.state.gate
        gone, cancel = asyncio.Event(), threading.Event()
        watcher = asyncio.create_task(_until_disconnected(request, gone, cancel))
        try:
            await gate.acquire(gone)  # 503 here is still a plain JSON response
        finally:
            watcher.cancel()
        worker: dict = {"future": None, "closed": False}

        async def close() -> None:
            """Stop the worker, wait for it, give the slot back: once."""
            if worker["closed"]:
                return
            worker["closed"] = True
            cancel.set()
            try:
                if worker["future"] is not None:
                    await worker["future"]
            finally:
                gate.release()

        async def events():
            queue: asyncio.Queue = asyncio.Queue()
            loop = asyncio.get_running_loop()

            def produce():
                try:
                    for ev in pipe.stream(req.question, history, cancel=cancel):
                        if cancel.is_set():
                            break
                        loop.call_soon_threadsafe(queue.put_nowait, ev)
                except GenerationCancelled:
                    pass
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

            worker["future"] = loop.run_in_executor(None, produce)
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
            await close()  # the slot is free before the client sees `done`
            yield _sse("done", {})

        return _GatedStream(events(), close, cancel, media_type="text/event-stream",
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
    def examples(p: Pipeline | None) -> list[str]:
        """QA_EXAMPLE_QUESTIONS, else the collection's domain pack's, else derived from the
        collection; worked out once per loaded pipeline."""
        if settings.example_questions:
            return list(settings.example_questions)
        if p is None:
            return []
        cached = app.state.examples
        if cached is None or cached[0] is not p:
            found = pack_examples(p.index) or derive_examples(p.index.documents)
            app.state.examples = cached = (p, found)
        return cached[1]

    def page(request: Request, turns: list[dict], status: int = 200, error_msg: str = ""):
        p = app.state.pipeline
        all_docs = p.index.documents if p else {}
        docs = [all_docs[k] for k in islice(all_docs, HEADER_DOCS)]
        return templates.TemplateResponse(request, "chat.html", {
            "turns": turns, "error": error_msg, "examples": examples(p), "documents": docs,
            "more_documents": len(all_docs) - len(docs),
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
            turns = [{"role": t.get("role"), "content": str(t.get("content", ""))}
                     for t in json.loads(history)
                     if isinstance(t, dict) and t.get("role") in ("user", "assistant")]
        except (ValueError, TypeError):
            turns = []
        turns = recent_turns(turns, Limits())
        try:
            a = await run_answer(question, turns, request)
        except ApiError as e:
            return page(request, turns, e.status if e.status != 422 else 400, e.message)
        turns = turns + [{"role": "user", "content": question},
                         {"role": "assistant", "content": a.answer, "answer": asdict(a)}]
        return page(request, turns)

    return app


def recent_turns(turns: list[dict], limits: Limits) -> list[dict]:
    """The latest turns that fit the history limits: a long no-JavaScript chat keeps
    going, forgetting its oldest turns, instead of failing.

    >>> recent_turns([{"role": "user", "content": "x" * 9000},
    ...               {"role": "user", "content": "ok"}], Limits())
    [{'role': 'user', 'content': 'ok'}]
    """
    kept: list[dict] = []
    size = 0
    for t in reversed(turns):
        size += len(t["content"])
        if len(kept) >= limits.max_history_turns or size > limits.max_history_chars:
            break
        kept.append(t)
    return kept[::-1]


HEADER_DOCS = 8  # document titles named in the page header; the rest are counted
MAX_EXAMPLES = 4
MAX_EXAMPLE_CHARS = 99
UNTITLED = {"untitled", "untitled document", "document"}


def pack_examples(index) -> list[str]:
    """The example questions of the collection's domain pack (index/vocabulary.py),
    stored with its index: the bundled article ships four."""
    vocab = getattr(index, "vocabulary", None)
    questions = (vocab.pack.get("examples") if vocab is not None else None) or []
    return [q.strip() for q in questions if isinstance(q, str) and q.strip()]


def _clean(text: str) -> str:
    return " ".join(text.split())


def derive_examples(documents: Mapping[str, Document], limit: int = MAX_EXAMPLES,
                    max_chars: int = MAX_EXAMPLE_CHARS) -> list[str]:
    """Example questions made from the titles and section headings of the first
    documents: "What is <title> about?", then "What does <title> say about
    <heading>?" one document at a time. Deterministic, de-duplicated, at most
    `limit`, each at most `max_chars` characters (longer ones are left out).

    >>> from index.loaders import parse_text
    >>> docs = [parse_text(t, f"{n}.md") for n, t in enumerate([
    ...     "# Lighthouses\\n## Lenses\\nFresnel lenses focus the light far out to sea.",
    ...     "# Bees\\n## Hives\\nA hive holds one queen and many workers.\\n"])]
    >>> derive_examples({d.doc_id: d for d in docs})
    ['What is Lighthouses about?', 'What is Bees about?', 'What does Lighthouses say about Lenses?', 'What does Bees say about Hives?']
    """
    many = len(documents) > 1
    whole = "the documents" if many else "the document"
    titled: list[str] = []
    by_doc: list[list[str]] = []
    for doc_id in islice(documents, 2 * limit):
        d = documents[doc_id]
        title = _clean(d.title)
        if title.lower() in UNTITLED:
            title = ""
        if title:
            titled.append(f"What is {title} about?")
        qs = []
        for section in dict.fromkeys(_clean(p.section) for p in d.paragraphs):
            section = section.rstrip(":;,. ")
            if not section or section in (HEADER_SECTION, title):
                continue
            if section.endswith("?"):  # a heading that is a question asks itself
                qs.append(section)
                continue
            q = f"What does {title} say about {section}?"
            if not title or len(q) > max_chars:
                q = f"What do{'' if many else 'es'} {whole} say about {section}?"
            qs.append(q)
        by_doc.append(qs)
    titled = [q for q in titled if len(q) <= max_chars]
    half = (limit + 1) // 2
    ordered = titled[:half]
    for k in range(max((len(qs) for qs in by_doc), default=0)):
        ordered += [qs[k] for qs in by_doc if k < len(qs)]
    ordered += titled[half:]
    out: list[str] = []
    seen: set[str] = set()
    for q in ordered:
        if len(q) <= max_chars and q.casefold() not in seen:
            seen.add(q.casefold())
            out.append(q)
            if len(out) == limit:
                break
    return out


OVERSIZED = {"string_too_long", "too_long", "history_too_large"}


def _explain(e: dict) -> str:
    """One validation error as 'where: what to fix'."""
    loc = ".".join(str(x) for x in e.get("loc", ()) if x != "body") or "body"
    t = e.get("type")
    if t == "extra_forbidden":
        return f"{loc}: unknown field; remove it"
    if t == "missing":
        return f"{loc}: required field is missing"
    if t == "json_invalid":
        return (f"body: not valid JSON ({e.get('ctx', {}).get('error', 'parse error')}); "
                'send a JSON object such as {"question": "..."}')
    if t == "history_too_large":
        return f"history: {e.get('msg')}"
    if t in OVERSIZED:
        return f"{loc}: {e.get('msg')}; shorten it"
    return f"{loc}: {e.get('msg')}"


def _sse(event: str, data) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
