"""Markdown (.md, .markdown) into a Document, parsed by markdown-it-py (CommonMark, with
GitHub's tables and strikethrough).

Each block the parser finds is one paragraph: a paragraph however its lines are
wrapped, a list item (its number kept when the list is numbered), a code block (its
lines kept), a table row ("Year: 2021 | Revenue: 40 m" under its header row, as in the
other formats). `#` and underlined headings name the section of what follows; a first
`#` heading, or the `title:` of a YAML front matter, is the title.

Inline marks read as a reader sees them: emphasis and code marks dropped, a link as its
text followed by its address when that is a web or mail address, reference links
resolved, images dropped (a badge says nothing), `<br>` a line break. Raw HTML blocks
(`<details>`, `<summary>`) lose their tags and keep their text, read as Markdown. A
paragraph of nothing but links into the same page is a table of contents, and is left
out: "How do I install it?" must find the section, not its entry.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..errors import DocumentError
from .document import Block, Document, assemble, table_row

# a YAML front matter ("---" lines around "title: ...") before the text
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)",
                           re.S)
_FRONT_TITLE = re.compile(r"^title:[ \t]*(['\"]?)(.+?)\1[ \t]*$", re.M)
_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>", re.I)
_ADDRESS = ("http://", "https://", "mailto:")
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_FIRST = ("heading_open", "paragraph_open", "fence", "code_block", "table_open")
_SOFT = "\x00"  # a line break inside a paragraph, until it is known what it joins


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _joined(text: str) -> str:
    """A paragraph's wrapped lines as one line: a space between words, nothing between
    Chinese or Japanese characters."""
    parts = text.split(_SOFT)
    out = parts[0]
    for part in parts[1:]:
        a, b = out.rstrip()[-1:], part.lstrip()[:1]
        out = out.rstrip() + ("" if _CJK.match(a or " ") and _CJK.match(b or " ") else " ") \
            + part.lstrip()
    return out


def inline_text(children, in_cell: bool = False) -> tuple[str, bool]:
    """An inline token's children as text, and whether it is nothing but links into the
    same page (a table of contents entry)."""
    out: list[str] = []
    links: list[tuple[str, int]] = []  # (address, where its text starts)
    anchors_only, plain = False, []
    for c in children:
        t = c.type
        if t in ("text", "code_inline"):
            out.append(c.content)
            if not links:
                plain.append(c.content)
        elif t == "softbreak":
            out.append(_SOFT)
        elif t == "hardbreak":
            out.append(" " if in_cell else "\n")
        elif t == "html_inline":
            if _BREAK.fullmatch(c.content.strip()):
                out.append(" " if in_cell else "\n")
        elif t == "link_open":
            href = str(c.attrs.get("href", ""))
            links.append((href, len(out)))
            anchors_only = anchors_only or href.startswith("#")
            if not href.startswith("#"):
                plain.append("x")  # a link elsewhere: text of its own
        elif t == "link_close" and links:
            href, at = links.pop()
            shown = "".join(out[at:]).strip()
            if shown and href.startswith(_ADDRESS) and href.removeprefix("mailto:") != shown:
                out.append(f" ({href})")
        # images, emphasis, strong and strikethrough marks: nothing of their own
    text = _joined("".join(out))
    toc = anchors_only and not any(ch.isalnum() for ch in "".join(plain))
    return text, toc


def _blocks(tokens, md, depth: int = 0) -> list[Block]:
    """The blocks of a token stream: (text, heading?) with each list item's level."""
    blocks: list[Block] = []
    lists: list[str] = []  # the kinds of the lists the walk is in ("bullet", "ordered")
    number = ""  # the number of the list item whose first paragraph comes next
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
        elif t == "heading_open":
            text, _ = inline_text(tokens[i + 1].children or [])
            blocks.append(Block(" ".join(text.split()), heading=True))
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
        elif t == "html_block" and depth < 2:
            inner = html.unescape(_TAG.sub(" ", _BREAK.sub("\n", tok.content)))
            if any(ch.isalnum() for ch in inner):
                blocks += _blocks(md.parse(inner), md, depth + 1)
        i += 1
    return blocks


def load_markdown(text: str, doc_id: str) -> Document:
    if not text.strip():
        raise DocumentError(f"{doc_id}: the file holds no text.")
    title = ""
    if front := _FRONT_MATTER.match(text):
        if found := _FRONT_TITLE.search(front[1]):
            title = found[2].strip()
        text = text[front.end():]
    md = _parser()
    tokens = md.parse(text)
    blocks = [b for b in _blocks(tokens, md) if b.text.strip()]
    first = next((t for t in tokens if t.type in _FIRST), None)
    if not title and first is not None and first.tag == "h1" and blocks and blocks[0].heading:
        title = blocks[0].text  # a first `#` heading is the title, and names no section
        blocks = blocks[1:]
    section = ""
    for b in blocks:
        if b.heading:
            section = b.text
        b.section = section
    title = title or Path(doc_id).stem.replace("-", " ").replace("_", " ")
    return assemble(doc_id, title, blocks)
