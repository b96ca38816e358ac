"""Security headers on every response, and what the request framing must be.

The routes count the body's bytes as they read them (FastAPI's `max_body_size`, set
on the routers: 413 through web/errors.py). This middleware adds what FastAPI does not:
- a Content-Length that is not one number is refused (400), and one over the limit
  at once, on any route, as JSON (FastAPI's own limit would answer that one with a
  plain-text 413, also where a handler answered first);
- the body must arrive within `body_timeout_s` of the request (408).
"""

from __future__ import annotations

import asyncio
import time

from .errors import ApiError, error

MAX_BODY = 64 * 1024
BODY_TIMEOUT_S = 10.0
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # no Referer to other sites; same-origin (not no-referrer) so that the page's own
    # posts carry their Origin, which the access control checks (web/auth.py)
    (b"referrer-policy", b"same-origin"),
]


class Guard:
    """Pure ASGI middleware. Once the body is complete, `receive()` goes straight to
    the server, so the app still learns when the client disconnects."""

    def __init__(self, app, max_body: int = MAX_BODY, body_timeout_s: float = BODY_TIMEOUT_S,
                 larger: dict[str, tuple[int, float]] | None = None):
        """`larger`: {path: (max body, body timeout)} of routes that take files (uploads)."""
        self.app, self.max_body, self.body_timeout_s = app, max_body, body_timeout_s
        self.larger = larger or {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        max_body, body_timeout_s = self.larger.get(scope["path"],
                                                   (self.max_body, self.body_timeout_s))
        cl = [v for k, v in scope.get("headers", []) if k == b"content-length"]
        refusal = None
        if cl and (not all(v.isdigit() for v in cl) or len(set(cl)) > 1):
            refusal = error(400, "bad_content_length",
                            "Content-Length is not a single number: send a valid one.")
        elif cl and int(cl[0]) > max_body:
            refusal = error(413, "body_too_large",
                            f"The request body is {int(cl[0])} bytes; the limit is {max_body}. "
                            + ("Send a smaller file." if scope["path"] in self.larger
                               else "Send a shorter question or history."))
        if refusal is not None:
            return await refusal(scope, receive, send_with_headers)

        deadline = time.monotonic() + body_timeout_s
        complete = False

        async def receive_in_time():
            nonlocal complete
            if complete:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise ApiError(408, "body_timeout",
                               f"The request body did not arrive within {body_timeout_s:.0f} s. "
                               "Send it all at once.") from None
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        await self.app(scope, receive_in_time, send_with_headers)
