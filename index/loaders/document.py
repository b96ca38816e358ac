"""The Document every loader returns: the text that was indexed, and its paragraphs.

Every offset in the index points into `Document.text`, so `document.text[start:end]` is
always what was cited. A paragraph's `section` is what a citation shows as its place in
the document: a heading, a page ("p. 3", "pp. 3–4"), or both ("Results · p. 3").
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import DocumentError


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    section: str


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    meta: dict = field(default_factory=dict)

    @functools.cached_property
    def sha256(self) -> str:  # (asked for by every question's checks: hashed once)
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def page_label(first: int, last: int | None = None) -> str:
    """The pages a paragraph is on.

    >>> page_label(3), page_label(3, 4), page_label(5, 5)
    ('p. 3', 'pp. 3–4', 'p. 5')
    """
    return f"p. {first}" if last is None or last == first else f"pp. {first}–{last}"


def section_label(heading: str, pages: str = "") -> str:
    """The section a citation shows: the heading, the pages, or both.

    >>> section_label("Results", "p. 3"), section_label("", "p. 3"), section_label("Results")
    ('Results · p. 3', 'p. 3', 'Results')
    """
    return " · ".join(x for x in (heading, pages) if x)


# a leader of dots to a page number: "3.1 Invoking asn1Parser . . . . . 5". The dots are
# spaced, or a run longer than an ellipsis (bounded: a line of dots costs no more than
# its length times the bound); the number ends the line or the entry, or runs on into
# the next entry ("5 asn1Decoding program . . ."), never into a unit ("12 kg", "3.50")
_DOTS = r"(?:(?:\. ){3,100}\.|\.{8,300})"
_LEADER = re.compile(_DOTS + r"[ \t]*(?:\d{1,4}|[ivxlcIVXLC]{1,6})(?=[ \t]*$|[ \t]+[\dA-Z]|"
                     r"[ \t]+[^\s.]+(?: [^\s.]+){0,6} ?(?:\. ?){4})", re.MULTILINE)
_CUT_LEADER = re.compile(_DOTS + r"[ \t]*$")


def is_contents(text: str) -> bool:
    """Whether a paragraph or line is entries of a table of contents or an index: a
    leader of dots to a page number, at least one every 150 characters, and no sentence
    after the last (a PDF may run a page's last entries into its next line). The
    entries repeat the headings' words, so they would be retrieved and quoted in place
    of the sections they point to. See `contents_flags` for where they are left out.

    >>> is_contents("3 Utilities . . . . . . . . . 5 Function reference . . . . . 8")
    True
    >>> is_contents("asn1Coding program . . . . . . . . 5 asn1Parser program . . . . . . .")
    True
    >>> is_contents("1.  Introduction ....................................    3")
    True
    >>> is_contents("It rose.....and fell. " * 4), is_contents("Wait..... 5 more minutes.")
    (False, False)
    >>> is_contents("Weight ................ 12 kg"), is_contents("Coffee .......... 3.50")
    (False, False)
    """
    n = len(_LEADER.findall(text))
    rest = _CUT_LEADER.sub("", _LEADER.sub(" ", text).rstrip())
    return n > 0 and len(text) < 150 * n and not rest.endswith((".", ":", ";", "!"))


def contents_flags(texts: list[str]) -> list[bool]:
    """Which of a document's paragraphs or lines, in order, are entries of a table of
    contents or an index (`is_contents`) in a run of three entries or more: a reader
    leaves them out of the paragraphs (they stay in the text). A lone "Tea ........ 2"
    in a price list stays text.

    >>> contents_flags(["1 Intro ........ 1", "2 Use ........ 4", "3 Care ........ 9",
    ...                 "Our prices:", "Tea ........ 2"])
    [True, True, True, False, False]
    """
    flags = [is_contents(t) for t in texts]
    i = 0
    while i < len(flags):
        j = i
        while j < len(flags) and flags[j]:
            j += 1
        if j > i and sum(len(_LEADER.findall(t)) for t in texts[i:j]) < 3:
            flags[i:j] = [False] * (j - i)
        i = j + 1
    return flags


_PAGES = re.compile(r"^pp?\. \d+(–\d+)?$")
# a line that starts a list item: a bullet, "1." or "(a)" and a space
BULLET = re.compile(r"^([•◦▪‣●○■□➢►–*-]|\(?\d{1,2}[.)]|\(?[a-z]\))\s")
# how a line that ends a sentence (or introduces a list) ends
SENTENCE_END = tuple(".!?:;\"'”’)]。！？")


def heading_of(section: str) -> str:
    """The heading part of a section label, without its pages.

    >>> heading_of("Results · p. 3"), heading_of("pp. 3–4"), heading_of("Results")
    ('Results', '', 'Results')
    """
    head, _, pages = section.rpartition(" · ")
    if head and _PAGES.match(pages):
        return head
    return "" if _PAGES.match(section) else section


def _pages_of(section: str) -> list[int]:
    pages = section.rpartition(" · ")[2]
    return [int(n) for n in re.findall(r"\d+", pages)] if _PAGES.match(pages) else []


def spanning(first: str, last: str) -> str:
    """The section label of a passage that runs from a paragraph labelled `first` to one
    labelled `last`, under one heading (a list that goes on over a page break).

    >>> spanning("Syntax · p. 5", "Syntax · p. 6"), spanning("Syntax · pp. 4–5", "Syntax · p. 5")
    ('Syntax · pp. 5–6', 'Syntax · pp. 4–5')
    """
    a, b = _pages_of(first), _pages_of(last)
    if first == last or not a or not b:
        return first
    return section_label(heading_of(first), page_label(a[0], b[-1]))


def word_counts(lines: Iterable[str]) -> Counter:
    """How often each word (lower case, hyphens kept) occurs: what `join_lines` consults."""
    return Counter(w.lower() for x in lines for w in re.findall(r"[^\W_][\w-]*", x))


def join_lines(a: str, b: str, words: Counter) -> str:
    """Join two lines of a paragraph; a hyphen at the end of `a` is a line-end hyphen or not.

    >>> w = Counter({"low-pressure": 1})
    >>> join_lines("the experi-", "ment", w), join_lines("the low-", "pressure", w)
    ('the experiment', 'the low-pressure')
    >>> join_lines("Yarrow-", "Schlick", w), join_lines("the fluid–", "brain barrier", w)
    ('Yarrow-Schlick', 'the fluid–brain barrier')
    >>> join_lines("the end.", "Next", w)
    'the end. Next'
    """
    if re.search(r"\S[–—/]$", a):
        return a + b  # a line broken after a dash or slash: "fluid–" + "brain"
    m = re.search(r"([^\W\d_][\w'-]*)-$", a)
    n = re.match(r"[\w'-]+", b)
    if not m or not n:
        return f"{a} {b}"
    head, tail = m.group(1), n.group(0)
    joined, kept = (head + tail).lower(), (head + "-" + tail).lower()
    if words[kept] and not words[joined]:
        keep = True
    elif words[joined] and not words[kept]:
        keep = False
    else:
        keep = tail[0].isupper() and not head.isupper() or tail[0].isdigit()
    return a + b if keep else a[:-1] + b


# a superscript as running text writes it: a power in superscript digits ("10<sup>6</sup>"
# is 10⁶, not 106; "km<sup>2</sup>" is km²); a note's mark ("[1]", a link to "#fn2",
# "fnref" in its attributes, a number right after a sentence's punctuation) is no text
_SUPERSCRIPTS = str.maketrans("0123456789+-−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻")
_POWER = re.compile(r"[-+−]?\d{1,3}")
_NOTE_ATTRS = re.compile(r"\b(?:fn|fnr|fnref|footnote|reference|noteref|endnote)", re.I)
_NOTE_TEXT = re.compile(r"\[\s*(?:\d{1,4}|[a-z]|note \d+)\s*\]|[*†‡§]", re.I)


# a figure that a note's number follows rather than a power: one with a separator or a
# decimal point, or of three digits or more but a power of ten ("4,500<sup>4</sup>",
# "in 1990<sup>3</sup>"; not "10<sup>6</sup>", "2<sup>10</sup>")
_NOTED_FIGURE = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|(?!10+$)\d{3,})$")


def sup_text(text: str, attrs: str = "", links: Iterable[str] = (), before: str = "") -> str:
    """What a <sup> element reads as in running text, given its text, its attributes, the
    addresses of its links and the text before it: nothing for a note's mark, superscript
    digits for a power, else its own text ("1<sup>st</sup>" reads "1st"). Read as plain
    text, "10<sup>6</sup> cells" said 106 cells and "transactions.<sup>2</sup> A" glued
    a note's number to the sentence.

    >>> sup_text("6", before="10"), sup_text("2", before="312,696 km"), sup_text("-3", before="10")
    ('⁶', '²', '⁻³')
    >>> sup_text("2", links=["#fn2"], before="transactions."), sup_text("[1]", before="year.")
    ('', '')
    >>> sup_text("15", before="the memorandum."), sup_text("st", before="1")
    ('', 'st')
    >>> sup_text("34", attrs='id="fnr34"', before="Officials,")
    ''
    >>> sup_text("2", before="(x + 1)"), sup_text("10", before="2"), sup_text("4", before="4,500")
    ('²', '¹⁰', '')
    """
    t = text.strip()
    if (any(a.startswith("#") for a in links) or _NOTE_ATTRS.search(attrs)
            or _NOTE_TEXT.fullmatch(t) or _POWER.fullmatch(t) and (
                before[-1:] in ".,;:]\"'”’" or _NOTED_FIGURE.search(before))):
        return ""
    return t.translate(_SUPERSCRIPTS) if _POWER.fullmatch(t) else text


def table_row(header: list[str], cells: list[str]) -> str:
    """A row of a table with a header row, as a paragraph that can be quoted on its own:
    each cell after the name of its column, so "2021 | 40 m" under "Year | Revenue"
    reads "Year: 2021 | Revenue: 40 m". An empty cell is left out; a cell under an
    empty header, or beyond the header's columns, is kept as it is.

    >>> table_row(["Year", "Revenue", ""], ["2021", "40 m", "audited"])
    'Year: 2021 | Revenue: 40 m | audited'
    >>> table_row(["Region", "Staff"], ["North", ""])
    'Region: North'
    """
    out = []
    for i, cell in enumerate(cells):
        cell = " ".join(cell.split())
        if not cell:
            continue
        name = " ".join(header[i].split()) if i < len(header) else ""
        out.append(f"{name}: {cell}" if name and name != cell else cell)
    return " | ".join(out)


def plain_rows(rows: list[list[str]]) -> list[str]:
    """The rows of a table without a header row, each as a paragraph: its cells joined by
    " | ". In a table of definitions (each row, but for one in five at most, a short
    name and a description of it: a manual's commands or options, a Texinfo menu), each
    such row reads as a definition, its empty cells left out: "cleandead | remove files
    produced by previous builds" as "cleandead: remove files produced by previous
    builds".

    >>> plain_rows([["clean", "remove built files."], ["cleandead", "", "remove files no "
    ...             "longer in the build file."]])
    ['clean: remove built files.', 'cleandead: remove files no longer in the build file.']
    >>> plain_rows([["Fast startup", "Uses more memory than the others"], ["2019", "", "40 m"]])
    ['Fast startup | Uses more memory than the others', '2019 |  | 40 m']
    """
    filled = [[" ".join(c.split()) for c in row if c and c.strip()] for row in rows]
    pairs = [len(r) == 2 and len(r[0].split()) <= 4 and len(r[1].split()) >= 3
             and not r[0].endswith(SENTENCE_END) for r in filled]
    rows_with_text = sum(1 for r in filled if r)
    defined = rows_with_text >= 2 and sum(pairs) >= 0.8 * rows_with_text
    return [f"{r[0]}: {r[1]}" if defined and pair else " | ".join(row) if any(row) else ""
            for row, r, pair in zip(rows, filled, pairs, strict=True)]


# a paragraph that introduces a list is joined with its items up to this length (a
# longer list goes on in paragraphs of its own); chunking cuts it between lines after
LIST_CHARS = 1500


# a paragraph that stops where its list goes on: a colon, or a word no sentence ends
# with ('"Incompatible With Secondary Licenses" means' over its "(a)" and "(b)")
_INTRODUCES_LIST = re.compile(r"(?:[:：]|\b(?:means|mean|include|includes|including|"
                              r"either|following|follows|of|to|the|and|or|are|is))\s*$",
                              re.I)


def introduces(paragraph: str) -> bool:
    """Whether a paragraph introduces the list items after it (`with_lists`).

    >>> introduces("Do two things:"), introduces('1.5. "Incompatible" means')
    (True, True)
    >>> introduces("Then rest."), introduces("Options")
    (False, False)
    """
    return _INTRODUCES_LIST.search(paragraph) is not None


def with_lists(text: str, paragraphs: list[Paragraph], items: list) -> list[Paragraph]:
    """The paragraphs, each one that ends with a colon (or a word no sentence ends with,
    `introduces`) joined with the list items right after it in its section: "protect
    your rights with two steps:" is quoted, chunked and read with its steps. `items`
    gives each paragraph's list level (None: not a list item; a value that tells lists
    and levels apart, such as marker kind and indent): the items joined are those of
    the first item's level, which must not be the colon line's own ("2. The Licensor
    may:" takes its "a)" items, not clause "3.").

    >>> t = "Do two things:\\n- save\\n- quit\\nThen rest.\\n- a stray item"
    >>> ps = [Paragraph(0, 14, ""), Paragraph(15, 21, ""), Paragraph(22, 28, ""),
    ...       Paragraph(29, 39, ""), Paragraph(40, 54, "")]
    >>> [t[p.start:p.end] for p in with_lists(t, ps, [None, "-", "-", None, "-"])]
    ['Do two things:\\n- save\\n- quit', 'Then rest.', '- a stray item']
    """
    out: list[Paragraph] = []
    k = 0
    while k < len(paragraphs):
        p, j = paragraphs[k], k
        level = items[k + 1] if k + 1 < len(items) else None
        if introduces(text[p.start : p.end]) and level is not None and level != items[k]:
            while (j + 1 < len(paragraphs) and items[j + 1] == level
                   and heading_of(paragraphs[j + 1].section) == heading_of(p.section)
                   and paragraphs[j + 1].end - p.start <= LIST_CHARS):
                j += 1
        out.append(Paragraph(p.start, paragraphs[j].end, spanning(p.section, paragraphs[j].section))
                   if j > k else p)
        k = j + 1
    return out


def list_level(line: str):
    """A text line's list level: its indent and the kind of its marker ("-", "1.",
    "a)"), or None when it is no list item."""
    m = BULLET.match(line.lstrip())
    if not m:
        return None
    marker = m.group(1)
    kind = "number" if any(c.isdigit() for c in marker) else \
        "letter" if any(c.isalpha() for c in marker) else "bullet"
    return len(line) - len(line.lstrip()), kind


# a heading that states a value: a short label, then a colon and a value that holds a
# figure or opens with a capital ("Moderator: Jane Okafor", "Duration: 1 hour"); not a
# numbered part ("Step 1: Install it", "Option B: ...", "Part Two: ..."), nor a topic and
# its subtopic ("Manual filtering: globs")
_STATES_VALUE = re.compile(r"^(?P<label>[^\W\d_][^:\d]{0,40}?):\s+"
                           r"(?P<value>(?=[^\n]*\d|[A-Z\d$€£¥])[^\n]{1,100})$")
_NUMBERED = re.compile(r"\b(?:[A-Za-z]|[IVXLCivxlc]+|one|two|three|four|five|six|seven|eight|"
                       r"nine|ten|eleven|twelve)$", re.I)


def states_value(heading: str) -> bool:
    """Whether a heading states a value ("Moderator: Jane Okafor"), as a label of at
    most five words and a value.

    >>> [states_value(h) for h in ("Moderator: Jane Okafor", "Meeting Duration: 1 hour 20 mins",
    ...  "Manual filtering: globs", "Step 1: Install it", "Option B: Reset", "Results",
    ...  "Part Two: Results", "Part VIII: Results")]
    [True, True, False, False, False, False, False, False]
    """
    m = _STATES_VALUE.match(heading.strip())
    return bool(m and len(m["label"].split()) <= 5 and not _NUMBERED.search(m["label"]))


@dataclass
class Block:
    """A piece of a structured source (DOCX, PDF) before it becomes part of the text."""

    text: str
    heading: bool = False
    section: str = ""
    item: object = None  # a list item's list and level (see `with_lists`), else None


def assemble(doc_id: str, title: str, blocks: list[Block], meta: dict | None = None) -> Document:
    """Join blocks into one text, a blank line between blocks; spaces inside a line of a
    block collapse to one, its line breaks stay.

    Headings are in the text (so the text reads as the source did) but are not
    paragraphs of their own: they name the section of the paragraphs under them. A
    heading that states a value (`states_value`: "### Moderator: Jane Okafor", "##
    Next Meeting: March 17, 2020") and has no paragraph under it before the next
    heading is a paragraph too, in its own section: minutes, READMEs and data sheets put
    facts there. One with paragraphs under it ("## Troubleshooting: Error 404",
    "## Version: 1.4.0") only names them.
    """
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    items: list = []
    pos = 0
    texts = ["\n".join(" ".join(line.split()) for line in b.text.splitlines() if line.strip())
             for b in blocks]
    filled = [k for k, b in enumerate(blocks) if texts[k]]
    told = {k for n, k in enumerate(filled)  # a heading that states a value, alone
            if blocks[k].heading and states_value(texts[k])
            and (n + 1 == len(filled) or blocks[filled[n + 1]].heading)}
    body = [k for k in filled if not blocks[k].heading or k in told]
    contents = {body[n] for n, f in enumerate(contents_flags([texts[k] for k in body])) if f}
    for k, b in enumerate(blocks):
        text = texts[k]
        if not text:
            continue
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(text)
        if (not b.heading or k in told) and k not in contents:
            paragraphs.append(Paragraph(pos, pos + len(text), b.section or text if k in told
                                        else b.section))
            items.append(b.item)
        pos += len(text)
    if len(paragraphs) <= len(told - contents):  # headings alone, an outline
        raise DocumentError(f"{doc_id}: the file holds no text besides headings.")
    text = "".join(parts)
    return Document(doc_id, title, text, tuple(with_lists(text, paragraphs, items)),
                    meta or {})
