"""FastAPI app factory: JSON API, chat page, errors as JSON, security headers.

The parts: `service.py` (the pipeline once loaded, the gate, feedback, examples),
`routes/` (one router per concern), `gate.py` (queueing, cancellation), `guard.py`
(security headers, request framing), `errors.py` (every error as JSON).

Models and the index load once, in the background from start-up: `/health`
answers at once, `/ready` (and every question) gets 503 until everything is
loaded, or with the load error that says what to install or rebuild.

Reliability, see docs/RELIABILITY.md:
- request bodies are capped while they are read (Content-Length or chunked) and
  must arrive within `body_timeout_s`: 413 / 408 as JSON, before pydantic runs;
- generation runs in a worker thread behind `max_running` slots and a queue of
  `max_queued` (waiting at most `queue_timeout_s`): past it, 503 with Retry-After;
- a client that disconnects cancels its queued or running generation.

Access control (web/auth.py): with QA_API_TOKEN or QA_API_TOKENS_FILE set, every
route but /health, /ready, /login, /logout and /static/ needs a Bearer token or the
session cookie of the sign-in form; without one, serving on a non-loopback address
logs a warning at start.

Not handled: multiple collections per server.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from qa.pipeline import Pipeline
from qa.settings import Settings

from .auth import Auth, AuthGate, document
from .errors import DOCUMENTED, install_handlers
from .guard import BODY_TIMEOUT_S, MAX_BODY, Guard
from .routes import ROUTERS, upload
from .service import Service

HERE = Path(__file__).parent


def create_app(settings: Settings | None = None, pipeline: Pipeline | None = None,
               max_running: int | None = None, max_queued: int | None = None,
               queue_timeout_s: float | None = None, max_body: int = MAX_BODY,
               body_timeout_s: float = BODY_TIMEOUT_S) -> FastAPI:
    """The app; `pipeline` given (tests), or loaded from `settings` at start-up.
    `app.state.service` is the Service the routes use, `app.state.auth` the access
    control (web/auth.py)."""
    settings = settings or Settings()
    service = Service(
        settings, pipeline,
        max_running=max_running or settings.max_concurrent_generations,
        max_queued=settings.max_queued if max_queued is None else max_queued,
        queue_timeout_s=queue_timeout_s or settings.queue_timeout_s)
    auth = Auth(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        auth.announce()
        async with service.running():
            yield

    app = FastAPI(
        title="Document QA", version="0.1.0", lifespan=lifespan,
        description="Answers questions from the indexed documents. Every answer cites the "
        "exact source passages (`text == document[start:end]`), or abstains when the "
        "documents don't say.",
        responses=DOCUMENTED,
    )
    app.state.service = service
    app.state.auth = auth
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(AuthGate, auth=auth)  # inside the Guard: refusals get its headers
    app.add_middleware(Guard, max_body=max_body, body_timeout_s=body_timeout_s,
                       larger=service.uploads.body_limits())
    install_handlers(app)
    for router in ROUTERS:
        app.include_router(router, max_body_size=max_body)  # counted as the body is read
    # file uploads: their own body limit; not in the API schema while QA_UPLOADS is off
    app.include_router(upload.router, include_in_schema=service.uploads.enabled)
    if auth.enabled:
        app.openapi = lambda: app.openapi_schema or document(FastAPI.openapi(app))
    return app
