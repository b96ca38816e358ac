"""Every error the API gives is JSON `{"error": {"code", "message"}}`, and its message
says what to fix: `ApiError` for ours, handlers for FastAPI's and Starlette's."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY

log = logging.getLogger("web")

CLIENT_GONE = (499, "client_closed_request",
               "The client closed the connection before the answer was ready.")
OVERSIZED = {"string_too_long", "too_long", "history_too_large"}
HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}
ERRORS = {
    400: "Malformed request framing (Content-Length)",
    408: "The request body did not arrive in time",
    413: "Request body, question or history too large",
    422: "Invalid request: the message says which field and how to fix it",
    503: "Not ready yet, or overloaded: retry after `Retry-After` seconds",
}
# every route's documented errors, always JSON (also for a route whose answer is not)
DOCUMENTED = {code: {"description": what, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/ErrorResponse"}}}} for code, what in ERRORS.items()}


class ApiError(HTTPException):
    """An error answered as JSON with its own `code`. An HTTPException, so that one
    raised while the body is read (the body timeout) reaches the handler as it is."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(status, message, headers)
        self.code, self.message = code, message

    @property
    def status(self) -> int:
        return self.status_code


def error(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status, headers=headers)


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _crash)


async def _http(request: Request, exc: HTTPException) -> JSONResponse:
    if isinstance(exc, ApiError):
        return error(exc.status_code, exc.code, exc.message, exc.headers)
    message = str(exc.detail)
    if exc.status_code == 413:  # a route's max_body_size, counted as a body without length arrives
        message = (f"The request body is over {request.scope[MAX_BODY_SIZE_SCOPE_KEY]} bytes, the limit. "
                   "Send a shorter question or history.")
    return error(exc.status_code, HTTP_CODES.get(exc.status_code, "http_error"), message,
                 getattr(exc, "headers", None))


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    msg = "; ".join(_explain(e) for e in errors[:5]) or "Invalid request."
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


async def _crash(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error")
    return error(500, "internal_error", "Something went wrong on the server; it is logged.")


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
