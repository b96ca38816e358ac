"""Keyword terms for BM25, shared by the index build and the query side.

Lower-cased words in any script (hyphenated compounds kept whole and also split into
parts), general English stop words dropped, a light suffix stemmer applied.

>>> terms("Tianjin's 43 water-damage repair projects")
['tianjin', '43', 'water-damage', 'water', 'damage', 'repair', 'project']
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
# General English stop words (spaCy's list), less the words that carry a question's
# meaning (order, number, time relations: "the first", "before 1900", "three"), plus
# the words that frame a question about documents ("according to the text").
_KEEP = set("""first third last former latter next one two three four five six eight nine ten
    eleven twelve fifteen twenty forty fifty sixty hundred before after during since until
    above below top bottom front back full empty serious part side whole more most less least
    few""".split())
STOP = frozenset((set(STOP_WORDS) - _KEEP) | set(
    """according mentioned tell says said kind type number article document documents text
    passage passages""".split()))
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s")


def stem(w: str) -> str:
    w = w.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suf in _SUFFIXES:
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)] + ("y" if suf in ("ies", "ied") else "")
    return w


def terms(text: str) -> list[str]:
    out = []
    for w in _WORD.findall(text.lower()):
        w = w.strip(".'’")
        if not w or w in STOP:
            continue
        out.append(stem(w))
        if "-" in w:
            out += [stem(p) for p in w.split("-") if p and p not in STOP]
    return out
