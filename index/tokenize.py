"""Keyword terms for BM25, shared by the index build and the query side.

Lower-cased words (hyphenated compounds kept whole and also split into parts),
English stopwords dropped, a light suffix stemmer applied.

>>> terms("Tianjin's 43 water-damage repair projects")
['tianjin', '43', 'water-damage', 'water', 'damage', 'repair', 'project']
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+(?:[-'’.][a-z0-9]+)*")
_STOP = set(
    """a an and are as at be been but by for from has have had he her his i if in into is it
    its of on or she so such than that the their them then there these they this those to
    was were which while who will with not no""".split()
)
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
        if not w or w in _STOP:
            continue
        out.append(stem(w))
        if "-" in w:
            out += [stem(p) for p in w.split("-") if p and p not in _STOP]
    return out
