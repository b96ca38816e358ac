"""Access control (web/auth.py): every route that is not open needs a token, compared in
constant time; the page's sign-in sets a session cookie; tokens rotate through a file;
a server open to the network without a token says so at start."""

from __future__ import annotations

import hmac
import logging
import os
import re

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from starlette.routing import Mount

from qa.settings import Settings
from web.app import create_app
from web.auth import COOKIE, Sessions, Throttle

TOKEN = "team-token-0123456789abcdef"
WRONG = "team-token-0123456789abcdeX"  # same length, last character differs
TIANJIN = "What did Tianjin plan for flood season?"
# the routes that need no token; a route added later is closed unless added here
OPEN = {"/health", "/ready", "/login", "/logout", "/static"}
BODIES = {"/ask": {"question": TIANJIN}, "/ask/stream": {"question": TIANJIN},
          "/search": {"query": "flood season"},
          "/feedback": {"question": TIANJIN, "answer": "a", "rating": "up"}}
FORMS = {"/": {"question": TIANJIN}}


def make_app(tmp_path, pipeline=None, **settings):
    settings.setdefault("api_token", TOKEN)
    return create_app(Settings(index_dir=tmp_path / "i", feedback_db=tmp_path / "fb.sqlite3",
                               **settings), pipeline=pipeline)


@pytest.fixture()
def app(tmp_path, pipeline):
    return make_app(tmp_path, pipeline)


@pytest.fixture()
def client(app):
    with TestClient(app, follow_redirects=False) as c:
        yield c


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def endpoints(app) -> list[tuple[str, str]]:
    """(method, concrete path) of every route of the app, the static mount included."""
    return list(walk(app.routes, ""))


def walk(routes, prefix: str):
    for r in routes:
        if isinstance(r, Mount):
            yield "GET", prefix + r.path + "/chat.css"
        elif hasattr(r, "original_router"):  # FastAPI keeps an included router whole
            yield from walk(r.original_router.routes, prefix + r.include_context.prefix)
        else:
            assert getattr(r, "methods", None) and r.path, f"a route of an unknown kind: {r!r}"
            path = prefix + re.sub(r"\{[^}]+\}", "x", r.path)
            yield from ((m, path) for m in sorted(r.methods))


def is_open(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in OPEN)


def call(client, method: str, path: str, headers: dict | None = None):
    headers = dict(headers or {})
    if method == "POST":
        if path in FORMS:
            return client.post(path, data=FORMS[path], headers=headers)
        return client.post(path, json=BODIES.get(path, {}), headers=headers)
    return client.request(method, path, headers=headers)


# -- every route -------------------------------------------------------------------------
def test_every_route_needs_the_token(app, client):
    app.state.auth.throttle = Throttle(max_failures=10**6)  # many wrong tokens on purpose
    closed = [(m, p) for m, p in endpoints(app) if not is_open(p)]
    # the test is about the real routes: it cannot pass on an empty list
    assert {p for _, p in closed} >= {"/", "/ask", "/ask/stream", "/search", "/documents",
                                      "/feedback", "/openapi.json", "/docs"}
    for method, path in closed:
        for headers in ({}, bearer(WRONG), bearer(""), {"Authorization": f"Basic {TOKEN}"}):
            r = call(client, method, path, headers)
            assert r.status_code == 401, (method, path, headers, r.status_code)
            assert r.headers["www-authenticate"].startswith("Bearer")
            if method != "HEAD":
                err = r.json()["error"]
                assert err["code"] == "unauthorized" and err["message"]
                if not headers:
                    assert "Authorization: Bearer <token>" in err["message"]
        r = call(client, method, path, bearer(TOKEN))
        assert r.status_code not in (401, 403) and r.status_code < 500, (method, path, r.text)


def test_open_routes_stay_open(app, client):
    for method, path in endpoints(app):
        if is_open(path):
            r = call(client, method, path)
            # no refusal of the gate (a wrong sign-in is the form's own answer, as HTML)
            assert r.status_code != 403 and "www-authenticate" not in r.headers, (method, path)
            assert "json" not in r.headers.get("content-type", "") or r.status_code < 400
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json()["ready"] is True


def test_an_unknown_path_needs_the_token_before_it_is_a_404(client):
    assert client.get("/nope").status_code == 401
    r = client.get("/nope", headers=bearer(TOKEN))
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_answers_with_the_right_token(client, pipeline):
    r = client.post("/ask", json={"question": TIANJIN}, headers=bearer(TOKEN))
    assert r.status_code == 200
    assert any("43 water damage repair projects" in c["text"] for c in r.json()["citations"])
    with client.stream("POST", "/ask/stream", json={"question": TIANJIN},
                       headers=bearer(TOKEN)) as r:
        text = "".join(r.iter_text())
    assert r.status_code == 200 and "event: citations" in text and "event: done" in text


def test_a_refusal_has_the_security_headers_and_says_which_token_problem(client):
    r = client.get("/documents", headers=bearer(WRONG))
    assert r.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert r.json()["error"]["message"].startswith("The access token is not valid")
    assert r.headers["x-frame-options"] == "DENY"
    r = client.get("/documents", headers={"Authorization": "Token abc"})
    assert r.headers["www-authenticate"] == 'Bearer error="invalid_request"'


def test_without_a_token_configured_nothing_is_asked(tmp_path, pipeline):
    app = make_app(tmp_path, pipeline, api_token=None)
    with TestClient(app, follow_redirects=False) as c:
        assert c.get("/documents").status_code == 200
        assert c.get("/").status_code == 200 and "Sign out" not in c.get("/").text
        assert c.get("/login").headers["location"] == "/"
        assert "security" not in c.get("/openapi.json").json()["paths"]["/ask"]["post"]


def test_the_schema_documents_the_bearer_scheme(client):
    schema = client.get("/openapi.json", headers=bearer(TOKEN)).json()
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert schema["paths"]["/ask"]["post"]["security"] == [{"bearer": []}]
    assert "401" in schema["paths"]["/ask"]["post"]["responses"]
    assert "security" not in schema["paths"]["/health"]["get"]


# -- timing-safe comparison ---------------------------------------------------------------
def test_tokens_are_compared_with_compare_digest_against_every_token(tmp_path, pipeline,
                                                                     monkeypatch):
    tokens = tmp_path / "tokens"
    tokens.write_text("second-token-aaaaaaaaaaaaaaa\nthird-token-bbbbbbbbbbbbbbbbb\n")
    app = make_app(tmp_path, pipeline, api_tokens_file=tokens)
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    with TestClient(app) as c:
        for token, status in ((TOKEN, 200), (WRONG, 401), ("x", 401),
                              ("third-token-bbbbbbbbbbbbbbbbb", 200)):
            calls.clear()
            assert c.get("/documents", headers=bearer(token)).status_code == status
            # one comparison per configured token, whichever matched (no early exit), of
            # equal-length digests (no token's length shows either)
            assert len(calls) == 3 and len({n for pair in calls for n in pair}) == 1
        # the decision is compare_digest's: with it saying no, the right token is refused
        monkeypatch.setattr(hmac, "compare_digest", lambda a, b: False)
        assert c.get("/documents", headers=bearer(TOKEN)).status_code == 401


def test_a_wrong_token_of_the_same_length_fails(client):
    assert len(WRONG) == len(TOKEN)
    assert client.get("/documents", headers=bearer(WRONG)).status_code == 401
    assert client.post("/login", data={"token": WRONG}).status_code == 401
    assert client.get("/documents", headers=bearer(TOKEN)).status_code == 200


# -- the page's sign-in --------------------------------------------------------------------
def sign_in(client, token: str = TOKEN):
    return client.post("/login", data={"token": token}, headers={"Origin": "http://testserver"})


def test_a_browser_without_a_session_is_sent_to_the_sign_in(app, client):
    html = {"Accept": "text/html,application/xhtml+xml"}
    for method, path in endpoints(app):
        if not is_open(path):
            r = call(client, method, path, html)
            assert r.status_code == 303 and r.headers["location"] == "/login", (method, path)
    r = client.get("/login")
    assert r.status_code == 200 and 'name="token"' in r.text and 'type="password"' in r.text


def test_sign_in_sets_a_strict_httponly_cookie_that_is_not_the_token(client):
    r = sign_in(client)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(COOKIE + "=") and TOKEN not in cookie
    attrs = {a.strip().lower() for a in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/"} <= attrs
    assert "secure" not in attrs  # plain http here; see the https test
    assert client.get("/login").headers["location"] == "/"  # signed in already


def test_the_cookie_is_secure_over_https(app):
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as c:
        r = c.post("/login", data={"token": TOKEN}, headers={"Origin": "https://testserver"})
    assert "secure" in {a.strip().lower() for a in r.headers["set-cookie"].split(";")}


def test_the_session_opens_the_page_the_form_and_the_stream(app, client, pipeline):
    sign_in(client)
    page = client.get("/")
    assert page.status_code == 200 and "Sign out" in page.text
    same = {"Origin": "http://testserver"}
    r = client.post("/", data={"question": TIANJIN}, headers=same)  # the no-JavaScript form
    assert r.status_code == 200 and "43 water damage repair projects" in r.text
    with client.stream("POST", "/ask/stream", json={"question": TIANJIN}, headers=same) as r:
        assert r.status_code == 200 and "event: done" in "".join(r.iter_text())
    r = client.post("/feedback", json=BODIES["/feedback"], headers=same)
    assert r.status_code == 201
    # every closed route takes the cookie instead of the Bearer token
    for method, path in endpoints(app):
        if not is_open(path):
            r = call(client, method, path, same)
            assert r.status_code not in (401, 403) and r.status_code < 500, (method, path)


def test_a_cross_site_post_with_the_cookie_is_refused(client):
    sign_in(client)
    for origin in ("http://evil.example", "null", "http://testserver.evil.example"):
        r = client.post("/ask", json={"question": TIANJIN}, headers={"Origin": origin})
        assert r.status_code == 403 and r.json()["error"]["code"] == "cross_origin", origin
        assert "proxy_set_header Host" in r.json()["error"]["message"]
    assert client.post("/login", data={"token": TOKEN},
                       headers={"Origin": "http://evil.example"}).status_code == 403
    # a reverse proxy that passes the public host along
    r = client.post("/ask", json={"question": TIANJIN}, headers={
        "Origin": "https://qa.example.org", "X-Forwarded-Host": "qa.example.org"})
    assert r.status_code == 200
    # the browser's Sec-Fetch-Site decides when sent (a proxy may have rewritten the Host)
    for site, status in (("cross-site", 403), ("same-site", 403), ("same-origin", 200)):
        r = client.post("/ask", json={"question": TIANJIN}, headers={
            "Sec-Fetch-Site": site, "Origin": "https://qa.example.org", "Host": "127.0.0.1:8000"})
        assert r.status_code == status, site
    # reading needs no Origin check; SameSite=Strict keeps the cookie off cross-site requests
    assert client.get("/documents", headers={"Origin": "http://evil.example"}).status_code == 200


def test_sign_out_clears_the_session(client):
    sign_in(client)
    r = client.post("/logout", headers={"Origin": "http://testserver"})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert 'qa_session=""' in r.headers["set-cookie"] and "max-age=0" in r.headers[
        "set-cookie"].lower()
    client.cookies.clear()  # as the browser does with an expired cookie
    r = client.get("/", headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["location"] == "/login"


def test_forged_foreign_and_expired_sessions_are_refused(app, client):
    tokens = app.state.auth.tokens.current()
    now = 1_800_000_000
    good = app.state.auth.sessions.issue(TOKEN.encode(), now)
    assert app.state.auth.sessions.valid(good, tokens, now + 60)
    assert not app.state.auth.sessions.valid(good, tokens, now + 13 * 3600)  # expired
    foreign = Sessions().issue(TOKEN.encode())  # another process's key
    forged = good.split(".")[0] + "." + "0" * 64
    for value in (foreign, forged, "garbage", TOKEN, ""):
        client.cookies.set(COOKIE, value)
        r = client.get("/documents")
        assert r.status_code == 401, value
        if value:
            assert "sign-in has expired" in r.json()["error"]["message"]


def test_wrong_tokens_lock_the_address_out_for_a_while(app, pipeline):
    clock = [1000.0]
    app.state.auth.throttle = Throttle(max_failures=5, window_s=300, clock=lambda: clock[0])
    a = TestClient(app, follow_redirects=False)
    b = TestClient(app, follow_redirects=False, client=("10.0.0.2", 40000))
    for _ in range(3):
        assert sign_in(a, WRONG).status_code == 401
    for _ in range(2):  # wrong Bearer tokens count too
        assert a.get("/documents", headers=bearer(WRONG)).status_code == 401
    r = sign_in(a)  # now even the right token waits
    assert r.status_code == 429 and r.headers["retry-after"] == "300"
    assert "try again in 300 s" in r.text
    r = a.get("/documents", headers=bearer(TOKEN))
    assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_attempts"
    assert sign_in(b).status_code == 303  # another address is not affected
    clock[0] += 301
    assert sign_in(a).status_code == 303
    # a success clears the count
    for _ in range(4):
        assert sign_in(a, WRONG).status_code == 401
    assert sign_in(a).status_code == 303
    assert sign_in(a, WRONG).status_code == 401
    assert sign_in(a).status_code == 303


# -- the tokens file -----------------------------------------------------------------------
def test_tokens_file_rotates_without_a_restart(tmp_path, pipeline):
    f = tmp_path / "tokens"
    f.write_text("# the team's tokens\n\nalpha-token-1111111111111111\n  beta-token-22222222222222  \n")
    app = make_app(tmp_path, pipeline, api_token=None, api_tokens_file=f)
    with TestClient(app, follow_redirects=False) as c:
        for t in ("alpha-token-1111111111111111", "beta-token-22222222222222"):
            assert c.get("/documents", headers=bearer(t)).status_code == 200
        assert c.get("/documents", headers=bearer("# the team's tokens")).status_code == 401
        c.post("/login", data={"token": "alpha-token-1111111111111111"})
        assert c.get("/").status_code == 200
        # alpha is rotated out, gamma in
        st = f.stat()
        f.write_text("beta-token-22222222222222\ngamma-token-333333333333333\n")
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert c.get("/documents", headers=bearer("alpha-token-1111111111111111")).status_code == 401
        assert c.get("/documents", headers=bearer("gamma-token-333333333333333")).status_code == 200
        assert c.get("/documents", headers=bearer("beta-token-22222222222222")).status_code == 200
        assert c.get("/").status_code == 401  # alpha's session ended with it


def test_a_tokens_file_that_goes_away_keeps_the_tokens_read_before(tmp_path, pipeline, caplog):
    f = tmp_path / "tokens"
    f.write_text(TOKEN + "\n")
    app = make_app(tmp_path, pipeline, api_token=None, api_tokens_file=f)
    with TestClient(app) as c, caplog.at_level(logging.ERROR, logger="web"):
        f.unlink()
        assert c.get("/documents", headers=bearer(TOKEN)).status_code == 200
        assert "cannot read" in caplog.text and str(f) in caplog.text


def test_an_empty_tokens_file_refuses_everyone(tmp_path, pipeline, caplog):
    f = tmp_path / "tokens"
    f.write_text("# no tokens yet\n")
    with caplog.at_level(logging.WARNING, logger="web"):
        app = make_app(tmp_path, pipeline, api_token=None, api_tokens_file=f)
        with TestClient(app) as c:
            assert c.get("/documents").status_code == 401
            assert c.get("/documents", headers=bearer("# no tokens yet")).status_code == 401
            assert c.get("/health").status_code == 200
    assert "has no tokens" in caplog.text


def test_settings_of_the_tokens(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_API_TOKEN", TOKEN)
    s = Settings()
    assert s.api_token.get_secret_value() == TOKEN and TOKEN not in repr(s)
    monkeypatch.setenv("QA_API_TOKEN", "")  # docker run -e QA_API_TOKEN= : no token
    assert Settings().api_token is None
    monkeypatch.setenv("QA_API_TOKENS_FILE", str(tmp_path / "missing"))
    with pytest.raises(ValidationError, match="api_tokens_file"):
        Settings()


# -- the start-up warning -------------------------------------------------------------------
WARNING = "without an access token"


@pytest.mark.parametrize("host,warns", [
    ("0.0.0.0", True), ("::", True), ("192.168.1.5", True), ("qa.example.org", True),
    ("127.0.0.1", False), ("localhost", False), ("::1", False), ("127.0.0.2", False),
])
def test_serving_on_a_network_without_a_token_warns(tmp_path, pipeline, caplog, host, warns):
    app = make_app(tmp_path, pipeline, api_token=None, host=host)
    with caplog.at_level(logging.WARNING, logger="web"), TestClient(app):
        pass
    assert (WARNING in caplog.text) is warns
    if warns:
        assert host in caplog.text and "QA_API_TOKEN" in caplog.text


def test_no_warning_with_a_token(tmp_path, pipeline, caplog):
    app = make_app(tmp_path, pipeline, host="0.0.0.0")
    with caplog.at_level(logging.INFO, logger="web"), TestClient(app):
        pass
    assert WARNING not in caplog.text and "access control on" in caplog.text


def test_qa_serve_on_all_addresses_warns(tmp_path, monkeypatch, caplog):
    """The host given to `qa serve --host` reaches the check."""
    import uvicorn

    from cli import main
    from web.service import Service

    async def no_models(self):
        self.load_error = "not loaded in this test"

    served = {}

    def run(app, **kw):
        served.update(kw)
        with TestClient(app):
            pass

    monkeypatch.setattr(Service, "load", no_models)
    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "i"))
    with caplog.at_level(logging.WARNING, logger="web"):
        assert main(["serve", "--host", "0.0.0.0", "--port", "8123"]) == 0
    assert served["host"] == "0.0.0.0"
    assert "Serving on 0.0.0.0 without an access token" in caplog.text
