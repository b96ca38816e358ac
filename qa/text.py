"""Small text helpers shared by retrieval, grounding and evaluation.

Words are compared lower-cased with a light suffix stemmer; hyphenated compounds
stay one word, so "Beijing-Tianjin-Hebei" does not count as a mention of "Hebei".

Not handled: real morphology or Chinese word segmentation (Chinese is matched
through the glossary in `qa.lexicon`).
"""

from __future__ import annotations

import re

from index.tokenize import stem

from .lexicon import PLACE_NAMES

WORD = re.compile(r"[A-Za-z0-9]+(?:[-'’.][A-Za-z0-9]+)*|[\u4e00-\u9fff]")
NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\w)|(?<![\w.,])\d+(?:\.\d+)?(?!\w)")
CJK = re.compile(r"[\u3400-\u9fff]")
STOP = set(
    """a an the of to in on at for from by with and or but is are was were be been being do does
    did done has have had having what which who whom whose when where why how many much that this
    these those it its their they them he she his her as into about than then there here also
    not no yes can could should would will shall may might must any some each every all both
    i me my we our you your article report according mentioned say says said tell please
    kind type number amount plan plans planned propose proposed require requires required""".split()
)


def is_chinese(text: str) -> bool:
    return bool(CJK.search(text))


def words(text: str) -> list[str]:
    return WORD.findall(text)


def content_terms(text: str) -> list[str]:
    """Stemmed non-stopwords, in order, duplicates removed."""
    out: list[str] = []
    for w in words(text):
        lw = w.lower()
        if lw in STOP or len(lw) < 2 and not CJK.match(lw):
            continue
        s = stem(lw)
        if s not in out:
            out.append(s)
    return out


def numbers(text: str) -> set[str]:
    """Numbers written in text, normalised: '5,529' -> '5529', '12.820' -> '12.82'."""
    out = set()
    for m in NUMBER.findall(text):
        n = m.replace(",", "")
        if "." in n:
            n = n.rstrip("0").rstrip(".")
        out.add(n)
    return out


_QUESTION_START = {"what", "which", "who", "whom", "whose", "when", "where", "why", "how",
                   "did", "does", "do", "is", "are", "was", "were", "and", "besides", "in",
                   "on", "at", "according", "as", "after", "before", "if", "can", "could",
                   "should", "would", "will", "has", "have", "had", "name", "list", "give",
                   "tell", "the", "a", "an", "to", "for", "of", "by", "with", "among", "other"}
_GENERIC_CAPS = {"I", "CPC", "China", "Chinese", "People's", "Republic", "Party", "Communist",
                 "National", "Congress", "Ministry", "Emergency", "Management", "Central",
                 "Economic", "Work", "Conference", "Province", "Provincial", "Municipal",
                 "City", "County", "Committee", "Government", "Governor", "December",
                 "January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "Top", "Ten", "Key", "Livelihood",
                 "Projects", "Society", "Co", "Ltd", "Institute", "Research", "Engineering"}


def entities(text: str) -> list[str]:
    """Proper names and acronyms in English text: capitalised words not starting a
    sentence (unless a question word can't explain them), plus ALL-CAPS acronyms.

    >>> entities("What did Tianjin plan for flood season?")
    ['Tianjin']
    >>> entities("Which had the larger GDP, Jiangsu or Shandong?")
    ['GDP', 'Jiangsu', 'Shandong']
    """
    out: list[str] = []
    for m in re.finditer(r"[A-Za-z][A-Za-z'’-]*", text):
        w = m.group(0).rstrip("'’")
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        if not w[0].isupper() or w in _GENERIC_CAPS:
            continue
        before = text[: m.start()].rstrip()
        sentence_start = not before or before[-1] in ".?!\"“:"
        if sentence_start and w.lower() in _QUESTION_START | STOP:
            continue
        if w.lower() in STOP or w.lower() in _QUESTION_START:
            continue
        # "Fu Zhibin": join a name to the capitalised word right before it
        if out and _joinable(out[-1], w) and re.search(
            rf"(?<![\w-]){re.escape(out[-1])} {re.escape(w)}(?![\w-])", text
        ):
            out[-1] = f"{out[-1]} {w}"
            continue
        if w not in out:
            out.append(w)
    return out


def _joinable(a: str, b: str) -> bool:
    return not (a.isupper() or b.isupper() or a in PLACE_NAMES or b in PLACE_NAMES or " " in a)


def mentions(text: str, name: str) -> bool:
    """Whether text names `name` as a word of its own (not inside a hyphenated compound)."""
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE) is not None


def recall_of(a: str, b: str) -> float:
    """Share of a's content terms that occur in b."""
    ta = set(content_terms(a))
    if not ta:
        return 0.0
    return len(ta & set(content_terms(b))) / len(ta)
