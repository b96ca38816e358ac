"""Markdown (.md, .markdown) into a Document, parsed by markdown-it-py (CommonMark, with
GitHub's tables and strikethrough).

Each block the parser finds is one paragraph: a paragraph however its lines are
wrapped, a list item (its number kept when the list is numbered), a code block (its
lines kept), a table row ("Year: 2021 | Revenue: 40 m" under its header row, as in the
other formats). `#` and underlined headings name the section of what follows. The
title is a YAML front matter's `title:`, else a first `#` heading that comes before any
text, else the file's name; a header in the bundled article's layout ("Release Date:"
then its value) is read as in plain text.

Inline marks read as a reader sees them: emphasis and code marks dropped, a link as its
text followed by its address when that is a web or mail address (in headings, the text
alone), reference links resolved, images dropped (a badge says nothing), `<br>` a line
break. Raw HTML (`<details>`, `<p align="center">`) loses its tags, comments, scripts
and styles, and its text is read as inline Markdown a paragraph at a time; an `<h1>` to
`<h6>` alone is a heading, and a `<table>`'s rows are read as a Markdown table's. A
paragraph of nothing but links into the same page is a table of contents, and is left
out: "How do I install it?" must find the section, not its entry.

A footnote's mark ("[^1]") is no text, and the notes are read at the end, under a
heading "Notes" (mdit-py-plugins). A `<sup>` is read as `document.sup_text` says: a
note's mark left out, a power in superscript digits ("10<sup>6</sup>" read "106").

Not handled: TOML front matter, an HTML table with blank lines inside it or
a table inside a table (read as text, not row by row), lists nested deeper than 100
levels (what is deeper is not read).
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

from ..errors import DocumentError
from .document import Block, Document, assemble, plain_rows, sup_text, table_row
from .text import read_header

# a YAML front matter: "---" on the first line, then "key: value" lines, then "---"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n([A-Za-z_][\w-]*:.*?)\r?\n---[ \t]*(?:\r?\n|\Z)",
                           re.S)
_FRONT_TITLE = re.compile(r"^title:[ \t]*(.*?)[ \t]*\r?$", re.M)
_HIDDEN = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)", re.S | re.I)
_TAG = re.compile(r"<[^<>]*>")
_BREAK = re.compile(r"<br\s*/?>", re.I)
_SUP_OPEN = re.compile(r"<sup\b([^<>]*)>", re.I)
_SUP_CLOSE = re.compile(r"</sup\s*>", re.I)
_SUP = re.compile(r"<sup\b([^<>]*)>(.*?)</sup\s*>", re.I | re.S)
_HREF = re.compile(r"""\bhref\s*=\s*["']?([^"'\s>]*)""", re.I)
_HTML_HEADING = re.compile(r"\A\s*<h([1-6])\b[^>]*>(.*?)</h\1\s*>\s*\Z", re.S | re.I)
_BLANK = re.compile(r"\n[ \t]*\n")
_TABLE = re.compile(r"(<table\b.*?</table\s*>)", re.S | re.I)
_ADDRESS = ("http://", "https://", "mailto:")
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_SOFT = "\x00"  # a line break inside a paragraph, until it is known what it joins
MAX_NESTING = 100  # lists and quotes deeper than this are not read (the preset's is 20)


@functools.cache
def _parser():  # built once: a parser keeps no state between documents
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    return MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable(
        ["table", "strikethrough"]).use(footnote_plugin)


def _joined(text: str) -> str:
    """A paragraph's wrapped lines as one line: a space between words, nothing between
    Chinese or Japanese characters.

    >>> _joined("wrapped\\x00 line"), _joined("本工具由\\x00两个团队维护。")
    ('wrapped line', '本工具由两个团队维护。')
    """
    parts = text.split(_SOFT)
    out = [parts[0].rstrip()]
    for part in parts[1:]:
        part = part.lstrip()
        a, b = out[-1][-1:], part[:1]
        out.append(part if _CJK.match(a or " ") and _CJK.match(b or " ") else " " + part)
        out[-1] = out[-1].rstrip()
    return "".join(out)


def inline_text(children, in_cell: bool = False, addresses: bool = True) -> tuple[str, bool]:
    """An inline token's children as text, and whether they are nothing but links into
    the same page (a table of contents entry)."""
    out: list[str] = []
    links: list[tuple[str, int]] = []  # (address, where its text starts)
    hrefs: list[str] = []  # every link's address, in order
    sups: list[tuple[int, str, int]] = []  # open <sup>s: where its text starts, attributes,
    # how many links came before it
    anchors_only, plain = False, []
    for c in children:
        t = c.type
        if t == "footnote_ref":
            continue  # "[^1]": the note is read where it is written, as a paragraph
        if t in ("text", "code_inline", "text_special"):
            out.append(c.content)
            if not links:
                plain.append(c.content)
        elif t == "softbreak":
            out.append(_SOFT)
        elif t == "hardbreak":
            out.append(" " if in_cell else "\n")
        elif t == "html_inline":
            tag = c.content.strip()
            if _BREAK.fullmatch(tag):
                out.append(" " if in_cell else "\n")
            elif m := _SUP_OPEN.fullmatch(tag):
                sups.append((len(out), m[1], len(hrefs)))
            elif _SUP_CLOSE.fullmatch(tag) and sups:
                at, attrs, seen = sups.pop()
                out[at:] = [sup_text("".join(out[at:]), attrs, hrefs[seen:], "".join(out[:at]))]
        elif t == "link_open":
            href = str(c.attrs.get("href", ""))
            hrefs.append(href)
            links.append((href, len(out)))
            anchors_only = anchors_only or href.startswith("#")
            if not href.startswith("#"):
                plain.append("x")  # a link elsewhere: text of its own
        elif t == "link_close" and links:
            href, at = links.pop()
            shown = "".join(out[at:]).strip()
            if (addresses and shown and href.startswith(_ADDRESS)
                    and href.removeprefix("mailto:") != shown):
                out.append(f" ({href})")
        # images, emphasis, strong and strikethrough marks: nothing of their own
    text = _joined("".join(out))
    toc = anchors_only and not any(ch.isalnum() for ch in "".join(plain))
    return text, toc


def _html_table(table: str) -> list[Block]:
    """An HTML table's rows, each a paragraph, read under a header row of <th> cells as
    a Markdown table's are."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        el = lxml_html.fragment_fromstring(table, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    rows = [[" ".join(c.text_content().split()) for c in tr if c.tag in ("th", "td")]
            for tr in el.iter("tr")]
    first = next(el.iter("tr"), None)
    if rows and rows[0] and all(c.tag == "th" for c in first if c.tag in ("th", "td")):
        header = rows[0]
        return [Block(" | ".join(c for c in header if c))] + [
            Block(table_row(header, cells)) for cells in rows[1:] if any(cells)]
    return [Block(text) for text in plain_rows([[c for c in r if c] for r in rows]) if text]


def _raw_html(content: str, md) -> list[Block]:
    """A raw HTML block's text: a heading when it is one `<hN>` element, a table's rows
    (`_html_table`), else its paragraphs (split at blank lines) read as inline Markdown."""
    content = _HIDDEN.sub(" ", content)
    content = _SUP.sub(lambda m: sup_text(
        html.unescape(_TAG.sub("", m[2])), m[1], _HREF.findall(m[2]),
        html.unescape(_TAG.sub("", content[max(0, m.start() - 200):m.start()]))), content)
    if m := _HTML_HEADING.match(content):
        text = html.unescape(_TAG.sub(" ", m[2]))
        return [Block(" ".join(text.split()), heading=True, item=int(m[1]))]
    parts = _TABLE.split(content)
    if len(parts) > 1:  # text and tables, in turn
        return [b for k, part in enumerate(parts)
                for b in (_html_table(part) if k % 2 else _raw_html(part, md))]
    inner = html.unescape(_TAG.sub(" ", _BREAK.sub("\n", content)))
    blocks = []
    for part in _BLANK.split(inner):
        if any(ch.isalnum() for ch in part):
            tokens = md.parseInline(part.strip())
            text, toc = inline_text(tokens[0].children or [] if tokens else [])
            if not toc:
                blocks.append(Block(text))
    return blocks


def _blocks(tokens, md) -> list[Block]:
    """The blocks of a token stream; a heading's level is its `item`, a list item's
    level and kind (as `with_lists` reads them) a paragraph's."""
    blocks: list[Block] = []
    lists: list[str] = []  # the kinds of the lists the walk is in ("bullet", "ordered")
    number = ""  # the number of the list item whose first block comes next
    header: list[str] | None = None
    row: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            lists.append(t.split("_")[0])
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t == "list_item_open":
            number = f"{tok.info}{tok.markup} " if lists and lists[-1] == "ordered" else ""
        elif t == "list_item_close":
            number = ""
        elif t == "heading_open":
            text, _ = inline_text(tokens[i + 1].children or [], addresses=False)
            blocks.append(Block(" ".join(text.split()), heading=True, item=int(tok.tag[1:])))
            i += 2
        elif t == "paragraph_open" and tokens[i + 1].type == "inline":
            text, toc = inline_text(tokens[i + 1].children or [])
            if not toc:
                level = (len(lists), lists[-1]) if lists else None
                blocks.append(Block(number + text, item=level))
            number = ""
            i += 1
        elif t in ("fence", "code_block"):
            blocks.append(Block(tok.content.rstrip("\n")))
            number = ""
        elif t == "thead_open":
            header = []
        elif t == "tr_open":
            row = []
        elif t in ("th_open", "td_open"):
            row.append(inline_text(tokens[i + 1].children or [], in_cell=True)[0])
        elif t == "tr_close":
            if header == []:  # the header row
                header = row
                blocks.append(Block(" | ".join(c for c in row if c)))
            else:
                blocks.append(Block(table_row(header, row) if header else
                                    " | ".join(c for c in row if c)))
        elif t == "table_close":
            header = None
        elif t == "html_block":
            blocks += _raw_html(tok.content, md)
        elif t == "footnote_block_open":  # the notes, after the text: a section of their own
            blocks.append(Block("Notes", heading=True, item=2))
        i += 1
    return blocks


def _front_title(front: str) -> str:
    """The `title:` of a front matter, when it is written on its line (not folded)."""
    m = _FRONT_TITLE.search(front)
    value = m[1] if m else ""
    if value[:1] in ("'", '"'):
        value = value[1:value.find(value[0], 1)] if value.find(value[0], 1) > 0 else ""
    else:
        value = value.split(" #")[0].strip()
    return "" if value[:1] in (">", "|", "") else value


def load_markdown(text: str, doc_id: str) -> Document:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DocumentError(f"{doc_id}: the file holds no text.")
    title = ""
    if front := _FRONT_MATTER.match(text):
        title = _front_title(front[1])
        text = text[front.end():]
    lines = [line.strip() for line in text.splitlines()[:40] if line.strip()]
    header = read_header(lines)  # the article's layout: title, "Release Date:", ...
    meta = header[1] if header else {}
    md = _parser()
    blocks = [b for b in _blocks(md.parse(text), md) if b.heading or b.text.strip()]
    if blocks and blocks[0].heading and blocks[0].item == 1:
        title = title or blocks[0].text  # a first `#` heading is the title, not a section
        blocks = blocks[1:]
    title = title or (header[0] if header else "")
    section = ""
    for b in blocks:
        if b.heading:
            section, b.item = b.text, None
        b.section = section
    title = title or Path(doc_id).stem.replace("-", " ").replace("_", " ")
    return assemble(doc_id, title, blocks, meta)
