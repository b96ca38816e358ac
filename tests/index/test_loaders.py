import pytest

from index.errors import DocumentError
from index.loaders import load_file, load_paths, parse_text
from tests.formats import NEWS


def _read(d):
    """A document's paragraphs as (text, section), as a test compares them."""
    return [(d.text[p.start:p.end], p.section) for p in d.paragraphs]


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
    assert _read(d) == [
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


LICENCE = """\
                         HARBOUR DATA LICENCE
                        Version 2, 3 May 2021

  1. Definitions.

  "Licensee" means the person or organisation that receives the data
under this Licence, and "Licensor" means the harbour authority that
publishes it.  A copy of this Licence must accompany every copy of the
data-set that is distributed, whether for a fee or with-
out charge.

  2. Termination.

  If the Licensee breaches this Licence, its rights end at once.  They
are restored if the breach is cured within 30 days of the Licensor's
notice, and the Licensor may then:
  a) require the Licensee to destroy its copies; or
  b) publish the name of the Licensee and the nature of the
     breach.
"""


def test_hard_wrapped_text_is_read_in_whole_sentences(tmp_path):
    from index.text import sentence_spans

    f = tmp_path / "licence.txt"
    f.write_text(LICENCE)
    d = load_file(f)
    paras = [d.text[p.start:p.end] for p in d.paragraphs]
    # a centred title's lines are laid out, not wrapped: the first is the title, the
    # line under it is text of its own; a numbered title line heads its clause
    assert d.title == "HARBOUR DATA LICENCE"
    assert paras[0] == "Version 2, 3 May 2021" and d.paragraphs[0].section == d.title
    assert d.paragraphs[1].section == "1. Definitions."
    assert paras[1].startswith('"Licensee" means the person or organisation that receives the '
                               "data under this Licence, and")
    assert paras[1].endswith("whether for a fee or without charge.")  # the line-end hyphen
    assert "If the Licensee breaches this Licence, its rights end at once." in paras[2]
    assert d.paragraphs[2].section == "2. Termination."
    # list items keep their own lines, in the paragraph of the line that introduces them;
    # an item's wrapped line joins it
    assert paras[-1].endswith("may then:\n  a) require the Licensee to destroy its copies; or"
                              "\n  b) publish the name of the Licensee and the nature of the "
                              "breach.")
    sentences = [d.text[s:e] for p in d.paragraphs for s, e in sentence_spans(d.text, p.start, p.end)]
    assert ("They are restored if the breach is cured within 30 days of the Licensor's notice, "
            "and the Licensor may then:\n  a) require the Licensee to destroy its copies; or"
            ) in sentences
    assert "b) publish the name of the Licensee and the nature of the breach." in sentences



INDENTED = """\
                            Quay Software Licence
                          Version 1.1, March 2020

   TERMS AND CONDITIONS

   1. Definitions.

      "Work" shall mean the software and documentation made available
      under this Licence, in source or object form, as indicated by the
      notice included in or attached to it.

   2. Trademarks. This Licence does not grant permission to use the trade
      names, trademarks or product names of the Licensor, except as needed
      to describe the origin of the Work.

   3. Redistribution. You may reproduce and distribute copies of the Work
      provided that You meet the following conditions:

      (a) You must give any other recipients of the Work a copy of this
          Licence; and

      (b) You must keep intact all notices that refer to this Licence and
          the Work; and

   ************************************************************************
   *                                                                      *
   *  4. Disclaimer of Warranty                                           *
   *  -------------------------                                           *
   *                                                                      *
   *  The Work is provided on an "as is" basis, without warranty of any   *
   *  kind, either expressed or implied.                                  *
   *                                                                      *
   ************************************************************************
"""


def test_indented_licence_reads_as_clauses(tmp_path):
    """A licence laid out as the Apache and Mozilla ones are: wrapped lines indented
    under their clause, run-in clause titles, a boxed disclaimer."""
    f = tmp_path / "quay.txt"
    f.write_text(INDENTED)
    d = load_file(f)
    paras = {d.text[p.start:p.end]: p.section for p in d.paragraphs}
    assert d.title == "Quay Software Licence"
    assert paras["Version 1.1, March 2020"] == "Quay Software Licence"
    # indented continuation lines are joined (they start with spaces, not lower case)
    assert paras['"Work" shall mean the software and documentation made available under '
                 "this Licence, in source or object form, as indicated by the notice "
                 "included in or attached to it."] == "1. Definitions."
    # "2. Trademarks." runs into its clause: it names the clause's section
    assert paras["This Licence does not grant permission to use the trade names, trademarks "
                 "or product names of the Licensor, except as needed to describe the origin "
                 "of the Work."] == "2. Trademarks"
    intro = next(t for t in paras if t.startswith("You may reproduce"))
    assert paras[intro] == "3. Redistribution"
    assert "(b) You must keep intact all notices that refer to this Licence and the Work; and" in intro
    # a wrapped line left alone by the list ("the Work; and") is no heading, and the
    # boxed clause is read without its frame
    assert "the Work; and" not in {p.section for p in d.paragraphs}
    assert paras['The Work is provided on an "as is" basis, without warranty of any kind, '
                 "either expressed or implied."] == "4. Disclaimer of Warranty"
    assert not any("*" in t for t in paras)
    # a numbered line that is no title opens a clause, and heads nothing
    defs = parse_text('1. Definitions\n\n1.1. "Modifications" means\n\n    (a) any change to a '
                      'file in Source Code Form, by addition, deletion or rewording of its text; or\n\n    (b) any new file.\n\n1.2. "Source" means the files that '
                      'are edited.\n', "defs.txt")
    assert {p.section for p in defs.paragraphs} == {"1. Definitions"}
    # a definition that stops at "means" is read with the items that finish it
    texts = [defs.text[p.start:p.end] for p in defs.paragraphs]
    assert texts[0].startswith('1.1. "Modifications" means\n') and texts[0].endswith(
        "(b) any new file."), texts
    assert texts[1] == '1.2. "Source" means the files that are edited.'


def test_title_is_the_first_line_or_the_file_name(tmp_path):
    f = tmp_path / "site-survey.txt"
    f.write_text("The survey was carried out in May by two teams of surveyors.\n\n"
                 "Findings\n\nThe north wall leans by four degrees and must be shored up.\n")
    d = load_file(f)
    assert d.title == "site survey"  # not the heading further down
    assert [p.section for p in d.paragraphs] == ["", "Findings"]


def test_markdown_readme_headings(tmp_path):
    """A README: badges in its title, a shell comment in a code block, a sentence that
    leads into a code block ("... such as")."""
    f = tmp_path / "README.md"
    f.write_text("# quaytool [![build](https://ci.example/badge.svg)](https://ci.example)\n\n"
                 "## Install\n\nGet it from [the releases page](https://example.org/rel) or "
                 "see **[the guide](docs/guide.md)**.\n\n"
                 "```sh\n# fetch the wheel first\npip install quaytool\n```\n\n"
                 "A list option takes its default values too, such as\n\n"
                 "```toml\nnames = [\"..\", \"foo\", \"bar\", \"baz\", \"quux\"]\n```\n")
    d = load_file(f)
    assert d.title == "quaytool"
    assert {p.section for p in d.paragraphs} == {"Install"}
    texts = [d.text[p.start:p.end] for p in d.paragraphs]
    assert "# fetch the wheel first\npip install quaytool" in texts  # a code block, whole
    # a link reads as its text, with a web address after it
    assert "Get it from the releases page (https://example.org/rel) or see the guide." in texts
    assert "A list option takes its default values too, such as" in texts




def test_release_notes_in_an_outline_keep_their_releases(tmp_path):
    """An Emacs outline's "*" and "**" lines are headings, each section named with the
    release it is under; a release's heading, which states its number and date, is text
    too. A note's lines are one paragraph, its "[bug introduced in ...]" line with it,
    though each line ends a sentence: blank lines set the notes apart."""
    f = tmp_path / "NEWS"
    f.write_text(NEWS)
    d = load_file(f)
    assert d.title == "GNU tools NEWS"  # without the editor's mode line
    paras = [(p.section, d.text[p.start:p.end]) for p in d.paragraphs]
    release = "Noteworthy changes in release 9.1 (2022-04-15) [stable]"
    assert paras[0] == (release, release)
    assert paras[1] == (f"{release} › Bug fixes",
                        "chmod -R no longer exits with error status when encountering symlinks. "
                        "All files would be processed correctly, but the exit status was "
                        "incorrect. [bug introduced in coreutils-9.0]")
    assert paras[2][1].endswith("before adjusting it to the correct value. "
                                "[bug introduced in coreutils-8.17]")
    assert paras[3][0] == f"{release} › Changes in behavior"
    assert paras[-1][0] == "Noteworthy changes in release 9.0 (2021-09-24) [stable] › Bug fixes"
    # star lines that are no outline keep their text: a list with a nested item, footnote
    # marks, a notice between stars, an item that is a sentence
    for text in ("Packing list\n\n* Passport\n* Tickets\n** Boarding pass printed\n",
                 "Results\n\nThe effect is large.\n\n* Significant at the five percent level\n"
                 "** Significant at the one percent level\n",
                 "Readme\n\n** WARNING ** this file is generated.\n\n* The program reads its "
                 "input from standard input.\n* It writes to standard output.\n"):
        kept = parse_text(text, "x.txt")
        lines = [ln for ln in text.splitlines()[1:] if ln.strip()]
        assert [kept.text[p.start:p.end] for p in kept.paragraphs] == lines, text
    # in wrapped text set apart by blank lines, a signature under a sentence keeps its
    # lines; two long lines of one block are one paragraph
    letter = ("Letter\n\nThe harbour board met on Monday and agreed that the new quay\n"
              "will open in the spring, once the dredging of the channel is\n"
              "done. Tenders for the work are due at the office.\n"
              "Best regards,\nJohn Smith\n\n"
              "The quay will be inspected by the engineers before it opens,\n"
              "and their report will be published on the website in June.\n"
              "Questions about the tenders go to the office, which is open\n"
              "from nine to five.\n")
    d = parse_text(letter, "letter.txt")
    got = [d.text[p.start:p.end] for p in d.paragraphs]
    assert got[0].endswith("Tenders for the work are due at the office.") and got[1] == "Best regards,"
    assert got[-1] == ("The quay will be inspected by the engineers before it opens, and their "
                       "report will be published on the website in June. Questions about the "
                       "tenders go to the office, which is open from nine to five.")
    # a file without a suffix is read as text when named, and refused when it is binary
    (tmp_path / "prog").write_bytes(b"\x7fELF\x02\x01\x00\x00binary")
    with pytest.raises(DocumentError, match="binary data, not text"):
        load_file(tmp_path / "prog")


def test_markdown_mixing_wrapped_and_long_lines_is_unwrapped(tmp_path):
    """A README wraps some paragraphs at 80 columns and leaves others on one long line:
    the wrapped ones are still joined."""
    long = ("The `edition` option determines the language edition used for parsing the "
            "code, which matters for syntax compatibility between editions, and it is read "
            "from the manifest when the tool runs through the build system.")
    wrapped = ("To keep your code base consistently formatted, it can be helpful to fail\n"
               "the build when a pull request contains unformatted code. Using `--check`\n"
               "makes the tool exit with an error code if the input is not formatted, and\n"
               "print the differences it found.")
    f = tmp_path / "README.md"
    f.write_text("# fmt\n\n" + "\n\n".join([long, wrapped] * 4) + "\n")
    d = load_file(f)
    texts = {d.text[p.start:p.end] for p in d.paragraphs}
    # (code marks read as the code they mark)
    assert " ".join(wrapped.replace("`", "").split("\n")) in texts
    assert long.replace("`", "") in texts


@pytest.mark.parametrize("text, sections, kept", [
    # no blank line under the title: the short lines are still headings
    ("Quarterly Report\nSummary\nRevenue grew by 12 percent compared with the same quarter "
     "last year.\nCosts\nOperating costs fell because the new warehouse replaced two sites.\n",
     ["Summary", "Costs"], []),
    # items of a numbered list stay items, title case or not
    ("Board meeting agenda\n\n1. Welcome\n2. Minutes of the Last Meeting\n3. Budget for 2025\n"
     "4. Any Other Business\n\nThe meeting will be held in room 4 at 10:00 and lasts two hours.\n",
     None, ["3. Budget for 2025", "4. Any Other Business"]),
    # a list under its introduction keeps each item's words
    ("The highest mountains\n\nThe three highest peaks:\n\n1. Mount Everest. At 8,849 metres it "
     "is the highest mountain above sea level.\n2. K2. At 8,611 metres it is the second "
     "highest, and far harder to climb.\n", None, ["1. Mount Everest. At 8,849 metres"]),
    # a line in capitals is text, and stars and underscores in a .txt are not Markdown
    ("Safety notice\n\nWARNING\nDO NOT OPEN THE COVER WHILE THE UNIT IS PLUGGED IN\nThe "
     "capacitors inside hold a charge for minutes.\nIt wraps after 2**32 events; __name__ "
     "is set, and [0, 1](open) is an interval.\n", None,
     ["DO NOT OPEN THE COVER WHILE THE UNIT IS PLUGGED IN", "2**32 events; __name__",
      "[0, 1](open)"]),
])
def test_plain_text_layouts_keep_their_text(tmp_path, text, sections, kept):
    f = tmp_path / "notes.txt"
    f.write_text(text)
    d = load_file(f)
    body = "\n".join(d.text[p.start:p.end] for p in d.paragraphs)
    if sections is not None:
        assert [s for s in dict.fromkeys(p.section for p in d.paragraphs)] == sections
    for words in kept:
        assert words in body


def test_a_table_of_contents_is_no_paragraph_nor_heading(tmp_path):
    """"How do I install it?" must find the section, not its contents entry."""
    f = tmp_path / "guide.txt"
    f.write_text("Widget Guide\n\nTable of Contents\n\n   1.  Installing the Widget ............ 2\n"
                 "   2.  Cleaning the Widget ............. 3\n"
                 "   3.  Specifications .................. 4\n\n1. Installing the Widget\n\n"
                 "Screw the widget to the wall with the two screws supplied.\n\n"
                 "2. Cleaning the Widget\n\nWipe it with a dry cloth, never with water.\n\n"
                 "3. Specifications\n\nThe widget is specified as follows:\n"
                 "Weight ................ 12 kg\nPrice ................. 3.50\n\n"
                 "Our prices:\n\nPolish ................ 2\n")
    d = load_file(f)
    assert _read(d) == [
        ("Screw the widget to the wall with the two screws supplied.", "1. Installing the Widget"),
        ("Wipe it with a dry cloth, never with water.", "2. Cleaning the Widget"),
        ("The widget is specified as follows:", "3. Specifications"),
        ("Weight ................ 12 kg", "3. Specifications"),
        ("Price ................. 3.50", "3. Specifications"),
        ("Our prices:", "3. Specifications"),
        ("Polish ................ 2", "3. Specifications")]  # one such line is data
    assert "Installing the Widget ............ 2" in d.text


def test_a_csv_or_a_mail_header_is_no_title(tmp_path):
    f = tmp_path / "people.txt"
    f.write_text("Name,Age,City\nAlice,34,Paris\nBob,29,London\n")
    assert load_file(f).title == "people"
    f.write_text("From: Jane Roe <jane@example.com>\nSubject: Outage\n\nThe cluster went down.\n")
    assert load_file(f).title == "people"

def test_wrapped_markdown_keeps_code_tables_and_headings(tmp_path):
    prose = ("The pumping station at the north quay was rebuilt after the\n"
             "storm of 2019, and it now drains the lower town in less than\n"
             "an hour. Its two engines were replaced by four smaller ones,\n"
             "each with its own supply, so that a single failure no longer\n"
             "stops the station.\n")
    code = "```\nstart pumps --all\nwait for level < 2\n```\n"
    table = "| engine | power |\n|---|---|\n| north | 40 kW |\n"
    f = tmp_path / "station.md"
    f.write_text(f"# Pumping station\n\n{prose}\n{code}\n{table}\n## Costs\n\n{prose}")
    d = load_file(f)
    paras = _read(d)
    whole = " ".join(prose.split())
    assert paras[0] == (whole, "")
    assert paras[-1] == (whole, "Costs")
    assert ("start pumps --all\nwait for level < 2", "") in paras
    assert ("engine | power", "") in paras and ("engine: north | power: 40 kW", "") in paras
    assert not any("```" in t or "---" in t for t, _ in paras)


def test_markdown_is_read_as_its_parser_reads_it(tmp_path):
    """A README's constructs that line rules misread: a table without outer pipes, with
    a line break and a reference link in its cells; a link wrapped over two lines (its
    first line is no heading); a link alone under a heading (a paragraph, not a heading);
    text inside a raw HTML block; a contents list of links into the page; a front
    matter's title; Chinese wrapped over lines."""
    f = tmp_path / "tool.md"
    f.write_text(
        "---\ntitle: Tool handbook\nlayout: page\n---\n\n"
        "* [Install](#install)\n  * [Linux](#linux)\n\n"
        "## Install\n\n<details>\n  Add the tool to your `PATH` first.\n</details>\n\n"
        "## Settings\n\nname | default | description\n-----|---------|------------\n"
        "`TOOL_ROOT` | `~/.tool` | Where it lives.<br>Also see [`tool root`](CMD.md)\n"
        "`TOOL_HOOKS` | [_see wiki_][hooks] | Hook paths.\n\n"
        "## Development\n\nThe source code is [hosted on\nGitHub](https://example.org/tool).\n\n"
        "### License\n\n[The MIT License](LICENSE)\n\n"
        "本工具由\n两个团队维护。\n\n[hooks]: https://example.org/wiki#hooks\n")
    d = load_file(f)
    assert d.title == "Tool handbook"
    assert _read(d) == [
        ("Add the tool to your PATH first.", "Install"),
        ("name | default | description", "Settings"),
        ("name: TOOL_ROOT | default: ~/.tool | description: Where it lives. Also see tool root",
         "Settings"),
        ("name: TOOL_HOOKS | default: see wiki (https://example.org/wiki#hooks) | "
         "description: Hook paths.", "Settings"),
        ("The source code is hosted on GitHub (https://example.org/tool).", "Development"),
        ("The MIT License", "License"),
        ("本工具由两个团队维护。", "License")]
    assert "[hooks]" not in d.text and "---" not in d.text


@pytest.mark.parametrize("text, title, paras", [
    # a numbered item's number is its own, not the next paragraph's
    ("1. ```\n   make\n   ```\n\nAfter the list.\n", "x", [("make", ""), ("After the list.", "")]),
    # a logo for a first heading: the next heading is a section, not the title
    ("# ![logo](logo.png)\n\n## Install\n\nRun it.\n", "x", [("Run it.", "Install")]),
    # raw HTML: a heading element is a heading; a comment, a style, a script are no text;
    # a shell comment in <pre> is no heading
    ('<h1 align="center">Tool</h1>\n\n<!-- do > not edit -->\n\n<style>p {}</style>\n\n'
     "<pre>\n# build it\n$ make\n</pre>\n\n<h2>Usage</h2>\n\nRun it.\n", "Tool",
     [("# build it $ make", ""), ("Run it.", "Usage")]),
    # an HTML table's rows, under its header row, with the text around it in order
    ("<p>Signals:</p>\n<table>\n  <tr><th>Constant</th><th>Description</th></tr>\n"
     "  <tr>\n    <td><code>SIGHUP</code></td>\n    <td>Sent when a terminal\n    is closed."
     "</td>\n  </tr>\n</table>\n<p>More below.</p>\n", "x",
     [("Signals:", ""), ("Constant | Description", ""),
      ("Constant: SIGHUP | Description: Sent when a terminal is closed.", ""),
      ("More below.", "")]),
    # a rule first is no front matter
    ("---\n\nIntro.\n\n---\n\nMore.\n", "x", [("Intro.", ""), ("More.", "")]),
    ('---\ntitle: "Tool: a guide" # the site\'s\nlayout: page\n---\nBody.\n', "Tool: a guide",
     [("Body.", "")]),
    ("---\ntitle: >-\n  folded\n---\nBody.\n", "x", [("Body.", "")]),
    # a heading's link names the section by its text alone
    ("# [Tool](https://example.org)\n\n## [1.2.0](https://example.org/c) (2024-01-05)\n\n"
     "Fixed.\n", "Tool", [("Fixed.", "1.2.0 (2024-01-05)")]),
])
def test_markdown_edges(tmp_path, text, title, paras):
    f = tmp_path / "x.md"
    f.write_text(text)
    d = load_file(f)
    assert d.title == title
    assert _read(d) == paras


def test_markdown_notes_and_superscripts_read_as_a_reader_sees_them(tmp_path):
    """A footnote's mark is no text and the note is read under "Notes"; a number in
    <sup> is a power (10⁶, not 106), unless it marks a note: a link into the page, or
    right after a sentence's punctuation, where it glued itself to the next sentence."""
    f = tmp_path / "paper.md"
    f.write_text(
        "# Paper\n\nWe grew 10<sup>6</sup> cells per cm<sup>2</sup>.[^1] It cost $6 billion."
        '<sup id="fnr2"><a href="#fn2">2</a></sup> It ran in 42,000 transactions.<sup>3</sup>'
        " Then the 1<sup>st</sup> trial.\n\n<p>Loss fell to 10<sup>-3</sup>.<sup>"
        '<a href="#fn4">4</a></sup></p>\n\n[^1]: Counted by hand.\n')
    d = load_file(f)
    assert _read(d) == [
        ("We grew 10⁶ cells per cm². It cost $6 billion. It ran in 42,000 transactions. "
         "Then the 1st trial.", ""),
        ("Loss fell to 10⁻³.", ""),
        ("Counted by hand.", "Notes")]


def test_html_superscripts_and_reference_marks(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(
        "<html><head><title>Lakes</title></head><body><article><h1>Lakes</h1><p>The lake "
        "covers 312 km<sup>2</sup> and holds 10<sup>9</sup> tonnes of water.<sup "
        'class="reference"><a href="#cite_note-1">[1]</a></sup> It froze on the 3<sup>rd'
        "</sup> of May, the records say, and the ice lasted until the end of the month in "
        "that year and the next.</p></article></body></html>")
    d = load_file(f)
    assert [d.text[p.start:p.end] for p in d.paragraphs] == [
        "The lake covers 312 km² and holds 10⁹ tonnes of water. It froze on the 3rd of May, "
        "the records say, and the ice lasted until the end of the month in that year and the "
        "next."]


def test_markdown_keeps_the_article_header(tmp_path):
    f = tmp_path / "report.md"
    f.write_text("# Annual Report\nRelease Date:\n2024-03-05\nSource:\nMinistry\n\nBody text.\n")
    d = load_file(f)
    assert d.title == "Annual Report"
    assert d.meta == {"release_date": "2024-03-05", "source": "Ministry"}


def test_markdown_lists_keep_their_numbers_and_join_their_introduction(tmp_path):
    f = tmp_path / "steps.md"
    f.write_text("# Setup\n\nDo these steps:\n\n1. Install it.\n2. Run `tool init`.\n\n"
                 "Options:\n\n- `--quiet`: say less\n- `--dry-run`: change nothing\n")
    d = load_file(f)
    assert d.title == "Setup"
    assert [d.text[p.start:p.end] for p in d.paragraphs] == [
        "Do these steps:\n\n1. Install it.\n\n2. Run tool init.",
        "Options:\n\n--quiet: say less\n\n--dry-run: change nothing"]
    (tmp_path / "empty.md").write_text("  \n")
    with pytest.raises(DocumentError, match="holds no text"):
        load_file(tmp_path / "empty.md")


def test_text_of_long_or_short_lines_is_read_line_by_line(article):
    from index.loaders.text import unwrap

    assert unwrap(article.text) == article.text  # a paragraph a line
    roster = "".join(f"Pump {n} at the north quay, checked by the night shift\n"
                     for n in range(1, 9))
    assert unwrap(roster) == roster  # lines that start no sentence in lower case


def test_underlined_headings_name_their_sections_and_rules_are_no_text(tmp_path):
    f = tmp_path / "licence.txt"
    f.write_text("Harbour Data Licence Version 2\n==============================\n\n"
                 "1. Definitions\n--------------\n\n"
                 "A Licensee is the person who receives the data.\n\n"
                 "-----\n\nThe Licensor is the harbour authority.\n")
    d = load_file(f)
    assert d.title == "Harbour Data Licence Version 2"
    assert _read(d) == [
        ("A Licensee is the person who receives the data.", "1. Definitions"),
        ("The Licensor is the harbour authority.", "1. Definitions")]


def test_framed_titles_are_headings_and_a_drawing_is_not(tmp_path):
    """A design note writes "*** Title ***" over its sections and draws its structure with
    "|--": the titles name the sections, without their stars, and the drawing's lines
    name none. A framed line indented under text is an example's output, not a title."""
    f = tmp_path / "structure.txt"
    f.write_text("JPEG PIPELINE: SYSTEM ARCHITECTURE\n\n"
                 "This note describes the modules of the pipeline.\n\n"
                 "*** System features ***\n\n"
                 "The pipeline has two parts.\n\n"
                 "*** Object structure ***\n\n"
                 "Here is a sketch of the logical structure of the pipeline:\n\n"
                 "                  |-- Reader --|\n"
                 "Main controller --|            |-- Parser\n"
                 "                                |-- Entropy decoding\n\n"
                 "Each component shown in the diagram is an object.\n\n"
                 "If a test fails, the message looks like:\n\n"
                 "\t*** The script u.ed exited abnormally ***\n"
                 "or it names the output.\n")
    d = load_file(f)
    sections = {p.section for p in d.paragraphs}
    assert sections == {"JPEG PIPELINE: SYSTEM ARCHITECTURE", "System features", "Object structure"}
    read = dict(_read(d))
    assert read["The pipeline has two parts."] == "System features"
    assert read["Each component shown in the diagram is an object."] == "Object structure"


@pytest.mark.parametrize("line,section", [
    # a notice or a bold phrase between marks is text, not a title
    ("*** Do not edit this file by hand; it is generated by the build script ***", "Guide"),
    ("**Warning:** running this as root will **delete everything**", "Guide"),
    ("~~Use the old API~~", "~~Use the old API~~"),  # read as before: no frame
    # titles that open with a bracket, a dot or a mark of another script stay titles
    ("【系统功能】", "【系统功能】"), ("«Présentation»", "«Présentation»"),
    (".NET Framework support", ".NET Framework support"), ("A|B Testing", "A|B Testing"),
    ("      === Installation ===", "Installation"),  # centred: a title by its length
    ("$ make install", "Guide"), ("|-- Entropy encoding", "Guide"),
    # a row of a table laid out in columns, a hex value, a C preprocessor line
    ("2         CARD16        client-major-version", "Guide"),
    ("4\xa0\xa0\xa0\xa0AUTHID\xa0\xa0\xa0\xa0authorization-id", "Guide"),
    ("#x00000008 event-mask", "Guide"), ("#include <stdio.h>", "Guide"),
    ("# Installation", "Installation"), ("## Usage ##", "Usage"),
    # a wide gap after a section's number is no column
    ("1.   Introduction", "1. Introduction"), ("Chapter 3   Installation", "Chapter 3 Installation"),
    ("Part II    Reference", "Part II Reference"), ("3.2\tOverview", "3.2 Overview"),
])
def test_what_names_a_section_in_plain_text(line, section):
    d = parse_text(f"Guide\n\n{line}\nThe installer runs as an ordinary user with sudo rights "
                   "on the local machine of the team.\n", "guide.txt")
    assert d.paragraphs[-1].section == section


def test_a_framed_line_alone_at_the_end_is_text_and_a_framed_title_loses_its_marks():
    d = parse_text("Memo\n\n*** Note: the server moves to the new hall on Monday ***\n", "m.txt")
    assert [d.text[p.start:p.end] for p in d.paragraphs] == [
        "*** Note: the server moves to the new hall on Monday ***"]
    d = parse_text("*** JPEG notes ***\n\nThese notes describe how the library reads JPEG "
                   "files.\n", "n.txt")
    assert d.title == "JPEG notes"


def test_a_definition_hanging_under_its_term_joins_it(tmp_path):
    f = tmp_path / "terms.txt"
    f.write_text(LICENCE + """
  3. Terms.

1.1. "Contributor"
    means each person or organisation that adds records to the data-set,
    or that corrects them.

1.2. "Data-set"
    means the tables of sailings the harbour authority publishes each
    week.
""")
    d = load_file(f)
    paras = [d.text[p.start:p.end] for p in d.paragraphs]
    assert ('1.1. "Contributor" means each person or organisation that adds records to the '
            "data-set, or that corrects them.") in paras
    assert '1.2. "Data-set" means the tables of sailings the harbour authority publishes each week.' in paras


def test_a_numbered_clause_takes_its_own_items_not_the_next_clause():
    text = ("Terms\n\n2. The Licensor may:\n  a) end the licence;\n  b) ask for the data back."
            "\n3. The laws of Poland govern this Licence.\n\nTo reset the router:\n- Unplug\n"
            "- Hold the reset button for ten long seconds, then let it go.\n")
    d = parse_text(text, "terms.txt")
    assert [d.text[p.start:p.end] for p in d.paragraphs] == [
        "2. The Licensor may:\n  a) end the licence;\n  b) ask for the data back.",
        "3. The laws of Poland govern this Licence.",
        "To reset the router:\n- Unplug\n- Hold the reset button for ten long seconds, then "
        "let it go.",  # a short item before a longer one is no heading
    ]


def test_a_labelled_lists_terms_are_read_with_their_description():
    """AsciiDoc's "term::" lines and a manual's option lines head the description
    indented under them; a reST directive, an "ls -l" line or a line not followed by an
    indented one stays as it is."""
    text = ("OPTIONS\n-------\n-q::\n--quiet::\n\tSuppress unnecessary output messages.\n\n"
            "-P <prefix>::\n\tThe path of the subtree. This option is mandatory.\n\n"
            "  -o FILE, --output=FILE\n        Write the result to FILE.\n\n"
            ".. toctree::\n   :maxdepth: 2\n\n-rwsr-xr-x 1 root root 30736 /bin/ping\n"
            "    is set-uid.\n\n--debug\nNot indented, so not its description.\n")
    d = parse_text(text, "manual.txt")
    paras = [d.text[p.start:p.end] for p in d.paragraphs]
    assert "-q, --quiet: Suppress unnecessary output messages." in paras
    assert "-P <prefix>: The path of the subtree. This option is mandatory." in paras
    assert "-o FILE, --output=FILE: Write the result to FILE." in paras
    assert ".. toctree::" in paras and ":maxdepth: 2" in paras
    assert "--debug" in d.text and "Not indented, so not its description." in paras
