"""The short answer inside a quoted one: the figure or the time a "how many" or "when"
question asks for ("1066", "5,529"), so that a reader finds it at once in the clause
that states it.

A quote answers with a whole clause, which is what can be checked; the short answer is
a span of it, never other text, so it is cited by the same passage. It is given only
for answer types whose span can be told reliably: counts, figures, percentages, years,
dates, times and durations. On the squad2-wiki dev split 46 quoted answers to answerable
questions have one: 42 are exactly a gold answer, the other 4 hold one ("April 1191"
for "1191"); on its test sample, 20 of the 20 in right quotes hold one, 19 exactly
(docs/EVALUATION.md). Persons and places are not given: spaCy's small model types names
too loosely ("Newcomen" as a place), and a first try picked the right "who" span for
only 31 of 46 of those dev answers.

How: the entities of the answer's type (`ENTITY_KINDS`, and a year or a number for
time and count questions) that the question does not name, two joined by "to" or a
dash taken as one range ("1763–1775"). A short answer is given only when one of them
can be it: the only one, or for a count the only one followed by the thing counted
("two mechanisms") or labelled with it ("Crossings: 8,400", as a table row reads).
Where several could be ("Around 1800 ...; his patent in 1802"), none is marked:
picking the one nearest the question's words marked a wrong span in 6 of 29 right
quotes of the squad2-wiki test sample.

Offsets count Unicode code points (Python's), as the answer's citations do.

Not handled: Chinese questions (their answers are written by the model), and
alternatives or lists ("three or four", "in 1945 and 1946"), which mark nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.gloss import explained
from index.nlp import entities
from index.text import NUMBER, expansions, same_word, sentence_spans, share_in, stem, stop_words
from index.units import SYMBOL_AFTER, is_symbol_of_measure, symbol_measures, symbol_names
from index.wordnet import is_unit

from .question import (
    CLOCK,
    ENTITY_KINDS,
    VERSION_NUMBER,
    Question,
    asks_clock,
    counted_in,
    day_spans,
    lasts,
    measured,
    versions,
)

# the answer types a short answer is given for, with the entity kinds that give them
KINDS: dict[str, frozenset[str]] = {
    "count": ENTITY_KINDS["count"],
    "number": ENTITY_KINDS["count"],
    "percent": frozenset({"PERCENT"}),
    "year": frozenset({"DATE"}),
    "date": frozenset({"DATE"}),
    "when": ENTITY_KINDS["when"] - {"EVENT"},
}
_YEAR = re.compile(r"\b(?:1\d|20)\d{2}\b")
# "one" is left to the entity model: more often a pronoun ("one may be adjusted")
_WORD_NUMBER = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|"
                          r"twelve|twenty|thirty|forty|fifty|hundred|thousand|dozen)\b", re.I)
# two figures that make one range: "1763–1775", "1% to 3%" (not "1945 and 1946", "three
# or four": two answers, and so none marked)
_JOINED = re.compile(r"\s*(?:[–—-]|to)\s*")
_ALTERNATIVE = re.compile(r"\s*(?:,|,? or|,? and)\s*")
# the label a figure follows, at the start of a table's cell: "| Crossings: 8,400"
_LABEL = re.compile(r"(?:^| \| )([^\W\d_]+)\s*:\s*$")


@dataclass(frozen=True)
class ShortAnswer:
    text: str
    start: int  # offsets in the answer text
    end: int


def short_answer(q: Question, answer: str) -> ShortAnswer | None:
    """The span of `answer` that gives what `q` asks for, or None.

    >>> from qa.question import Question
    >>> q = Question.parse("When did the Normans conquer England?")
    >>> short_answer(q, "Normans conquered England at the Battle of Hastings in 1066.")
    ShortAnswer(text='1066', start=55, end=59)
    >>> q = Question.parse("How many houses did Jilin rebuild?")
    >>> short_answer(q, "Jilin rebuilt 5,529 houses in 2023 and 120 bridges.").text
    '5,529'
    >>> q = Question.parse("How many valves did the Corliss engine use?")
    >>> short_answer(q, "The Corliss engine, patented in 1849, was a four-valve engine.").text
    'four'
    >>> q = Question.parse("When did Watt develop his engine?")
    >>> short_answer(q, "Watt developed (1763–1775) an improved engine.").text
    '1763–1775'
    >>> q = Question.parse("How many mechanisms keep the boiler's pressure from going too high?")
    >>> short_answer(q, "Engines have two mechanisms so that the pressure does not go too high; "
    ...              "one is set by the user.").text
    'two'
    >>> q = Question.parse("In what year did Trevithick patent his engine?")
    >>> short_answer(q, "Around 1800 Trevithick built engines; he obtained his patent in 1802.")
    >>> short_answer(Question.parse("When did the war end?"), "It ended in 1945 and 1946 was calm.")
    >>> q = Question.parse("How many expansion stages do such engines use?")
    >>> short_answer(q, "Such engines use either three or four expansion stages.")
    >>> short_answer(Question.parse("Who founded it?"), "Rollo founded it in 911.")
    >>> q = Question.parse("How many crossings were there in 2021?")
    >>> short_answer(q, "Year: 2021 | Passengers: 1.2 million | Crossings: 8,400").text
    '8,400'
    >>> short_answer(Question.parse("How many boats are there?"), "Note: 40 boats, 9 crews.").text
    '40'
    >>> q = Question.parse("How long must the offer remain valid?")
    >>> short_answer(q, "a written offer, valid for at least three years and for as long "
    ...              "as you offer spare parts").text
    'at least three years'
    >>> short_answer(q, "It is valid for 30 days, or 60 days after notice.")
    >>> short_answer(Question.parse("How much memory does it need?"), "It needs 512 MiB.").text
    '512 MiB'
    >>> short_answer(Question.parse("How much did they pay?"), "They paid 200 in cash.").text
    '200'
    >>> short_answer(Question.parse("What does DER stand for?"), "It reads Distinguished "
    ...              "Encoding Rules (DER) files.").text
    'Distinguished Encoding Rules'
    """
    if q.term and (spans := explained(answer, q.term)):  # "What does isobaric mean?"
        return ShortAnswer(answer[spans[0][0] : spans[0][1]], *spans[0])
    if q.expects == "expansion" and q.abbreviation:  # "What does DER stand for?"
        spans = expansions(answer, q.abbreviation)
        return ShortAnswer(answer[spans[0][0] : spans[0][1]], *spans[0]) if spans else None
    if q.expects == "version":  # "Added in: v10.2.0"; one version, however often written
        spans = versions(q.text, answer)
        if len({VERSION_NUMBER.search(answer, *sp).group(0) for sp in spans}) != 1:
            return None
        a, b = max(spans, key=lambda sp: sp[1] - sp[0])
        return ShortAnswer(answer[a:b], a, b)
    if q.expects == "duration":  # "at least three years": one span of time or length
        return _duration(q, answer)
    if q.expects == "when" and asks_clock(q.text):  # "At what time ...?": one time of day
        spans = {m.span() for m in CLOCK.finditer(answer)}
        return ShortAnswer(answer[slice(*min(spans))], *min(spans)) if len(spans) == 1 else None
    kinds = KINDS.get(q.expects or "")
    if q.chinese or not kinds or not answer.strip():
        return None
    found = entities(answer)
    spans = [(e.start, e.start + len(e.text.rstrip(".,;:"))) for e in found
             if e.label in kinds]  # not a sentence's full stop: "draws 50mA."
    if q.expects in ("year", "when"):
        spans += [m.span() for m in _YEAR.finditer(answer)]
    if q.expects in ("count", "number"):
        dates = [(e.start, e.end) for e in found if e.label in ("DATE", "TIME")
                 and not _SPAN_OF_TIME.fullmatch(answer[e.start:e.end])]  # "in 1849", not "30 days"
        spans += [m.span() for m in (*NUMBER.finditer(answer), *_WORD_NUMBER.finditer(answer))
                  if not any(a <= m.start() < b for a, b in dates)]  # not "in 1849"
        spans += [m.span(1) for m in SYMBOL_AFTER.finditer(answer)  # and one its unit's
                  if is_symbol_of_measure(m[2], m[1])
                  and not any(a <= m.start() < b for a, b in dates)]
        # symbol is set against: "50mA", "12V" (not a decade: "the 1990s")
    asked = {w.lower() for w in re.findall(r"\w+", q.text)}
    cands = _joined(answer, sorted({(a, b) for a, b in spans if {
        w.lower() for w in re.findall(r"\w+", answer[a:b])} - asked}))

    def counts_it(span: tuple[int, int]) -> bool:  # "two mechanisms" for "how many mechanisms"
        if not q.quantity:
            return False
        label = _LABEL.search(answer[:span[0]])
        if label and same_word(stem(label.group(1)), q.quantity):
            return True  # "Crossings: 8,400", as a table's row reads: the figure of its label
        after = re.findall(r"[^\W\d_]+", answer[span[1]:span[1] + 40].split(" | ")[0])[:3]
        if any(counted_in(q.quantity, stem(w), measured(q.text)) for w in after):
            return True
        unit = SYMBOL_AFTER.match(answer, span[0])  # "2,500 m" for "how many metres",
        return bool(unit and span[1] in (unit.end(1), unit.end())  # "50mA" for current
                    and (q.quantity in symbol_names(unit[2])
                         or measured(q.text) and q.quantity in symbol_measures(unit[2])))

    counted = [c for c in cands if counts_it(c)]
    if len(counted) != 1 and len(cands) != 1:
        return None  # none, or several that could be it
    a, b = counted[0] if len(counted) == 1 else cands[0]
    if any(_ALTERNATIVE.fullmatch(answer[d:a]) for c, d in cands if d <= a) or any(
            _ALTERNATIVE.fullmatch(answer[b:c]) for c, d in cands if c >= b):
        return None  # one of alternatives: "three or four expansion stages"
    if measured(q.text) and (unit := _UNIT_AFTER.match(answer, b)) and _a_unit(q, unit.group(1)):
        b = unit.end()  # "How much data was deleted?": "300 GB", not "300"
    if a and answer[a - 1] in "-−" and (a == 1 or answer[a - 2] in " ([:="):
        a -= 1  # "−3 °C" is not 3 degrees; "10-20" is a range
    return ShortAnswer(answer[a:b], a, b)


def stamp_answer(q: Question, stamp: str) -> ShortAnswer:
    """The short answer a heading that is a time or a version (`is_stamp`) gives, at the
    start of an answer that opens with it: its time of day for "At what time ...?", its
    year for "What year ...?", its version for "Which version ...?", when it holds one of
    each, else all of it but a note in brackets.

    >>> stamp_answer(Question.parse("At what time did it go live?"), "Mar 3 2024 09:12").text
    '09:12'
    >>> stamp_answer(Question.parse("What year did it go live?"), "Mar 3 2024 09:12").text
    '2024'
    >>> stamp_answer(Question.parse("When did it go live?"), "22:52 (maybe earlier?)").text
    '22:52'
    >>> stamp_answer(Question.parse("On what date did it go live?"), "Feb 22, 07:13 … 07:18").text
    'Feb 22'
    """
    rx = (CLOCK if q.expects == "when" and asks_clock(q.text) else _YEAR if q.expects == "year"
          else VERSION_NUMBER if q.expects == "version" else None)
    spans = ([m.span() for m in rx.finditer(stamp)] if rx
             else day_spans(stamp) if q.expects == "date" else [])
    if len(spans) == 1:
        return ShortAnswer(stamp[slice(*spans[0])], *spans[0])
    end = len(stamp.split("(")[0].rstrip()) or len(stamp)
    return ShortAnswer(stamp[:end], 0, end)


_UNIT_AFTER = re.compile(r"\s?([^\W\d_]+)\b")
# a count of a unit of time, which spaCy labels a date ("30 days", "the next four weeks")
_SPAN_OF_TIME = re.compile(r"(?:(?:the|a|an|about|around|some|over|under|within|next|last|"
                           r"first|past|up|to|at|least|most|more|less|than|nearly|almost|only|"
                           r"just|\s)+)?[\d,.]+\s*(?:seconds?|minutes?|hours?|days?|"
                           r"weeks?|months?|years?|decades?|centuries)", re.I)


def _a_unit(q: Question, word: str) -> bool:
    """Whether the word after a figure is its unit: one WordNet knows ("GB", "tonnes"),
    not a word of a sentence ("200 in cash"), or one of the measure asked ("dollars" of
    a cost)."""
    return (is_unit(word) and word.lower() not in stop_words()
            or bool(q.quantity) and (counted_in(q.quantity, stem(word), True)
                                     or q.quantity in symbol_measures(word)))


def _joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans, those inside a longer one dropped ("1066" in "October 1066") and two
    joined by a dash or "to" made one range."""
    spans = [c for c in spans if not any(o != c and o[0] <= c[0] and c[1] <= o[1]
                                         for o in spans)]
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and _JOINED.fullmatch(text[out[-1][1]:a]):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _most_like(q: Question, answer: str, spans: list[tuple[int, int]],
               parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans within the one part of `answer` with spans that has the most of the
    question's words; none when parts tie."""
    parts = [(a, b) for a, b in parts if any(a <= x and y <= b for x, y in spans)]
    shares = [share_in(q.terms, answer[a:b]) for a, b in parts]
    best = [parts[i] for i, v in enumerate(shares) if v == max(shares, default=0)]
    if len(best) != 1:
        return []
    return [(a, b) for a, b in spans if best[0][0] <= a and b <= best[0][1]]


def _duration(q: Question, answer: str) -> ShortAnswer | None:
    """The one span of time or length in `answer`, or in the one sentence (or clause
    between semicolons) with a span that has the most of the question's words
    ("Releases appearing each October have a support life of 8 months." after "... a
    new major version every 6 months."); None when that one has several, or they tie.

    >>> q = Question.parse("How long is the support life of releases appearing each October?")
    >>> _duration(q, "It releases every 6 months. Releases appearing each October have a "
    ...           "support life of 8 months.").text
    '8 months'
    >>> _duration(q, "Some last 6 months. Others last 8 months.")
    >>> _duration(Question.parse("How long are 5XX responses cached?"),
    ...           "5XX responses get cached for 1s; mirror responses for 15 minutes.").text
    '1s'
    >>> _duration(Question.parse("How long is the warranty on the X200 laptop?"),
    ...           "The X200 laptop's warranty is generous; it covers 2 years. The X300 covers "
    ...           "1 year.").text
    '2 years'
    """
    spans = lasts(q.text, answer)
    if len(spans) > 1:  # the sentence most like the question, then its clause
        spans = _most_like(q, answer, spans, sentence_spans(answer))
    if len(spans) > 1:
        spans = _most_like(q, answer, spans, [(m.start(), m.end())
                                              for m in re.finditer(r"[^;]+", answer)])
    return ShortAnswer(answer[spans[0][0] : spans[0][1]], *spans[0]) if len(spans) == 1 else None
