"""The chat page in a real browser: Playwright driving Debian's Chromium.

The app runs with uvicorn on a loopback port, on the fake pipeline (hashing
embedder, echo generator), so each test takes well under a second of server
time. Screenshots of the main states go to reports/screenshots/.

Skipped with a reason when the `playwright` package or /usr/bin/chromium is
missing (`scripts/install.sh test` installs both). Never `playwright install`:
the tests use the system Chromium.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from qa.generators.echo import EchoGenerator
from qa.pipeline import Pipeline
from qa.settings import Settings
from tests.web.live_server import LiveServer
from web.app import create_app

CHROMIUM = os.environ.get("QA_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
SHOTS = Path(__file__).resolve().parents[2] / "reports" / "screenshots"
TIANJIN = "What did Tianjin plan for flood season?"
ZHEJIANG = "What three-year plan did Zhejiang propose?"
PWNED = "window.__pwned"
IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=1</script>"

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_playwright is None,
                       reason="the playwright package is not installed "
                              "(scripts/install.sh test installs it)"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"no Chromium at {CHROMIUM} (scripts/install.sh test installs "
                              "Debian's chromium; `playwright install` is not used)"),
]


class PacedEcho(EchoGenerator):
    """The echo generator, one word every `delay` seconds: streaming is observable."""

    name = "paced-echo"

    def __init__(self, delay: float = 0.03):
        super().__init__()
        self.delay = delay

    def stream(self, messages, max_new_tokens=96, deadline_s=None, **kw):
        for piece in super().stream(messages, max_new_tokens, deadline_s, **kw):
            time.sleep(self.delay)
            yield piece


@contextmanager
def serve(pipe: Pipeline, tmp: Path):
    settings = Settings(index_dir=tmp / "unused-index", feedback_db=tmp / "feedback.sqlite3")
    with LiveServer(create_app(settings, pipeline=pipe)) as srv:
        srv.feedback_db = settings.feedback_db
        yield srv


@pytest.fixture(scope="module")
def server(pipeline, tmp_path_factory):
    with serve(pipeline, tmp_path_factory.mktemp("web")) as srv:
        yield srv


@pytest.fixture(scope="module")
def paced_server(built_index, fake_embedder, tmp_path_factory):
    pipe = Pipeline(built_index, fake_embedder, PacedEcho(), min_score=0.2)
    with serve(pipe, tmp_path_factory.mktemp("web-paced")) as srv:
        yield srv


HARBOUR = f"""Harbour report {SCRIPT}
Release Date:
2024-01-01
Source:
Port authority {IMG}
Flood gates {IMG}
Ningbo harbour installed 12 new flood gates {SCRIPT} before the typhoon season, and the harbour office said {IMG} the gates protect the container terminal from storm surges.
The harbour also trained 300 rescue workers {SCRIPT} in emergency drills during the spring.
"""


@pytest.fixture(scope="module")
def hostile_server(fake_embedder, tmp_path_factory):
    """An index of one document whose title, section and text carry script payloads."""
    from index.build import build_index
    from index.loaders import load_paths
    from index.store import open_index

    tmp = tmp_path_factory.mktemp("hostile")
    (tmp / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    build_index(load_paths([tmp / "harbour.txt"]), tmp / "index", fake_embedder)
    index = open_index(tmp / "index", fake_embedder.name, fake_embedder.dim)
    with serve(Pipeline(index, fake_embedder, EchoGenerator(), min_score=0.2), tmp) as srv:
        yield srv


# -- the browser ---------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A page plus everything it did: requests, console errors, uncaught exceptions."""

    def __init__(self, context):
        self.context = context
        self.page = context.new_page()
        self.requests: list = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(
            f"HTTP {r.status}: {r.url}"))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(
            f"console: {m.text} ({m.location.get('url')})"))

    def __getattr__(self, name):
        return getattr(self.page, name)


@pytest.fixture()
def new_page(browser):
    contexts = []

    def make(**options) -> Page:
        options.setdefault("viewport", {"width": 1100, "height": 800})
        ctx = browser.new_context(**options)
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        return Page(ctx)

    yield make
    for ctx in contexts:
        ctx.close()


def shot(page, name: str, full_page: bool = True):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def ask(page, question: str):
    box = page.locator("#question")
    box.fill(question)
    box.press("Enter")


def last_answer(page):
    return page.locator("article.msg.bot").last


def wait_answered(page, n: int = 1):
    """Wait until `n` answers are rendered (the verified answer, not the stream)."""
    expect(page.locator("article.msg.bot > .bubble[aria-busy=false]")).to_have_count(n)


def pwned(page):
    return page.evaluate(f"typeof {PWNED}")


# -- tests -----------------------------------------------------------------------
def test_streams_then_shows_cited_answer(paced_server, new_page, pipeline):
    page = new_page()
    page.goto(paced_server.url + "/")
    shot(page, "01-empty")
    expect(page.locator(".example")).to_have_count(4)
    ask(page, TIANJIN)
    expect(page.locator(".msg.user .bubble")).to_have_text(TIANJIN)
    bot = last_answer(page)
    expect(bot.locator(".bubble")).to_have_attribute("aria-busy", "true")
    streaming = bot.locator(".answer.streaming")
    # the text grows while the tokens arrive, and no citation is shown yet (each
    # check reads the page once, so it cannot straddle the end of the stream)
    probe = """n => { const s = document.querySelector('.answer.streaming');
        return s && s.textContent.length > n
               && !s.closest('article').querySelector('.cite') && s.textContent.length; }"""
    first = page.wait_for_function(probe, arg=0).json_value()
    page.wait_for_function(probe, arg=first)
    shot(page, "02-streaming")
    wait_answered(page)
    expect(streaming).to_have_count(0)
    expected = pipeline.answer(TIANJIN)
    answer = bot.locator("p.answer")
    expect(answer).to_contain_text("43 water damage repair projects")
    markers = answer.locator("button.cite")
    expect(markers).to_have_text([f"[{c.id}]" for c in expected.citations])
    expect(bot.locator(".bubble")).to_have_attribute("aria-busy", "false")
    expect(bot.locator(".sources li")).to_have_count(len(expected.citations))
    expect(page.locator("#question")).to_be_focused()
    assert page.errors == []
    shot(page, "03-answer")
    # the rate buttons draw their icons, they do not depend on an emoji font
    rate = bot.locator("button.rate svg")
    expect(rate).to_have_count(2)
    assert all(b["width"] >= 12 for b in (r.bounding_box() for r in rate.all()))


def test_citation_opens_the_passage(server, new_page, pipeline):
    page = new_page()
    page.goto(server.url + "/")
    ask(page, TIANJIN)
    wait_answered(page)
    c = pipeline.answer(TIANJIN).citations[0]
    marker = last_answer(page).locator("p.answer button.cite").first
    marker.click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text(c.doc_title)
    expect(dialog.locator(".where").first).to_have_text(c.section)
    expect(dialog.locator("mark")).to_have_text(c.text)
    assert c.context_before or c.context_after
    # the span sits inside its context; "…" marks context the server cut at 300 characters
    head = "…" if len(c.context_before) >= 300 else ""
    tail = "…" if len(c.context_after) >= 300 else ""
    expect(dialog.locator(".passage")).to_have_text(
        head + c.context_before + c.text + c.context_after + tail)
    expect(dialog.locator(".passage .elided")).to_have_count(bool(head) + bool(tail))
    assert page.evaluate("document.querySelector('dialog').matches(':modal')")
    shot(page, "04-passage-dialog", full_page=False)
    page.keyboard.press("Escape")
    expect(page.locator("dialog")).to_have_count(0)
    expect(marker).to_be_focused()  # focus returns to the marker that opened it
    # the quoted source under the answer opens the same passage
    quote = last_answer(page).locator(".sources button.quote").first
    expect(quote.locator("mark")).to_have_text(c.text)
    quote.click()
    expect(page.locator("dialog[open] mark")).to_have_text(c.text)
    page.locator("dialog[open] button", has_text="Close").click()
    expect(page.locator("dialog")).to_have_count(0)
    expect(quote).to_be_focused()
    # a click on the backdrop closes it as well
    marker.click()
    expect(page.locator("dialog[open]")).to_be_visible()
    page.mouse.click(5, 5)
    expect(page.locator("dialog")).to_have_count(0)
    assert page.errors == []


def test_follow_up_sends_history(server, new_page):
    page = new_page()
    page.goto(server.url + "/")
    ask(page, ZHEJIANG)
    wait_answered(page)
    first_answer = last_answer(page).locator("p.answer").evaluate(
        "p => p.firstChild.textContent")
    with page.expect_request(lambda r: r.url.endswith("/ask/stream")) as req:
        ask(page, "And Guangdong?")
    body = req.value.post_data_json
    assert body["question"] == "And Guangdong?"
    assert body["history"] == [{"role": "user", "content": ZHEJIANG},
                               {"role": "assistant", "content": first_answer}]
    wait_answered(page, 2)
    bot = last_answer(page)
    # the new answer is scrolled into view: all of it, clear of the sticky question form,
    # when it fits above the form, else its beginning
    form_top = page.locator("#ask-form").bounding_box()["y"]
    box = bot.bounding_box()
    if box["height"] <= form_top:
        tools = bot.locator(".tools").bounding_box()
        assert tools["y"] + tools["height"] <= form_top + 1
    else:
        assert 0 <= box["y"] < form_top
    expect(bot.locator(".understood")).to_have_text(
        "Understood as: What three-year plan did Guangdong propose?")
    expect(bot.locator("p.answer")).to_contain_text("Guangdong")
    # the first answer was not a follow-up: no "Understood as" line there
    expect(page.locator("article.msg.bot").first.locator(".understood")).to_have_count(0)
    assert page.errors == []
    shot(page, "05-follow-up", full_page=False)


def test_long_history_is_trimmed_to_what_the_server_takes(server, new_page):
    page = new_page()
    page.goto(server.url + "/")
    long_turns = []
    for i in range(5):
        long_turns += [{"role": "user", "content": f"Question {i} about Zhejiang?"},
                       {"role": "assistant", "content": f"Answer {i}. " + "Zhejiang " * 250}]
    # a page that carries this conversation (the no-JavaScript form posts it back)
    page.locator("#history").evaluate("(h, v) => { h.value = v; }", json.dumps(long_turns))
    page.locator("#question").fill("And Guangdong?")
    with page.expect_navigation():
        page.evaluate("document.getElementById('ask-form').submit()")
    # the server keeps the latest turns that fit its limits and answers, no error page
    users = page.locator(".msg.user")
    expect(users.last).to_contain_text("And Guangdong?")
    assert 1 < users.count() < 6
    assert page.locator(".error").count() == 0
    on_page = json.loads(page.locator("#history").input_value())
    assert on_page[:-2] == long_turns[-(len(on_page) - 2):]
    with page.expect_request(lambda r: r.url.endswith("/ask/stream")) as req:
        ask(page, "And Guangdong?")
    sent = req.value.post_data_json["history"]
    assert sent == on_page[-len(sent):] and sent[0]["role"] == "user"
    assert 0 < sum(len(t["content"]) for t in sent) <= 8000
    wait_answered(page, 1)
    expect(last_answer(page).locator(".understood")).to_contain_text("Guangdong")
    assert page.locator("article.msg.bot [role=alert]").count() == 0


def test_thumbs_up_is_recorded(server, new_page):
    from web.feedback import FeedbackStore

    page = new_page()
    page.goto(server.url + "/")
    ask(page, TIANJIN)
    wait_answered(page)
    up = last_answer(page).locator("button.rate[data-rating=up]")
    down = last_answer(page).locator("button.rate[data-rating=down]")
    expect(up).to_have_attribute("aria-pressed", "false")
    with page.expect_response(lambda r: r.url.endswith("/feedback")) as resp:
        up.click()
    assert resp.value.request.method == "POST" and resp.value.status == 201
    sent = resp.value.request.post_data_json
    assert sent["rating"] == "up" and sent["question"] == TIANJIN
    assert any("43 water damage repair projects" in t for t in sent["citations"])
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(down).to_have_attribute("aria-pressed", "false")
    rows = FeedbackStore(server.feedback_db).export()
    assert any(r["question"] == TIANJIN for r in rows)
    assert page.errors == []


def test_question_markup_is_text_not_code(server, new_page):
    # bypass_csp: the CSP would block inline script anyway; this tests the escaping itself
    page = new_page(bypass_csp=True)
    page.goto(server.url + "/")
    q = f"Tianjin flood season {IMG} {SCRIPT}?"
    ask(page, q)
    wait_answered(page)
    expect(page.locator(".msg.user .bubble")).to_have_text(q)
    assert page.locator("#conversation img, #conversation script").count() == 0
    assert pwned(page) == "undefined"
    # the same question through the no-JavaScript form, rendered by the server
    page.locator("#question").fill(q)
    with page.expect_navigation():
        page.evaluate("document.getElementById('ask-form').submit()")  # skips chat.js
    expect(page.locator(".msg.user .bubble").last).to_have_text(q)
    assert page.locator("#conversation img, #conversation script").count() == 0
    assert pwned(page) == "undefined"
    assert json.loads(page.locator("#history").input_value())[-2]["content"] == q


def test_document_markup_is_text_not_code(hostile_server, new_page):
    page = new_page(bypass_csp=True)
    page.goto(hostile_server.url + "/")
    expect(page.locator(".sub")).to_contain_text(f"Harbour report {SCRIPT}")
    expect(page.locator(".docs li")).to_have_count(1)
    # the example questions are made from this document's title and headings, as text
    expect(page.locator(".example")).to_have_text([
        f"What is Harbour report {SCRIPT} about?",
        f"What does the document say about Flood gates {IMG}?"])
    ask(page, "How many flood gates did Ningbo harbour install?")
    wait_answered(page)
    bot = last_answer(page)
    expect(bot.locator("p.answer")).to_contain_text(f"12 new flood gates {SCRIPT}")
    expect(bot.locator("p.answer")).to_contain_text(IMG)
    expect(bot.locator(".sources .where").first).to_have_text(
        f"Harbour report {SCRIPT} — Flood gates {IMG}")
    bot.locator("p.answer button.cite").first.click()
    dialog = page.locator("dialog[open]")
    expect(dialog.locator("h2")).to_have_text(f"Harbour report {SCRIPT}")
    expect(dialog.locator("mark")).to_contain_text(SCRIPT)
    shot(page, "06-hostile-document", full_page=False)
    page.keyboard.press("Escape")
    ask(page, "How many rescue workers did the harbour train?")
    wait_answered(page, 2)
    assert page.locator("img, script:not([src])").count() == 0
    assert pwned(page) == "undefined"
    # server-rendered: the no-JavaScript form with the same document
    page.locator("#question").fill("How many flood gates did Ningbo harbour install?")
    with page.expect_navigation():
        page.evaluate("document.getElementById('ask-form').submit()")
    expect(page.locator(".sources mark").last).to_contain_text(SCRIPT)
    assert page.locator("img, script:not([src])").count() == 0
    assert pwned(page) == "undefined"
    assert page.errors == []


def test_no_request_leaves_the_origin(server, new_page):
    page = new_page()
    page.goto(server.url + "/")
    ask(page, TIANJIN)
    wait_answered(page)
    last_answer(page).locator("p.answer button.cite").first.click()
    page.keyboard.press("Escape")
    with page.expect_response(lambda r: r.url.endswith("/feedback")):
        last_answer(page).locator("button.rate[data-rating=down]").click()
    page.locator("#question").fill(TIANJIN)
    with page.expect_navigation():
        page.evaluate("document.getElementById('ask-form').submit()")
    page.wait_for_load_state("networkidle")
    urls = [r.url for r in page.requests]
    assert {u.split("?")[0].removeprefix(server.url) for u in urls} >= {
        "/", "/static/chat.css", "/static/chat.js", "/ask/stream", "/feedback"}
    outside = [u for u in urls if not u.startswith(server.url + "/")]
    assert outside == []
    assert page.errors == []


def test_works_without_javascript(server, new_page):
    page = new_page(java_script_enabled=False)
    page.goto(server.url + "/")
    page.locator("#question").fill(TIANJIN)
    with page.expect_navigation():
        page.locator("#send").click()
    bot = page.locator("article.msg.bot").last
    expect(bot.locator("p.answer")).to_contain_text("43 water damage repair projects")
    expect(bot.locator("p.answer a.cite").first).to_have_text("[1]")
    expect(bot.locator(".sources mark").first).to_be_visible()
    shot(page, "07-no-javascript")
    bot.locator("p.answer a.cite").first.click()
    target = page.locator(":target")
    expect(target).to_have_count(1)
    first_mark = bot.locator(".sources mark").first.text_content()
    expect(target.locator("mark")).to_have_text(first_mark)
    # a follow-up carries the history through the hidden field
    page.locator("#question").fill(ZHEJIANG)
    with page.expect_navigation():
        page.locator("#send").click()
    page.locator("#question").fill("And Guangdong?")
    with page.expect_navigation():
        page.locator("#send").click()
    expect(page.locator(".msg.user")).to_have_count(3)
    expect(page.locator(".understood")).to_have_text(
        "Understood as: What three-year plan did Guangdong propose?")
    # each answer's [1] leads to its own source, not to the first answer's
    last = page.locator("article.msg.bot").last
    last.locator("p.answer a.cite").first.click()
    expect(page.locator(":target")).to_have_count(1)
    assert last.locator(".sources li").first.evaluate("li => li.matches(':target')")
    expect(page.locator(":target mark")).not_to_have_text(first_mark)
    expect(last.locator("p.answer")).to_contain_text("Guangdong")
    shot(page, "07b-no-javascript-follow-up", full_page=False)
    # an example question is a button that works without JavaScript too
    page.goto(server.url + "/")
    with page.expect_navigation():
        page.locator(".example").first.click()
    expect(page.locator(".msg.user .bubble")).to_have_text(TIANJIN)
    expect(page.locator("p.answer a.cite").first).to_be_visible()


def test_shift_enter_adds_a_line(server, new_page):
    page = new_page()
    page.goto(server.url + "/")
    box = page.locator("#question")
    box.click()
    page.keyboard.type("Tianjin flood season")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("and repair projects?")
    expect(box).to_have_value("Tianjin flood season\nand repair projects?")
    page.wait_for_timeout(200)
    assert not [r for r in page.requests if "/ask" in r.url]
    expect(page.locator(".msg")).to_have_count(0)
    page.keyboard.press("Enter")
    wait_answered(page)
    user = page.locator(".msg.user .bubble")
    expect(user).to_have_text("Tianjin flood season\nand repair projects?")
    assert user.evaluate("b => b.innerText").count("\n") == 1  # shown on two lines
    expect(box).to_have_value("")


def test_example_button_asks(server, new_page):
    page = new_page()
    page.goto(server.url + "/")
    page.locator(".example").first.click()
    wait_answered(page)
    expect(page.locator(".msg.user .bubble")).to_have_text(TIANJIN)
    assert page.url.rstrip("/") == server.url  # handled by chat.js, no form post
    assert page.errors == []


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_phone_viewport_has_no_horizontal_scroll(server, new_page, js):
    page = new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                    is_mobile=True, has_touch=True, java_script_enabled=js)

    def assert_fits(state):
        sizes = page.evaluate("[document.documentElement.scrollWidth,"
                              " document.documentElement.clientWidth]")
        assert sizes[0] <= sizes[1], f"{state}: page is {sizes[0]} px wide in a {sizes[1]} px view"
        wide = page.evaluate("""w => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > w + 0.5)
            .map(e => e.tagName + '.' + e.className)""", sizes[1])
        assert wide == [], f"{state}: elements past the right edge: {wide}"

    page.goto(server.url + "/")
    assert_fits("empty")
    suffix = "" if js else "-no-js"
    shot(page, "08-phone-empty" + suffix)
    page.locator("#question").fill(TIANJIN)
    if js:
        page.locator("#question").press("Enter")
        wait_answered(page)
    else:
        with page.expect_navigation():
            page.locator("#send").click()
    page.locator("#question").fill(ZHEJIANG)
    assert_fits("answered")
    shot(page, "09-phone-answer" + suffix)
    if js:
        last_answer(page).locator("p.answer button.cite").first.click()
        assert_fits("passage dialog")
        shot(page, "10-phone-dialog", full_page=False)
        page.keyboard.press("Escape")
        ask(page, "x" * 300)
        wait_answered(page, 2)
        assert_fits("long word")
        assert page.errors == []


def test_abstention_shows_related_passages(server, new_page):
    page = new_page()
    page.goto(server.url + "/")
    ask(page, "What was Shanghai's GDP in 2023?")
    wait_answered(page)
    bot = last_answer(page)
    expect(bot).to_have_class("msg bot abstained")
    expect(bot.locator("p.answer")).to_have_text(
        "The documents don't say. The closest passages are listed below.")
    expect(bot.locator("p.answer button.cite")).to_have_count(0)
    expect(bot.locator(".srclabel")).to_have_text("Related passages")
    expect(bot.locator(".sources li")).not_to_have_count(0)
    bot.locator(".sources button.quote").first.click()
    expect(page.locator("dialog[open] mark")).to_be_visible()
    page.keyboard.press("Escape")
    ask(page, "天津在汛期前计划完成多少个水毁修复工程？")
    wait_answered(page, 2)
    expect(last_answer(page).locator("p.answer button.cite")).not_to_have_count(0)
    assert page.errors == []
    shot(page, "11-abstained-and-chinese")


def test_the_figure_asked_for_is_marked(server, new_page):
    page = new_page()
    page.goto(server.url + "/")
    ask(page, "How many houses did Jilin rebuild and repair?")
    wait_answered(page)
    answer = last_answer(page).locator("p.answer")
    expect(answer.locator("strong.short")).to_have_text("5,529")
    expect(answer).to_contain_text("Jilin rebuilt and repaired 5,529 houses")
    assert page.errors == []
    shot(page, "12-short-answer")


def test_server_error_is_shown(server, new_page):
    page = new_page()
    page.goto(server.url + "/")
    page.route("**/ask/stream", lambda route: route.fulfill(
        status=503, content_type="application/json", headers={"Retry-After": "5"},
        body=json.dumps({"error": {"code": "overloaded", "message": "The server is busy."}})))
    ask(page, TIANJIN)
    alert = page.locator("article.msg.bot [role=alert]")
    expect(alert).to_have_text("The server is busy.")
    expect(page.locator("#send")).to_be_enabled()
    expect(page.locator("#question")).to_be_focused()
    assert page.evaluate("typeof window.__pwned") == "undefined"
