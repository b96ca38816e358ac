"""Read documents into Documents with section-tagged paragraphs, one format a module.

| suffix | module | what becomes a section |
|---|---|---|
| .txt, or a file given by name without a suffix (NEWS, README, ChangeLog) | text.py | `#` and underlined headings, outline `*` headings, short unpunctuated lines; the article's header and furniture rules; hard-wrapped paragraphs joined |
| .md .markdown | markdown.py (markdown-it-py) | `#` and underlined headings; paragraphs, list items, code blocks and table rows, each one paragraph |
| .html .htm | html.py (trafilatura) | the page's headings; navigation and boilerplate dropped |
| .pdf | pdf.py (pypdfium2) | headings by font size or weight, and the page: "Heading · p. 3" |
| .docx | docx.py (python-docx) | paragraphs styled Heading 1, 2, ...; table rows kept as text |

The Document keeps the text that was indexed (`text`): the file's text for plain text
(the lines of a hard-wrapped paragraph joined into one), the extracted text for the
others. Every offset in the index points into it, so
`document.text[start:end]` is always what was cited.

Each format's library is imported only when a file of that format is read.

Not handled: legacy .doc, .odt, .rtf, .epub; OCR of scanned PDFs (they get a clear
error); PDF forms and annotations; DOCX headers, footers, footnotes, comments and text boxes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import DocumentError
from .document import Document, Paragraph, heading_of, page_label, section_label
from .text import FURNITURE, HEADER_SECTION, parse_text

__all__ = ["Document", "Paragraph", "parse_text", "load_file", "load_paths", "collect_paths",
           "default_corpus", "HEADER_SECTION", "FURNITURE", "SUFFIXES", "page_label",
           "section_label", "heading_of", "readable"]


def _load_text(path: Path, doc_id: str) -> Document:
    return parse_text(_read_utf8(path), doc_id)


def _load_markdown(path: Path, doc_id: str) -> Document:
    from .markdown import load_markdown

    return load_markdown(_read_utf8(path), doc_id)


def _load_html(path: Path, doc_id: str) -> Document:
    from .html import load_html

    return load_html(_read_bytes(path), doc_id)


def _load_pdf(path: Path, doc_id: str) -> Document:
    from .pdf import load_pdf

    return load_pdf(path, doc_id)


def _load_docx(path: Path, doc_id: str) -> Document:
    from .docx import load_docx

    return load_docx(path, doc_id)


_LOADERS: dict[str, Callable[[Path, str], Document]] = {
    ".txt": _load_text, ".md": _load_markdown, ".markdown": _load_markdown,
    ".html": _load_html, ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
}
SUFFIXES = tuple(_LOADERS)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise DocumentError(f"{path}: cannot read ({e.strerror}).") from e


def _read_utf8(path: Path) -> str:
    try:
        return _read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DocumentError(f"{path}: not UTF-8 text ({e.reason}). Convert it to UTF-8.") from e


def _load_plain(path: Path, doc_id: str) -> Document:
    """A file without a suffix, given by name ("NEWS", "README"): plain text, unless it
    holds the NUL bytes of binary data."""
    text = _read_utf8(path)
    if "\x00" in text:
        raise DocumentError(f"{path}: binary data, not text; use one of {', '.join(SUFFIXES)}.")
    return parse_text(text, doc_id)


def readable(path: Path) -> bool:
    """Whether a loader reads the file given by name: a supported suffix, or none."""
    return path.suffix.lower() in SUFFIXES or not path.suffix


def load_file(path: Path, doc_id: str | None = None) -> Document:
    path = Path(path)
    loader = _LOADERS.get(path.suffix.lower()) or (_load_plain if not path.suffix else None)
    if loader is None:
        raise DocumentError(f"{path}: unsupported file type; use one of {', '.join(SUFFIXES)}.")
    return loader(path, doc_id or path.name)


def default_corpus() -> Path:
    return Path(__file__).parent.parent / "corpus"


def collect_paths(paths: list[Path]) -> list[Path]:
    """Expand folders into their supported files, sorted; keep files as given (a file
    without a suffix is read only when given by name: in a folder it may be a program)."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                          and not f.name.startswith("~$"))
        elif p.is_file():
            out.append(p)
        else:
            raise DocumentError(f"{p}: no such file or folder.")
    if not out:
        raise DocumentError("No .txt, .md, .html, .pdf or .docx files found in "
                            + ", ".join(map(str, paths)))
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
