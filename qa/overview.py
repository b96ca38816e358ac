"""Questions about a whole document or one of its sections: "What is Timers about?",
"What does python-build say about installing as a pyenv plugin?", "Tell me about
Usage". When the question names a document's title or a section's heading, the answer
is the opening of that document or section, quoted and cited. Retrieval alone ranks
the sentences that repeat the heading's words, wherever they stand: "What does
python-build say about Installing as a pyenv plugin (recommended)?" quoted a `cd` line
of the next section, and "What is Huguenot about?" a sentence on the name's etymology.

`asked` reads the question, `Overviews` finds what it names in a collection, and
`opening` is the span quoted: the first sentences of the first paragraph that reads as
prose.

Not handled: a topic that is not a title or heading word for word (numbering, a closing
aside in brackets, case and a leading article aside): such a question goes the usual
way, through retrieval. Only the opening is quoted, not a summary of the whole section.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from index.loaders import HEADER_SECTION, Document, heading_of
from index.nlp import entities
from index.text import WORD, words

_ASKED = (
    re.compile(r"^what(?:'s|\s+is|\s+are)\s+(?P<topic>.+?)\s+(?:all\s+)?about\s*\??$", re.I),
    re.compile(r"^what\s+(?:does|do)\s+(?P<doc>.+?)\s+say\s+about\s+(?P<topic>.+?)\s*\??$",
               re.I),
    re.compile(r"^(?:tell\s+me\s+about|summari[sz]e|give\s+(?:me\s+)?an\s+overview\s+of)"
               r"\s+(?P<topic>.+?)\s*[.?!]?$", re.I),
)
# where a web page's title joins the page's name and the site's: "Timers | Node.js v20.20.2
# Documentation", "3.5 Interpreter Name — Debian Python Policy documentation"
TITLE_PARTS = re.compile(r"\s+(?:\||–|—|-|·|::|»)\s+")
# a heading's numbering: "1.", "1.1.", "2.3", "IV.", "A.", "A.1"
# (a Roman numeral or a letter only with its dot: "X Window System" keeps its "X")
_NUMBERING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|(?:[IVX]{1,4}|[A-Z])\.(?:\d{1,2}\.?)*)\s+")
_ASIDE = re.compile(r"\s*\([^()]*\)\s*$")  # "Installing as a plugin (recommended)"
# what a question calls the collection or its one document: "this document", "the reports"
_COLLECTION = re.compile(r"^(?:this|that|the|these|those|my|our|your|all\s+the|all)\s+"
                         r"(?:documents?|reports?|articles?|manuals?|files?|pages?|papers?|"
                         r"texts?|guides?|sources?|pdfs?|collection)$", re.I)
# what a question may call one document after its title: "the fonts-conf document", "the
# Harvard article" (a title that ends so, "Security Extension Specification", is still
# found whole first; without the word, only a document's title is looked for; "Python
# files" and "the release notes" name no document "Python" or "Release")
_KIND = re.compile(r"^(the\s+.+?)\s+(?:document|documentation|report|article|manual|page|"
                   r"paper|guide|file|text|pdf|spec|specification)$", re.I)
MAX_DOCUMENTS = 5  # a question about the collection quotes the openings of so many
_ARTICLE = re.compile(r"^(?:how\s+to\s+|the\s+|an?\s+|its\s+|their\s+)", re.I)
_PRONOUNS = {"it", "this", "that", "they", "these", "those"}  # "What does it say about X?"
_SENTENCE_END = re.compile(r"[.!?。！？](?:\s|$)")  # where a sentence ends
# a copyright or licence notice, which opens many files and says nothing of their
# subject, and the clauses of the common licences (BSD, MIT, GPL) that follow one
_NOTICE = re.compile(r"\s*(?:copyright\b|©|\(c\)\s|all rights reserved|spdx-license|"
                     r"licensed under\b|redistribution and use in source|permission is hereby "
                     r"granted|this (?:program|library|software) is free software|the "
                     r"software is provided|this software is provided)", re.I)
PROSE_WORDS = 6  # fewer words is a label, a name or a command, not a passage to quote
OPENING_CHARS = 200  # the opening goes on sentence by sentence until it is this long
MAX_OPENING_CHARS = 500


def _clean(text: str) -> str:
    return " ".join(text.split())


def title_parts(titles) -> Counter:
    """How many of the titles have each part ("Node.js v20 Documentation": 3)."""
    return Counter(part for t in titles for part in set(TITLE_PARTS.split(_clean(t))))


def _short(title: str, headings: set[str], shared: Counter) -> str:
    """`short_title` of a document with this title and these headings (casefolded)."""
    title = _clean(title)
    parts = TITLE_PARTS.split(title)
    if len(parts) < 2:
        return title
    named = [part for part in parts if part.casefold() in headings]
    if named:
        return named[0]
    rest = [part for part in parts if shared[part] < 2]
    return " - ".join(rest) if rest else title


# a copyright stated in a sentence: "..., and all documentation, are copyright ©
# 1996-2019 Julian Seward."
_COPYRIGHT = re.compile(r"\bcopyright\s*(?:©|\(c\)|\d{4})|©\s*\d{4}", re.I)


def is_notice(text: str) -> bool:
    """Whether a paragraph or a heading is a copyright or licence notice ("Copyright ©
    1996 X Consortium", "Licensed under the Apache License", a first sentence that states
    a copyright), which says nothing of what a document is about.

    >>> is_notice("This program and all documentation are copyright © 1996-2019 J. Seward.")
    True
    >>> is_notice("The copyright holder may relicense the code."), is_notice("Usage")
    (False, False)
    """
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    return _NOTICE.match(text) is not None or _COPYRIGHT.search(first) is not None


def _named_before_colon(part: str) -> str | None:
    """The name a title of the form "Name: what it is" opens with, of four words at
    most ("Memcheck" of "4. Memcheck: a memory error detector"); else None.

    >>> _named_before_colon("4. Memcheck: a memory error detector"), _named_before_colon("Zlib")
    ('4. Memcheck', None)
    """
    m = re.match(r"([^:]+?):\s+\S", part)
    return m.group(1) if m and len(m.group(1).split()) <= 4 else None


def short_title(doc: Document, shared: Counter) -> str:
    """The document's title without the site's name that a web page's title carries:
    the part of it that is also one of the document's headings, else what is left when
    the parts that another title of the collection has too are taken out.

    >>> from dataclasses import replace
    >>> from index.loaders import parse_text
    >>> d = parse_text("# Guide\\n## Timers\\nA timer calls a function.", "t.md")
    >>> short_title(replace(d, title="Timers | Node.js v20 Documentation"), Counter())
    'Timers'
    >>> pages = ["Cluster | Node.js Docs", "Zlib | Node.js Docs"]
    >>> short_title(replace(d, title=pages[1]), title_parts(pages))
    'Zlib'
    """
    return _short(doc.title, {_clean(heading_of(p.section)).casefold()
                              for p in doc.paragraphs}, shared)


def topic(heading: str, text: str | None = None) -> str:
    """A heading as a question names it: without its numbering, a closing aside in
    brackets or a trailing colon, and a heading in capitals ("DESCRIPTION") as a word:
    when `text` (the document) is given, as it writes the heading in running text, else
    each word as it writes that word.

    >>> topic("1.1. Version"), topic("Installing as a plugin (recommended)")
    ('Version', 'Installing as a plugin')
    >>> topic("DESCRIPTION"), topic("FAQ"), topic("2 Getting started:")
    ('Description', 'FAQ', 'Getting started')
    >>> topic("IV. Results"), topic("X Window System"), topic("I am a heading")
    ('Results', 'X Window System', 'I am a heading')
    >>> topic("GNU GENERAL PUBLIC LICENSE", "The GNU General Public License is a free license.")
    'GNU General Public License'
    >>> topic("IJG JPEG LIBRARY: SYSTEM ARCHITECTURE", "The IJG library reads JPEG files.")
    'IJG JPEG library: system architecture'
    """
    name = " ".join(heading.split())
    name = _NUMBERING.sub("", name, count=1) or name
    name = _ASIDE.sub("", name) or name
    name = name.rstrip(":;,. ")
    if name.isupper() and sum(c.isalpha() for c in name) > 4:
        if text is None:
            return name.capitalize()
        phrase = r"\s+".join(map(re.escape, name.split()))
        written = Counter(m.group(0) for m in re.finditer(phrase, text, re.I)
                          if not m.group(0).isupper())
        if written:  # the text writes the whole heading in running text
            name = " ".join(written.most_common(1)[0][0].split())
            return name[:1].upper() + name[1:]
        forms = _forms(text)
        name = WORD.sub(lambda m: _as_written(m.group(0), forms), name)
        name = name[:1].upper() + name[1:]
    return name


@functools.lru_cache(maxsize=8)
def _forms(text: str) -> dict[str, Counter]:
    """How often text writes each word in each case, by the word casefolded; lines in
    capitals (headings like the one asked about) left out."""
    forms: dict[str, Counter] = {}
    for line in text.splitlines():
        if line.isupper():
            continue
        for w in words(line):
            forms.setdefault(w.casefold(), Counter())[w] += 1
    return forms


def _as_written(word: str, forms: dict[str, Counter]) -> str:
    """A word of a heading in capitals as the text writes it elsewhere: an acronym the
    text writes in capitals at least as often as otherwise ("IJG", and "README.ijg"
    once) stays so, a name it writes capitalised and never in lower case ("Memcheck")
    is capitalised, any other word is in lower case."""
    seen = forms.get(word.casefold(), Counter())
    caps = sum(n for f, n in seen.items() if f.isupper())
    if caps and 2 * caps >= seen.total():
        return word
    if any(f[:1].isupper() for f in seen) and not any(f.islower() for f in seen):
        return word.capitalize()
    return word.lower()


def key(text: str) -> str:
    """What two names of one topic have in common: "The Normans" and "normans",
    "Install pyenv" and "how to install pyenv".

    >>> key("The Normans"), key("how to install pyenv"), key("2. Install pyenv")
    ('normans', 'install pyenv', 'install pyenv')
    """
    return _ARTICLE.sub("", topic(text).rstrip("?!")).casefold()


def asked(question: str) -> tuple[str, str] | None:
    """(the document named, or "", the topic) of a question about a document or a
    section, else None.

    >>> asked("What does python-build say about Usage?")
    ('python-build', 'Usage')
    >>> asked("What is Timers about?"), asked("Tell me about the Normans.")
    (('', 'Timers'), ('', 'the Normans'))
    >>> asked("What is the capital of Poland?") is None
    True
    """
    q = " ".join(question.split())
    for pattern in _ASKED:
        m = pattern.match(q)
        if m:
            return (m.groupdict().get("doc") or "").strip(), m["topic"].strip()
    return None


# "Who wrote this postmortem?", "Who is the author of the report?": asked of a
# document, not of what it tells ("Who wrote the Federalist Papers?" in a history is
# asked of its subject: only "this", or a title of the collection, names a document)
_AUTHOR_ASKED = re.compile(r"^\s*who\s+(?:wrote|authored|prepared|compiled|is\s+the\s+author\s+of|"
                           r"are\s+the\s+authors\s+of|was\s+the\s+author\s+of)\s+(?P<doc>.+?)"
                           r"\s*[?？.]?\s*$", re.I)
# what a question calls the document whose author it asks: "this postmortem", "the
# report" (not "the constitution", a subject the document may tell of)
_THIS_DOCUMENT = re.compile(
    r"^(?:this|that)\s+[\w-]+$|^the\s+(?:document|report|article|paper|post|postmortem|"
    r"post-mortem|guide|manual|handbook|page|memo|note|notes|study|review|readme|policy|"
    r"essay|blog|text|file|pdf|write-?up|white ?paper)$", re.I)
# a byline: "By Ada Lovelace", "Author: ...", "Written by ...", or a name that opens a
# short line that is no sentence ("Tobias Bieniek, on behalf of the crates.io team,
# 2023-07-21")
_BYLINE = re.compile(r"^\W*(?:by|authors?|written\s+by|posted\s+by|prepared\s+by)\b\s*:?\s*\S",
                     re.I)
BYLINE_WORDS = 25  # a byline is short
BYLINE_PARAGRAPHS = 4  # and among the first paragraphs of the document


def author_asked(question: str) -> str | None:
    """What document a question asks the author of ("this postmortem", "the Harvard
    article"), or None.

    >>> author_asked("Who wrote this postmortem?"), author_asked("Who founded Harvard?")
    ('this postmortem', None)
    """
    m = _AUTHOR_ASKED.match(question)
    return m["doc"] if m else None


def names_this_document(phrase: str) -> bool:
    """Whether what an author question asks of calls a document "this ..." or "the
    report" rather than naming it.

    >>> names_this_document("this postmortem"), names_this_document("the constitution")
    (True, False)
    """
    return _THIS_DOCUMENT.match(phrase) is not None


def _opens_with_person(text: str) -> bool:
    """Whether text opens with a person's name ("Tobias Bieniek, on behalf of ...")."""
    found = entities(text[:120])
    return bool(found) and found[0].start == 0 and found[0].label == "PERSON"


def byline(doc: Document) -> tuple[int, int] | None:
    """The span of a document's byline: its "author" from a report's header, else a
    short paragraph among its first BYLINE_PARAGRAPHS that is no sentence and opens with
    "By"/"Author:" or with a person's name (spaCy); None when it has none."""
    for i, p in enumerate(doc.paragraphs[:BYLINE_PARAGRAPHS]):
        text = doc.text[p.start : p.end].strip()
        if not text or text == doc.title.strip() or len(text.split()) > BYLINE_WORDS:
            continue
        if p.section == HEADER_SECTION and re.match(r"\s*authors?\s*:", text, re.I) or (
                not is_prose(text) and (_BYLINE.match(text) or _opens_with_person(text))):
            return p.start, p.end
        if i and is_prose(text):
            return None  # the text has begun
    return None


def _names(text: str) -> list[str]:
    """What a question may name a document or section by: as written, then, for a
    document, without the word that says what kind of text it is ("the fonts-conf
    (fontconfig user) document" names "fonts-conf").

    >>> _names("the Harvard article"), _names("Timers"), _names("Python files")
    (['the Harvard article', 'the Harvard'], ['Timers'], ['Python files'])
    """
    m = _KIND.match(text)
    return [text, m.group(1)] if m else [text]


def is_prose(text: str) -> bool:
    """Whether a paragraph reads as a passage: PROSE_WORDS words or more, and a sentence
    ends in it; not a label ("git-subtree - Merge subtrees together"), a command or a
    list of links.

    >>> is_prose("Lantern checks the lamp every five minutes."), is_prose("lantern watch --every 5m")
    (True, False)
    >>> is_prose("bzip2, bunzip2 - a block-sorting file compressor, v1.0.8")
    False
    >>> is_prose("Next: Measuring Program Resource Use [Contents][Index]")
    False
    """
    return len(text.split()) >= PROSE_WORDS and _SENTENCE_END.search(text) is not None


def opening(text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The span of `text` quoted from a paragraph's sentences (start, end), in order: the
    first sentence, and the next ones while the quote is under OPENING_CHARS and stays
    within MAX_OPENING_CHARS; a sentence not right after the one before (a sentence left
    out between them: one that addresses a model) ends it. A first sentence longer than
    MAX_OPENING_CHARS is cut at the last space before it.

    >>> t = "a" * 150 + " " + "b" * 149 + " " + "c" * 119
    >>> opening(t, [(0, 150), (151, 300), (301, 420)]), opening(t, [(0, 100), (151, 300)])
    ((0, 300), (0, 100))
    >>> opening("word " * 120, [(0, 600)])
    (0, 499)
    """
    lo, hi = spans[0]
    for start, end in spans[1:]:
        if hi - lo >= OPENING_CHARS or end - lo > MAX_OPENING_CHARS or text[hi:start].strip():
            break
        hi = end
    if hi - lo > MAX_OPENING_CHARS:
        cut = text.rfind(" ", lo, lo + MAX_OPENING_CHARS)
        hi = cut if cut > lo else lo + MAX_OPENING_CHARS
        hi = lo + len(text[lo:hi].rstrip(" ,;:"))
    return lo, hi


@dataclass(frozen=True)
class Target:
    """What a question names: a whole document (`heading` "") or one of its sections,
    the paragraphs `first` to `last` (excluded) of document `doc_id`."""
    doc_id: str
    title: str
    heading: str
    first: int
    last: int

    def opening_paragraph(self, doc: Document) -> int:
        """The paragraph of `doc` (the target's) the answer opens with: the first that
        reads as prose, else the first of PROSE_WORDS words or more (a command's synopsis
        after its "[verse]" marker), else the first; a report's header (its title,
        "Release Date:", "Source:"), a copyright notice and, in a whole document, the
        licence under a copyright line read as a heading are not its opening."""
        texts = [doc.text[p.start : p.end] for p in doc.paragraphs]
        span = [i for i in range(self.first, self.last)
                if doc.paragraphs[i].section != HEADER_SECTION  # a header's title and dates
                and (self.heading or not is_notice(heading_of(doc.paragraphs[i].section)))
                ] or range(self.first, self.last)  # nor a licence under "Copyright © ..."
        return next((i for i in span if is_prose(texts[i]) and not is_notice(texts[i])),
                    next((i for i in span if len(texts[i].split()) >= PROSE_WORDS),
                         self.first))


def sections(doc: Document) -> Iterable[Target]:
    """The document's sections in order: each run of paragraphs under one heading."""
    paras = doc.paragraphs
    i = 0
    while i < len(paras):
        heading = heading_of(paras[i].section)
        j = i + 1
        while j < len(paras) and heading_of(paras[j].section) == heading:
            j += 1
        if heading.strip():
            yield Target(doc.doc_id, doc.title, heading, i, j)
        i = j


class Overviews:
    """The collection's documents and sections by the keys of their titles and
    headings (not the documents themselves: a large collection's stay on disk). Made
    once, reading every document, on the first question (questions that are headings
    can only be told from others with it)."""

    def __init__(self, documents: Iterable[Document]):
        self.documents: list[Target] = []  # each document whole, in order
        self.shared: Counter = Counter()  # title parts, to name a document (`name`)
        self.titles: dict[str, list[Target]] = {}
        self.leads: dict[str, list[Target]] = {}  # titles by the name they open with
        self.headings: dict[str, list[Target]] = {}
        self.questions: dict[str, list[Target]] = {}  # FAQ: headings that are questions
        heads: dict[str, set[str]] = {}
        for doc in documents:
            if not doc.paragraphs:
                continue
            whole = Target(doc.doc_id, doc.title, "", 0, len(doc.paragraphs))
            self.documents.append(whole)
            self.shared.update(set(TITLE_PARTS.split(_clean(doc.title))))
            heads[doc.doc_id] = set()
            for s in sections(doc):
                heads[doc.doc_id].add(_clean(s.heading).casefold())
                if key(s.heading):
                    self.headings.setdefault(key(s.heading), []).append(s)
                if topic(s.heading).endswith("?"):
                    self.questions.setdefault(key(s.heading), []).append(s)
        for whole in self.documents:  # by its title, each part of it, its short title
            parts = TITLE_PARTS.split(whole.title)
            names = {whole.title, *parts, _short(whole.title, heads[whole.doc_id], self.shared)}
            for name in names:
                if key(name):
                    self.titles.setdefault(key(name), []).append(whole)
            # and, when no title or heading is so named, by the name a part of its title
            # opens with ("Memcheck" of "Memcheck: a memory error detector")
            for name in {n for part in parts if (n := _named_before_colon(part))}:
                if key(name) and whole not in self.titles.get(key(name), []):
                    self.leads.setdefault(key(name), []).append(whole)

    def find(self, question: str) -> tuple[list[Target], bool]:
        """What the question names, in the collection's order, and whether it asks about
        the collection itself ("What is this document about?", "Summarise the reports":
        then each document). The documents with the title it names, else the sections
        with the heading (of the document named, when it names one: a name that is no
        title of the collection, "What does Napoleon say about the population?", names
        nothing), else the documents whose title opens with the name ("Memcheck" of
        "Memcheck: a memory error detector"), then the documents it names with the kind
        of text they are ("the fonts-conf document", `_names`); for a question that is a
        section's heading word for word ("How do I reset my password?"), that section;
        ([], False) when it names none.

        >>> Overviews([]).find("What are these documents about?")
        ([], True)
        """
        parsed = asked(question)
        if parsed is None:
            return self.questions.get(key(question), []), False
        doc, about = parsed
        named: set[str] = set()
        if doc and not _COLLECTION.match(doc) and doc.casefold() not in _PRONOUNS:
            for name in _names(doc):  # the first form that names a document
                named = {t.doc_id for t in self.titles.get(key(name))
                         or self.leads.get(key(name), [])}
                if named:
                    break
            else:
                return [], False
        for i, name in enumerate(_names(about)):
            # "the summary report" names a document, not a section headed "Summary"
            for where in ((self.titles, self.headings, self.leads) if i == 0
                          else (self.titles, self.leads)):
                found = [t for t in where.get(key(name), []) if not named or t.doc_id in named]
                if found:
                    return found, False
        if _COLLECTION.match(about) and not named:
            return self.documents, True
        return [], False

    def name(self, doc: Document) -> str:
        """The document's title without the site's name a web page's title carries, nor
        its numbering ("4. Memcheck")."""
        return topic(short_title(doc, self.shared))


__all__ = ["BYLINE_PARAGRAPHS", "BYLINE_WORDS", "MAX_DOCUMENTS", "MAX_OPENING_CHARS",
           "OPENING_CHARS", "Overviews", "TITLE_PARTS", "Target", "asked", "author_asked",
           "byline", "is_prose", "key", "names_this_document", "opening", "sections",
           "short_title", "title_parts", "topic"]
