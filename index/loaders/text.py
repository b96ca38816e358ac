"""Plain text (.txt, .md) into a Document: header metadata, sections, paragraphs.

Each non-empty line is a paragraph; the Document's text is the file's text as decoded.

Handled: the Ministry of Emergency Management article layout (title line, then
"Release Date:" / "Source:" each followed by its value), Markdown `#` headings,
short unpunctuated lines as section headings, and trailing web-page furniture
("Previous Page", "Related News", "Related Downloads", "undefined"): the bundled
article is a web page saved as text, and the HTML loader applies the same rules to
the main content it extracts.

Not handled: Markdown beyond `#` headings (emphasis, links and tables stay as written).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import DocumentError
from .document import Document, Paragraph

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


def _is_heading(line: str, next_line: str | None) -> bool:
    """A short line with no closing punctuation, followed by a longer paragraph."""
    if line.startswith("#"):
        return True
    if next_line is None or len(line) > 90 or line.endswith(_END_PUNCT):
        return False
    return len(line.split()) <= 12 and len(next_line) > len(line) * 2


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
    """Split text into header metadata, section headings and paragraphs.

    >>> d = parse_text("Title\\nRelease Date:\\n2024-03-05\\nBody one.\\nPrevious Page", "x")
    >>> d.title, d.meta["release_date"], d.text[d.paragraphs[-1].start:d.paragraphs[-1].end]
    ('Title', '2024-03-05', 'Body one.')
    """
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
    elif first.startswith("#"):
        title = first.lstrip("# ").strip()
        i = 1
    paragraphs: list[Paragraph] = []
    if meta:  # the header block is searchable too ("When was it released?")
        paragraphs.append(Paragraph(spans[0][0], spans[i - 1][1], HEADER_SECTION))
    section = ""
    body = spans[i:]
    for k, (s, e) in enumerate(body):
        line = text[s:e]
        nxt = text[body[k + 1][0] : body[k + 1][1]] if k + 1 < len(body) else None
        if _is_heading(line, nxt):
            section = line.lstrip("# ").strip()
            if not title:
                title = section
            continue
        paragraphs.append(Paragraph(s, e, section))
    if not paragraphs:
        raise DocumentError(f"{doc_id}: the file holds no text besides headings or page furniture.")
    if not title:
        title = Path(doc_id).stem.replace("-", " ").replace("_", " ")
    return Document(doc_id, title, text, tuple(paragraphs), meta)
