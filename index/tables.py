"""The index's tables as memory-mapped columns instead of Python objects.

At a million chunks, lists of `Chunk`/`Sentence` objects and a dict of every
document's text take gigabytes in each server process. Here:

- `documents.jsonl` stays one JSON object per line, but is memory-mapped and a
  document is parsed only when asked for (`DocumentTable`, a read-only Mapping
  doc_id -> Document with a small cache), using the byte offsets in
  `documents.offsets.npy`;
- chunks are columns (document row, start, end, paragraph) of `chunks.npy`, an
  int64 array of shape (4, n): text and section come from the document, so
  `ChunkTable[i]` is the same `Chunk` as before;
- sentences are columns (chunk, start, end) of `sentence_spans.npy`, shape (3, n),
  in chunk order, so a chunk's sentences are one slice (`SentenceTable.range_of`).

All three behave like the lists and dict they replace (len, indexing, slicing,
iteration, ==), and their pages are shared by the processes that open the index.
"""

from __future__ import annotations

import json
import mmap
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .chunking import Chunk
from .loaders import Document, Paragraph

CHUNK_COLUMNS = ("doc", "start", "end", "paragraph")
SENTENCE_COLUMNS = ("chunk", "start", "end")
DOC_CACHE = 512


def doc_json(d: Document) -> dict:
    return {
        "doc_id": d.doc_id, "title": d.title, "text": d.text, "meta": d.meta,
        "paragraphs": [[p.start, p.end, p.section] for p in d.paragraphs],
    }


def doc_from_json(d: dict) -> Document:
    paras = tuple(Paragraph(s, e, sec) for s, e, sec in d["paragraphs"])
    return Document(d["doc_id"], d["title"], d["text"], paras, d["meta"])


def write_documents(path: Path, docs: list[Document]) -> np.ndarray:
    """Write documents.jsonl; returns the byte offset of each line (and the end)."""
    offsets = [0]
    with open(path, "wb") as f:
        for d in docs:
            line = (json.dumps(doc_json(d), ensure_ascii=False) + "\n").encode("utf-8")
            f.write(line)
            offsets.append(offsets[-1] + len(line))
    return np.asarray(offsets, dtype=np.int64)


class DocumentTable(Mapping):
    """doc_id -> Document, parsed from the mapped documents.jsonl when asked for."""

    def __init__(self, path: Path, offsets: np.ndarray, doc_ids: list[str], use_mmap: bool = True):
        if len(offsets) != len(doc_ids) + 1:
            raise ValueError("documents.offsets.npy does not match the list of documents")
        self._ids = list(doc_ids)
        self._row = {d: i for i, d in enumerate(self._ids)}
        if len(self._row) != len(self._ids):
            raise ValueError("duplicate document ids")
        self._offsets = offsets
        with open(path, "rb") as f:
            if not use_mmap:
                self._buf = f.read()
            elif f.seek(0, 2) == 0:
                self._buf = b""
            else:
                self._buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        if int(offsets[-1]) != len(self._buf):
            raise ValueError("documents.jsonl does not match its offsets")
        self.at = lru_cache(maxsize=DOC_CACHE)(self._parse)

    def _parse(self, row: int) -> Document:
        a, b = int(self._offsets[row]), int(self._offsets[row + 1])
        d = doc_from_json(json.loads(self._buf[a:b]))
        if d.doc_id != self._ids[row]:
            raise ValueError(f"documents.jsonl row {row} is {d.doc_id!r}, not {self._ids[row]!r}")
        return d

    def row(self, doc_id: str) -> int:
        return self._row[doc_id]

    def id_at(self, row: int) -> str:
        return self._ids[row]

    def __getitem__(self, doc_id: str) -> Document:
        return self.at(self._row[doc_id])

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id) -> bool:
        return doc_id in self._row


class _Rows(Sequence):
    """A table stored as an int64 array of shape (len(columns), n): each column contiguous."""

    columns: tuple[str, ...] = ()

    def __init__(self, cols: np.ndarray):
        if cols.ndim != 2 or cols.shape[0] != len(self.columns):
            raise ValueError(f"a table of {len(self.columns)} columns was expected")
        self.cols = cols
        for name, col in zip(self.columns, cols, strict=True):
            setattr(self, name, col)

    def __len__(self) -> int:
        return self.cols.shape[1]

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._make(j) for j in range(*i.indices(len(self)))]
        i = int(i)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._make(i)

    def __iter__(self):
        for i in range(len(self)):
            yield self._make(i)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Sequence) or len(other) != len(self):
            return False
        return all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def _make(self, i: int):
        raise NotImplementedError


class ChunkTable(_Rows):
    """The chunks by chunk_id: `Chunk` objects made on access from the columns."""

    columns = CHUNK_COLUMNS

    def __init__(self, cols: np.ndarray, documents: DocumentTable):
        super().__init__(cols)
        self.documents = documents

    def _make(self, i: int) -> Chunk:
        doc = self.documents.at(int(self.doc[i]))
        s, e, p = int(self.start[i]), int(self.end[i]), int(self.paragraph[i])
        return Chunk(i, doc.doc_id, s, e, doc.text[s:e], doc.paragraphs[p].section, p)

    def per_document(self) -> dict[str, int]:
        """Number of chunks of each document."""
        counts = np.bincount(self.doc, minlength=len(self.documents))
        return {self.documents.id_at(i): int(n) for i, n in enumerate(counts)}

    @staticmethod
    def columns_of(chunks: list[Chunk], doc_rows: dict[str, int]) -> np.ndarray:
        return np.array([[doc_rows[c.doc_id] for c in chunks], [c.start for c in chunks],
                         [c.end for c in chunks], [c.paragraph for c in chunks]],
                        dtype=np.int64).reshape(len(CHUNK_COLUMNS), len(chunks))


class SentenceTable(_Rows):
    """The sentences by sent_id, in chunk order: `Sentence` objects made on access."""

    columns = SENTENCE_COLUMNS

    def __init__(self, cols: np.ndarray, make):
        super().__init__(cols)
        self._new = make

    @property
    def chunk_ids(self) -> np.ndarray:
        return self.chunk

    def range_of(self, chunk_id: int) -> tuple[int, int]:
        return (int(np.searchsorted(self.chunk, chunk_id, "left")),
                int(np.searchsorted(self.chunk, chunk_id, "right")))

    def _make(self, i: int):
        return self._new(i, int(self.chunk[i]), int(self.start[i]), int(self.end[i]))
