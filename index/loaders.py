"""Read .txt, .md and .html files into Documents with section-tagged paragraphs.

The Document keeps the full decoded text of the source (`text`); every offset in
the index points into it, so `document.text[start:end]` is always what was cited.

Handled: the Ministry of Emergency Management article layout (title line, then
"Release Date:" / "Source:" each followed by its value), Markdown `#` headings,
short unpunctuated lines as section headings, and trailing web-page furniture
("Previous Page", "Related News", "Related Downloads", "undefined").

Not handled: PDF or Word files, tables, and HTML layout beyond its text (for
.html the "source" is the extracted text, not the markup).
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

from .errors import DocumentError

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
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

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


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


def parse_text(text: str, doc_id: str, default_title: str = "") -> Document:
    """Split text into header metadata, section headings and paragraphs.

    >>> d = parse_text("Title\\nRelease Date:\\n2024-03-05\\nBody one.\\nPrevious Page", "x")
    >>> d.title, d.meta["release_date"], d.text[d.paragraphs[-1].start:d.paragraphs[-1].end]
    ('Title', '2024-03-05', 'Body one.')
    """
    spans = list(_lines(text))
    if not spans:
        raise DocumentError(f"{doc_id}: the file holds no text.")
    while spans and text[spans[-1][0] : spans[-1][1]].lower() in FURNITURE:
        spans.pop()
    meta: dict = {}
    title = default_title
    i = 0
    first = text[spans[0][0] : spans[0][1]] if spans else ""
    # A title line followed by "Key:" / value pairs is a header.
    if len(spans) > 2 and text[spans[1][0] : spans[1][1]].rstrip(":").lower() in _HEADER_KEYS:
        title = first.lstrip("# ").strip()
        i = 1
        while i + 1 < len(spans):
            key = text[spans[i][0] : spans[i][1]].rstrip(":").strip().lower()
            if key not in _HEADER_KEYS or not text[spans[i][0] : spans[i][1]].endswith(":"):
                break
            meta[_HEADER_KEYS[key]] = text[spans[i + 1][0] : spans[i + 1][1]]
            i += 2
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


class _TextExtractor(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"}
    _SKIP = {"script", "style", "noscript", "nav", "footer", "header"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self.skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self._BLOCK:
            self.parts.append("\n")
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"} and not self.skip:
            self.parts.append("# ")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self.skip:
            self.skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self.skip:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(markup: str) -> tuple[str, str]:
    """Return (title, text) of an HTML page; scripts, styles and navigation dropped."""
    p = _TextExtractor()
    p.feed(markup)
    text = "".join(p.parts)
    text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    return html.unescape(p.title).strip(), text


def load_file(path: Path, doc_id: str | None = None) -> Document:
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise DocumentError(f"{path}: unsupported file type; use one of {', '.join(SUFFIXES)}.")
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DocumentError(f"{path}: not UTF-8 text ({e.reason}). Convert it to UTF-8.") from e
    except OSError as e:
        raise DocumentError(f"{path}: cannot read ({e.strerror}).") from e
    doc_id = doc_id or path.name
    if path.suffix.lower() in (".html", ".htm"):
        title, raw = html_to_text(raw)
        doc = parse_text(raw, doc_id, default_title=title)
        if title:
            doc = replace(doc, title=title)
    else:
        doc = parse_text(raw, doc_id)
    return doc


def default_corpus() -> Path:
    return Path(__file__).parent / "corpus"


def collect_paths(paths: list[Path]) -> list[Path]:
    """Expand folders into their supported files, sorted; keep files as given."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        elif p.is_file():
            out.append(p)
        else:
            raise DocumentError(f"{p}: no such file or folder.")
    if not out:
        raise DocumentError("No .txt, .md or .html files found in " + ", ".join(map(str, paths)))
    return out


def load_paths(paths: list[Path]) -> list[Document]:
    files = collect_paths(paths)
    seen: dict[str, int] = {}
    docs = []
    for f in files:
        name = f.name
        seen[name] = seen.get(name, 0) + 1
        doc_id = name if seen[name] == 1 else f"{name}#{seen[name]}"
        docs.append(load_file(f, doc_id))
    return docs
