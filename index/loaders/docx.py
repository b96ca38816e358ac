"""Word documents (.docx): paragraphs and tables in document order, headings as sections.

python-docx reads the body. A paragraph styled "Heading 1", "Heading 2", ... (or a style
based on one, or one with an outline level) names the section of the paragraphs under
it; "Title" (or the document's title property) is the document's title. A table's rows
are kept, one paragraph a row, the cells joined by " | " (a cell merged across columns
counted once); under a header row (marked as one in Word, or all in bold) each cell
follows its column's name ("Year: 2021 | Revenue: 40 m"). Line breaks inside a
paragraph are kept. A superscript is read as `document.sup_text` says: a power in
superscript digits ("10⁶", which the text of its runs gave as 106), a note's mark that
Word writes as a superscript number after a sentence left out.

Paragraphs in content controls (a cover page's fields) are read; a table of contents is
not (its entries would be quoted in place of the sections they point to).

Not handled: legacy .doc files (save them as .docx), headers and footers (page
furniture), footnotes, endnotes, comments, text boxes and shapes, tracked changes
beyond the text as it stands.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import DocumentError
from .document import Block, Document, assemble, plain_rows, sup_text, table_row

_HEADING = re.compile(r"^(heading|überschrift|titre|título|titolo|kop)\s*\d", re.I)


def _is_heading(paragraph) -> bool:
    style = paragraph.style
    while style is not None:
        if _HEADING.match(style.name or ""):
            return True
        ppr = style.element.pPr
        if ppr is not None and ppr.find(_qn("w:outlineLvl")) is not None:
            return True
        style = style.base_style
    ppr = paragraph._p.pPr
    level = ppr.find(_qn("w:outlineLvl")) if ppr is not None else None
    return level is not None and level.get(_qn("w:val")) != "9"


def _list_level(paragraph):
    """A numbered or bulleted paragraph's list and level (Word's numbering id and
    indent level), or its list style's name; None for another paragraph."""
    ppr = paragraph._p.pPr
    num = ppr.numPr if ppr is not None else None
    if num is not None and num.numId is not None:
        return num.numId.val, num.ilvl.val if num.ilvl is not None else 0
    style = paragraph.style.name if paragraph.style is not None else ""
    return style if style.startswith("List") else None


def _body(element, parent, paragraph, table):
    """The body's paragraphs and tables in document order, those inside content
    controls (w:sdt: a cover page's title and date, a template's fields) included, but
    for a table of contents, whose entries repeat the headings' words and would be
    found and quoted in place of the sections they point to."""
    for child in element.iterchildren():
        if child.tag == _qn("w:p"):
            yield paragraph(child, parent)
        elif child.tag == _qn("w:tbl"):
            yield table(child, parent)
        elif child.tag == _qn("w:sdt"):
            gallery = child.find(f"{_qn('w:sdtPr')}/{_qn('w:docPartObj')}/"
                                 f"{_qn('w:docPartGallery')}")
            if gallery is not None and "contents" in (gallery.get(_qn("w:val")) or "").lower():
                continue
            content = child.find(_qn("w:sdtContent"))
            if content is not None:
                yield from _body(content, parent, paragraph, table)


def _is_contents_entry(paragraph) -> bool:
    """A table-of-contents entry outside a content control: Word's "toc 1" ... styles,
    LibreOffice's "Contents 1" ..."""
    name = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    return re.match(r"(toc|contents) \d$", name) is not None


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


_SUPERSCRIPT = "w:rPr/w:vertAlign[@w:val='superscript']"


def _text(paragraph) -> str:
    """A paragraph's text as python-docx reads it (its runs and links, in order), each
    superscript run read as `sup_text` says."""
    p = paragraph._p
    if not p.xpath(".//" + _SUPERSCRIPT):
        return paragraph.text
    out: list[str] = []
    for e in p.xpath("w:r | w:hyperlink"):
        text = e.text
        runs = [e] if e.tag == _qn("w:r") else e.xpath("w:r")
        if text.strip() and runs and all(r.xpath(_SUPERSCRIPT) for r in runs):
            anchor = e.get(_qn("w:anchor"))
            text = sup_text(text, links=["#" + anchor] if anchor else [], before="".join(out))
        out.append(text)
    return "".join(out)


def _is_title(paragraph) -> bool:
    return (paragraph.style.name or "").lower() == "title"


def _rows(table) -> list[str]:
    grid = []  # each row's cells by grid column; None where a merged cell repeats
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            cells.append(None if id(cell._tc) in seen else " ".join(
                "\n".join(_text(p) for p in cell.paragraphs).split()))
            seen.add(id(cell._tc))
        grid.append(cells)
    first = [c or "" for c in grid[0]] if grid else []
    header = (first if len(grid) > 1 and len({c for c in first if c}) > 1
              and _is_header(table.rows[0]) else None)
    if header is None:  # a merged cell counted once
        return [r for r in plain_rows([[c for c in cells if c is not None] for cells in grid])
                if r]
    out = [" | ".join(c for c in grid[0] if c is not None)]  # the header row
    out += [table_row(header, [c or "" for c in cells]) for cells in grid[1:]]
    return [r for r in out if r]


def _is_header(row) -> bool:
    """A table's first row is its header when Word marks it so (repeated on each page,
    w:tblHeader) or every word in it is bold."""
    from docx.oxml.ns import qn

    pr = row._tr.trPr
    if pr is not None and pr.find(qn("w:tblHeader")) is not None:
        return pr.find(qn("w:tblHeader")).get(qn("w:val"), "true") not in ("0", "false", "off")
    runs = [r for c in row.cells for p in c.paragraphs for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def load_docx(path: Path, doc_id: str) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        d = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise DocumentError(f"{doc_id}: not a readable .docx file ({e}). If it is an older "
                            ".doc file or is password-protected, save it as .docx first.") from e
    title = " ".join((d.core_properties.title or "").split())
    blocks: list[Block] = []
    section = ""
    for item in _body(d.element.body, d._body, Paragraph, Table):
        if isinstance(item, Table):
            blocks += [Block(row, section=section) for row in _rows(item)]
            continue
        if not isinstance(item, Paragraph):
            continue
        text = _text(item).strip()
        if not text or _is_contents_entry(item):
            continue
        if _is_title(item):
            title = title or " ".join(text.split())
            blocks.append(Block(text, heading=True))
        elif _is_heading(item):
            section = " ".join(text.split())
            title = title or section
            blocks.append(Block(text, heading=True))
        else:
            blocks.append(Block(text, section=section, item=_list_level(item)))
    if not any(not b.heading for b in blocks):
        raise DocumentError(f"{doc_id}: the document holds no text besides headings.")
    return assemble(doc_id, title or Path(doc_id).stem.replace("-", " ").replace("_", " "),
                    blocks)
