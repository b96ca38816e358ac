"""Keyword terms for BM25, shared by the index build and the query side.

Lower-cased words in any script (hyphenated compounds kept whole and also split into
parts), general English stop words dropped, a light suffix stemmer applied.

>>> terms("Tianjin's 43 water-damage repair projects")
['tianjin', '43', 'water-damage', 'water', 'damage', 'repair', 'project']
"""

from __future__ import annotations

import functools
import re

# letters and digits of any script but CJK (Chinese is matched through the multilingual
# embedder, not as keywords)
_WORD = re.compile(r"(?:(?![\u3400-\u9fff])[^\W_])+(?:[-'’.](?:(?![\u3400-\u9fff])[^\W_])+)*")
# General English stop words (spaCy's list), less the words that carry a question's
# meaning (order, number, time relations: "the first", "before 1900", "three"), plus
# the words that frame a question about documents ("according to the text").
_KEEP = set("""first third last former latter next one two three four five six eight nine ten
    eleven twelve fifteen twenty forty fifty sixty hundred before after during since until
    above below top bottom front back full empty serious part side whole more most less least
    few""".split())
_FRAMING = set("""according mentioned tell says said kind type number article document
    documents text passage passages""".split())


@functools.cache
def stop_words() -> frozenset[str]:
    """The stop words (imported on first use: spaCy takes about 2 s to import)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset((set(STOP_WORDS) - _KEEP) | _FRAMING)
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
    stop = stop_words()
    out = []
    for w in _WORD.findall(text.lower()):
        w = w.strip(".'’")
        if not w or w in stop:
            continue
        out.append(stem(w))
        if "-" in w:
            out += [stem(p) for p in w.split("-") if p and p not in stop]
    return out
