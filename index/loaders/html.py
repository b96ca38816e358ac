"""Saved web pages (.html, .htm): the main content, without navigation and boilerplate.

trafilatura finds the main content of the page (menus, sidebars, headers, footers,
cookie banners and share buttons are left out) and keeps its structure: headings,
paragraphs, list items, table rows and code blocks, each one paragraph (a table's rows
under a header row of <th> cells read "Year: 2021 | Revenue: 40 m"; a list's items join
the paragraph that introduces them with a colon). The plain-text
rules of the bundled article apply to what it keeps: a title line followed by "Release
Date:" / "Source:" pairs is the header, and trailing furniture ("Previous Page",
"Related News") is dropped; so the article saved as a web page indexes like its text
version. The page's headings (and paragraphs that are one short bold run, as pages
without heading tags mark them) name the sections.

The title is the page's <title>, else its first heading, else the file name.

Two things trafilatura reads badly are mended before it reads the page (`_prepared`):
text written between blocks with no <p> around it, as hand-written HTML 4 manuals do, is
put in paragraphs (it was dropped: the zlib manual's page kept 12 of its 30 KB), and
markup inside inline code is reduced to its text (it was moved to the paragraph's end).
A line break counts as a space (two in a row end such a loose paragraph), and a page's
templates and hidden elements are not read. Over 293 pages of the documentation that
Debian packages install, 64 read differently, compared word by word: words that were
moved out of place or run together read where they are written, explanations that were
dropped are kept (the zlib, expat and shared-mime-info manuals gained whole paragraphs),
and one page, a notice that its content moved, reads its own two lines instead of the
site's menu. A code block (<pre>) is a line apart, and the blocks of a table cell or a
list item are read with a space between them ("as follows:ninja -t browse" ran
together before): of the 293 pages, 19 read differently after that, with run-together
words apart, no word lost, and one page keeping a few lines trafilatura had dropped.
Reference pages as Node.js, Sphinx and the Expat manual write them read as they show: a
heading's link to its own address ("#", "¶") names no section, a space between two
inline elements stays ("<strong>Default:</strong> <code>1</code>" read "Default:1"),
and a <div> of text that goes on from running text is a paragraph (trafilatura dropped
it: a "Stability: 3 - Legacy" note, every function description of the Expat reference);
one under a heading or at either end of the text (a breadcrumb, "Edit this page") is
still the page's furniture. Of the 293 pages, 70 read differently after that: 89
run-together words apart ("septhat", an A-to-Z index's letters), no other word lost,
about 5,700 words gained. What trafilatura leaves out by an element's class stays out,
and with it Node.js's "Added in: v10.2.0" lines (their class names metadata).
A page with no element trafilatura takes for its main content (no <article>, <main> or
"content" class: DocBook, Texinfo and gtk-doc manuals) whose headings trafilatura
dropped is read again framed in an <article> (`_frame_body`), and the framed reading is
kept when it has the headings and no fewer words: unframed, trafilatura gathered such a
page's paragraphs one by one and left out every heading and list, so the Ninja manual
read as one section and the GCC release notes lost their lists. An empty link target
(<a name="AEN153"></a>) is left out too. Of the 293 pages, 121 read differently after
that: 1,588 more sections, about 88,600 words gained (release notes' items, Texinfo's
function signatures, definition lists), 93 lost (a sidebar's "API Menu", one table
inside a list item, whose cells now run together).

Measured on 38 saved pages with navigation (the Rust books and references as mdBook
pages with sidebars, rustdoc pages, the Debian Python policy), against the text of each
page's main element: trafilatura kept 0.94 of the main text (mean) at 0.97 precision,
with the headings; readability-lxml 0.90 at 0.995 but it dropped the headings, jusText
0.36; the hand-written extractor used before kept 0.985 but at 0.83 precision (the
sidebars). trafilatura takes about 17 ms a page.

A `<sup>` is read as `document.sup_text` says: a note's mark (Wikipedia's "[1]", a link
to "#fn2") is no text, and a power is written in superscript digits: read as plain
text, "10<sup>6</sup> cells" said 106 cells.

Not handled: text drawn by scripts (only what the saved HTML holds is read), images'
text, and frames; what trafilatura still drops: a <div> holding only text under a
heading or at either end of the text (see above), in some pages the text around a code
block inside a list item or table cell, and (in some long pages) the descriptions of a
definition list; a table inside a list item reads its cells run together; the lists
inside a table that lays out a page (unwrapping such tables before trafilatura reads the
page kept them, but lost text on other pages of the same sites).
Whitespace inside a block (code indentation too) becomes one space.

A table that lays out a page (one of its cells holds a heading, as old manuals framed
their pages) is read as the blocks of its cells, and a list, <div>, quote or code block
reads the words between the blocks it holds (after a line break too) as paragraphs: the
libxslt manual's pages read as one paragraph of up to 14,000 characters with no section,
and a code block lost what followed its first line break ("struct _xsltCompilerCtxt").
Of the 259 pages of Debian's documentation and this project's test sets, 67 read
differently. Compared word by word, 24 read the same words in other paragraphs (a
command line's parts were a paragraph each), 21 gained 2,800 words (code after line
breaks), and 22 lost 153: headings with no text under them (a site's name over the
page's title, "Description" over a table). libxslt's internals page reads 18 sections
instead of one.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import DocumentError
from .document import Block, Document, assemble, plain_rows, sup_text, table_row
from .text import HEADER_SECTION, furniture_tail, read_header

# trafilatura falls back to the whole page's text when the main content is shorter than
# its minimum (250 characters); for a short page its own main-content pick is better.
_SHORT = 250


def _config(min_size: int | None):
    from trafilatura.settings import use_config

    config = use_config()
    if min_size is not None:
        config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(min_size))
    return config


# Inline code as documentation generators write it: Sphinx marks a placeholder inside a
# literal (<code>python<em>X</em>.<em>Y</em></code>), rustdoc and javadoc link names in it
_INLINE_CODE = ("code", "kbd", "samp", "tt")
# Blocks that hold blocks, where hand-written pages also put text with no <p> around it
_CONTAINERS = ("body", "div", "section", "article", "main", "blockquote", "center", "form")
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dd", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
    "table", "ul"})
_NOT_PARENTS = frozenset({"html", "head", "caption", "colgroup", "tbody", "td", "tfoot", "th",
                          "thead", "tr"})


def _flatten_inline_code(tree) -> None:
    """The markup inside inline code elements reduced to its text. trafilatura's XML
    output moves formatting nested in <code> to the end of the paragraph: "must be called
    <code>python<em>X</em>.<em>Y</em></code>." came out "must be called python." with
    "X.Y" after the paragraph's last sentence."""
    for el in [el for el in tree.iter(*_INLINE_CODE) if len(el)]:
        el.text = el.text_content()  # one inside another flattened already is detached
        for kid in list(el):
            el.remove(kid)


def _wrap_loose_text(tree) -> None:
    """Text written straight into a container between its blocks, put in paragraphs of
    its own. trafilatura reads paragraphs, not the text around them: the zlib manual's
    page (HTML 4, prose between <pre> blocks, no <p>) kept 12 of its 30 KB, and lost
    every explanation between its code listings."""
    for parent in list(tree.iter()):
        if not isinstance(parent.tag, str) or parent.tag in _BLOCK_TAGS and \
                parent.tag not in _CONTAINERS or parent.tag in _NOT_PARENTS:
            continue
        if any(_block(k) for k in parent):
            _wrap_runs(parent)


def _block(el) -> bool:
    """A block, or an unknown or inline tag left open around blocks ("<pi>...</p>")."""
    return isinstance(el.tag, str) and (el.tag in _BLOCK_TAGS or any(
        isinstance(d.tag, str) and d.tag in _BLOCK_TAGS for d in el.iterdescendants()))


def _wrap_runs(parent) -> None:
    """Each run of text and inline elements between `parent`'s blocks in a <p>; a run
    of whitespace, a <br> or an empty anchor is left as it was."""
    from lxml import etree

    out, run, lead = [], [], parent.text
    parent.text = None
    for k in [*parent, None]:
        if k is not None:
            parent.remove(k)  # its tail goes with it
            if not _block(k):
                run.append(k)
                continue
        if (lead or "").strip() or any((isinstance(e.tag, str) and e.text_content().strip())
                                       or (e.tail or "").strip() for e in run):
            for text, els in _at_blank_lines(lead, run):
                p = etree.Element("p")
                p.text = text
                p.extend(els)
                out.append(p)
        else:
            if out:
                out[-1].tail = lead  # the block before, whose tail it was
            else:
                parent.text = lead
            out.extend(run)
        if k is not None:
            lead, k.tail, run = k.tail, None, []
            out.append(k)
    parent.extend(out)


def _at_blank_lines(lead: str | None, run: list) -> list[tuple[str | None, list]]:
    """A run of text and inline elements cut where two line breaks or more leave a blank
    line, as pages without paragraph tags separate their paragraphs ("...<br><br>..."),
    the breaks left out: (leading text, elements) of each part."""
    parts, text, els, i = [], lead, [], 0
    while i < len(run):
        j = i
        while j + 1 < len(run) and run[j].tag == "br" and run[j + 1].tag == "br" \
                and not (run[j].tail or "").strip():
            j += 1
        if j > i:  # run[i..j] are breaks with nothing between them
            parts.append((text, els))
            text, els, i = run[j].tail, [], j + 1
        else:
            els.append(run[i])
            i += 1
    parts.append((text, els))
    return [(t, e) for t, e in parts if (t or "").strip() or e]


def _prepared(raw: bytes, frame: bool = False) -> str | bytes:
    """The page as trafilatura reads it best: inline code flattened, loose text in
    paragraphs (each as its function says)."""
    import trafilatura
    from lxml import etree

    tree = trafilatura.load_html(raw)
    if tree is None:
        return raw
    for br in tree.iter("br"):  # a line break is a space at least ("make<br>make install")
        br.tail = "\n" + (br.tail or "")
    for pre in tree.iter("pre"):  # a code block is a line apart ("as follows:", "ninja")
        pre.tail = "\n" + (pre.tail or "")
        before = pre.getprevious()
        if before is not None:
            before.tail = (before.tail or "") + "\n"
        elif pre.getparent() is not None:
            pre.getparent().text = (pre.getparent().text or "") + "\n"
    unseen = [el for el in tree.iter() if isinstance(el.tag, str)
              and (el.tag == "template" or el.get("hidden") is not None)]
    for el in unseen:  # not shown: a script's template, a hidden element
        if el.getparent() is not None:
            el.drop_tree()
    _flatten_inline_code(tree)
    _mend_superscripts(tree)
    _drop_permalinks(tree)
    _keep_spaces(tree)
    _text_divs_as_paragraphs(tree)
    _wrap_loose_text(tree)
    if frame:
        _frame_body(tree)
    return etree.tostring(tree, encoding="unicode", method="html")


def _frame_body(tree) -> None:
    """The page's body framed in an <article>, when no element of it is one trafilatura
    takes for the main content (an <article>, a <main>, a "content" class). Without one,
    trafilatura gathers the page's paragraphs one by one and leaves out every heading and
    list: a DocBook manual (the Ninja and bzip2 manuals) read as one section. With the
    frame it prunes the page as it does a page's main content, by class and by link
    density. A <div> of text alone (`_text_divs_as_paragraphs` left it a div: a
    breadcrumb, "Edit this page") is left out, as trafilatura leaves it out of the page
    unframed. `load_html` reads a page framed only when that keeps headings the page has
    and trafilatura dropped, and no fewer words: a page whose text is in such <div>s
    reads unframed."""
    from lxml import etree

    try:
        from trafilatura.xpaths import BODY_XPATH
    except ImportError:  # another trafilatura: read the page as it is
        return
    body = tree.find("body")
    if body is None or any(expr(tree) for expr in BODY_XPATH):
        return
    for div in [d for d in body.iter("div") if d.text_content().strip() and not any(
            isinstance(k.tag, str) and k.tag in _BLOCK_TAGS for k in d.iterdescendants())]:
        div.drop_tree()  # framed, trafilatura would keep a breadcrumb, "Edit this page"
    frame = etree.SubElement(body, "article")
    frame.text, body.text = body.text, None
    frame.extend([k for k in body if k is not frame])


# the link a documentation generator puts in a heading to its own address: "#" (Node.js),
# "¶" (Sphinx, MkDocs), "§", "🔗", "⚓"; a heading that ends in one of the signs but "#"
# (which ends "C#") is read without it
_SIGNS = "¶§🔗⚓ \t"
_ANCHORS = "#" + _SIGNS
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _mend_superscripts(tree) -> None:
    """Each <sup> read as `document.sup_text` says: a note's mark ("[1]" in Wikipedia's
    <sup class="reference">, a link to "#fn2") left out, a power in superscript digits
    ("10<sup>6</sup>" read "106"), anything else as it is."""
    for sup in list(tree.iter("sup")):
        parent = sup.getparent()
        if parent is None:
            continue
        before = sup.getprevious()
        lead = (parent.text or "") if before is None else (before.tail or before.text_content())
        attrs = " ".join(f"{k}={v}" for k, v in sup.attrib.items())
        text = sup.text_content()
        new = sup_text(text, attrs, [a.get("href") or "" for a in sup.iter("a")], lead)
        if not new:
            sup.drop_tree()  # its tail stays
        elif new != text:
            for kid in list(sup):
                sup.remove(kid)
            sup.text = new
            sup.drop_tag()


def _drop_permalinks(tree) -> None:
    """A heading's links into the page whose whole text is an anchor sign left out
    ("Class: Immediate#" named a section). A heading that ends in "#" is kept ("C#"), and
    so is such a link outside headings (a table's "#" column, "see § 12"). An empty link
    target (<a name="AEN153"></a>, as DocBook puts before each table) is left out too:
    trafilatura dropped a table after one, or ran its cells into the paragraph before."""
    for a in [a for h in tree.iter(*_HEADINGS) for a in h.iter("a")
              if (a.get("href") or "").startswith("#")]:
        text = a.text_content().strip()
        if text and not text.strip(_ANCHORS) and a.getparent() is not None:
            a.drop_tree()  # its tail stays
    for a in [a for a in tree.iter("a") if a.get("href") is None and not len(a)
              and not (a.text or "").strip()]:
        if a.getparent() is not None:  # a link target with nothing in it: <a name="AEN153">
            a.drop_tree()  # trafilatura dropped the table after one


def _keep_spaces(tree) -> None:
    """The space between two inline elements kept. trafilatura drops a tail that is only
    whitespace: "<strong>Default:</strong> <code>1</code>" read "Default:1"; the space
    at the end of the first element's text it keeps."""
    for el in tree.iter():
        if not (isinstance(el.tag, str) and el.tag not in _BLOCK_TAGS and el.tag != "br"
                and el.tail and not el.tail.strip() and el.getnext() is not None):
            continue
        last = el  # where its last words are: "<a><em>then</em></a> <b>stops</b>"
        while len(last) and isinstance(last[-1].tag, str) and not (last[-1].tail or "").strip():
            last = last[-1]
        if len(last) and (last[-1].tail or "").strip():
            last[-1].tail += " "  # "<a>the <em>x</em> guide</a> <b>..."
        elif not len(last) and (last.text or "").strip():
            last.text += " "
        else:
            continue
        el.tail = None


# blocks of running text: a <div> of text that goes on from one is a paragraph
_TEXT_BLOCKS = frozenset({"p", "ul", "ol", "dl", "pre", "table", "blockquote", *_HEADINGS})


def _text_divs_as_paragraphs(tree) -> None:
    """A <div> of text and inline elements that goes on from running text (a paragraph,
    a list, a code block before it; a paragraph or heading after it) read as a paragraph:
    trafilatura drops such a div whole ("Stability: 3 - Legacy: use ... instead" after a
    reference's paragraph, the Expat manual's description after each function's
    signature). One under a heading, before the text or after it (a breadcrumb under the
    title, "Edit this page", "Last updated ...", a cookie notice) or among divs only is
    the page's furniture and stays a div; and its class stays, so what trafilatura leaves
    out by class (a share bar, a byline) is left out."""
    for div in list(tree.iter("div")):
        if (_text_block(div.getprevious(), "getprevious", headings=False)
                and _text_block(div.getnext(), "getnext") and div.text_content().strip()
                and not any(isinstance(d.tag, str) and d.tag in _BLOCK_TAGS
                            for d in div.iterdescendants())):
            div.tag = "p"


def _text_block(el, step: str, headings: bool = True) -> bool:
    """Whether the nearest element sibling that way (comments and scripts skipped) is a
    block of running text (a heading too, with `headings`)."""
    while el is not None and (not isinstance(el.tag, str)
                              or el.tag in ("script", "style", "noscript")):
        el = getattr(el, step)()
    return el is not None and el.tag in _TEXT_BLOCKS and (headings or el.tag not in _HEADINGS)


def _extract(raw: bytes | str, min_size: int | None = None):
    """The main content as trafilatura's XML tree, or None."""
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(raw, output_format="xml", include_comments=False,
                              include_tables=True, include_formatting=True,
                              include_links=False, include_images=False, deduplicate=False,
                              config=_config(min_size))
    if not xml:
        return None
    main = etree.fromstring(xml.encode("utf-8")).find("main")
    return main if main is not None and "".join(main.itertext()).strip() else None


# trafilatura's block elements: a cell's paragraph and the code block after it are two
# runs of words ("as follows:" and "ninja -t browse"), never one (a <pre> is set apart
# by the line breaks `_prepared` puts around it: trafilatura writes it as a "code" or a
# "quote", and "code" is inline code as well)
_BLOCKS = frozenset({"p", "head", "list", "item", "quote", "lb", "table", "row", "cell",
                     "div"})


def _text(el) -> str:
    """An element's words, with a space where one of its blocks meets the next."""
    parts: list[str] = []

    def go(e) -> None:
        parts.append(e.text or "")
        for kid in e:
            apart = " " if kid.tag in _BLOCKS else ""
            parts.append(apart)
            go(kid)
            tail = kid.tail or ""
            parts.append(("" if tail[:1] in tuple(".,;:!?)]") else apart) + tail)  # "make all, then"

    go(el)
    return " ".join("".join(parts).split())


# what a list, a <div>, a quote or a cell of a table that lays out a page holds as
# blocks of their own; the rest of what it holds runs on as a paragraph
_CONTAINED = frozenset({"p", "head", "list", "item", "quote", "table", "row", "cell", "div"})


def _header_row(table):
    """A table's (trafilatura's) first row when all its cells are header cells, else None."""
    first = next((r for r in table if r.tag == "row"), None)
    return first if first is not None and len(first) and all(
        c.get("role") == "head" for c in first if c.tag == "cell") else None


def _lays_out(table) -> bool:
    """Whether a table lays out a page: a cell of it holds a heading, and it has no
    header row (a table of options whose names are headings is data)."""
    return _header_row(table) is None and table.find(".//cell/head") is not None


def _raw(el) -> str:
    """An inline element's words as written, its tail aside."""
    return "".join(el.itertext())


def _bold_only(p) -> bool:
    """A paragraph that is one bold run, as pages without heading tags mark their headings."""
    kids = list(p)
    return (len(kids) == 1 and kids[0].tag == "hi" and "b" in (kids[0].get("rend") or "")
            and not (p.text or "").strip() and not (kids[0].tail or "").strip())


def _blocks(main) -> list[tuple[str, bool, int | None]]:
    """(text, is a heading, list level) a block: headings, paragraphs, list items (the
    level: how deep in lists; None for other blocks), table rows (cells joined by ' | ',
    each after its column's name when the table has a header row), code blocks; the
    blocks in the cells of a table that lays out a page, each a block of its own."""
    out: list[tuple[str, bool, int | None]] = []
    terms: list[int] = []  # where in `out` the terms just read are, to go with their definition

    def inside(el, depth):
        """The blocks of an element that holds blocks: each block it holds, and the words
        between them (its text, inline elements, line breaks, tails) as paragraphs."""
        run = [el.text or ""]
        for kid in el:
            if kid.tag in _CONTAINED or kid.tag == "code" and "\n" in _raw(kid):
                flush(run)
                walk(kid, depth)
            else:
                run.append(" " if kid.tag == "lb" else _raw(kid))
            run.append(kid.tail or "")
        flush(run)

    def flush(run: list[str]) -> None:
        text = " ".join("".join(run).split())
        if text:
            out.append((text, False, None))
        run.clear()

    def walk(el, depth=0):
        tag = el.tag
        if tag == "head":
            out.append((_text(el).rstrip(_SIGNS), True, None))
        elif tag == "p":
            text = _text(el)
            out.append((text, _bold_only(el) and len(text.split()) <= 12
                        and not text.endswith((".", "!", "?", ";", ":", ",")), None))
        elif tag == "table" and _lays_out(el):
            # a table that lays out a page (the old table-framed manuals) is read as the
            # blocks of its cells, not as one row of them
            for row in el:
                for part in (row if row.tag == "row" else [row]):
                    if part.tag == "cell":
                        inside(part, depth)
                    else:
                        walk(part, depth)
        elif tag == "table" and len(el):
            rows = [[_text(c) for c in row if c.tag == "cell"] if row.tag == "row" else None
                    for row in el]
            first = _header_row(el)
            header = rows[list(el).index(first)] if first is not None else None
            plain = iter(plain_rows([r for r in rows if r is not None]) if header is None
                         else [])
            for row, cells in zip(el, rows, strict=True):
                if cells is None:
                    walk(row)
                elif header is not None and row is not first:
                    out.append((table_row(header, cells), False, None))
                elif header is not None:  # the header row
                    out.append((" | ".join(cells) if any(cells) else "", False, None))
                else:
                    out.append((next(plain), False, None))
        elif tag in ("list", "div", "quote") and len(el):
            inside(el, depth + (tag == "list"))
        elif tag == "item":
            own = " ".join("".join((el.text or "") + "".join(
                (" " + _text(k) + " " if k.tag in _BLOCKS else _raw(k))
                + (k.tail or "") for k in el if k.tag != "list")).split())
            rend = el.get("rend") or ""
            if rend.startswith("dd") and own and terms and terms == list(
                    range(len(out) - len(terms), len(out))):
                # a definition read with the terms it defines, "-a, --append: Append the
                # resource use information ..." (alone it never names what it is about)
                named = ", ".join(out[i][0] for i in terms).rstrip(";, ")
                level = out[terms[0]][2]
                del out[terms[0]:]
                out.append((f"{named} {own}" if named.endswith(":") else f"{named}: {own}",
                            False, level))
                terms.clear()
            else:
                out.append((own, False, depth))
                if rend.startswith("dt") and own:
                    terms.append(len(out) - 1)
                else:
                    terms.clear()
            for kid in el:
                if kid.tag == "list":
                    walk(kid, depth)
        elif tag == "row":
            cells = [_text(c) for c in el if c.tag == "cell"]
            out.append((" | ".join(cells) if any(cells) else "", False, None))
        else:
            out.append((_text(el), False, None))

    for el in main:
        walk(el)
    return [b for b in out if b[0]]


def _main(page: str | bytes):
    """The page's main content as trafilatura's XML tree, or None; a short page's own
    pick of it rather than its whole text (see _SHORT)."""
    main = _extract(page)
    if main is None or len(_text(main)) < _SHORT:
        small = _extract(page, min_size=1)
        main = small if small is not None else main
    return main


# a heading below the page's title: a page with one reads framed if trafilatura drops it
_SECTION_HEADINGS = re.compile(r"<h[2-6][\s>]", re.I)


def _title(raw: bytes) -> str:
    import trafilatura

    tree = trafilatura.load_html(raw)
    if tree is None:
        return ""
    found = tree.find(".//title")
    return " ".join((found.text_content() if found is not None else "").split())


def load_html(raw: bytes, doc_id: str) -> Document:
    if not raw.strip():
        raise DocumentError(f"{doc_id}: the file holds no text.")
    page = _prepared(raw)
    main = _main(page)
    if main is not None and main.find(".//head") is None and _SECTION_HEADINGS.search(page):
        # headings dropped: read the page framed, if that keeps them and the text
        framed = _main(_prepared(raw, frame=True))
        if framed is not None and framed.find(".//head") is not None and \
                len(_text(framed).split()) >= len(_text(main).split()):
            main = framed
    if main is None:
        raise DocumentError(f"{doc_id}: no readable text found in this web page (an empty "
                            "page, or one whose text is drawn by scripts). Save the page "
                            "after it has loaded, or as text.")
    items = _blocks(main)
    items = items[: len(items) - furniture_tail([t for t, *_ in items])]
    page_title = _title(raw)
    title, meta, blocks, i = page_title, {}, [], 0
    lines = [t for t, *_ in items]
    # the article's layout: title line, then "Release Date:" / value, ...; the title line
    # may be missing from the main content (trafilatura drops a heading that repeats <title>)
    header, shift = read_header(lines), 0
    if header is None and title:
        header, shift = read_header([title] + lines), 1
    if header:
        first, meta, i = header
        title = title or first
        head = ([title] if shift else []) + lines[: i - shift]
        if meta:
            blocks.append(Block("\n".join(head), section=HEADER_SECTION))
        else:
            blocks.append(Block(head[0], heading=True))
        i -= shift
    elif items and items[0][1] and (not title or items[0][0].lower() in title.lower()
                                        or title.lower() in items[0][0].lower()):
        title = title or items[0][0]  # a first heading that is the page's title names no section
        blocks.append(Block(items[0][0], heading=True))
        i = 1
    section = ""
    for text, heading, item in items[i:]:
        if heading:
            section = text
            title = title or text
        blocks.append(Block(text, heading=heading, section=section, item=item))
    title = title or Path(doc_id).stem.replace("-", " ").replace("_", " ")
    return assemble(doc_id, title, blocks, meta)
