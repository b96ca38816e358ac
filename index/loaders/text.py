"""Plain text (.txt) into a Document: header metadata, sections, paragraphs.

Each non-empty line is a paragraph, once the lines of hard-wrapped paragraphs are
joined (`unwrap`); the Document's text is the file's text as decoded, with those
lines joined.

Handled: the Ministry of Emergency Management article layout (title line, then
"Release Date:" / "Source:" each followed by its value), Markdown `#` headings (not
in fenced code), lines underlined with = or -, short unpunctuated lines as section
headings, numbered clause titles ("1. Definitions.", run in: "6. Trademarks. This
License ..."; a numbered list's items stay items), boxes of asterisks, and trailing
web-page furniture ("Previous Page", "Related News", "Related Downloads",
"undefined"): the bundled article is a web page saved as text, and the HTML loader
applies the same rules to the main content it extracts. The title is the header's, the
first line's when it reads as one, else the file name's. The entries of a table of
contents ("1. Introduction ........ 3") are neither headings nor paragraphs. A
labelled list's terms on lines of their own (AsciiDoc's "--rejoin::", a manual's
"-q, --quiet") are read with the description indented under them (`labelled`).

A Markdown table's rows are read under its header (`tables`): "| 2021 | 40 m |" under
"| Year | Revenue |" becomes "Year: 2021 | Revenue: 40 m", so a row quoted alone still
says what its figures are.

A .md file is read by markdown.py, with a Markdown parser; a .txt file written in
Markdown's style keeps its inline marks as written. Not handled: hard-wrapped Chinese
text (its lines are not joined).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import DocumentError
from ..text import is_chinese
from .document import (
    BULLET,
    SENTENCE_END,
    Document,
    Paragraph,
    contents_flags,
    join_lines,
    list_level,
    table_row,
    with_lists,
    word_counts,
)

FURNITURE = {
    "previous page",
    "next page",
    "related news",
    "related downloads",
    "undefined",
    "share",
    "print",
    "close",
}
_HEADER_KEYS = {"release date": "release_date", "source": "source", "author": "author"}
HEADER_SECTION = "About this document"
_END_PUNCT = tuple(".!?;:,\"'”’。！？；：…)")


def _lines(text: str):
    """Yield (start, end) of each line without its newline, stripped of outer spaces."""
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        stripped = body.strip()
        if stripped:
            yield pos + lead, pos + lead + len(stripped)
        pos += len(raw)


# a rule, or the line of = or - under a heading (Markdown's and reStructuredText's)
_RULE = re.compile(r"^\s*(={3,}|-{3,}|\*{3,}|_{3,})\s*$")
# Markdown that is a block of its own, never part of a wrapped paragraph: a heading, a
# quote, a table row, a code fence, or a rule
_MARKUP = re.compile(r"^\s*(#|>|\||```|~~~)|" + _RULE.pattern)
_FENCE = ("```", "~~~")
# text wrapped wider than this is not taken for hard-wrapped (the widest widths in use
# are 120-132 columns); files of long lines keep every line as a paragraph
MAX_WRAP = 132
MIN_WRAP = 40  # nor narrower than this (no one wraps prose at 30 columns)
BLOCK_SHARE = 0.1  # blank lines after this share of prose lines set paragraphs apart


def unwrap(text: str) -> str:
    """The text with the lines of each hard-wrapped paragraph joined into one line.

    Licences, RFCs, e-mails, plain-text exports and many Markdown files are written to
    a fixed width, so a sentence runs over several lines; read line by line it would be
    cited in fragments. Text is taken for hard-wrapped when at least a quarter of its
    prose lines (three at least) break a sentence (the line ends without a stop and the
    next starts in lower case) and those lines (the 95th percentile of their lengths:
    the width) keep within MIN_WRAP to MAX_WRAP columns. Then a line is joined to the
    next when it reaches towards that width (60% of it) and, if it ends a sentence,
    the next line's first word would not have fitted on it, that is where a wrapping
    program broke it, or when the next line hangs under it, indented further and in
    lower case (a term of a licence and its definition: '"Contributor"' over 'means
    each individual ...'). Where blank lines set the paragraphs apart (after a tenth of
    the prose lines or more), a long line that ends a sentence is joined to a long next
    line of its block at the same indent too, and any line to a note in brackets under
    it. List items, Markdown headings, quotes, tables, rules and
    code fences keep their own lines; a line-end hyphen is dropped or kept as the
    text's other words say. Other text is returned as it is.

    >>> text = ("The committee met in March and agreed that the\\n"
    ...         "budget for flood defences would rise by a fifth\\n"
    ...         "over the next two years. The chair asked that\\n"
    ...         "the plan, drafted by the engineers, be pub-\\n"
    ...         "lished before the summer.\\n\\n"
    ...         "- one item\\n- another item, which the author\\n"
    ...         "  wrapped too\\n")
    >>> print(unwrap(text))
    The committee met in March and agreed that the budget for flood defences would rise by a fifth over the next two years. The chair asked that the plan, drafted by the engineers, be published before the summer.
    <BLANKLINE>
    - one item
    - another item, which the author wrapped too
    <BLANKLINE>
    >>> unwrap("One paragraph a line.\\nAnother one, as wide as it needs.\\nA third.")
    'One paragraph a line.\\nAnother one, as wide as it needs.\\nA third.'
    """
    lines = text.splitlines()
    code, fenced = set(), False  # the lines of fenced code, fences included
    for i, line in enumerate(lines):
        if line.lstrip().startswith(_FENCE):
            fenced = not fenced
            code.add(i)
        elif fenced:
            code.add(i)
    prose = [i for i, line in enumerate(lines)
             if i not in code and line.strip() and not _MARKUP.match(line)]
    if len(prose) < 5:
        return text
    # the lines broken inside a sentence say how wide the text was wrapped (paragraphs
    # left on one line, as a README mixes them in, do not)
    broken = sorted(len(lines[i].rstrip()) for i in prose
                    if i + 1 < len(lines) and lines[i + 1].lstrip()[:1].islower()
                    and not lines[i].rstrip().endswith(SENTENCE_END))
    if len(broken) < max(3, 0.25 * len(prose)):
        return text
    width = broken[int(0.95 * (len(broken) - 1))]
    if not MIN_WRAP <= width <= MAX_WRAP:  # (short lines broken so are commands, options)
        return text
    words = word_counts(lines)
    # paragraphs set apart by blank lines: a line that ends a sentence runs on into the
    # next line of its block (a release note's item and its "[bug introduced in ...]")
    blocks = sum(1 for i in prose if i + 1 < len(lines) and not lines[i + 1].strip()) \
        >= BLOCK_SHARE * len(prose)
    out: list[str] = []
    for i, line in enumerate(lines):
        if i not in code and i - 1 not in code and out and _wrapped(lines[i - 1], line, width,
                                                                   blocks):
            out[-1] = join_lines(out[-1].rstrip(), line.strip(), words)
        else:
            out.append(line)
    return "\n".join(out) + ("\n" if text.endswith(("\n", "\r")) else "")


# a term of a labelled list, on a line of its own over its description: AsciiDoc's
# "--rejoin::" (a line for each alias: "-q::", "--quiet::"), or a command-line option
# ("-P <prefix>", "--prefix=<prefix>") as manual pages print them
_OPTION = r"--?[A-Za-z?][\w-]*(?:[= ]?(?:<[^>\n]+>|\[[^\]\n]+\]|[A-Z][A-Z_]*\b))?"
_LABEL = re.compile(rf"^[ \t]*(?:(?!\.\. )(?P<term>\S[^\n]{{0,78}}?)::|(?P<option>{_OPTION}"
                    rf"(?:, {_OPTION})*))[ \t\r]*$")


def labelled(text: str) -> str:
    r"""The text with each labelled list's terms joined to the description indented under
    them ("-q::", "--quiet::" over "Suppress output messages." reads "-q, --quiet:
    Suppress output messages."): read apart, the description never says what it
    describes, and the term line answers nothing.

    >>> print(labelled("--rejoin::\n\tAfter splitting, merge it back.\n\n-q::\n--quiet::\n"
    ...                "\tSuppress messages.\n-x\nNot indented, not joined."))
    --rejoin: After splitting, merge it back.
    <BLANKLINE>
    -q, --quiet: Suppress messages.
    -x
    Not indented, not joined.
    """
    lines = text.split("\n")
    out: list[str] = []
    held: list[str] = []  # term lines waiting for their description
    for line in lines:
        m = _LABEL.match(line)
        # AsciiDoc gives each alias a line ("-q::", "--quiet::"); a manual writes an
        # option's aliases on one line, so a second option line starts another term
        if m and (m.group("term") and all(h.rstrip().endswith("::") for h in held)
                  or m.group("option") and not held):
            held.append(line)
            continue
        deeper = _indent(line.expandtabs()) - _indent(held[0].expandtabs()) if held else 0
        if held and line.strip() and deeper >= 2:
            names = [(_LABEL.match(h).group("term") or _LABEL.match(h).group("option")).strip()
                     for h in held]
            end = "\r" if line.endswith("\r") else ""
            out.append(held[0][: _indent(held[0])] + ", ".join(names) + ": " + line.strip() + end)
            held = []
            continue
        out.extend(held)
        held = []
        if m:  # a term line after lines that were not its own: it may head what follows
            held.append(line)
        else:
            out.append(line)
    return "\n".join(out + held)


def unbox(text: str) -> str:
    """The text with the frame of a box of asterisks taken off its lines, so that what
    it frames reads as text (licences box their disclaimers this way); three framed
    lines at least, as wide as each other (within two columns) and of 20 columns or
    more, make a box. Other text is returned as it is.

    >>> print(unbox("*****\\n*  7. Liability          *\\n*  ----------------     *\\n"
    ...             "*  Nobody is liable.    *\\n*****"))
    *****
       7. Liability
       ----------------
       Nobody is liable.
    *****
    >>> unbox("* Install from *PyPI*\\n* Build from *source*\\n* Run the *tests*")[:21]
    '* Install from *PyPI*'
    """
    lines = text.splitlines()
    framed = [len(x.strip()) >= 20 and x.strip()[0] == "*" == x.strip()[-1]
              and not _RULE.match(x) for x in lines]
    out, i, found = list(lines), 0, False
    while i < len(lines):
        j = i
        while j < len(lines) and framed[j]:
            j += 1
        widths = [len(x.rstrip()) for x in lines[i:j]]
        if j - i >= 3 and max(widths) - min(widths) <= 2:  # a frame's lines line up
            found = True
            for k in range(i, j):
                out[k] = lines[k].rstrip()[:-1].replace("*", " ", 1).rstrip()
        i = max(j, i + 1)
    if not found:
        return text
    return "\n".join(out) + ("\n" if text.endswith(("\n", "\r")) else "")


# the line under a Markdown table's header: | --- | :---: | ---: |
_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row (a pipe escaped as \\| is text)."""
    row = line.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", row)]


def tables(text: str) -> str:
    """The text with each Markdown table read as lines of prose: its header row with
    the cells separated by " | ", no delimiter row, and every further row with each
    cell after the name of its column (`table_row`). A table is a header row of two
    cells or more over a delimiter row of as many (as GitHub's Markdown has it),
    outside fenced code; other text is returned as it is.

    >>> print(tables("Results:\\n\\n| Year | Revenue |\\n|------|--------:|\\n| 2021 | 40 m |\\n"))
    Results:
    <BLANKLINE>
    Year | Revenue
    Year: 2021 | Revenue: 40 m
    <BLANKLINE>
    >>> tables("Run cat x | grep y to filter.\\n---\\nnext | thing\\n")  # a rule, no table
    'Run cat x | grep y to filter.\\n---\\nnext | thing\\n'
    """
    lines = text.splitlines()
    out: list[str] = []
    found, fenced, i = False, False, 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(_FENCE):
            fenced = not fenced
        header = _cells(line) if "|" in line and not fenced else []
        if (len(header) > 1 and i + 1 < len(lines) and _DELIMITER.match(lines[i + 1])
                and len(_cells(lines[i + 1])) == len(header)):
            found = True
            out.append(" | ".join(c for c in header if c))
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                if row := table_row(header, _cells(lines[i])):
                    out.append(row)
                i += 1
            continue
        out.append(line)
        i += 1
    if not found:
        return text
    return "\n".join(out) + ("\n" if text.endswith(("\n", "\r")) else "")


def _wrapped(line: str, next_line: str, width: int, blocks: bool = False) -> bool:
    """Whether `line` was broken where it is only to keep within `width` columns (with
    `blocks`, the text's paragraphs are set apart by blank lines: a long line that ends a
    sentence goes on with the next line of its block at the same indent when that line is
    long too, and any line with a note in brackets under it, "[bug introduced in ...]";
    a signature, an address or a list without bullets keeps its lines)."""
    a, b = line.rstrip(), next_line.strip()
    if not a.strip() or not b or _MARKUP.match(a) or _MARKUP.match(b) or BULLET.match(b) \
            or _OUTLINE.match(next_line):
        return False
    same_block = blocks and _indent(next_line) == _indent(line)
    if same_block and b[0] in "[(" and b[-1] in "])." and a.endswith(SENTENCE_END):
        return True
    if is_chinese(a[-1] + b[0]):
        return False
    if b[0].islower() and _indent(next_line) > _indent(line):
        return True  # a hanging line: a term, then its definition indented under it
    if len(a.lstrip()) < 0.6 * width:  # a centred title's indent is no text
        return False
    if a.endswith(SENTENCE_END):
        return (same_block and len(b) >= 0.6 * width
                or len(a) + 1 + len(b.split()[0]) > width)
    return True


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


# a title between the same marks: "*** Data formats ***", "== Usage ==" ("-- x --" is
# left out, as a drawing's "------ controller ------" is no title, and so are Markdown's
# "**bold**" and "~~struck~~"); a short title, not a sentence of a notice
_FRAMED = re.compile(r"^(?P<mark>\*{3,}|={2,}|#{2,})[ \t]*(?P<title>[^*=#;\s][^*=#;]*?)[ \t]*"
                     r"(?P<close>\*{3,}|={2,}|#{2,})$")
FRAMED_WORDS = 10
# a Markdown heading: "# Title", "## Usage"; not "#x00000008" nor "#include"
_ATX = re.compile(r"#{1,6}(?:[ \t]|$)")
# an Emacs outline's or Org's heading, by its level: "* Release 9.1", "** Bug fixes"
_OUTLINE = re.compile(r"(\*{1,6})[ \t]+(\S(?:.*[^*\s])?)[ \t]*$")
OUTLINE_WORDS = 15
_SENTENCE_STOPS = (".", "!", "?", ";", ":", ",", "。")


def _outline(text: str, start: int, end: int) -> re.Match | None:
    """The outline heading on the line text[start:end]: at its first column, a title of
    OUTLINE_WORDS words at most that ends no sentence and holds no star ("*** Data
    formats ***" is a framed title, "** WARNING ** ..." a notice, "* The program
    reads its input." an item), or None."""
    line = text[start:end]
    if start and text[start - 1] != "\n":
        return None
    m = _OUTLINE.match(line)
    if m is None or "*" in m[2] or m[2].endswith(_SENTENCE_STOPS) \
            or len(m[2].split()) > OUTLINE_WORDS:
        return None
    return m


def outline_headings(text: str, spans: list[tuple[int, int]]) -> list[re.Match | None]:
    """Each line's `_outline` heading, or None; a star line right above or under another of
    its level, with no blank line between, is an item of a list ("* Passport", "*
    Tickets"), not a heading."""
    heads = [_outline(text, s, e) for s, e in spans]
    level = [len(m[1]) if m else 0 for m in heads]
    touching = [k > 0 and text.count("\n", spans[k - 1][1], s) == 1
                for k, (s, _) in enumerate(spans)]
    listed = [k for k in range(1, len(spans)) if touching[k] and level[k] == level[k - 1] > 0]
    for k in {*listed, *(k - 1 for k in listed)}:
        heads[k] = None
    return heads


def is_outline(heads: list[re.Match | None]) -> bool:
    """Whether a text's outline headings (`outline_headings`) make an outline: two of
    the first level or more, and one of the second level under one of them (footnote
    marks "*" and "**" are one of each; a list's "* " items are none)."""
    levels = [len(m[1]) if m else 0 for m in heads]
    first = [i for i, n in enumerate(levels) if n == 1]
    return len(first) >= 2 and any(n == 2 and i > first[0] for i, n in enumerate(levels))


# an editor's mode line: "GNU coreutils NEWS    -*- outline -*-"
_MODE_LINE = re.compile(r"\s*-\*-.*?-\*-\s*")
# a line of a drawing or a console: "|-- Entropy encoding", "Main controller --|",
# "+--+", "$ make install", "> quoted", "<tag>"
_NOT_A_HEADING = re.compile(r"^[$|+\\/<>%`{}]|--\||\|--|\+--|--\+|-->| \| ")
# a row of a table laid out in columns, "2         2              request length": a
# wide gap between two words, not after a section's number ("1.   Introduction")
_COLUMNS = re.compile(r"\S(?:[^\S\n]{3,}|\t)\S")
_NUMBER_GAP = re.compile(r"^(?:(?:Section|Article|Chapter|Part|Appendix)\s+)?"
                         r"(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVXLC]{1,6}\.?|[A-Z]\.?)[^\S\n]+")


def _framed(line: str) -> str | None:
    """The title of a line framed by the same marks, or None."""
    m = _FRAMED.match(line)
    if m is None or m["mark"][0] != m["close"][0] or len(m["title"].split()) > FRAMED_WORDS:
        return None
    return m["title"]


def _is_heading(line: str, next_line: str | None, indented: bool = False) -> bool:
    """A Markdown `#` heading ("# Usage", not "#include"); a short line with no closing
    punctuation followed by a longer one; a numbered title ("1. Definitions.", "4.2
    Scope") over a longer line. A line whose first word is in lower case ("the
    Derivative Works; and", left by a wrapped sentence), a list item, a line ending with
    a word that leaves it open ("... such as"), a numbered clause over its own items and
    a row of a table laid out in columns are no headings.

    >>> _is_heading("1. Definitions.", "x" * 40), _is_heading("2. Related work", "x" * 40)
    (True, True)
    >>> _is_heading("the Derivative Works; and", "x" * 40), _is_heading("3. Plug it back in.", "x" * 40)
    (False, False)
    >>> _is_heading('1.5. "Secondary Licenses" means', "(a) that the notice ... " * 3)
    False
    >>> _is_heading("For lists with default values such as", "x" * 80)
    False

    A title framed by the same marks ("*** System features ***", "== Usage ==") is a
    heading over any line, unless `indented` (an example's output); a line of a drawing
    ("|-- Entropy encoding", "Main controller --|") is none.

    >>> _is_heading("*** System features ***", "Two parts:"), _is_heading("|-- Upsampling", "x" * 80)
    (True, False)
    >>> _is_heading("2         CARD16        client-major-version", "x" * 80)
    False
    >>> _is_heading("4\xa0\xa0\xa0\xa0AUTHID\xa0\xa0\xa0\xa0authorization-id", "x" * 80)
    False
    """
    if _ATX.match(line) or not indented and next_line is not None and _framed(line):
        return True
    if not line or _NOT_A_HEADING.search(line) or _COLUMNS.search(_NUMBER_GAP.sub("", line)):
        return False
    if (next_line is None or len(line) > 90 or line.split()[0].islower()
            or len(line.split()) > 12 or _item(line, next_line)):
        return False
    if _numbered_title(line):
        return len(next_line) > len(line)
    if line.endswith(_END_PUNCT) or _OPEN_END.search(line):
        return False
    if _SECTION_START.match(line) and list_level(next_line) is not None:
        return False  # '1.5. "Licenses" means' over "(a) ...": a clause with its items
    return len(next_line) > len(line) * 2


# a section number: "4.", "4.2", "4.2.", "IV.", "A." and "Section 4" / "Article 4"
_SECTION_NO = r"(?:(?:Section|Article|Chapter|Part)\s+)?(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVX]{1,5}\.|[A-Z]\.)"
# title case: each word capitalised but the small words of English titles
_SMALL = ("a|an|and|as|at|but|by|for|from|in|into|its|nor|not|of|on|or|over|per|than|that"
          "|the|this|to|under|upon|via|vs|with")
# words a heading does not end with: it would go on ("... such as", "the law of")
_OPEN_END = re.compile(r"\s(?:a|an|and|but|nor|of|or|than|the|such as)$")
_TITLE_WORDS = rf"[A-Z][\w'’-]*(?:,?\s+(?:[A-Z0-9][\w'’-]*|(?:{_SMALL})\b))*"
_SECTION_START = re.compile(rf"^{_SECTION_NO}\s")
_NUMBERED_TITLE = re.compile(rf"^{_SECTION_NO}\s+({_TITLE_WORDS})\.?$")
# a run-in heading: "6. Trademarks. This License does not grant ..."
_RUN_IN = re.compile(rf"^{_SECTION_NO}\s+({_TITLE_WORDS})\.\s+(?=[A-Z\"“(])")


def _numbered_title(line: str) -> bool:
    """A section number and a few words in title case, a stop at most after them.

    >>> _numbered_title("2. Grant of Copyright License."), _numbered_title("10.3. Modified Versions")
    (True, True)
    >>> _numbered_title("3. Plug it back in."), _numbered_title("2021. Revenue rose.")
    (False, False)
    """
    m = _NUMBERED_TITLE.match(line)
    return m is not None and len(m.group(1).split()) <= 8


def run_in_heading(line: str) -> int:
    """Where the text of a paragraph that opens with a numbered heading of its own
    starts ("6. Trademarks. This License ..." as contracts and licences write their
    clauses), else 0.

    >>> line = "6. Trademarks. This License does not grant permission to use the trade names."
    >>> line[: run_in_heading(line)]
    '6. Trademarks. '
    >>> run_in_heading("1. Unplug. Then wait."), run_in_heading("2. The plan was approved. It runs to 2030.")
    (0, 0)
    """
    m = _RUN_IN.match(line)
    if m is None or len(m.group(1).split()) > 8 or len(line) - m.end() < 40:
        return 0
    return m.end()


def _item(line: str, next_line: str) -> bool:
    """A list item: a bulleted line ("- Unplug"), or a numbered one followed by another
    item ("1. Unplug"; "1. Introduction" before a paragraph is a numbered heading).

    >>> _item("- Unplug", "text"), _item("1. Unplug", "2. Wait"), _item("1. Scope", "text")
    (True, True, False)
    """
    level = list_level(line)
    return level is not None and (level[1] != "number" or list_level(next_line) is not None)


# a Markdown image, and a link (with its address when that is a web or mail address)
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK_TO = re.compile(r"\[((?:[^\]\n]|\n(?![ \t]*\n))*)\]\(\s*((?:https?://|mailto:)?)"
                         r"([^)\s]*)[^)]*\)")


def heading_text(line: str) -> str:
    """A heading as a reader sees it: without its `#` marks or the marks that frame it
    ("*** Data formats ***"), its Markdown images (badges) and the addresses of its links.

    >>> heading_text("# rustfmt [![linux](https://ci/badge.svg)](https://ci) [docs](https://d) ##")
    'rustfmt docs'
    """
    line = line.strip()
    if framed := _framed(line):
        line = framed
    text = _MD_LINK_TO.sub(r"\1", _MD_IMAGE.sub("", line.strip("#")))
    return " ".join(text.split())


# a first line that is no title: a mail's or a form's "Key: value", a row of values
_NOT_TITLE = re.compile(r"^[\w-]+:\s|[,;\t]\S|@|<")


def _is_title(line: str, next_line: str | None) -> bool:
    """Whether a document's first line is its title: a heading, or a short line with no
    closing punctuation over lines that are not (a subtitle, a date, an address);
    never a mail header ("From: ...") or a row of values ("Name,Age,City").

    >>> _is_title("Apache License", "Version 2.0, January 2004"), _is_title("Name,Age,City", "Ann,3,Rome")
    (True, False)
    """
    if _NOT_TITLE.search(line):
        return False
    return _is_heading(line, next_line) or (
        next_line is not None and len(line) <= 90 and len(line.split()) <= 12
        and not line.endswith(_END_PUNCT) and not line.split()[0].islower()
        and list_level(line) is None and any(c.isalpha() for c in line))


def furniture_tail(lines: list[str]) -> int:
    """How many of the last lines are web-page furniture ("Previous Page", "Related News")."""
    n = 0
    while n < len(lines) and lines[len(lines) - 1 - n].lower() in FURNITURE:
        n += 1
    return n


def read_header(lines: list[str]) -> tuple[str, dict, int] | None:
    """A title line followed by "Key:" / value pairs (the article's layout):
    (title, metadata, lines it takes), or None.

    >>> read_header(["T", "Release Date:", "2024", "Source:", "Ministry", "Body."])
    ('T', {'release_date': '2024', 'source': 'Ministry'}, 5)
    """
    if not (len(lines) > 2 and lines[1].rstrip(":").lower() in _HEADER_KEYS):
        return None
    meta: dict = {}
    i = 1
    while i + 1 < len(lines):
        key = lines[i].rstrip(":").strip().lower()
        if key not in _HEADER_KEYS or not lines[i].endswith(":"):
            break
        meta[_HEADER_KEYS[key]] = lines[i + 1]
        i += 2
    return lines[0].lstrip("# ").strip(), meta, i


def parse_text(text: str, doc_id: str, default_title: str = "") -> Document:
    """Split text into header metadata, section headings and paragraphs. A heading is a
    `#` line, a line underlined with = or -, or a short unpunctuated line before a
    longer one; in an outline (Emacs's, Org's: "* Release 9.1", "** Bug fixes"), a
    line of stars and a title, whose section is named with the headings it is under (one
    that states a figure, "* Release 9.1 (2022-04-15)", is a paragraph too); rules,
    underlines and code fences are not paragraphs. A paragraph is a line, except that a
    line ending with a colon is one paragraph with the list items right after it
    (`with_lists`).

    >>> d = parse_text("Title\\nRelease Date:\\n2024-03-05\\nBody one.\\nPrevious Page", "x")
    >>> d.title, d.meta["release_date"], d.text[d.paragraphs[-1].start:d.paragraphs[-1].end]
    ('Title', '2024-03-05', 'Body one.')
    """
    text = labelled(unwrap(unbox(text)))
    text = tables(text)
    spans = list(_lines(text))
    if not spans:
        raise DocumentError(f"{doc_id}: the file holds no text.")
    spans = spans[: len(spans) - furniture_tail([text[s:e] for s, e in spans])]
    meta: dict = {}
    title = default_title
    i = 0
    first = text[spans[0][0] : spans[0][1]] if spans else ""
    header = read_header([text[s:e] for s, e in spans])
    if header:
        title, meta, i = header
    elif _ATX.match(first):
        title = heading_text(first)
        i = 1
    paragraphs: list[Paragraph] = []
    items: list = []
    if meta:  # the header block is searchable too ("When was it released?")
        paragraphs.append(Paragraph(spans[0][0], spans[i - 1][1], HEADER_SECTION))
        items.append(None)
    section = ""
    if not title and _is_title(first, text[spans[1][0] : spans[1][1]] if len(spans) > 1 else None):
        # "GNU GENERAL PUBLIC LICENSE" heads all; an editor's mode line is no part of it
        title = section = _MODE_LINE.sub(" ", _framed(first) or first).strip()
        i = 1
    body = spans[i:]
    # the one or two lines right under a title of the first line, then a blank line:
    # its subtitle, version, date ("Version 3, 29 June 2007"), read as text under it
    subtitle = 0
    while (section and i and subtitle < min(3, len(body))
           and text.count("\n", spans[i + subtitle - 1][1], body[subtitle][0]) == 1):
        subtitle += 1
    if subtitle > 2 or subtitle == len(body) or any(
            _ATX.match(text[s:e]) for s, e in body[:subtitle]):
        subtitle = 0  # no title block: lines run on under the title
    fenced, introduced, skipped = False, None, -1
    contents = contents_flags([text[s:e] for s, e in body])
    # an outline's headings ("* Changes in release 9.1", "** Bug fixes"), when its star
    # lines make one (`is_outline`): a list's "* " items do not
    heads = outline_headings(text, body)
    outline = is_outline(heads)
    parents: list[str] = []
    for k, (s, e) in enumerate(body):
        line = text[s:e]
        nxt = text[body[k + 1][0] : body[k + 1][1]] if k + 1 < len(body) else None
        if line.startswith(_FENCE):
            fenced = not fenced
            continue
        if _RULE.match(line) or not any(c.isalnum() for c in line):
            continue  # a rule, an underline, a frame: no text of its own
        if fenced:  # code is text, never a heading ("# install the tools" is a comment)
            paragraphs.append(Paragraph(s, e, section))
            items.append(None)
            continue
        if contents[k]:  # a contents entry: not the section's heading nor its text
            skipped = k
            continue
        if outline and (m := heads[k]):
            parents = [*parents[: len(m[1]) - 1], " ".join(m[2].split())]
            section = " › ".join(parents)  # "Bug fixes" under each release names its release
            if any(c.isdigit() for c in m[2]):  # it states a release, a date: text too
                paragraphs.append(Paragraph(s + m.start(2), e, section))
                items.append(None)
            continue
        underlined = (nxt is not None and _RULE.match(nxt) is not None and len(line) <= 90
                      and text.count("\n", e, body[k + 1][0]) == 1)
        level = list_level(line)
        # an item after another of its list ("3. Budget for 2025" after "2. Minutes")
        listed = (level is not None and k > 0 and skipped != k - 1
                  and list_level(text[slice(*body[k - 1])]) == level)
        if underlined or k >= subtitle and not listed and _is_heading(
                line, nxt, indented=s > 0 and text[s - 1] in " \t"):
            section = heading_text(line)
            continue
        if level is not None and paragraphs and text[
                paragraphs[-1].start : paragraphs[-1].end].endswith((":", "：")):
            introduced = level  # a list under a line that introduces it
        elif level != introduced:
            introduced = None
        # a run-in title names the passage's section; an introduced list's items keep
        # their words ("1. Mount Everest. At 8,849 metres ...")
        if (level is None or level != introduced) and (cut := run_in_heading(line)):
            section = line[:cut].strip().rstrip(".")
            s += cut
        paragraphs.append(Paragraph(s, e, section))
        items.append(list_level(text[s:e]))
    if not paragraphs:
        raise DocumentError(f"{doc_id}: the file holds no text besides headings or page furniture.")
    if not title:
        title = Path(doc_id).stem.replace("-", " ").replace("_", " ")
    return Document(doc_id, title, text, tuple(with_lists(text, paragraphs, items)), meta)
