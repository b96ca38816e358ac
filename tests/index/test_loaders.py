import pytest

from index.errors import DocumentError
from index.loaders import load_file, load_paths, parse_text


def test_article_header_and_furniture(article):
    assert article.title.startswith("Observing how local two sessions")
    assert article.meta == {
        "release_date": "2024-03-05 10:47",
        "source": "Ministry of Emergency Management of the People's Republic of China",
    }
    body = [article.text[p.start : p.end] for p in article.paragraphs]
    assert not any(b in ("Previous Page", "Related News", "Related Downloads", "undefined")
                   for b in body)
    assert body[-1].startswith("Qinghai requires the complete completion")


def test_sections_tag_the_paragraphs_under_them(article):
    by_text = {article.text[p.start : p.end][:40]: p.section for p in article.paragraphs}
    tianjin = next(k for k in by_text if k.startswith("Last flood season"))
    assert by_text[tianjin] == "Improving disaster prevention, mitigation, and relief capabilities"
    assert article.paragraphs[0].section == "About this document"
    assert article.paragraphs[1].section == ""
    sections = {p.section for p in article.paragraphs}
    assert "Steadily Promote Post-Disaster Recovery and Reconstruction" in sections
    assert not any(article.text[p.start : p.end] in sections for p in article.paragraphs)


def test_markdown_headings(tmp_path):
    f = tmp_path / "notes.md"
    f.write_text("# Flood notes\n\n## Tianjin\nIt plans 43 projects.\n\n## Jilin\nIt rebuilt houses.\n")
    d = load_file(f)
    assert d.title == "Flood notes"
    assert [(d.text[p.start:p.end], p.section) for p in d.paragraphs] == [
        ("It plans 43 projects.", "Tianjin"), ("It rebuilt houses.", "Jilin")]


def test_html_text_without_scripts(tmp_path):
    f = tmp_path / "page.html"
    f.write_text("<html><head><title>T &amp; S</title><script>alert(1)</script></head>"
                 "<body><nav>Menu</nav><h2>Part</h2><p>First paragraph &lt;here&gt;.</p></body></html>")
    d = load_file(f)
    assert d.title == "T & S"
    texts = [d.text[p.start:p.end] for p in d.paragraphs]
    assert texts == ["First paragraph <here>."]
    assert "alert" not in d.text and "Menu" not in d.text


@pytest.mark.parametrize("content,msg", [(b"", "no text"), (b"\xff\xfe\xfa", "UTF-8"),
                                         (b"Previous Page\nundefined\n", "no text")])
def test_bad_files_get_clear_errors(tmp_path, content, msg):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    with pytest.raises(DocumentError, match=msg):
        load_file(f)


def test_unsupported_and_missing(tmp_path):
    (tmp_path / "x.odt").write_bytes(b"PK")
    with pytest.raises(DocumentError, match="unsupported file type; use one of .txt, .md.*.pdf"):
        load_file(tmp_path / "x.odt")
    with pytest.raises(DocumentError, match="no such file"):
        load_paths([tmp_path / "nope"])
    with pytest.raises(DocumentError, match="No .txt"):
        load_paths([tmp_path])


def test_duplicate_names_get_distinct_ids(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_text("Some text here.")
    ids = [d.doc_id for d in load_paths([tmp_path])]
    assert ids == ["same.txt", "same.txt#2"]


def test_parse_text_doctest_case():
    d = parse_text("Title\nRelease Date:\n2024\nBody.\nRelated News", "x")
    assert d.meta["release_date"] == "2024" and len(d.paragraphs) == 2
    assert d.text[d.paragraphs[-1].start:d.paragraphs[-1].end] == "Body."
