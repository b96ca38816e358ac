"""A PDF, a Word document and a saved web page, indexed with the real models and asked
about: each answer cites the page (PDF) or the section it comes from (marker: integration)."""

import pytest

from tests.formats import make_docx, make_html, make_pdf

pytestmark = pytest.mark.integration

CASES = [
    ("How much silt did the harbour authority dredge from the eastern channel?",
     "report.pdf", "1.2 million cubic metres", "Dredging · p. 2"),
    ("How many librarians does the library employ?",
     "plan.docx", "11 librarians", "Staff"),
    ("When does the museum open on weekdays?",
     "museum.html", "9 a.m.", "Opening hours"),
]


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    from qa import factory
    from qa.settings import Settings

    docs = tmp_path_factory.mktemp("docs")
    make_pdf(docs / "report.pdf")
    make_docx(docs / "plan.docx")
    make_html(docs / "museum.html")
    s = Settings(index_dir=tmp_path_factory.mktemp("formats-index"),
                 feedback_db=tmp_path_factory.mktemp("fb") / "fb.sqlite3")
    factory.build(s, [docs])
    return factory.make_pipeline(s)


@pytest.mark.parametrize("question,doc_id,fact,section", CASES)
def test_answer_cites_page_or_section(pipeline, question, doc_id, fact, section):
    a = pipeline.answer(question)
    assert not a.abstained, a.reasons
    assert fact in a.answer
    cited = [c for c in a.citations if c.doc_id == doc_id and fact in c.text]
    assert cited and cited[0].section == section, [(c.doc_id, c.section) for c in a.citations]
    for c in a.citations:
        assert pipeline.index.documents[c.doc_id].text[c.start:c.end] == c.text
    print(f"\nQ: {question}\nA: {a.answer}\n   [{cited[0].doc_title} — {cited[0].section}] "
          f"{cited[0].text}")
