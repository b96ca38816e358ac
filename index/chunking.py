"""Paragraph- and sentence-aware chunking with exact character offsets.

A chunk never crosses a paragraph boundary. A paragraph that fits in `max_chars`
is one chunk; a longer one is cut between sentences into pieces of at most
`max_chars` (a single sentence longer than that is kept whole), each piece
repeating the last `overlap_sentences` sentences of the one before.

Invariant, checked by the tests: `document.text[c.start:c.end] == c.text`.

Sentences come from `index.text.sentence_spans` (spaCy's sentencizer, which keeps
abbreviations such as "U.S." and "Dr." inside their sentence).
"""

from __future__ import annotations

from dataclasses import dataclass

from .loaders import Document
from .text import sentence_spans


@dataclass(frozen=True)
class Chunk:
    chunk_id: int
    doc_id: str
    start: int
    end: int
    text: str
    section: str
    paragraph: int

    def to_json(self) -> dict:
        return self.__dict__.copy()


def chunk_document(
    doc: Document, max_chars: int = 700, overlap_sentences: int = 1, first_id: int = 0
) -> list[Chunk]:
    if max_chars < 50:
        raise ValueError("max_chars must be at least 50")
    if overlap_sentences < 0:
        raise ValueError("overlap_sentences must be >= 0")
    chunks: list[Chunk] = []
    for p_no, para in enumerate(doc.paragraphs):
        pieces: list[tuple[int, int]]
        if para.end - para.start <= max_chars:
            pieces = [(para.start, para.end)]
        else:
            pieces = _pack(sentence_spans(doc.text, para.start, para.end), max_chars,
                           overlap_sentences)
        for s, e in pieces:
            chunks.append(
                Chunk(first_id + len(chunks), doc.doc_id, s, e, doc.text[s:e], para.section, p_no)
            )
    return chunks


def _pack(sents: list[tuple[int, int]], max_chars: int, overlap: int) -> list[tuple[int, int]]:
    pieces = []
    i = 0
    while i < len(sents):
        j = i + 1
        while j < len(sents) and sents[j][1] - sents[i][0] <= max_chars:
            j += 1
        pieces.append((sents[i][0], sents[j - 1][1]))
        if j >= len(sents):
            break
        i = max(j - overlap, i + 1)
    return pieces


def chunk_all(docs: list[Document], max_chars: int = 700, overlap_sentences: int = 1) -> list[Chunk]:
    out: list[Chunk] = []
    for d in docs:
        out += chunk_document(d, max_chars, overlap_sentences, first_id=len(out))
    return out
