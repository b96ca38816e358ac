"""The chat page's upload form in a real browser, with and without JavaScript."""

from __future__ import annotations

import re

import pytest

from index.update import build_paths
from qa.settings import Settings
from tests.web import test_browser as chat
from tests.web.live_server import LiveServer
from tests.web.test_upload import EMB, _pipeline
from web.app import create_app
from web.reload import IndexWatcher
from web.uploads import Uploads

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - skipped by pytestmark
    expect = None

pytestmark = chat.pytestmark
browser, new_page = chat.browser, chat.new_page  # the fixtures of the chat page's tests
ask, shot, wait_answered = chat.ask, chat.shot, chat.wait_answered


@pytest.fixture()
def upload_server(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "harbour.txt").write_text("The harbour of Gdańsk handled 40 million tonnes in 2021.")
    index_dir = tmp_path / "i"
    build_paths([docs], index_dir, EMB)
    app = create_app(Settings(index_dir=index_dir, feedback_db=tmp_path / "fb.sqlite3",
                              answerability="off"), pipeline=_pipeline(index_dir))
    app.state.service.uploads = Uploads(index_dir, True, 1.0)
    app.state.service.watcher = IndexWatcher(
        index_dir, lambda old: _pipeline(index_dir, old.generator), 0)
    (tmp_path / "hel.txt").write_text("The lighthouse of Hel was rebuilt in 1942 and is 41.5 "
                                      "metres tall.")
    with LiveServer(app) as srv:
        srv.file = tmp_path / "hel.txt"
        yield srv


def test_upload_shows_progress_then_answers_cite_it(upload_server, new_page):
    page = new_page()
    page.goto(upload_server.url + "/")
    page.set_input_files("#upload-file", str(upload_server.file))
    page.click("#upload-form button")
    expect(page.locator("#upload-status")).to_have_text(re.compile(r"^Searchable: hel.txt"),
                                                        timeout=30_000)
    shot(page, "20-upload-searchable", full_page=False)
    ask(page, "How tall is the lighthouse of Hel?")
    wait_answered(page)
    expect(page.locator("article.msg.bot .sources")).to_contain_text("41.5 metres")
    assert not page.errors, page.errors


def test_upload_refusal_is_shown(upload_server, new_page, tmp_path):
    page = new_page()
    page.goto(upload_server.url + "/")
    (tmp_path / "data.csv").write_text("a,b\n")
    page.set_input_files("#upload-file", str(tmp_path / "data.csv"))
    page.click("#upload-form button")
    expect(page.locator("#upload-status")).to_have_text(re.compile(r"^Not indexed: .*\.pdf"))


def test_upload_without_javascript(upload_server, new_page):
    page = new_page(java_script_enabled=False)
    page.goto(upload_server.url + "/")
    page.set_input_files("#upload-file", str(upload_server.file))
    page.click("#upload-form button")
    expect(page.page).to_have_url(re.compile(r"/uploads/\w+$"))
    expect(page.locator(".upload-state")).to_have_text("hel.txt: searchable", timeout=30_000)
    page.click("text=Back to the questions")
    expect(page.locator("ul.docs li.doc")).to_have_text(["harbour", "hel"])
