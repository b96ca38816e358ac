"""Example questions for the chat page: the collection's domain pack's, else made from
its documents' titles and section headings."""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import islice

from index import nlp
from index.errors import ModelUnavailable
from index.loaders import HEADER_SECTION, Document
from qa.overview import is_notice, is_prose, sections, short_title, title_parts, topic

MAX_EXAMPLES = 4
MAX_EXAMPLE_CHARS = 99
UNTITLED = {"untitled", "untitled document", "document"}


def pack_examples(index) -> list[str]:
    """The example questions of the collection's domain pack (index/vocabulary.py),
    stored with its index: the bundled article ships four."""
    vocab = getattr(index, "vocabulary", None)
    questions = (vocab.pack.get("examples") if vocab is not None else None) or []
    return [q.strip() for q in questions if isinstance(q, str) and q.strip()]


def _clean(text: str) -> str:
    return " ".join(text.split())


# a heading that ends so is a clause, not a topic: "Before reporting a bug, please", "In
# contrast with pythonbrew, pyenv does not"
_CLAUSE_ENDS = frozenset({"INTJ", "PART", "AUX", "ADP", "DET", "CCONJ", "SCONJ", "PRON"})
_MARKER = re.compile(r"^\[[^\]]*\]$")  # an AsciiDoc admonition: "[TIP]", "[verse]"
_WH = frozenset({"what", "how", "why", "when", "where", "which", "who"})


def _repeats(heading: str, title: str) -> bool:
    """Whether a heading says most of the title again: "GCC 12 Release Series Changes"
    under "GCC 12 Release Series — Changes - GNU Project"; not "Install" under
    "Installing Lantern".

    >>> _repeats("GCC 12 Release Series Changes", "GCC 12 Release Series — Changes - GNU")
    True
    >>> _repeats("Install", "Installing Lantern")
    False
    """
    h, t = (re.sub(r"\W+", "", x).casefold() for x in (heading, title))
    return bool(h) and h in t and 2 * len(h) >= len(t)


def as_topic(heading: str) -> str | None:
    """A section heading as the topic of "What does <title> say about <topic>?": a
    heading that opens with a question word or a verb's -ing form lower-cased ("how it
    works", "installing with Homebrew"); None for a heading that reads as a clause (it
    ends with a particle, an interjection, an auxiliary or a preposition, or holds an
    auxiliary), an address or a marker in brackets ("[TIP]"), which make no question.
    Parts of speech from index/nlp.py; without its model, the heading as it is.

    >>> as_topic("Installing with Homebrew"), as_topic("How it works")
    ('installing with Homebrew', 'how it works')
    >>> as_topic("Before reporting a bug, please"), as_topic("[TIP]")
    (None, None)

    Not handled: a heading that gives a command ("Install pyenv") stays as it is; the
    small model's parts of speech for a capitalised first word are not reliable enough
    to make it "how to install pyenv".
    """
    if _MARKER.match(heading) or "://" in heading:
        return None
    try:
        words = [t for t in nlp.tokens(heading) if t.pos not in ("PUNCT", "SYM")]
    except ModelUnavailable:
        return heading
    if not words:
        return None
    first = words[0]
    wh = first.text.casefold() in _WH
    if not wh and (words[-1].pos in _CLAUSE_ENDS or any(t.pos == "AUX" for t in words)):
        return None
    if wh or len(words) > 1 and first.pos == "VERB" and first.text.endswith("ing"):
        return heading if first.text.isupper() else heading[0].lower() + heading[1:]
    return heading


def derive_examples(documents: Mapping[str, Document], limit: int = MAX_EXAMPLES,
                    max_chars: int = MAX_EXAMPLE_CHARS) -> list[str]:
    """Example questions made from the titles and section headings of the first
    documents: "What is <title> about?", then "What does <title> say about
    <heading>?" one document at a time. Deterministic, de-duplicated, at most
    `limit`, each at most `max_chars` characters (longer ones are left out).

    >>> from index.loaders import parse_text
    >>> docs = [parse_text(t, f"{n}.md") for n, t in enumerate([
    ...     "# Lighthouses\\n## Lenses\\nFresnel lenses focus the light far out to sea.",
    ...     "# Bees\\n## Hives\\nA hive holds one queen and many workers.\\n"])]
    >>> derive_examples({d.doc_id: d for d in docs})
    ['What is Lighthouses about?', 'What is Bees about?', 'What does Lighthouses say about Lenses?', 'What does Bees say about Hives?']
    """
    many = len(documents) > 1
    whole = "the documents" if many else "the document"
    titled: list[str] = []
    by_doc: list[list[str]] = []
    shared = title_parts(d.title for d in documents.values())
    for doc_id in islice(documents, 2 * limit):
        d = documents[doc_id]
        title = topic(short_title(d, shared), d.text)  # "4. Memcheck" names it "Memcheck"
        if title.lower() in UNTITLED:
            title = ""
        if title:
            titled.append(f"What is {title} about?")
        qs = []
        paras = d.paragraphs
        for sec in sections(d):
            if len(qs) == limit:  # no more of one document is shown
                break
            heading = _clean(sec.heading)
            if heading == HEADER_SECTION or is_notice(heading) or _repeats(heading, d.title) or not any(
                    is_prose(d.text[p.start : p.end]) for p in paras[sec.first : sec.last]):
                continue  # a licence, or a section of commands, links or labels
            named = topic(heading, d.text)
            if named.endswith("?"):  # a heading that is a question asks itself
                qs.append(named)
                continue
            named = as_topic(named)
            if named is None or named.casefold() == title.casefold():
                continue
            q = f"What does {title} say about {named}?"
            if not title or len(q) > max_chars:
                q = f"What do{'' if many else 'es'} {whole} say about {named}?"
            qs.append(q)
        by_doc.append(qs)
    titled = [q for q in titled if len(q) <= max_chars]
    half = (limit + 1) // 2
    ordered = titled[:half]
    for k in range(max((len(qs) for qs in by_doc), default=0)):
        ordered += [qs[k] for qs in by_doc if k < len(qs)]
    ordered += titled[half:]
    out: list[str] = []
    seen: set[str] = set()
    for q in ordered:
        if len(q) <= max_chars and q.casefold() not in seen:
            seen.add(q.casefold())
            out.append(q)
            if len(out) == limit:
                break
    return out
