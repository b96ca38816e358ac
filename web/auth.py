"""Access control for shared deployments: an access token (QA_API_TOKEN) or a file of
them (QA_API_TOKENS_FILE, re-read when it changes). With none set, nothing here acts.

With a token set, `AuthGate` (pure ASGI middleware) lets a request through only if
- its path is open: /health, /ready, the sign-in at /login and /logout, and /static/
  (the page's CSS, script and icon: nothing secret, and the sign-in page needs them);
- or it carries `Authorization: Bearer <token>` with a configured token;
- or it carries the session cookie that signing in at /login set. A POST with the
  cookie must come from the page's own origin (`Sec-Fetch-Site`, else `Origin`, see
  `same_origin`), on top of the cookie being SameSite=Strict: the CSRF defence.
Everything else is refused, whatever route it is for, including routes added later:
401 as JSON with `WWW-Authenticate: Bearer`, or for a browser asking for a page
(`Accept: text/html`) a 303 to /login. Wrong tokens count per client address: past
`MAX_FAILURES` within `WINDOW_S`, tokens from that address get 429 until the window
has passed (brute-force friction for the form and the header alike).

Tokens are compared with `hmac.compare_digest`, against every configured token
(no early exit), on HMAC-SHA256 digests of the UTF-8 bytes, so that neither which
token matched nor any token's length shows in the timing. The cookie holds no token:
it is `<issued>.<HMAC(process key, issued + token)>`, valid for SESSION_MAX_AGE_S
while its token is still configured (removing a token from the file signs out its
sessions) and while this process runs (the key is random per process).

Not handled: users, roles or per-token permissions (every token may do everything);
sessions shared by several server processes (each process has its own key, so run
one `qa serve` per host, as it does); client addresses behind a proxy that uvicorn
does not trust (the throttle then counts the proxy as one client).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import os
import secrets
import time
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

from fastapi.responses import RedirectResponse
from starlette.requests import HTTPConnection

from qa.settings import Settings

from .errors import error

log = logging.getLogger("web")

OPEN_PATHS = frozenset({"/health", "/ready", "/login", "/logout"})
OPEN_PREFIXES = ("/static/",)
COOKIE = "qa_session"
SESSION_MAX_AGE_S = 12 * 3600
MAX_FAILURES = 5
WINDOW_S = 300.0
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
HOW = ("send the header `Authorization: Bearer <token>` with a token the server is "
       "configured with (QA_API_TOKEN or QA_API_TOKENS_FILE), or sign in at /login in a browser")


def is_open(path: str) -> bool:
    """Paths that need no token, whether one is set or not."""
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


class Tokens:
    """The configured tokens: QA_API_TOKEN and the lines of QA_API_TOKENS_FILE (blank
    lines and lines starting with # skipped), the file re-read whenever its
    modification time, size or inode changes. A file that cannot be read after a
    change keeps the tokens read before (logged); an empty one accepts no token."""

    def __init__(self, token: str | None = None, file: Path | None = None):
        self.key = secrets.token_bytes(32)  # for the digests compared; never leaves the process
        self.file = file
        self._fixed = [token.strip()] if token and token.strip() else []
        self._signature: tuple | None = None
        self._from_file: list[str] = []
        self._digests: list[tuple[bytes, bytes]] = []  # (token bytes, its digest)
        self._rebuild()

    @property
    def enabled(self) -> bool:
        return bool(self._fixed) or self.file is not None

    def current(self) -> list[tuple[bytes, bytes]]:
        if self.file is not None:
            self._reload_if_changed()
        return self._digests

    def digest(self, candidate: bytes) -> bytes:
        return hmac.new(self.key, candidate, hashlib.sha256).digest()

    def check(self, candidate: bytes) -> bool:
        """Whether `candidate` (UTF-8 bytes) is a configured token: compared with every
        one, each comparison run whatever the others gave."""
        given = self.digest(candidate)
        ok = False
        for _, d in self.current():
            ok |= hmac.compare_digest(given, d)
        return ok

    def _reload_if_changed(self) -> None:
        try:
            st = os.stat(self.file)
        except OSError as e:
            self._unreadable(e)
            return
        signature = (st.st_mtime_ns, st.st_size, st.st_ino)
        if signature == self._signature:
            return
        try:
            text = self.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            self._unreadable(e)
            return
        self._signature = signature
        self._from_file = [line.strip() for line in text.splitlines()
                           if line.strip() and not line.strip().startswith("#")]
        self._rebuild()
        if self._from_file:
            log.info("access tokens: %d read from %s", len(self._from_file), self.file)
        else:
            log.warning("access tokens: %s has no tokens, so every request that needs one "
                        "is refused; write one token a line", self.file)

    def _unreadable(self, e: Exception) -> None:
        if self._signature != "unreadable":
            self._signature = "unreadable"
            log.error("access tokens: cannot read %s (%s); keeping the %d tokens read "
                      "before", self.file, e, len(self._from_file))

    def _rebuild(self) -> None:
        raw = [t.encode("utf-8") for t in dict.fromkeys(self._fixed + self._from_file)]
        self._digests = [(t, self.digest(t)) for t in raw]


class Sessions:
    """Session cookie values: `<issued>.<hex HMAC(key, issued, token)>`; no token in it."""

    def __init__(self, max_age_s: int = SESSION_MAX_AGE_S):
        self.key = secrets.token_bytes(32)
        self.max_age_s = max_age_s

    def _mac(self, issued: int, token: bytes) -> str:
        return hmac.new(self.key, b"session\0%d\0" % issued + token, hashlib.sha256).hexdigest()

    def issue(self, token: bytes, now: float | None = None) -> str:
        issued = int(time.time() if now is None else now)
        return f"{issued}.{self._mac(issued, token)}"

    def valid(self, value: str, tokens: list[tuple[bytes, bytes]], now: float | None = None) -> bool:
        issued_s, _, mac = value.partition(".")
        if not issued_s.isdigit() or len(mac) != 64:
            return False
        issued = int(issued_s)
        now = time.time() if now is None else now
        ok = False
        for token, _ in tokens:
            ok |= hmac.compare_digest(mac.encode(), self._mac(issued, token).encode())
        return ok and -60 <= now - issued <= self.max_age_s


class Throttle:
    """Wrong tokens per client address: `MAX_FAILURES` within `WINDOW_S` lock the
    address out of further tries until the oldest of them is `WINDOW_S` old. A right
    token clears the address's count."""

    def __init__(self, max_failures: int = MAX_FAILURES, window_s: float = WINDOW_S,
                 clock=time.monotonic, max_clients: int = 10_000):
        self.max_failures, self.window_s, self.clock = max_failures, window_s, clock
        self.max_clients = max_clients
        self._failures: dict[str, deque[float]] = {}

    def retry_after(self, client: str) -> float:
        """Seconds until `client` may try again; 0 when it may now."""
        q = self._failures.get(client)
        if not q:
            return 0.0
        now = self.clock()
        while q and now - q[0] >= self.window_s:
            q.popleft()
        if len(q) < self.max_failures:
            return 0.0
        return self.window_s - (now - q[0])

    def failed(self, client: str) -> None:
        now = self.clock()
        if client not in self._failures and len(self._failures) >= self.max_clients:
            self._failures = {c: q for c, q in self._failures.items()
                              if q and now - q[-1] < self.window_s}
        q = self._failures.setdefault(client, deque(maxlen=self.max_failures))
        q.append(now)

    def succeeded(self, client: str) -> None:
        self._failures.pop(client, None)


def client_of(conn: HTTPConnection) -> str:
    return conn.client.host if conn.client else "unknown"


def same_origin(conn: HTTPConnection) -> bool:
    """The request comes from this server's own page. The browser's `Sec-Fetch-Site`
    says so when sent (same-origin; none: the user's own navigation); else `Origin`
    must name this server: the Host header, or the X-Forwarded-Host a reverse proxy
    passes (a page of another origin can set neither). With neither header (not a
    browser, or an old one) the request goes on: SameSite=Strict keeps the cookie off
    cross-site requests. As Go's net/http CrossOriginProtection does."""
    site = conn.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = conn.headers.get("origin")
    if origin is None:
        return True
    parts = urlsplit(origin)
    if origin == "null" or not parts.netloc:
        return False
    hosts = [conn.headers.get("host", ""),
             *conn.headers.get("x-forwarded-host", "").split(",")]
    want = _netloc(parts.scheme, parts.netloc)
    return any(_netloc(parts.scheme, h.strip()) == want for h in hosts if h.strip())


def _netloc(scheme: str, netloc: str) -> str:
    netloc = netloc.lower()
    default = {"http": ":80", "https": ":443"}.get(scheme)
    return netloc[: -len(default)] if default and netloc.endswith(default) else netloc


def cross_origin_message(conn: HTTPConnection) -> str:
    h = conn.headers
    source = h.get("origin") or f"Sec-Fetch-Site: {h.get('sec-fetch-site')}"
    return (f"This request comes from another site ({source}), not from this server's "
            f"page ({h.get('host')}): post from the chat page itself. Behind a reverse proxy, "
            "pass the original Host header (nginx: proxy_set_header Host $host).")


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Auth:
    """The tokens, sessions and throttle of one app (`app.state.auth`)."""

    def __init__(self, settings: Settings):
        token = settings.api_token.get_secret_value() if settings.api_token else None
        self.tokens = Tokens(token, settings.api_tokens_file)
        self.sessions = Sessions()
        self.throttle = Throttle()
        self.host = settings.host

    @property
    def enabled(self) -> bool:
        return self.tokens.enabled

    def announce(self) -> None:
        """At start-up: say whether a token is required, and warn when the server is open
        to a network without one."""
        if self.enabled:
            self.tokens.current()  # reads the file now, logging what it found
            log.info("access control on: the API requires a Bearer token, the chat page a "
                     "sign-in at /login")
        elif not is_loopback(self.host):
            log.warning(
                "Serving on %s without an access token: anyone who can reach this address "
                "can ask questions and read the indexed documents. Set QA_API_TOKEN (or "
                "QA_API_TOKENS_FILE) to require a token, or serve on 127.0.0.1 behind a "
                "proxy that authenticates.", self.host or "all addresses")

    def session_valid(self, value: str | None) -> bool:
        return bool(value) and self.sessions.valid(value, self.tokens.current())

    def refusal(self, conn: HTTPConnection):
        """None when `conn` may go on; else the response that refuses it."""
        header = conn.headers.get("authorization")
        if header is not None:
            return self._bearer(conn, header)
        if self.session_valid(conn.cookies.get(COOKIE)):
            if conn.scope.get("method", "GET") not in SAFE_METHODS and not same_origin(conn):
                return error(403, "cross_origin", cross_origin_message(conn))
            return None
        if "text/html" in conn.headers.get("accept", ""):
            return RedirectResponse("/login", 303)
        if conn.cookies.get(COOKIE):
            return unauthorized("Your sign-in has expired or is no longer valid: reload the "
                                 "page and sign in again, or " + HOW + ".")
        return unauthorized(f"This server requires an access token: {HOW}.")

    def _bearer(self, conn: HTTPConnection, header: str):
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return unauthorized("The Authorization header is not `Bearer <token>`: " + HOW + ".",
                                'Bearer error="invalid_request"')
        client = client_of(conn)
        wait = self.throttle.retry_after(client)
        if wait > 0:
            return locked_out(wait)
        # Starlette decodes headers as latin-1: encoding back gives the bytes sent
        if self.tokens.check(value.strip().encode("latin-1")):
            self.throttle.succeeded(client)
            return None
        self.throttle.failed(client)
        return unauthorized("The access token is not valid: check it, or ask whoever runs the "
                            "server for a current one.", 'Bearer error="invalid_token"')


def unauthorized(message: str, challenge: str = "Bearer"):
    return error(401, "unauthorized", message, {"WWW-Authenticate": challenge})


def locked_out(wait: float):
    s = max(1, int(wait + 0.999))
    return error(429, "too_many_attempts", f"Too many wrong tokens from this address: try "
                 f"again in {s} s.", {"Retry-After": str(s)})


class AuthGate:
    """Pure ASGI middleware: every request to a path that is not open needs a token
    (`Auth.refusal`); nothing is checked when no token is configured."""

    def __init__(self, app, auth: Auth):
        self.app, self.auth = app, auth

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket") or not self.auth.enabled \
                or is_open(scope["path"]):
            return await self.app(scope, receive, send)
        conn = HTTPConnection(scope)
        refusal = self.auth.refusal(conn)
        if refusal is None:
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        await refusal(scope, receive, send)


REFUSALS = {
    "401": "No access token, or a wrong one (`WWW-Authenticate: Bearer`)",
    "403": "A post with the session cookie from another site",
    "429": "Too many wrong tokens from this address: retry after `Retry-After` seconds",
}


def document(schema: dict) -> dict:
    """The OpenAPI schema with the Bearer scheme on every route that needs it."""
    schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = {
        "type": "http", "scheme": "bearer",
        "description": "A token of QA_API_TOKEN or QA_API_TOKENS_FILE"}
    for path, ops in schema.get("paths", {}).items():
        if is_open(path):
            continue
        for op in ops.values():
            op["security"] = [{"bearer": []}]
            for status, what in REFUSALS.items():
                op.setdefault("responses", {})[status] = {"description": what, "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}
    return schema
