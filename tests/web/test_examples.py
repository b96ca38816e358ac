"""The chat page's example questions and document list follow the loaded collection."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from index.loaders import HEADER_SECTION, Document, Paragraph, parse_text
from qa.settings import Settings
from web.app import create_app
from web.examples import derive_examples

BUNDLED = ["What did Tianjin plan for flood season?",
           "How many houses did Jilin rebuild and repair?",
           "What is Shanxi doing about extreme weather?",
           "天津在汛期前计划完成多少个水毁修复工程？"]

LIGHTHOUSES = """# Lighthouses
## Lenses
A Fresnel lens focuses the lamp's light into a beam that sailors see 20 nautical miles out.
## Keepers
The last keeper of the Cape Wren light retired in 1987, when the lamp was automated.
"""
BEES = """# Honey bees
## Hives
A hive holds one queen, a few hundred drones and up to 60,000 worker bees in summer.
## Swarming
In spring a colony splits: the old queen leaves with about half of the workers.
"""
OTHER = ["What is Lighthouses about?", "What is Honey bees about?",
         "What does Lighthouses say about Lenses?", "What does Honey bees say about Hives?"]


def examples_on(page: str) -> list[str]:
    return [html.unescape(q) for q in re.findall(r'data-question="([^"]*)"', page)]


def titles_on(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<li class="doc">([^<]*)', page)]


@pytest.fixture(scope="module")
def other_pipeline(tmp_path_factory, fake_embedder):
    """A pipeline over two small documents unrelated to the bundled article."""
    from index.build import build_index
    from index.loaders import load_paths
    from index.store import open_index
    from qa.generators.echo import EchoGenerator
    from qa.pipeline import Pipeline

    tmp = tmp_path_factory.mktemp("other-collection")
    (tmp / "docs").mkdir()
    (tmp / "docs" / "a-lighthouses.md").write_text(LIGHTHOUSES, encoding="utf-8")
    (tmp / "docs" / "b-bees.md").write_text(BEES, encoding="utf-8")
    build_index(load_paths([tmp / "docs"]), tmp / "index", fake_embedder)
    index = open_index(tmp / "index", fake_embedder.name, fake_embedder.dim)
    return Pipeline(index, fake_embedder, EchoGenerator(), min_score=0.2)


def page_of(pipeline, tmp_path, **settings) -> str:
    app = create_app(Settings(index_dir=tmp_path / "i", feedback_db=tmp_path / "fb.sqlite3",
                              **settings), pipeline=pipeline)
    with TestClient(app) as c:
        r = c.get("/")
        assert r.status_code == 200
        return r.text


def test_bundled_article_keeps_its_examples(client):
    page = client.get("/").text
    assert examples_on(page) == BUNDLED
    assert len(titles_on(page)) == 1


def test_examples_come_from_the_loaded_collection(other_pipeline, tmp_path):
    page = page_of(other_pipeline, tmp_path)
    assert examples_on(page) == OTHER
    assert "Tianjin" not in page and "天津" not in page
    # the titles are separate list items, not run together
    assert titles_on(page) == ["Lighthouses", "Honey bees"]
    assert "LighthousesHoney bees" not in page


def test_example_questions_setting_overrides(other_pipeline, tmp_path, monkeypatch):
    mine = ["When was the lamp automated?", "How many workers does a hive hold?"]
    monkeypatch.setenv("QA_EXAMPLE_QUESTIONS", json.dumps(mine))
    assert examples_on(page_of(other_pipeline, tmp_path)) == mine
    monkeypatch.setenv("QA_EXAMPLE_QUESTIONS", "[]")
    assert examples_on(page_of(other_pipeline, tmp_path)) == OTHER


def test_an_example_is_answered_from_the_collection(other_pipeline, tmp_path):
    app = create_app(Settings(index_dir=tmp_path / "i", feedback_db=tmp_path / "fb.sqlite3"),
                     pipeline=other_pipeline)
    with TestClient(app) as c:
        r = c.post("/", data={"question": OTHER[3], "history": "[]"})
    assert r.status_code == 200 and "60,000 worker bees" in r.text


def test_many_documents_are_counted_not_listed(tmp_path):
    docs = {f"d{i}.md": parse_text(f"# Report {i}\nBody text number {i}.", f"d{i}.md")
            for i in range(11)}
    stub = SimpleNamespace(index=SimpleNamespace(documents=docs))
    page = page_of(stub, tmp_path)
    assert titles_on(page) == [f"Report {i}" for i in range(8)]
    assert re.search(r'<li class="more">and 3 more</li>', page)
    assert examples_on(page) == [f"What is Report {i} about?" for i in range(4)]


def test_no_documents_no_examples(tmp_path):
    stub = SimpleNamespace(index=SimpleNamespace(documents={}))
    page = page_of(stub, tmp_path)
    assert "No documents loaded." in page and examples_on(page) == [] and "Try:" not in page


def doc(doc_id: str, title: str, sections: list[str]) -> Document:
    said = "Paragraph {} says what this part is about."
    text = "\n".join(said.format(i) for i in range(len(sections)))
    paras, pos = [], 0
    for i, s in enumerate(sections):
        n = len(said.format(i))
        paras.append(Paragraph(pos, pos + n, s))
        pos += n + 1
    return Document(doc_id, title, text, tuple(paras))


def test_derived_examples_are_short_unique_and_stable():
    long_title = "A " + "very " * 30 + "long title"
    docs = {d.doc_id: d for d in [
        doc("a", "", ["", "Budget", "Budget"]),
        doc("b", "Untitled", [HEADER_SECTION, "Budget", "Why did costs rise?"]),
        doc("c", long_title, ["Staff:", "x" * 120]),
        doc("d", "Roads", ["Roads", "Bridges"]),
    ]}
    got = derive_examples(docs)
    assert got == derive_examples(docs)  # deterministic
    # untitled and too long titles are left out; headings go one document at a time
    assert got == ["What is Roads about?", "What do the documents say about Budget?",
                   "What do the documents say about Staff?", "What does Roads say about Bridges?"]
    assert derive_examples(docs, limit=2) == got[:2]
    more = derive_examples(docs, limit=10)
    assert more == got + ["Why did costs rise?"]  # a heading that is a question, as it is
    assert all(len(q) < 100 for q in more)
    assert derive_examples({}) == []


def test_pdf_page_labels_are_not_example_topics():
    """A PDF's sections carry their pages ("Dredging · p. 2"); examples name the heading only."""
    docs = {"r": doc("r", "Annual Report", ["Dredging · p. 2", "pp. 3–4", "Dredging · p. 3"])}
    assert derive_examples(docs) == ["What is Annual Report about?",
                                     "What does Annual Report say about Dredging?"]


def test_derived_examples_leave_out_the_sites_name_in_web_page_titles():
    # saved pages of one site: "<page> | <site>"; a page's own name is one of its
    # headings, or what is left when the part every title shares is taken out
    docs = {d.doc_id: d for d in [
        doc("timers.html", "Timers | Node.js v20 Documentation", ["Timers", "Class: Timeout"]),
        doc("tty.html", "TTY | Node.js v20 Documentation", ["Class: ReadStream"]),
        doc("c.html", "Kraków - Wikipedia", ["History"]),
    ]}
    got = derive_examples(docs)
    assert got[:2] == ["What is Timers about?", "What is TTY about?"]
    assert "What does Timers say about Class: Timeout?" in got
    assert not any("Node.js v20 Documentation" in q for q in derive_examples(docs, limit=10))


def test_derived_examples_make_questions_of_topics_not_clauses():
    # numbering and a closing aside left out, an -ing heading lower-cased; a heading that
    # reads as a clause, a marker in brackets and a section with nothing to quote are not asked
    docs = {"m": doc("m", "Lantern", [
        "1. Installing as a plugin (recommended)", "Before reporting a bug, please", "[TIP]",
        "In contrast with other tools, Lantern does not", "How it works", "USAGE"])}
    docs["m"] = replace(docs["m"], paragraphs=docs["m"].paragraphs + (
        Paragraph(0, 10, "Commands"),))  # "Paragraph " is no passage
    got = derive_examples(docs, limit=10)
    assert got == ["What is Lantern about?",
                   "What does Lantern say about installing as a plugin?",
                   "What does Lantern say about how it works?",
                   "What does Lantern say about Usage?"]


def test_each_derived_example_is_answered_from_its_section(tmp_path, fake_embedder):
    from index.build import build_index
    from index.store import open_index
    from qa.generators.echo import EchoGenerator
    from qa.pipeline import Pipeline

    text = ("# Lantern\n\nLantern keeps a lighthouse's lamp log for the keeper.\n\n"
            "## 2. Installing as a plugin (recommended)\n\n"
            "Lantern is bundled with the console, so there is nothing to install.\n\n"
            "## How it works\n\nlantern watch\n\n"
            "Lantern checks the lamp every five minutes and writes the log.\n")
    build_index([parse_text(text, "lantern.md")], tmp_path, fake_embedder)
    index = open_index(tmp_path, fake_embedder.name, fake_embedder.dim)
    p = Pipeline(index, fake_embedder, EchoGenerator(), min_score=0.2)
    answers = {q: p.answer(q).answer for q in derive_examples(index.documents)}
    assert answers == {
        "What is Lantern about?": "Lantern keeps a lighthouse's lamp log for the keeper.",
        "What does Lantern say about installing as a plugin?":
            "Lantern is bundled with the console, so there is nothing to install.",
        "What does Lantern say about how it works?":
            "Lantern checks the lamp every five minutes and writes the log."}


def test_derived_examples_name_a_numbered_title_without_its_number_nor_repeat_it():
    docs = {"m": doc("m", "4. Memcheck", ["4. Memcheck", "4.1. Overview"])}
    assert derive_examples(docs) == ["What is Memcheck about?",
                                     "What does Memcheck say about Overview?"]
