"""Places named by description: "the capital", "the northeastern province".

Analysts paraphrase: "What did the northwestern plateau province promise?" means
Qinghai to a reader who knows the country's regions, but neither keyword search nor
a small embedder does. A collection's domain pack (index/vocabulary.py) may list its
regions (region -> places), the words that name them ("northwestern" -> northwest)
and the capital. A descriptor is resolved to the places of that region (the regions
intersected when there are several adjectives) that the collection mentions; the
pipeline then tries each candidate and keeps the one its evidence supports best. The
rewritten question is shown to the user, so the reading is visible. Without a pack
(any collection but the bundled one), questions are left as they are.

>>> pack = {"regions": {"northeast": ["Jilin"], "northwest": ["Gansu", "Qinghai"],
...                     "plateau": ["Qinghai"]},
...         "region_words": {"northeastern": "northeast", "northwestern": "northwest",
...                          "plateau": "plateau"}, "capital": "Beijing"}
>>> d = Descriptions(pack)
>>> d.candidates("How many homes did the northeastern province rebuild?", {"Jilin", "Hunan"})
[('Jilin', 'How many homes did Jilin rebuild?')]
>>> d.candidates("What does the northwestern plateau province expect?", {"Gansu", "Qinghai"})
[('Qinghai', 'What does Qinghai expect?')]
>>> d.candidates("What did the capital plan?", {"Beijing"})
[('Beijing', 'What did Beijing plan?')]
>>> Descriptions({}).candidates("What did the capital plan?", {"Beijing"})
[]

Not handled: descriptions by event ("the province struck by the December quake"),
cities other than the capital, and Chinese questions (their place names are matched
by the pack's glossary, qa/lexicon.py).
"""

from __future__ import annotations

import re

from index.text import mentions

_CAPITAL = re.compile(r"\b(?:the|the country's|the nation's)\s+capital\b"
                      r"(?!\s+(?:construction|investment|flows?|markets?|goods))(?:\s+city)?",
                      re.IGNORECASE)


class Descriptions:
    def __init__(self, pack: dict | None = None):
        pack = pack or {}
        self.regions = {k: frozenset(v) for k, v in (pack.get("regions") or {}).items()}
        self.words = {k.lower(): v for k, v in (pack.get("region_words") or {}).items()
                      if v in self.regions}
        self.capital = pack.get("capital")
        self._descriptor = None
        if self.words:
            adj = "|".join(sorted((re.escape(a) for a in self.words), key=len, reverse=True))
            self._descriptor = re.compile(
                rf"\b(?:the|that|this|one|a)\s+((?:(?:{adj})[\s,]+(?:and\s+)?){{1,3}})"
                r"(?:\w+\s+)?(?:province|region|state|county|provincial-level region)\b",
                re.IGNORECASE)

    def describes(self, question: str) -> bool:
        """Whether the question names a place by description (cheap: no collection needed)."""
        return bool((self.capital and _CAPITAL.search(question))
                    or (self._descriptor and self._descriptor.search(question)))

    def candidates(self, question: str, collection_places: set[str]) -> list[tuple[str, str]]:
        """(place, question rewritten with it) for each place its descriptor can mean in
        this collection; [] when it has no descriptor (or none fits)."""
        m = _CAPITAL.search(question) if self.capital else None
        if m and self.capital in collection_places:
            return [(self.capital, question[: m.start()] + self.capital + question[m.end():])]
        m = self._descriptor.search(question) if self._descriptor else None
        if not m:
            return []
        words = re.split(r"[\s,]+(?:and\s+)?", m.group(1).strip().lower())
        regions = [self.words[w] for w in words if w in self.words]
        if not regions:
            return []
        places = set(collection_places)
        for r in regions:
            places &= self.regions[r]
        if any(mentions(question, p) for p in places):  # "Jilin, a northeastern province"
            return []
        return [(p, question[: m.start()] + p + question[m.end():]) for p in sorted(places)]

    def places_in(self, texts) -> set[str]:
        """The places of the pack's regions that the texts mention."""
        every = set().union(*self.regions.values()) if self.regions else set()
        if not every:
            return set()
        pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, every), key=len,
                                                      reverse=True)) + r")\b")
        found: set[str] = set()
        for t in texts:
            found.update(pattern.findall(t))
            if found == every:
                break
        return found
