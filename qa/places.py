"""Places named by description: "the capital", "the northeastern province".

Analysts paraphrase: "What did the northwestern plateau province promise?" means
Qinghai to a reader who knows China's regions, but neither keyword search nor a
small embedder does. A descriptor is resolved to the provincial-level places of
that region (the regions intersected when there are several adjectives) that the
collection mentions; the pipeline then tries each candidate and keeps the one its
evidence supports best. The rewritten question is shown to the user, so the
reading is visible.

>>> candidates("How many homes did the northeastern province rebuild?", {"Jilin", "Hunan"})
[('Jilin', 'How many homes did Jilin rebuild?')]
>>> candidates("What does the northwestern plateau province expect?", {"Gansu", "Qinghai"})
[('Qinghai', 'What does Qinghai expect?')]
>>> candidates("What did the capital plan?", {"Beijing"})
[('Beijing', 'What did Beijing plan?')]
>>> candidates("What did Hunan plan?", {"Hunan"})
[]

Not handled: descriptions by event ("the province struck by the December quake"),
cities other than the capital, and Chinese questions (their place names are
matched by the glossary in lexicon.py).
"""

from __future__ import annotations

import re

from .text import mentions

# China's conventional geographic regions, by provincial-level division.
REGIONS: dict[str, frozenset[str]] = {
    "northeast": frozenset({"Liaoning", "Jilin", "Heilongjiang"}),
    "north": frozenset({"Beijing", "Tianjin", "Hebei", "Shanxi", "Inner Mongolia"}),
    "east": frozenset({"Shanghai", "Jiangsu", "Zhejiang", "Anhui", "Fujian", "Jiangxi",
                       "Shandong"}),
    "central": frozenset({"Henan", "Hubei", "Hunan", "Jiangxi", "Anhui", "Shanxi"}),
    "south": frozenset({"Guangdong", "Guangxi", "Hainan", "Fujian"}),
    "southwest": frozenset({"Chongqing", "Sichuan", "Guizhou", "Yunnan", "Tibet"}),
    "northwest": frozenset({"Shaanxi", "Gansu", "Qinghai", "Ningxia", "Xinjiang"}),
    "plateau": frozenset({"Qinghai", "Tibet", "Yunnan", "Guizhou"}),
    "coastal": frozenset({"Liaoning", "Hebei", "Tianjin", "Shandong", "Jiangsu", "Shanghai",
                          "Zhejiang", "Fujian", "Guangdong", "Guangxi", "Hainan"}),
    "southeast": frozenset({"Zhejiang", "Fujian", "Guangdong", "Jiangxi"}),
}
REGIONS["west"] = REGIONS["southwest"] | REGIONS["northwest"] | {"Inner Mongolia", "Guangxi"}
REGIONS["inland"] = (REGIONS["central"] | REGIONS["southwest"] | REGIONS["northwest"]) - {
    "Guangxi"}

_ADJ = {
    "northeastern": "northeast", "north-eastern": "northeast", "northeast": "northeast",
    "northern": "north", "north": "north", "north china": "north",
    "eastern": "east", "east": "east", "east china": "east",
    "central": "central", "central chinese": "central", "central china": "central",
    "southern": "south", "south": "south", "south china": "south",
    "southwestern": "southwest", "south-western": "southwest", "southwest": "southwest",
    "northwestern": "northwest", "north-western": "northwest", "northwest": "northwest",
    "plateau": "plateau", "highland": "plateau",
    "coastal": "coastal", "seaboard": "coastal",
    "southeastern": "southeast", "south-eastern": "southeast", "southeast": "southeast",
    "western": "west", "west": "west", "inland": "inland",
}
_ADJ_RE = "|".join(sorted((re.escape(a) for a in _ADJ), key=len, reverse=True))
_DESCRIPTOR = re.compile(
    rf"\b(?:the|that|this|one|a)\s+((?:(?:{_ADJ_RE})[\s,]+(?:and\s+)?){{1,3}})"
    r"(?:chinese\s+)?(?:province|region|provincial-level region)\b",
    re.IGNORECASE,
)
_CAPITAL = re.compile(r"\b(?:the|China's|the country's|the nation's)\s+capital\b"
                      r"(?!\s+(?:construction|investment|flows?|markets?|goods))(?:\s+city)?",
                      re.IGNORECASE)


def describes_place(question: str) -> bool:
    """Whether the question names a place by description (cheap: no collection needed)."""
    return bool(_CAPITAL.search(question) or _DESCRIPTOR.search(question))


def candidates(question: str, collection_places: set[str]) -> list[tuple[str, str]]:
    """(place, question rewritten with it) for each place its descriptor can mean in
    this collection; [] when it has no descriptor (or none fits)."""
    m = _CAPITAL.search(question)
    if m and "Beijing" in collection_places:
        return [("Beijing", question[: m.start()] + "Beijing" + question[m.end():])]
    m = _DESCRIPTOR.search(question)
    if not m:
        return []
    words = re.split(r"[\s,]+(?:and\s+)?", m.group(1).strip().lower())
    regions = [_ADJ[w] for w in words if w in _ADJ]
    if not regions:
        return []
    places = set(collection_places)
    for r in regions:
        places &= REGIONS[r]
    if any(mentions(question, p) for p in places):  # "Jilin, a northeastern province"
        return []
    return [(p, question[: m.start()] + p + question[m.end():]) for p in sorted(places)]


def places_in(texts: list[str]) -> set[str]:
    """The provincial-level places (of REGIONS) that the texts mention."""
    every = set().union(*REGIONS.values())
    pattern = re.compile(r"\b(" + "|".join(sorted(every, key=len, reverse=True)) + r")\b")
    found: set[str] = set()
    for t in texts:
        found.update(pattern.findall(t))
        if found == every:
            break
    return found
