"""The collection's own names, collected when the index is built and stored with it.

Every named entity that spaCy finds in the documents (people, organisations, places,
events, works, ...) is kept with its most frequent kind and how often it occurs. The
question side uses it to tell a name from an ordinary capitalised word, to know
which names are places, and to notice a name the collection never mentions, on any
collection and in any script (Kraków, Töregene, São Paulo).

An optional domain pack (a JSON file beside the documents, `domain-pack.json`) adds
what a collection's readers know but its text does not say: place names in another
language, a glossary for questions asked in it, regions. It is stored with the index
too; the bundled article ships one (index/corpus/domain-pack.json).

Not handled: names spaCy's small English model misses or mislabels (about 15% of
entities); a name absent from the vocabulary is still matched in the text itself.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DocumentError
from .loaders import Document
from .nlp import entities_many
from .text import acronym, dotted
from .wordnet import demonym_place, place_names

FILE = "vocabulary.json"
PACK_FILE = "domain-pack.json"
# kinds of entity that name something (dates, counts and amounts are not names)
NAME_KINDS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
                        "WORK_OF_ART", "LAW", "LANGUAGE"})
PLACE_KINDS = frozenset({"GPE", "LOC", "FAC"})


@dataclass
class Vocabulary:
    names: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (kind, count)
    pack: dict = field(default_factory=dict)

    def kind(self, name: str) -> str | None:
        """The kind of a name the collection uses, case-insensitively, or of the name
        it stands for ("US": "United States", a GPE)."""
        return self._kind(name) or next(
            (k for a in self.aliases(name) if (k := self._kind(a))), None)

    def _kind(self, name: str) -> str | None:
        hit = self.names.get(name) or self._lower().get(name.lower())
        if hit:
            return hit[0]
        if name.lower() in self._expansions()[1]:  # "United States" of "the United States"
            return self._expansions()[1][name.lower()]
        return "GPE" if name in set(self.pack.get("places", {}).values()) else None

    def aliases(self, name: str) -> tuple[str, ...]:
        """The other ways the collection may write `name`: an acronym dotted or not
        ("US", "U.S."), the names of the collection whose initials it is ("United
        States", "National Science Foundation"), and for such a name, its acronym when
        the collection uses that. Only a place, organisation, law, event or work stands
        for an acronym, and only a place for one of two letters: people's initials
        ("Roger of Montgomery", "Uma Sharma") are not acronyms of their names. Also a
        place's other names in WordNet ("USA" for "United States", "Holland" for
        "Netherlands": `index.wordnet.place_names`), unless the collection names
        something else by it ("Tom Holland").

        >>> v = Vocabulary({"the United States": ("GPE", 8), "UK": ("GPE", 2),
        ...                 "United Kingdom": ("GPE", 1), "Uma Sharma": ("PERSON", 1),
        ...                 "Advancement of Teaching": ("ORG", 1), "AT": ("ORG", 1)})
        >>> v.aliases("US")[:2], v.aliases("United Kingdom")[:2], v.kind("U.S.")
        (('U.S.', 'United States'), ('UK', 'U.K.'), 'GPE')
        >>> v.aliases("Holland")[:1], v.aliases("USA")[:2]
        (('Netherlands',), ('U.S.A.', 'United States'))
        >>> v.aliases("AT"), v.aliases("Uma Sharma"), v.aliases("Advancement of Teaching")
        (('A.T.',), (), ())
        """
        letters = acronym(name)
        if letters:
            found = [dotted(name), *self._expansions()[0].get(letters, ())]
        else:
            short = _initials(name)
            known = short and (self._kind(short) or self._kind(dotted(short)))
            found = [short, dotted(short)] if known and _stands_for(
                self._kind(name) or known, short) else []
        if self._kind(name) in (None, *_PLACES):  # not "Tom Holland"
            found += place_names(name)  # the place's other names: "Holland", "Netherlands"
        if self._kind(name) is None:  # a word for a place's people the collection never
            found += demonym_place(name)  # writes: the place ("Chilean regions": Chile)
        return tuple(dict.fromkeys(a for a in found if a and a != name))

    def _expansions(self) -> tuple[dict[str, list[str]], dict[str, str]]:
        """(acronym -> the collection's names of which it is the initials, each of
        those names without its article, lower-cased -> its kind)."""
        if not hasattr(self, "_exp"):
            exp: dict[str, list[str]] = defaultdict(list)
            kinds: dict[str, str] = {}
            for n, (k, _) in self.names.items():
                full = _DETERMINER.sub("", n).removesuffix("'").strip()
                short = _initials(full)
                if short and _stands_for(k, short) and full not in exp[short]:
                    exp[short].append(full)
                    kinds.setdefault(full.lower(), k)
            self._exp = (dict(exp), kinds)
        return self._exp

    def knows(self, name: str) -> bool:
        return self.kind(name) is not None

    def _lower(self) -> dict[str, tuple[str, int]]:
        if not hasattr(self, "_lc"):
            self._lc = {n.lower(): v for n, v in self.names.items()}
        return self._lc

    def to_json(self) -> dict:
        return {"names": {n: list(v) for n, v in sorted(self.names.items())}, "pack": self.pack}

    @classmethod
    def from_json(cls, data: dict) -> Vocabulary:
        return cls({n: (v[0], int(v[1])) for n, v in data.get("names", {}).items()},
                   data.get("pack") or {})


_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_LINKS = frozenset({"of", "and", "for", "the", "de", "du", "la", "le", "&"})


_PLACES = frozenset({"GPE", "LOC", "FAC"})
_ACRONYMED = _PLACES | {"ORG", "LAW", "EVENT", "PRODUCT", "WORK_OF_ART"}


def _stands_for(kind: str | None, short: str) -> bool:
    """Whether a name of this kind may be written as the acronym `short`."""
    return kind in (_ACRONYMED if len(short) > 2 else _PLACES)


def _initials(name: str) -> str | None:
    """The acronym a name of two or more capitalised words would have ("United States
    of America": "USA"); None for another name."""
    words = [w for w in name.split() if w not in _LINKS]
    if len(words) < 2 or len(words) > 6 or not all(
            w[0].isupper() and w[1:].islower() and w.isalpha() for w in words):
        return None
    return "".join(w[0] for w in words)


def collect(docs: Iterable[Document], pack: dict | None = None) -> Vocabulary:
    """The names of the documents' paragraphs, each with its most frequent kind."""
    return merge((count_names(doc) for doc in docs), pack)


def count_names(doc: Document) -> dict[str, dict[str, int]]:
    """The names of one document's paragraphs: name -> {kind: count}, kinds in the order
    first seen (an incremental build keeps these per document and merges them)."""
    kinds: dict[str, dict[str, int]] = {}
    paras = [doc.text[p.start : p.end] for p in doc.paragraphs]
    for ents in entities_many(paras):
        for e in ents:
            name = e.text.strip().removesuffix("'s").removesuffix("’s").strip()
            if e.label in NAME_KINDS and len(name) > 1 and any(ch.isupper() for ch in name):
                k = kinds.setdefault(name, {})
                k[e.label] = k.get(e.label, 0) + 1
    return kinds


def merge(counts: Iterable[dict[str, dict[str, int]]], pack: dict | None = None) -> Vocabulary:
    """The vocabulary of documents given their `count_names`, in document order: each
    name with its most frequent kind over all of them (ties: the kind seen first)."""
    kinds: dict[str, Counter] = defaultdict(Counter)
    for doc_counts in counts:
        for name, by_kind in doc_counts.items():
            kinds[name].update(by_kind)
    names = {n: (c.most_common(1)[0][0], sum(c.values())) for n, c in kinds.items()}
    return Vocabulary(names, pack or {})


def read_pack(paths: Iterable[Path]) -> dict:
    """The domain pack found beside the documents (in a folder given to the build),
    checked: DocumentError names the file and what is wrong with it."""
    for p in paths:
        f = Path(p) / PACK_FILE if Path(p).is_dir() else Path(p).with_name(PACK_FILE)
        if f.is_file():
            try:
                pack = json.loads(f.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError) as e:
                raise DocumentError(f"{f}: not valid JSON ({e}). Fix or remove it.") from e
            if why := pack_problem(pack):
                raise DocumentError(f"{f}: {why}. Fix or remove it.")
            return pack
    return {}


# what each key of a domain pack holds
_SHAPES = {"places": "an object of names to names", "terms": "an object of terms to terms",
           "region_words": "an object of words to region names",
           "regions": "an object of region names to lists of places",
           "examples": "a list of questions", "capital": "a place name", "about": "a text"}


def pack_problem(pack) -> str | None:
    """Why `pack` is not a valid domain pack, or None."""
    if not isinstance(pack, dict):
        return "a domain pack is a JSON object"

    def strs(v) -> bool:
        return isinstance(v, list) and all(isinstance(x, str) for x in v)

    def str_map(v) -> bool:
        return isinstance(v, dict) and all(isinstance(x, str) for x in [*v, *v.values()])

    checks = {"places": str_map, "terms": str_map, "region_words": str_map,
              "regions": lambda v: isinstance(v, dict) and all(strs(x) for x in v.values()),
              "examples": strs, "capital": lambda v: isinstance(v, str),
              "about": lambda v: isinstance(v, str)}
    for key, value in pack.items():
        if key not in checks:
            return f"unknown key {key!r} (known: {', '.join(checks)})"
        if not checks[key](value):
            return f"{key!r} must be {_SHAPES[key]}"
    return None
