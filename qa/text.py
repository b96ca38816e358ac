"""Text primitives shared by question analysis, evidence selection, checks and evaluation.

Words are compared lower-cased with the index's light suffix stemmer and general
English stop words (index/tokenize.py); words of any script count (Kraków, São
Paulo), and hyphenated compounds stay one word, so "Beijing-Tianjin-Hebei" does not
count as a mention of "Hebei". Numbers are read in one place (`numbers`,
`number_phrases`). Sentences come from `index.nlp.sentence_spans`.

Not handled: real morphology or Chinese word segmentation (Chinese questions are
matched through the multilingual embedder, and a domain pack's glossary if any).
"""

from __future__ import annotations

import re

from index.nlp import sentence_spans
from index.tokenize import stem, stop_words

__all__ = ["CJK", "WORD", "clause_spans", "content_terms", "entities", "is_chinese",
           "mentions", "norm_number", "number_phrases", "numbers", "recall_of",
           "sentence_spans", "words"]

_L = r"[^\W\d_]"  # a letter of any script
CJK = re.compile(r"[\u3400-\u9fff]")
WORD = re.compile(r"(?:(?![\u3400-\u9fff])[^\W_])+(?:[-'’.](?:(?![\u3400-\u9fff])[^\W_])+)*"
                  r"|[\u3400-\u9fff]")
NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\w)|(?<![\w.,])\d+(?:\.\d+)?(?!\w)")
_WORD_NUMBERS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUM = (r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\b(?:" + "|".join(list(_WORD_NUMBERS)[1:])
        + r")\b)")
_NUM_PHRASE = re.compile(_NUM + r"((?:[\s-]+" + _L + r"[\w'’-]*){0,2})", re.IGNORECASE)
_NUM_PHRASE_WIDE = re.compile(_NUM + r"((?:[\s\"“”-]+" + _L + r"[\w'’%-]*[,]?){0,5})",
                              re.IGNORECASE)


def is_chinese(text: str) -> bool:
    return bool(CJK.search(text))


def words(text: str) -> list[str]:
    return WORD.findall(text)


def content_terms(text: str) -> list[str]:
    """Stemmed non-stopwords, in order, duplicates removed."""
    out: list[str] = []
    stop = stop_words()
    for w in words(text):
        lw = w.lower()
        if lw in stop or len(lw) < 2 and not CJK.match(lw):
            continue
        s = stem(lw)
        if s not in out:
            out.append(s)
    return out


def norm_number(n: str) -> str:
    """'5,529' -> '5529', '12.820' -> '12.82', 'three' -> '3'."""
    n = n.replace(",", "").lower()
    n = _WORD_NUMBERS.get(n, n)
    if "." in n:
        n = n.rstrip("0").rstrip(".")
    return n


def numbers(text: str) -> set[str]:
    """Numbers written in digits in text, normalised (`norm_number`)."""
    return {norm_number(m) for m in NUMBER.findall(text)}


def number_phrases(text: str, wide: bool = False) -> list[tuple[str, list[str]]]:
    """Each number (digits or a word up to twelve) with the content words that follow
    it: up to two, or up to five with `wide`."""
    pattern = _NUM_PHRASE_WIDE if wide else _NUM_PHRASE
    return [(norm_number(m.group(1)), content_terms(m.group(2))) for m in pattern.finditer(text)]


_QUESTION_START = {"what", "which", "who", "whom", "whose", "when", "where", "why", "how",
                   "did", "does", "do", "is", "are", "was", "were", "and", "besides", "in",
                   "on", "at", "according", "as", "after", "before", "if", "can", "could",
                   "should", "would", "will", "has", "have", "had", "name", "list", "give",
                   "tell", "the", "a", "an", "to", "for", "of", "by", "with", "among", "other"}
# capitalised for reasons of their own, in any English text
_GENERIC_CAPS = {"I", "January", "February", "March", "April", "May", "June", "July",
                 "August", "September", "October", "November", "December", "Monday",
                 "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
_CAP_WORD = re.compile(_L + r"[\w'’-]*")


def entities(text: str, joinable=None) -> list[str]:
    """Proper names and acronyms in English text: capitalised words (of any script) not
    starting a sentence (unless a question word can't explain them), joined with the
    capitalised words next to them ("Enric Miralles", "São Paulo").

    `joinable(a, b)`, when given, says whether two neighbouring names make one (a
    collection knows "Jilin" and "Qinghai" as two places).

    >>> entities("What did Tianjin plan for flood season?")
    ['Tianjin']
    >>> entities("Which had the larger GDP, Jiangsu or Shandong?")
    ['GDP', 'Jiangsu', 'Shandong']
    >>> entities("How many people live in Kraków and São Paulo?")
    ['Kraków', 'São Paulo']
    """
    out: list[str] = []
    for m in _CAP_WORD.finditer(text):
        w = m.group(0).rstrip("'’-")
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        if not w or not w[0].isupper() or w in _GENERIC_CAPS:
            continue
        if w.lower() in stop_words() or w.lower() in _QUESTION_START:
            continue
        # "Fu Zhibin": join a name to the capitalised word right before it
        if out and _join_ok(out[-1], w, joinable) and re.search(
            rf"(?<![\w-]){re.escape(out[-1])} {re.escape(w)}(?![\w-])", text
        ):
            out[-1] = f"{out[-1]} {w}"
            continue
        if w not in out:
            out.append(w)
    return out


def _join_ok(a: str, b: str, joinable) -> bool:
    if a.isupper() or b.isupper() or " " in a and joinable is None:
        return False
    return joinable(a, b) if joinable is not None else True


def mentions(text: str, name: str) -> bool:
    """Whether text names `name` as a word of its own (not inside a hyphenated compound)."""
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE) is not None


def recall_of(a: str, b: str) -> float:
    """Share of a's content terms that occur in b."""
    ta = set(content_terms(a))
    if not ta:
        return 0.0
    return len(ta & set(content_terms(b))) / len(ta)


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] cut at the semicolons outside brackets, each part trimmed of
    spaces and a final stop.

    >>> t = "The Normans (Norman: Nourmands; Latin: Normanni) came; Rollo led them."
    >>> [t[a:b] for a, b in clause_spans(t, 0, len(t))]
    ['The Normans (Norman: Nourmands; Latin: Normanni) came', 'Rollo led them']
    """
    cuts, depth = [], 0
    for i in range(start, end):
        ch = text[i]
        if ch in "([{（":
            depth += 1
        elif ch in ")]}）" and depth:
            depth -= 1
        elif ch == ";" and not depth:
            cuts.append(i)
    out = []
    for a, b in zip([start, *(c + 1 for c in cuts)], [*cuts, end], strict=True):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1] in " .":
            b -= 1
        if b > a:
            out.append((a, b))
    return out
