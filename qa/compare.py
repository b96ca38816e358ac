"""Which of two subjects has the larger (or smaller) figure: compared here, not by the model.

A 0.5B model asked "Which had the larger GDP, Jiangsu or Shandong?" picks one of the
two names about as often as not. The figures are in the documents, so for each
place the clause that states the figure asked about is found, its number read
(with "trillion", "million" ...), and the two compared in code. The answer names
the winner and both figures, each cited to its clause.

>>> value("12.82", "trillion yuan")
12820000000000.0
>>> value("5,529", "houses")
5529.0

Not handled: figures in different units (yuan against dollars, percent against
counts) are not compared; more than two options; ranks ("ranked third").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from index.text import NUMBER, clause_spans, mentions, norm_number, terms

_MORE = re.compile(r"\b(larger|bigger|more|higher|greater|largest|biggest|most|highest)\b", re.I)
_LESS = re.compile(r"\b(smaller|fewer|less|lower|smallest|fewest|least|lowest)\b", re.I)
_SCALE = {"trillion": 1e12, "billion": 1e9, "million": 1e6, "thousand": 1e3}
_WORD = re.compile(r"[^\W\d_][\w'-]*")


@dataclass(frozen=True)
class Figure:
    place: str
    number: str  # as written, with its unit words: "12.82 trillion yuan"
    value: float
    unit: frozenset  # the two words after it ("yuan", "people"...), or {"%"}
    start: int  # offsets of the clause stating it, in the document text
    end: int
    doc: str = ""  # the document it is read from


def direction(question: str) -> int:
    """+1 for "larger/more", -1 for "smaller/fewer", 0 when it asks neither."""
    if _LESS.search(question):
        return -1
    return 1 if _MORE.search(question) else 0


def value(number: str, after: str) -> float:
    v = float(norm_number(number))
    first = after.split()[0].lower() if after.split() else ""
    return v * _SCALE.get(first, 1.0)


def option_phrases(question: str, places: list[str]) -> dict[str, str]:
    """The words of the question that go with each place ("the houses Jilin rebuilt")."""
    body = re.sub(r"^\s*which[^:,]*[:,]?", "", question, flags=re.I)
    parts = re.split(r",?\s+\bor\b\s+|;|,", body)
    out = {}
    for p in places:
        own = next((x for x in parts if mentions(x, p)), "")
        out[p] = own.strip() if len(own.split()) > 1 else ""
    return out


def best_figure(place: str, wanted: list[str], text: str, spans: list[tuple[int, int]],
                doc: str = "") -> Figure | None:
    """The number, in the clauses about `place`, whose nearby words best match `wanted`
    (stemmed terms of the question and of the place's own option words)."""
    best: tuple[float, Figure] | None = None
    for lo, hi in spans:
        clause = text[lo:hi]
        if not mentions(clause, place):
            continue
        for m in NUMBER.finditer(clause):
            percent = clause.startswith("%", m.end())
            if not percent and re.fullmatch(r"(19|20)\d\d", m.group(0)):
                continue  # a year, not a figure
            before = " ".join(_WORD.findall(clause[max(0, m.start() - 40) : m.start()])[-5:])
            rest = re.split(r"\d", clause[m.end() + percent : m.end() + percent + 40])[0]
            after = " ".join(_WORD.findall(rest)[:3])
            unit_word = next((w for w in after.split() if w.lower() not in _SCALE), "")
            near = set(terms(before + " " + after))
            score = len(near & set(wanted)) + 2 * len(set(terms(unit_word)) & set(wanted))
            if score == 0:
                continue
            words = [w.strip(",.") for w in after.split() if w.lower() not in _SCALE][:2]
            unit = frozenset({"%"} if percent else {w.lower() for w in words})
            scale = [w for w in after.split()[:1] if w.lower() in _SCALE]
            upto = max((i for i, w in enumerate(words) if set(terms(w)) & set(wanted)), default=0)
            written = (m.group(0) + "%" if percent
                       else " ".join([m.group(0), *scale, *words[: upto + 1]]))
            fig = Figure(place, written, value(m.group(0), after), unit, lo, hi, doc)
            if best is None or score > best[0]:
                best = (score, fig)
    return best[1] if best else None


def compare(question: str, places: list[str],
            text_spans: Callable[[str], list[tuple]]
            ) -> tuple[Figure, Figure, int] | None:
    """(winner, loser, direction) for a two-place comparison question, or None when
    it is not one, a figure is missing, or the figures are of different units.

    `text_spans(place)`: (document text, spans[, document id]) to look in for that
    place, best first.
    """
    sign = direction(question)
    if sign == 0 or len(places) != 2:
        return None
    q_terms = [t for t in terms(question) if t not in {terms(p)[0] for p in places if terms(p)}]
    phrases = option_phrases(question, places)
    figs = []
    for p in places:
        wanted = list(set(q_terms) | set(terms(phrases[p])))
        fig = None
        for text, spans, *doc in text_spans(p):
            cl = [c for lo, hi in spans for c in clause_spans(text, lo, hi)]
            fig = best_figure(p, wanted, text, cl, *doc)
            if fig:
                break
        if fig is None:
            return None
        figs.append(fig)
    a, b = figs
    if ("%" in a.unit) != ("%" in b.unit) or a.value == b.value:
        return None
    if not (phrases[a.place] and phrases[b.place]) and not a.unit & b.unit:
        return None  # the same measure asked of both: their units must agree
    win, lose = (a, b) if (a.value > b.value) == (sign > 0) else (b, a)
    return win, lose, sign
