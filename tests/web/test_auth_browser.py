"""Signing in on a shared server, in a real browser (Playwright driving Debian's
Chromium, as tests/web/test_browser.py): with JavaScript (the answer streams from
/ask/stream with the session cookie) and without (plain form posts)."""

from __future__ import annotations

import pytest

from qa.settings import Settings
from tests.web import test_browser as chat
from tests.web.live_server import LiveServer
from tests.web.test_browser import (
    TIANJIN,
    ask,
    last_answer,
    pytestmark,  # noqa: F401 - the same skip reasons: no playwright, no Chromium
    shot,
    wait_answered,
)
from web.app import create_app

browser, new_page = chat.browser, chat.new_page  # the chat page tests' fixtures
TOKEN = "browser-token-4f1d2c3b5a6978"
playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect


@pytest.fixture(scope="module")
def server(pipeline, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web-auth")
    settings = Settings(index_dir=tmp / "unused-index", feedback_db=tmp / "feedback.sqlite3",
                        api_token=TOKEN)
    with LiveServer(create_app(settings, pipeline=pipeline)) as srv:
        yield srv


def sign_in(page, url: str, token: str):
    page.locator("#token").fill(token)
    with page.expect_navigation():
        page.locator(".login button[type=submit]").click()


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_sign_in_ask_and_sign_out(server, new_page, js):
    page = new_page(java_script_enabled=js)
    page.goto(server.url + "/")
    assert page.url == server.url + "/login"
    expect(page.locator("#token")).to_have_attribute("type", "password")
    if js:
        shot(page, "12-sign-in")
    sign_in(page, server.url, "browser-token-wrong-wrong-x")
    assert page.url == server.url + "/login"
    expect(page.locator("[role=alert]")).to_contain_text("That token is not valid")
    page.errors.clear()  # the wrong token's 401
    sign_in(page, server.url, TOKEN)
    assert page.url == server.url + "/"
    cookie, = [c for c in page.context.cookies() if c["name"] == "qa_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert TOKEN not in cookie["value"]
    if js:
        assert "qa_session" not in page.evaluate("document.cookie")
        with page.expect_response(lambda r: r.url.endswith("/ask/stream")) as resp:
            ask(page, TIANJIN)
        assert resp.value.status == 200
        wait_answered(page)
        expect(last_answer(page).locator(".answer")).to_contain_text(
            "43 water damage repair projects")
        shot(page, "13-signed-in", full_page=False)
        with page.expect_response(lambda r: r.url.endswith("/feedback")) as resp:
            last_answer(page).locator("button.rate[data-rating=up]").click()
        assert resp.value.status == 201
    else:
        page.locator("#question").fill(TIANJIN)
        with page.expect_navigation():
            page.locator("#send").click()
        expect(page.locator("article.msg.bot p.answer").last).to_contain_text(
            "43 water damage repair projects")
    assert page.errors == []
    with page.expect_navigation():
        page.locator(".signout button").click()
    assert page.url == server.url + "/login"
    page.goto(server.url + "/")
    assert page.url == server.url + "/login"
