"""PDF, DOCX and saved web pages, read from small real files the tests write."""

from __future__ import annotations

import html

import pytest

from index.errors import DocumentError
from index.loaders import default_corpus, load_file, load_paths
from tests.formats import (
    HEADER,
    make_docx,
    make_encrypted_pdf,
    make_html,
    make_list_pdf,
    make_pdf,
    make_scanned_pdf,
)


def _paras(doc):
    return [(doc.text[p.start:p.end], p.section) for p in doc.paragraphs]


@pytest.fixture(scope="module")
def pdf_doc(tmp_path_factory):
    return load_file(make_pdf(tmp_path_factory.mktemp("pdf") / "report.pdf"))


def test_pdf_paragraphs_carry_heading_and_page(pdf_doc):
    assert pdf_doc.title == "Annual Report 2023"
    paras = _paras(pdf_doc)
    assert paras[0] == ("The harbour authority looks after the port, its channels and the quays "
                        "of the old town on behalf of the regional government.", "Overview · p. 1")
    assert paras[2][0].startswith("The harbour authority dredged 1.2 million cubic metres")
    assert paras[2][1] == "Dredging · p. 2"
    # a page without a heading of its own: the last heading, and its page
    assert paras[4] == ("Dredging will continue in the western channel, where the silt settles "
                        "faster because of the river.", "Dredging · p. 3")
    assert paras[5][1] == "Finance · p. 4"
    assert len(paras) == 6


def test_pdf_running_header_and_page_numbers_dropped(pdf_doc):
    assert HEADER not in pdf_doc.text
    assert "Page 1 of 4" not in pdf_doc.text and "of 4" not in pdf_doc.text


def test_pdf_title_page_repeating_the_running_header_keeps_its_title(tmp_path):
    # LaTeX reports: no title in the metadata, the title large on page 1 and small atop
    # every other page
    d = load_file(make_pdf(tmp_path / "spec.pdf", title=HEADER))
    assert d.title == HEADER
    assert d.text.count(HEADER) == 1  # the running headers are still dropped
    assert "Page 1 of 4" not in d.text


def test_pdf_list_items_that_wrap_stay_whole(tmp_path):
    d = load_file(make_list_pdf(tmp_path / "list.pdf", [
        ["globs (contains a mapping from names to", "MIME types)"],
        ["icons (contains a mapping from MIME types to icons)"],
        ["mime.cache (contains the same information as the globs and", "magic files, in a binary,",
         "mappable format)"],
    ]))
    # each item whole, and read with the line that introduces them ("What files does
    # the update command write?" is answered with the list)
    assert [d.text[p.start:p.end].split("\n\n") for p in d.paragraphs] == [[
        "The update command writes these files:",
        "- globs (contains a mapping from names to MIME types)",
        "- icons (contains a mapping from MIME types to icons)",
        "- mime.cache (contains the same information as the globs and magic files, in a "
        "binary, mappable format)"]]


def test_pdf_definition_list_terms_back_at_the_margin_start_paragraphs(tmp_path):
    """A manual sets each return value at the margin and what it means indented under
    it; a short indented line followed by a line back at the margin ends the item, so
    the next term is not run into the last one's description."""
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5, "The function returns one of these values. Each is described "
                         "below, with the case it is returned in, as the library's "
                         "header defines them. " * 4, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for line, indent in (("CONFIG_ERROR", 0), ("if the library has been mis-compiled", 8),
                         ("PARAM_ERROR", 0), ("if the stream is NULL", 8),
                         ("MEM_ERROR", 0), ("if not enough memory is available", 8)):
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "values.pdf"))
    d = load_file(tmp_path / "values.pdf")
    paras = [d.text[p.start:p.end] for p in d.paragraphs]
    assert "if the library has been mis-compiled" in paras
    assert "PARAM_ERROR" in paras and "if the stream is NULL" in paras, paras
    assert paras[0].startswith("The function returns one of these values. Each is")


def test_pdf_a_wrapped_line_that_opens_with_a_dash_in_brackets_runs_on(tmp_path):
    """"- U+0039) and ending ..." under "... starting with an ASCII digit (U+0030" goes
    on inside the brackets: it is no list item."""
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in ("If a directory, every file within that directory starting with a digit (U+0030",
                 "- U+0039) and ending with the string .conf will be processed in order.",
                 "- a list item after a full stop"):
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "dash.pdf"))
    d = load_file(tmp_path / "dash.pdf")
    text = d.text.replace("\n", " ")
    assert "(U+0030 - U+0039) and ending" in text, d.text
    assert [d.text[p.start:p.end].split("\n\n")[-1] for p in d.paragraphs][-1] \
        == "- a list item after a full stop"


def test_pdf_a_chapters_running_head_is_dropped(tmp_path):
    """A running head that only one chapter's pages carry (three of eight here) is
    dropped like a book's own, but for its first time (as a table's header repeated
    over its pages is kept once); a line that opens pages far apart is text, and so
    are lines that differ in their numbers."""
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))
    pdf.set_font("Helvetica", size=10)
    for n in range(8):
        pdf.add_page()
        if 2 <= n <= 4:
            pdf.cell(0, 5, "Using the program", new_x="LMARGIN", new_y="NEXT")
        elif n in (1, 7):
            pdf.cell(0, 5, "RETURN_VALUES", new_x="LMARGIN", new_y="NEXT")
        elif n == 5:
            pdf.cell(0, 5, "Row 5 of the table", new_x="LMARGIN", new_y="NEXT")
        elif n == 6:
            pdf.cell(0, 5, "Row 6 of the table", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 5, f"Part {'ABCDEFGH'[n]} says a good deal about the program. " * 4,
                       new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "chapters.pdf"))
    d = load_file(tmp_path / "chapters.pdf")
    assert d.text.count("Using the program") == 1
    assert d.text.count("RETURN_VALUES") == 2
    assert "Row 5 of the table" in d.text and "Row 6 of the table" in d.text
    assert all(f"Part {c} says" in d.text for c in "ABCDEFGH")


def test_pdf_list_goes_on_over_a_page_break_and_contents_entries_are_no_paragraphs(tmp_path):
    """A table of contents repeats the headings' words, so its entries ("Files . . . 2")
    would be found and quoted in place of the sections they point to."""
    d = load_file(make_list_pdf(tmp_path / "list.pdf", [["globs (names to MIME types)"],
                                                        ["icons (MIME types to icons)"]],
                                contents=("1 Files . . . . . . . . . . . . . . . . 2",
                                          "2 Icons . . . . . . . . . . . . . . . . 3",
                                          "3 Index . . . . . . . . . . . . . . . . 4"),
                                page_break=1))
    assert "1 Files . . . ." in d.text
    [p] = d.paragraphs
    assert d.text[p.start:p.end].split("\n\n") == [
        "The update command writes these files:", "- globs (names to MIME types)",
        "- icons (MIME types to icons)"]
    assert p.section.endswith("pp. 1–2")


def test_pdf_table_rows_set_as_lines_keep_their_line_breaks(tmp_path):
    """A table set in rows ("CONFIG 1024 Monitor which config files are loaded") is
    read row by row, so a row can be found and quoted alone; wrapped text is joined."""
    f = make_pdf(tmp_path / "debug.pdf", header=None, pages=[("Debugging", [
        ["Set FC_DEBUG to the sum of the values below before running the",
         "application. Output is sent to stdout."],
        ["Name Value Meaning", "MATCH 1 Brief information about font matching",
         "EDIT 4 Monitor match execution", "CONFIG 1024 Monitor which config files are loaded"],
        ["Fontconfig reads its configuration files in the order of the list",
         "Given to it, and each file may include others, so that",
         "The last one it reads wins."],
    ])])
    d = load_file(f)
    texts = [d.text[p.start:p.end] for p in d.paragraphs]
    assert texts[0] == ("Set FC_DEBUG to the sum of the values below before running the "
                        "application. Output is sent to stdout.")
    assert texts[1].split("\n") == ["Name Value Meaning",
                                    "MATCH 1 Brief information about font matching",
                                    "EDIT 4 Monitor match execution",
                                    "CONFIG 1024 Monitor which config files are loaded"]
    assert "\n" not in texts[2]  # lines that end or run on a sentence: wrapped text


def test_pdf_lines_that_run_on_are_wrapped_text():
    """Chinese wraps anywhere, a web address breaks after a slash: such lines are wrapped
    text, however they start."""
    from index.loaders.pdf import _Line, _set_as_lines

    def lines(*texts):
        return [_Line(t, 1, 0, 100, 0, 0, 10, False) for t in texts]

    assert _set_as_lines(lines("Name Value", "MATCH 1 Brief", "CONFIG 1024 Monitor"))
    assert not _set_as_lines(lines("北京市完成了道路修复工作", "共修复受损道路一百六十七条", "并于汛期前完工"))
    assert not _set_as_lines(lines("See https://example.org/docs/", "Manual/Index.html for",
                                   "More details"))
    assert not _set_as_lines(lines("Name Value", "MATCH 1 Brief"))  # too few to tell


def test_pdf_line_end_hyphen_joined(pdf_doc):
    assert "carried out by an international contractor" in pdf_doc.text
    assert "three-year agreement" in pdf_doc.text  # a hyphen inside a line stays


def test_pdf_offsets_are_exact(pdf_doc):
    for p in pdf_doc.paragraphs:
        assert pdf_doc.text[p.start:p.end].strip() == pdf_doc.text[p.start:p.end]
        assert "\n\n" not in pdf_doc.text[p.start:p.end]


def test_pdf_without_heading_cites_the_page(tmp_path):
    f = make_pdf(tmp_path / "notes.pdf", pages=[(None, [["A short note on page one."]]),
                                               (None, [["Another note on page two."]])],
                 header=None)
    d = load_file(f)
    assert _paras(d) == [("A short note on page one.", "p. 1"),
                         ("Another note on page two.", "p. 2")]


def test_scanned_pdf_gets_a_clear_message(tmp_path):
    with pytest.raises(DocumentError, match="no text layer.*OCR"):
        load_file(make_scanned_pdf(tmp_path / "scan.pdf"))


def test_encrypted_and_damaged_pdfs_get_clear_messages(tmp_path):
    with pytest.raises(DocumentError, match="encrypted with a password"):
        load_file(make_encrypted_pdf(tmp_path / "locked.pdf"))
    bad = tmp_path / "cut.pdf"
    bad.write_bytes(make_pdf(tmp_path / "whole.pdf").read_bytes()[:300])
    with pytest.raises(DocumentError, match="not a readable PDF"):
        load_file(bad)
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(DocumentError, match="not a readable PDF"):
        load_file(tmp_path / "x.pdf")


def test_docx_headings_become_sections_and_tables_rows(tmp_path):
    d = load_file(make_docx(tmp_path / "plan.docx"))
    assert d.title == "City Library Plan"
    assert _paras(d) == [
        ("The library employs 11 librarians and 4 technicians.", "Staff"),
        ("The library spent 48,000 euros on new books in 2024.", "Budget"),
        ("On Sundays the reading room stays closed.", "Opening hours"),
        ("Day | Hours", "Opening hours"),
        ("Monday | 9-18", "Opening hours"),
        ("Saturday | 10-14", "Opening hours"),
    ]
    assert "Budget" in d.text  # headings are in the text, not paragraphs of their own


def _content_control(gallery: str, text: str):
    from docx.oxml import parse_xml

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    return parse_xml(f'<w:sdt xmlns:w="{w}"><w:sdtPr><w:docPartObj><w:docPartGallery '
                     f'w:val="{gallery}"/></w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:r>'
                     f'<w:t>{text}</w:t></w:r></w:p></w:sdtContent></w:sdt>')


def test_docx_content_controls_are_read_but_not_a_table_of_contents(tmp_path):
    """A cover page's fields sit in content controls, and so does Word's table of
    contents, whose entries would be quoted in place of the sections they point to."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    path = make_docx(tmp_path / "plan.docx")
    d = docx.Document(str(path))
    body = d.element.body
    body.insert(1, _content_control("Table of Contents", "Staff 1"))
    body.insert(1, _content_control("Cover Pages", "Prepared by the city council in 2024."))
    d.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    d.paragraphs[0].insert_paragraph_before("Budget\t2", style="toc 1")
    d.save(str(path))
    paras = _paras(load_file(path))
    assert paras[0] == ("Prepared by the city council in 2024.", "")
    assert not any(t in ("Staff 1", "Budget 2") for t, _ in paras)
    assert paras[1][0] == "The library employs 11 librarians and 4 technicians."


@pytest.mark.parametrize("header", ["bold", "marked"])
def test_docx_table_rows_under_a_header_name_their_columns(tmp_path, header):
    d = load_file(make_docx(tmp_path / "plan.docx", header=header))
    assert _paras(d)[-3:] == [
        ("Day | Hours", "Opening hours"),
        ("Day: Monday | Hours: 9-18", "Opening hours"),
        ("Day: Saturday | Hours: 10-14", "Opening hours"),
    ]


def test_damaged_docx_gets_a_clear_message(tmp_path):
    f = tmp_path / "old.docx"
    f.write_bytes(b"\xd0\xcf\x11\xe0 an old binary .doc renamed")
    with pytest.raises(DocumentError, match="not a readable .docx"):
        load_file(f)


def test_html_navigation_and_boilerplate_dropped(tmp_path):
    d = load_file(make_html(tmp_path / "museum.html"))
    assert d.title == "Visiting the City Museum"
    paras = _paras(d)
    assert paras[1] == ("The museum opens at 9 a.m. on weekdays and at 10 a.m. at weekends, and "
                        "closes at 6 p.m. every day except on public holidays, when it stays "
                        "closed all day.", "Opening hours")
    assert paras[2][1] == "Tickets"
    for furniture in ("Home", "Donate", "Roman coins", "Explore", "Copyright 2024",
                      "Privacy policy", "Cookie settings", "tracking"):
        assert furniture not in d.text, furniture


def test_html_lists_and_tables_are_paragraphs(tmp_path):
    extra = ("<h2>Prices</h2><table><tr><th>Ticket</th><th>Price</th></tr>"
             "<tr><td>Adult</td><td>12 euros</td></tr></table>"
             "<ul><li>Guided tours on Fridays.</li><li>Audio guides in five languages.</li></ul>")
    paras = _paras(load_file(make_html(tmp_path / "m.html", extra=extra)))
    assert ("Ticket | Price", "Prices") in paras  # a header row of <th> cells
    assert ("Ticket: Adult | Price: 12 euros", "Prices") in paras
    assert ("Audio guides in five languages.", "Prices") in paras


def _article_as_web_page(article) -> str:
    """The bundled article as its site served it: menus, breadcrumb, the article with its
    header lines, section headings in bold paragraphs, then the site's furniture."""
    body, prev = [], ""
    for p in article.paragraphs[1:]:
        if p.section and p.section != prev:
            body.append(f"<p><strong>{html.escape(p.section)}</strong></p>")
        body.append(f"<p>{html.escape(article.text[p.start:p.end])}</p>")
        prev = p.section
    menu = "".join(f"<li><a href='/{i}'>Menu item {i}</a></li>" for i in range(12))
    return (f"<html><head><title>{html.escape(article.title)}</title></head><body>"
            f"<div class='top'><ul>{menu}</ul></div><div class='crumb'>Home &gt; News</div>"
            f"<div class='article'><h1>{html.escape(article.title)}</h1>"
            f"<p>Release Date:</p><p>{article.meta['release_date']}</p>"
            f"<p>Source:</p><p>{html.escape(article.meta['source'])}</p>"
            + "".join(body) +
            "<p>Previous Page</p><p>Related News</p><p>Related Downloads</p><p>undefined</p>"
            "</div><div class='foot'>Sponsored by the Ministry. ICP 0000001</div></body></html>")


def test_the_article_saved_as_a_web_page_reads_like_its_text(tmp_path, article):
    f = tmp_path / "article.html"
    f.write_text(_article_as_web_page(article), encoding="utf-8")
    d = load_file(f)
    assert d.title == article.title and d.meta == article.meta
    got = [(" ".join(t.split()), s) for t, s in _paras(d)]
    want = [(" ".join(t.split()), s) for t, s in _paras(article)]
    assert got == want


def test_folders_collect_every_format(tmp_path):
    make_pdf(tmp_path / "a.pdf")
    make_docx(tmp_path / "b.docx")
    make_html(tmp_path / "c.html")
    (tmp_path / "d.txt").write_text("Plain notes here.")
    (tmp_path / "~$b.docx").write_bytes(b"Word's lock file")
    assert [d.doc_id for d in load_paths([tmp_path])] == ["a.pdf", "b.docx", "c.html", "d.txt"]
    assert default_corpus().is_dir()


def test_html_markup_inside_inline_code_stays_in_place(tmp_path):
    # Sphinx writes a placeholder inside a literal; trafilatura moved it to the paragraph's end
    extra = ("<h2>Packages</h2><p>Each version's package must be called <code>python<em>X</em>"
             ".<em>Y</em></code>. Never choose the interpreter with <code>/usr/bin/env "
             "<em>name</em></code> in a script. Scripts run <kbd>make <var>target</var></kbd>.</p>")
    paras = _paras(load_file(make_html(tmp_path / "m.html", extra=extra)))
    assert ("Each version's package must be called pythonX.Y. Never choose the interpreter "
            "with /usr/bin/env name in a script. Scripts run make target.", "Packages") in paras


def test_html_text_between_blocks_without_paragraph_tags_is_read(tmp_path):
    # an HTML 4 manual: prose written straight into <body> between code listings, a
    # heading in bold, and a typo'd tag left open around the rest of the page
    f = tmp_path / "zpipe.html"
    f.write_text("<html><head><title>zlib Usage Example</title></head><body>"
                 "<h2>zlib Usage Example</h2>We often get questions about how deflate() "
                 "should be used.<pre><b>#define CHUNK 16384</b></pre><!-- -->\n"
                 "CHUNK is simply the buffer size for feeding data to the <tt>zlib</tt> "
                 "routines. Buffer sizes on the order of 128K or 256K bytes should be used."
                 "<pre>int ret;</pre>\n<b>Cleaning up</b>\n<pre>(void)deflateEnd(&strm);</pre>"
                 "Two lines<br>of one paragraph.<br>\n<br>Then the next one.<pre>x</pre>"
                 "We free the state to avoid a memory leak.<pi>Send email to <strong><code>"
                 "zlib <i>&lt;at&gt;</i> gzip.org</code></strong></p><h3>License</h3>"
                 "<p>The code is in the public domain.</p><p>Run <code>make<br>make install"
                 "</code> first.</p><template><p>Template text</p></template>"
                 "<p hidden>Hidden text</p></body></html>")
    paras = [t for t, _ in _paras(load_file(f))]
    for text in ("We often get questions about how deflate() should be used.",
                 "CHUNK is simply the buffer size for feeding data to the zlib routines. Buffer "
                 "sizes on the order of 128K or 256K bytes should be used.",
                 "We free the state to avoid a memory leak.", "Send email to zlib <at> gzip.org",
                 "The code is in the public domain.", "Run make make install first.",
                 "Two lines of one paragraph.", "Then the next one."):
        assert text in paras, text
    assert not any("Template text" in t or "Hidden text" in t for t in paras)


def test_html_code_block_in_a_table_cell_or_list_item_keeps_apart_from_its_words(tmp_path):
    # a manual's table of tools: a cell's paragraph, the command under it and the next
    # paragraph ran together ("as follows:ninja -t browse", "graph.pngIn the source tree")
    extra = ("<h2>Tools</h2><table><tr><td><p><code>browse</code></p></td><td><p>Browse the "
             "graph. This can be changed as follows:</p><pre>ninja -t browse --port=8000</pre>"
             "</td></tr><tr><td><p><code>graph</code></p></td><td><p>Write a file for <code>dot"
             "</code>. Use it like:</p>"
             "<pre>ninja -t graph | dot -ograph.png</pre><p>In the source tree, it draws "
             "Ninja itself. Keep <code>Buffer</code>s small.</p></td></tr></table><ul><li>Run it "
             "so:<pre>make all</pre>then wait.</li></ul>")
    text = load_file(make_html(tmp_path / "m.html", extra=extra)).text
    assert "Write a file for dot. Use it like: ninja -t graph" in text
    assert "dot -ograph.png In the source tree, it draws Ninja itself. Keep Buffers small." in text
    assert "Run it so: make all then wait." in text


def test_html_list_is_one_paragraph_with_the_line_that_introduces_it(tmp_path):
    extra = ("<h2>Groups</h2><p>Groups of ten or more must do two things:</p>"
             "<ul><li>Book a week ahead.</li><li>Bring one adult for every five children.</li>"
             "</ul><p>Groups get a 20% discount.</p>"
             "<ol><li>Schools may:<ul><li>picnic in the garden;</li><li>use the cloakroom.</li>"
             "</ul></li><li>Schools pay no entry fee.</li></ol>")
    paras = _paras(load_file(make_html(tmp_path / "m.html", extra=extra)))
    assert ("Groups of ten or more must do two things:\n\nBook a week ahead.\n\n"
            "Bring one adult for every five children.", "Groups") in paras
    assert ("Groups get a 20% discount.", "Groups") in paras
    assert ("Schools may:\n\npicnic in the garden;\n\nuse the cloakroom.", "Groups") in paras
    assert ("Schools pay no entry fee.", "Groups") in paras


def test_docx_list_is_one_paragraph_with_the_line_that_introduces_it(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("Closing", level=1)
    d.add_paragraph("Before leaving, the last member of staff must:")
    d.add_paragraph("Switch off the lights.", style="List Bullet")
    d.add_paragraph("Lock the back door.", style="List Bullet")
    d.add_paragraph("The alarm starts at 22:00.")
    d.add_paragraph("A stray item.", style="List Bullet")
    # numbered clauses: a clause's colon takes its sub-items, not the next clause
    d.add_paragraph("The tenant may:", style="List Number")
    d.add_paragraph("keep a cat;", style="List Number 2")
    d.add_paragraph("keep a dog.", style="List Number 2")
    d.add_paragraph("The rent is due on the first day of the month.", style="List Number")
    d.save(str(tmp_path / "closing.docx"))
    assert _paras(load_file(tmp_path / "closing.docx")) == [
        ("Before leaving, the last member of staff must:\n\nSwitch off the lights.\n\n"
         "Lock the back door.", "Closing"),
        ("The alarm starts at 22:00.", "Closing"),
        ("A stray item.", "Closing"),
        ("The tenant may:\n\nkeep a cat;\n\nkeep a dog.", "Closing"),
        ("The rent is due on the first day of the month.", "Closing"),
    ]


def test_pdf_author_line_set_large_is_no_heading(tmp_path):
    """A title page's author line with its address, set as large as a heading, names no
    section: the paragraphs after it stay under the document's own heading, and the line
    is kept as text."""
    for author in ("Jane Roe (jane.roe@harbour.example)",
                   "Jane Roe John Doe\nMax Mustermann (team@harbour.example)"):
        pages = [("Overview", [["The harbour authority looks after the port."]]),
                 (author, [["Dredging went on all year."]])]
        d = load_file(make_pdf(tmp_path / "authors.pdf", pages=pages))
        assert _paras(d)[-1] == ("Dredging went on all year.", "Overview · p. 2"), author
        assert all(part in d.text for part in author.split("\n"))


def test_html_reference_page_keeps_its_spaces_and_drops_heading_anchors(tmp_path):
    # an API reference as Node.js and Sphinx write it: a link to the heading's own address
    # in the heading, a default after a bold label, a note in a <div> of text only
    extra = ('<h2><code>setTimeout(callback[, delay])</code><span><a class="mark" '
             'href="#settimeout" id="settimeout">#</a></span></h2><p>Schedules a callback.</p>'
             '<div class="api_stability">Stability: 3 - Legacy: use <a href="#p"><code>'
             'promises</code></a> instead.</div>'
             '<ul><li><code>delay</code> <a href="#number">&lt;number&gt;</a> The number of '
             'milliseconds to wait. <strong>Default:</strong> <code>1</code>.</li></ul>'
             '<h2>Language C# <a class="headerlink" href="#c-sharp">¶</a></h2>'
             '<p>Both <em>ref</em> <code>unref</code> are <b>kept</b>. See <a href="#x">'
             'the # sign</a>, <a href="a.html"><em>then</em></a> <strong>stop</strong>, and '
             '<a href="#s12">§</a> 12.</p><table><tr><th><a href="#">#</a></th><th>Name</th>'
             '</tr><tr><td>1</td><td>Ada</td></tr></table>')
    paras = _paras(load_file(make_html(tmp_path / "api.html", extra=extra)))
    assert ("Stability: 3 - Legacy: use promises instead.",
            "setTimeout(callback[, delay])") in paras
    assert ("delay <number> The number of milliseconds to wait. Default: 1.",
            "setTimeout(callback[, delay])") in paras
    # a "#" or "§" outside a heading is the text's own
    assert ("Both ref unref are kept. See the # sign, then stop, and § 12.", "Language C#") in paras
    assert ("#: 1 | Name: Ada", "Language C#") in paras


def test_html_div_of_text_under_a_heading_or_at_the_ends_stays_furniture(tmp_path):
    # a breadcrumb under the title and a line after the text are the page's, not the text's
    f = tmp_path / "p.html"
    f.write_text("<html><head><title>Timers</title></head><body><div class='wrapper'>"
                 "<h1>Timers</h1><div class='crumbs'>Home » Documentation » Timers</div>"
                 "<p>The timer module exposes a global API for scheduling functions to be "
                 "called at some future period of time, with no need to require it.</p>"
                 "<h2>Class: Timeout</h2><p>This object is created internally and is returned "
                 "from setTimeout() and setInterval() for cancelling the actions.</p>"
                 "<div>Edit this page on GitHub</div></div></body></html>")
    text = load_file(f).text
    assert "The timer module exposes" in text and "This object is created" in text
    assert "Home »" not in text and "Edit this page" not in text


def test_html_manual_without_a_main_element_keeps_its_headings_lists_and_tables(tmp_path):
    # as DocBook writes a manual: no <article>, <main> or "content" class, each heading
    # three <div>s deep, an empty link target before each table, a breadcrumb div
    titled = ("<div class='section'><div class='titlepage'><div><div><h2 class='title'>"
              "<a name='_{0}'></a>{1}</h2></div></div></div>{2}</div>")
    f = tmp_path / "manual.html"
    f.write_text(
        "<html><head><title>The Lantern manual</title></head><body><div class='book'>"
        "<div class='crumbs'>Home » Manuals » Lantern</div>"
        + titled.format("running", "Running Lantern",
                        "<p>Run lantern in the folder that holds the lamp log, and it "
                        "starts watching the lamp.</p><ul><li>It checks every five "
                        "minutes.</li><li>It writes one line each time.</li></ul>")
        + titled.format("options", "Options",
                        "<p>Lantern reads these options from its configuration file:</p>"
                        "<div class='informaltable'><a name='AEN153'></a><table>"
                        "<tr><th>Option</th><th>Default</th></tr>"
                        "<tr><td>every</td><td>5m</td></tr></table></div>")
        + "</div></body></html>")
    paras = _paras(load_file(f))
    sections = [s for _, s in paras]
    assert "Running Lantern" in sections and "Options" in sections
    assert any("It writes one line each time." in t and s == "Running Lantern"
               for t, s in paras)
    assert ("Option: every | Default: 5m", "Options") in paras
    assert not any("Home »" in t for t, _ in paras)


def test_html_table_without_header_of_names_and_descriptions_reads_as_definitions(tmp_path):
    f = tmp_path / "tools.html"
    f.write_text("<html><body><article><h1>Tools</h1><p>The tools that ninja -t runs are "
                 "listed below, one a row, with what each of them does.</p><table>"
                 "<tr><td>clean</td><td>remove built files.</td></tr>"
                 "<tr><td>cleandead</td><td>remove files no longer in the build file.</td></tr>"
                 "</table><p>The build took this long, year by year, on the same machine.</p>"
                 "<table><tr><td>2019</td><td></td><td>40 m</td></tr>"
                 "<tr><td>Fast startup</td><td>uses more memory than the others</td></tr>"
                 "</table></article></body></html>")
    texts = [t for t, _ in _paras(load_file(f))]
    assert "cleandead: remove files no longer in the build file." in texts
    # a table of other rows reads as before, each row as it is
    assert "2019 | | 40 m" in texts
    assert any(t.startswith("Fast startup | uses more memory") for t in texts)


def test_html_definition_list_reads_each_term_with_its_definition(tmp_path):
    f = tmp_path / "options.html"
    f.write_text("<html><body><article><h1>Options</h1><p>The time command takes these "
                 "options, each on a line of its own in the list below.</p><dl>"
                 "<dt>-o file</dt><dt>--output=file</dt><dd><p>Write the statistics to "
                 "file.</p></dd><dt>-a, --append</dt><dd><p>Append the statistics to the "
                 "output file instead of overwriting it.</p></dd><dt>--quiet</dt></dl>"
                 "</article></body></html>")
    texts = [t for t, _ in _paras(load_file(f))]
    assert "-o file, --output=file: Write the statistics to file." in texts
    assert ("-a, --append: Append the statistics to the output file instead of "
            "overwriting it.") in texts
    assert "--quiet" in " ".join(texts)  # a term with no definition stays


@pytest.mark.parametrize("body, expected", [
    # text in <div>s only, as an e-mail saved as HTML writes it: each a paragraph
    ("<div dir=ltr>Hi all,</div><div dir=ltr>The new lamp arrived this morning and works "
     "well in the fog tests.</div><div dir=ltr>Thanks, Ann</div>",
     [("Hi all,", ""), ("The new lamp arrived this morning and works well in the fog "
                        "tests.", ""), ("Thanks, Ann", "")]),
    # headings and text in <div>s: framed, the divs would be left out; read as it is
    ("<h1>Minutes</h1><h2>March</h2><p>The committee met on Tuesday and agreed the "
     "budget.</p><div>Present: Ann, Bo</div><div>The board agreed to meet again in June at "
     "the harbour office.</div>",
     [("The committee met on Tuesday and agreed the budget.", "March"),
      ("Present: Ann, Bo", "March"),
      ("The board agreed to meet again in June at the harbour office.", "March")]),
    # a documentation page with a sidebar and no main element: headings kept, the
    # sidebar's contents and the "Next topic" line left out
    ("<div class=sphinxsidebar><h3>Contents</h3><ul><li><a href=#i>Intro</a></li><li>"
     "<a href=#n>Install</a></li></ul></div><div class=body><h1>Lantern</h1><h2>Intro</h2>"
     "<p>This guide explains how to run Lantern on a lighthouse console.</p><h2>Install"
     "</h2><p>Copy the lantern folder to the console and start it from the menu.</p></div>"
     "<div class=related>Previous topic: Setup. Next topic: Usage.</div>",
     [("This guide explains how to run Lantern on a lighthouse console.", "Intro"),
      ("Copy the lantern folder to the console and start it from the menu.", "Install")]),
])
def test_html_page_without_a_main_element_is_framed_only_when_that_keeps_its_headings(
        tmp_path, body, expected):
    f = tmp_path / "page.html"
    f.write_text(f"<html><body>{body}</body></html>")
    assert _paras(load_file(f)) == expected


def test_html_page_laid_out_in_tables_reads_its_headings_and_paragraphs(tmp_path):
    # an old manual page: the site's banner, its menu and the page's text are cells of
    # layout tables; the text read as one paragraph of 14,000 characters, no section
    f = tmp_path / "internals.html"
    f.write_text(
        "<html><head><title>Library internals</title></head><body>"
        "<table><tr><td><h1>The C library</h1><h2>Library internals</h2></td></tr></table>"
        "<table><tr><td><table><tr><td><b>Main Menu</b></td></tr></table></td>"
        "<td><h3>Introduction</h3><p>This document describes how the library processes a "
        "stylesheet, step by step, from parsing to output.</p>"
        "<h3>Memory</h3><p>The size of the documents it can handle is limited by the size "
        "of the memory available on the machine running it.</p>"
        "<p>Data tables stay tables:</p><table><tr><th>Pool</th><th>Lifetime</th></tr>"
        "<tr><td>permanent</td><td>the whole run</td></tr></table>"
        "<h3>Thanks</h3><p>Thanks to Ann Smith for fixes and clarifications.</p>"
        "</td></tr></table></body></html>")
    paras = _paras(load_file(f))
    assert ("This document describes how the library processes a stylesheet, step by step, "
            "from parsing to output.", "Introduction") in paras
    assert ("Thanks to Ann Smith for fixes and clarifications.", "Thanks") in paras
    assert any(t.startswith("The size of the documents") and s == "Memory" for t, s in paras)
    assert any("Pool: permanent" in t and "Lifetime: the whole run" in t for t, _ in paras)


def test_html_code_block_keeps_the_words_after_its_line_breaks(tmp_path):
    # trafilatura writes a <pre> as a quote with line breaks: what followed the first
    # break was lost ("Structure xsltCompilerCtxt" kept, "struct _xsltCompilerCtxt" not)
    extra = ("<h2>Structures</h2><p>The structures used by the engine:</p>"
             "<pre>Structure CompilerCtxt<br/>struct _CompilerCtxt {\n  int depth;\n}</pre>"
             "<p>They are not part of the API.</p>")
    text = load_file(make_html(tmp_path / "m.html", extra=extra)).text
    assert "struct _CompilerCtxt" in text and "int depth" in text


def test_html_table_with_a_header_row_stays_a_table_though_a_cell_is_a_heading(tmp_path):
    extra = ("<h2>Options</h2><table><tr><th>Option</th><th>Meaning</th></tr>"
             "<tr><td><h4>--force</h4></td><td>Overwrite existing files without asking.</td>"
             "</tr><tr><td><h4>--quiet</h4></td><td>Print nothing but errors.</td></tr></table>")
    text = load_file(make_html(tmp_path / "m.html", extra=extra)).text
    assert "Option: --force | Meaning: Overwrite existing files without asking." in text


def test_docx_superscripts_are_powers_or_notes(tmp_path):
    """Word writes a power and a note's mark alike, as a superscript run: "10" then "6"
    read 106 cells, and "rose.3" glued the note to its sentence."""
    from docx import Document as Docx

    doc = Docx()
    p = doc.add_paragraph("The culture held 10")
    p.add_run("6").font.superscript = True
    p.add_run(" cells per cm")
    p.add_run("2").font.superscript = True
    p.add_run(". Output rose.")
    p.add_run("3").font.superscript = True
    p.add_run(" Costs fell.")
    table = doc.add_table(rows=1, cols=1)
    cell = table.rows[0].cells[0].paragraphs[0]
    cell.add_run("Area in km")
    cell.add_run("2").font.superscript = True
    doc.save(tmp_path / "lab.docx")
    d = load_file(tmp_path / "lab.docx")
    assert [t for t, _ in _paras(d)] == [
        "The culture held 10⁶ cells per cm². Output rose. Costs fell.", "Area in km²"]
