"""PDF files (.pdf): text in reading order, paragraphs with their page and heading.

PDFium (through pypdfium2) reads the characters with their boxes, font sizes and
weights, in the order the page's content gives them, with its own line breaks and
its marks for hyphens at line ends. From those lines:

- Running headers and footers are dropped: a line among the two topmost or two
  lowest of a page whose text (digits aside) recurs there on at least half the pages
  (three at least), a line that holds only a page number ("7", "Page 7 of 22", "- 7 -"),
  or one that holds the page's number where most pages hold theirs ("Chapter 2 ... 7").
- Lines become paragraphs at a wider gap than the usual line spacing, a first-line
  indent, a bullet, or after a short line that ends a sentence; a paragraph that runs
  on to the next page continues there ("pp. 3–4"). A paragraph of three lines or more
  of which none ends or runs on a sentence and none after the first opens in lower
  case (a table's rows, a program's output, a list of names) keeps its line breaks, so
  that each row is a sentence of its own (`_set_as_lines`).
- A word hyphenated at a line end is joined ("experi-" + "ment" = "experiment") unless
  the document writes it with the hyphen elsewhere, or the next part starts with a
  capital or a digit ("Yarrow-" + "Schlick" stays "Yarrow-Schlick").
- Headings are the document's outline (bookmarks) where it has one, and lines set
  larger than the body text (or bold, without an outline); they name the section of
  the paragraphs under them. A paragraph's section is "Heading · p. 3", or "p. 3".

Measured on PDFs made by LibreOffice from DOCX files with known text (22-, 12-, 12- and
6-page documents; one in two columns, one with a table; running header and "Page N of
M" footer, automatic hyphenation) and on two TeX manuals: pypdfium2 got 99.9% of the
words in order, 2-10 ms a page; pypdf the same words at 22-200 ms a page but glued
words on the TeX manual ("[Function]int", 29 times); pdfplumber read the two columns
across (48% of the words in order) and glued every word of one TeX manual, at
100-600 ms a page.

Not handled: scanned pages without a text layer (a PDF with no text at all is refused
with a message: run OCR first), text in images, forms and annotations, right-to-left
and vertical scripts' reading order, tables' structure (their rows come out as lines).
"""

from __future__ import annotations

import re
import statistics
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DocumentError
from .document import (
    BULLET,
    SENTENCE_END,
    Block,
    Document,
    assemble,
    join_lines,
    list_level,
    page_label,
    section_label,
    word_counts,
)

# PDFium must not be used from two threads at once.
_PDFIUM = threading.Lock()
_LINE_END_HYPHEN = {0xFFFE, 0x02}
CHAPTER_HEAD_PAGES = 3  # an edge line on so many pages close together is a running head
_BOLD = re.compile(r"bold|black|heavy|semibold|demi|cmbx", re.I)
_PAGE_NUMBER = re.compile(r"^(page|p\.|seite|pág\.?|pagina)?\s*#(\s*(/|of|von|de|di)\s*#)?$"
                          r"|^[-–—]\s*#\s*[-–—]$|^[ivxlcdm]+$")


@dataclass
class _Line:
    text: str
    page: int  # 1-based
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    hyphen: bool = False  # PDFium marked the hyphen at its end as a line-end hyphen


@dataclass
class _Para:
    lines: list[_Line] = field(default_factory=list)
    heading: str = ""


def _page_lines(page, page_no: int) -> tuple[list[_Line], int]:
    """The page's lines, and how many of its characters have no Unicode mapping.

    The text comes in one call; boxes, sizes and weights are read for three characters
    a line (first, middle, last), which keeps a page to a few milliseconds.
    """
    import ctypes

    import pypdfium2.raw as raw

    tp = page.get_textpage()
    try:
        handle = tp.raw
        n = tp.count_chars()
        text = tp.get_text_range() if n else ""
        if len(text) != n:  # characters beyond the BMP: one character an index
            text = "".join(chr(raw.FPDFText_GetUnicode(handle, i)) for i in range(n))
        buf = ctypes.create_string_buffer(128)
        fonts: dict[int, bool] = {}

        def bold(i: int) -> bool:
            if raw.FPDFText_GetFontWeight(handle, i) >= 600:
                return True
            size = raw.FPDFText_GetFontInfo(handle, i, buf, 128, None)
            return bool(size and _BOLD.search(buf.value.decode("utf-8", "replace")))

        lines: list[_Line] = []
        pos = 0
        for m in re.finditer(r"\r\n|[\r\n\ufffe\x02]|$", text):
            start, end = pos, m.start()
            pos = m.end()
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start == end:
                continue
            mid = start + (end - start) // 2
            while mid < end - 1 and text[mid].isspace():
                mid += 1
            picks = (start, mid, end - 1)
            left, bottom, _, top = tp.get_charbox(start, loose=True)
            right = tp.get_charbox(end - 1, loose=True)[2]
            sizes = sorted(raw.FPDFText_GetFontSize(handle, i) for i in picks)
            heavy = sum(fonts.setdefault(i, bold(i)) for i in picks) >= 2
            hyphen = m.group() in ("\ufffe", "\x02")
            lines.append(_Line(text[start:end] + ("-" if hyphen else ""), page_no, left, right,
                               top, bottom, sizes[1], heavy, hyphen))
            if m.end() == len(text):
                break
        return lines, text.count("\ufffd") + text.count("\x00")
    finally:
        tp.close()


def _norm(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text.lower()).split())


def _body_size(lines: list[_Line]) -> float:
    """The font size most of the text is set in (to half a point), 0 without text."""
    sizes: Counter = Counter()
    for x in lines:
        sizes[round(x.size * 2) / 2] += len(x.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _drop_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop running headers, footers and page numbers (see the module's docstring)."""
    def edges(lines: list[_Line]) -> list[_Line]:
        by_y = sorted(lines, key=lambda ln: -ln.top)
        return list({id(x): x for x in by_y[:2] + by_y[-2:]}.values())

    edge = [edges(p) for p in pages]
    counted = [p for p in pages if p]
    need = max(3, len(counted) / 2)
    # a running head is set in the same size on every page: a title page that opens with
    # the same words in large type keeps them (its title)
    recurring = Counter(t for e in edge for t in {(_norm(x.text), round(x.size)) for x in e})
    # a chapter's running head ("How to use bzip2" over each page of chapter 2) recurs on
    # fewer pages, but word for word as the top (or bottom) line, at the same height and
    # in the body's size (not a heading's), on pages close together (every other one, in
    # a book); a term that opens pages far apart ("BZ_CONFIG_ERROR") is text, and so is
    # the first of a table's headers repeated over its pages
    body = _body_size([x for p in pages for x in p])
    placed: dict[tuple, list[int]] = {}
    for i, p in enumerate(pages):
        outer = (max(p, key=lambda ln: ln.top), min(p, key=lambda ln: ln.top)) if p else ()
        for t in {(x.text, round(x.size), round(x.top)) for x in outer if x.size < 1.15 * body}:
            placed.setdefault(t, []).append(i)
    heads = {t: at[0] for t, at in placed.items() if any(
        c - a <= 4 for a, c in zip(at, at[CHAPTER_HEAD_PAGES - 1 :], strict=False))}
    # (page number minus page index, height on the page) of numbers on the edge lines:
    # a running head or foot holds its page's number at the same height on most pages
    numbered: Counter = Counter()
    for i, e in enumerate(edge):
        numbered.update({(int(n) - (i + 1), round(x.top)) for x in e
                         for n in re.findall(r"\b\d{1,4}\b", x.text)})
    running = {key for key, hits in numbered.items() if hits >= need}

    out = []
    for i, (lines, e) in enumerate(zip(pages, edge, strict=True)):
        drop = set()
        for x in e:
            n = _norm(x.text)
            page_no = any((int(k) - (i + 1), round(x.top)) in running
                          for k in re.findall(r"\b\d{1,4}\b", x.text))
            if (_PAGE_NUMBER.match(n)
                    or (len(counted) >= 3 and recurring[n, round(x.size)] >= need)
                    or heads.get((x.text, round(x.size), round(x.top)), i) < i
                    or (page_no and len(x.text.split()) <= 12)):
                drop.add(id(x))
        out.append([x for x in lines if id(x) not in drop])
    return out


def _outline(pdf) -> dict[int, list[str]]:
    """The outline's titles by 0-based page index."""
    out: dict[int, list[str]] = {}
    try:
        for item in pdf.get_toc():
            dest = item.get_dest()
            title = " ".join((item.get_title() or "").split())
            if dest is not None and title and dest.get_index() is not None:
                out.setdefault(dest.get_index(), []).append(title.lower())
    except Exception:  # a damaged outline is no reason to refuse the text
        return {}
    return out


def _is_outline_heading(line: _Line, outline: dict[int, list[str]]) -> bool:
    text = " ".join(line.text.lower().split())
    bare = re.sub(r"^(chapter\s+)?[\dA-Za-z]{1,3}(\.\d+)*\.?\s+", "", text)
    for title in outline.get(line.page - 1, []) + outline.get(line.page - 2, []):
        if text == title or bare == title:
            return True
        if len(bare) >= 6 and (title.startswith(bare) or title.endswith(text)):
            return True  # one line of a heading set on two
    return False


def _starts_paragraph(prev: _Line, line: _Line, pitch: float, width: float, size: float,
                      first: _Line | None = None, full: float | None = None) -> bool:
    """Whether `line` starts a paragraph after `prev`. `width`: the median width of a
    line of body text; `full`: that of a full one (a high percentile), which a line
    that ends a paragraph early falls short of."""
    if BULLET.match(line.text) and prev.text.count("(") <= prev.text.count(")"):
        return True  # not "- U+0039) and ending ..." under "... an ASCII digit (U+0030"
    step = prev.bottom - line.bottom
    if step > 1.35 * pitch or abs(line.size - prev.size) > 0.15 * size:
        return True
    if step > 0 and prev.x0 - line.x0 > 0.8 * size and prev.x1 - prev.x0 < 0.6 * (full or width):
        return True  # back at the margin after a short indented line: a definition list's
        # next term ("BZ_PARAM_ERROR" under "if the library has been mis-compiled"); a
        # paragraph's indented first line runs to the margin before its next line
    if step > 0 and line.x0 - prev.x0 > 0.8 * size:
        # a list item's wrapped line hangs under its text, right of the bullet
        hangs = (first is not None and BULLET.match(first.text) is not None
                 and not prev.text.endswith(SENTENCE_END))
        return not hangs  # else a first-line indent
    return prev.text.endswith(SENTENCE_END) and prev.x1 - prev.x0 < 0.75 * width


# an e-mail or web address: a title page's author or contact line, set large, names no
# section ("Fabio Fiorina Simon Josefsson (help-libtasn1@gnu.org)")
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|\bhttps?://|\bwww\.")


def _paragraphs(pages: list[list[_Line]], outline: dict[int, list[str]]) -> list[_Para]:
    body = [x for p in pages for x in p]
    size = _body_size(body)
    steps = [a.bottom - b.bottom for p in pages for a, b in zip(p, p[1:], strict=False)
             if abs(a.size - size) < 0.5 and 0 < a.bottom - b.bottom < 3 * size]
    pitch = statistics.median(steps) if steps else 1.2 * size
    widths = sorted(x.x1 - x.x0 for x in body if abs(x.size - size) < 0.5) or [1.0]
    width, full_width = statistics.median(widths), widths[int(0.9 * (len(widths) - 1))]
    bold_share = sum(len(x.text) for x in body if x.bold) / sum(len(x.text) for x in body)

    def heading(x: _Line) -> bool:
        if (len(x.text.split()) > 15 or x.text.endswith((".", ",", ";")) or x.hyphen
                or _CONTACT.search(x.text)):
            return False
        if outline:
            return _is_outline_heading(x, outline) or x.size >= 1.15 * size
        return x.size >= 1.15 * size or (x.bold and bold_share < 0.3 and len(x.text.split()) <= 12)

    out: list[_Para] = []
    cur: _Para | None = None
    for lines in pages:
        for x in lines:
            last = out[-1] if out else None
            if (cur is None and last and last.heading and last.lines[-1].page == x.page
                    and abs(last.lines[-1].size - x.size) < 0.5 and _CONTACT.search(x.text)):
                last.heading = ""  # the author line's first line, set on two: text too
                last.lines.append(x)
                continue
            if heading(x):
                if (cur is None and last and last.heading and last.lines[-1].page == x.page
                        and abs(last.lines[-1].size - x.size) < 0.5):
                    last.heading += " " + x.text  # a heading set on two lines
                    last.lines.append(x)
                else:
                    out.append(_Para([x], x.text))
                cur = None
                continue
            if cur is not None:
                prev = cur.lines[-1]
                if prev.page != x.page:  # runs on to the next page?
                    full = len(cur.lines) > 1 and prev.x1 - prev.x0 >= 0.98 * width
                    runs_on = (prev.text.endswith("-") or full
                               or not prev.text.endswith(SENTENCE_END) and x.text[0].islower())
                    new = not runs_on or bool(BULLET.match(x.text))
                else:
                    new = _starts_paragraph(prev, x, pitch, width, size, cur.lines[0],
                                            full_width)
                if not new:
                    cur.lines.append(x)
                    continue
            cur = _Para([x])
            out.append(cur)
    return out


# a line that a sentence runs on from: it ends in a comma or semicolon, a dash or slash
# (a web address broken over lines), a hyphenated word, or a CJK character (Chinese and
# Japanese text wraps anywhere)
_RUNS_ON = re.compile(r"[,;，、；/–—]$|[^\W\d_]-$|[\u3040-\u30ff\u3400-\u9fff]$")
_ENDS_SENTENCE = re.compile(r"[.!?:。！？][\"'”’]?$")  # not ")": "PARSE 64 (no longer in use)"
LINES_SET = 3  # a block of this many lines or more may be a table's rows


def _set_as_lines(lines: list[_Line]) -> bool:
    """Whether a paragraph's lines are lines of their own, not wrapped text: a table's
    rows set in a fixed font ("CONFIG 1024 Monitor which config files are loaded"),
    a list of names, an address. There are three or more, none ends a sentence or runs
    on into the next (`_RUNS_ON`), and none after the first opens in lower case, as a
    line of wrapped text so often does. (A table of lower-case commands is missed, and
    read as before, run together.)"""
    return (len(lines) >= LINES_SET
            and not any(_ENDS_SENTENCE.search(x.text) or _RUNS_ON.search(x.text)
                        for x in lines)
            and not any(x.text[:1].islower() for x in lines[1:]))


def _title(pdf, paras: list[_Para], doc_id: str) -> str:
    title = " ".join((pdf.get_metadata_value("Title") or "").split())
    if title and not re.search(r"^(untitled|microsoft word|document\d*$)|\.(docx?|pdf)$",
                               title, re.I):
        return title
    first = [p for p in paras if p.lines[0].page == 1]
    if first:
        big = max(first, key=lambda p: max(x.size for x in p.lines))
        if big.heading or len(big.lines) == 1:
            return " ".join(x.text for x in big.lines)
    return Path(doc_id).stem.replace("-", " ").replace("_", " ")


def _open(path: Path, doc_id: str):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        if e.err_code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise DocumentError(f"{doc_id}: the PDF is encrypted with a password. Save a copy "
                                "without the password (print to PDF) and index that.") from e
        raise DocumentError(f"{doc_id}: not a readable PDF ({str(e).rstrip('.')}). Is the file complete? "
                            "Re-save or re-export it and try again.") from e


def load_pdf(path: Path, doc_id: str) -> Document:
    with _PDFIUM:
        pdf = _open(path, doc_id)
        try:
            pages, unmapped = [], 0
            for i in range(len(pdf)):
                page = pdf[i]
                try:
                    lines, bad = _page_lines(page, i + 1)
                finally:
                    page.close()
                pages.append(lines)
                unmapped += bad
            outline = _outline(pdf)
            chars = sum(len(x.text) for p in pages for x in p)
            if chars == 0:
                raise DocumentError(
                    f"{doc_id}: this PDF has no text layer ({len(pdf)} pages of images, "
                    "probably scanned). Run OCR on it first (for example `ocrmypdf in.pdf "
                    "out.pdf`) and index the result.")
            if unmapped > chars:
                raise DocumentError(
                    f"{doc_id}: the PDF's fonts do not say which letters their glyphs are, so "
                    "its text cannot be read. Run OCR on it (for example `ocrmypdf "
                    "--force-ocr in.pdf out.pdf`) and index the result.")
            pages = _drop_furniture(pages)
            if not any(pages):
                raise DocumentError(f"{doc_id}: the PDF holds no text besides page numbers "
                                    "and running headers.")
            words = word_counts(x.text for p in pages for x in p)
            paras = _paragraphs(pages, outline)
            title = _title(pdf, paras, doc_id)
        finally:
            pdf.close()
    blocks: list[Block] = []
    heading = ""
    for p in paras:
        if p.heading:
            heading = p.heading
            blocks.append(Block(p.heading, heading=True))
            continue
        if _set_as_lines(p.lines):
            text = "\n".join(x.text for x in p.lines)
        else:
            text = p.lines[0].text
            for x in p.lines[1:]:
                text = join_lines(text, x.text, words)
        pages_of = page_label(p.lines[0].page, p.lines[-1].page)
        level = list_level(text)  # an item: its marker's kind at its indent
        item = (round(p.lines[0].x0 / 4), level[1]) if level else None
        blocks.append(Block(text, section=section_label(heading, pages_of), item=item))
    return assemble(doc_id, title, blocks)
