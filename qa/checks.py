"""Verification of an answer: named checks, each returning why it refuses or None.

`verify` first matches each answer sentence to the source sentence that supports it
(those offsets become the citations; model-written "[n]" markers are ignored), then
runs `CHECKS` in order over the draft. A refusal reads "<check>: <why>", so a user
and the evaluation report can see which check refused:

- `support`       every sentence is backed by one source sentence (recall of its words)
- `numbers`       every number is in the evidence, in a passage about the subject asked
- `names`         every proper name is in the cited text, its paragraph or the question;
                  a foreign person's name written in Chinese ("约翰·斯洛威尔") needs a
                  person named in the passages the answer was written from
- `binding`       a number is attached to the same words as in the source
- `answer-type`   "when" gives a time, "who" a person or organisation, "how many" a
                  count, "where" a place, "how long" a span of time or a length, "what
                  phone number / email address / website" one of those
- `count`         a count answers with a figure for the thing counted
- `restates`      the answer says something the question does not (no circular answers,
                  no Chinese answer that asks a question back)
- `relevance`     the cited passage matches the question about as well as the best one
- `subject`       the cited passages are about the places asked about
- `negation`      a question about what is not so rests on a passage that denies
                  something, and one about what is so not on a passage that writes
                  its word only to deny it ("are not fully understood", "prevent T
                  cells from responding", "fails to start")
- `opposite`      the cited passage does not have, instead of the question's word, its
                  opposite ("least" and "most", "self" and "non-self", and WordNet's
                  opposites of adjectives and adverbs: "small" and "large")
- `modifier`      the cited words do not describe the question's noun with another
                  adjective or noun instead of its own ("the most famous work" for "the
                  oldest work", "steam engines" for "jet engines"); one of the same
                  sense in WordNet counts as its own
- `superlative`   the cited words rank something, or speak of what the question ranks
                  by ("the least powerful drugs" needs their power, in any form or
                  sense of the word)
- `swapped`       the cited words put another noun, adjective or name where the question
                  has its own, in the same words around it ("the structure and function
                  of the immune system" for "... of the brain"), when the cited
                  documents use the question's word elsewhere; not a word of the same
                  sense, nor a kind of the other ("the organ" for "the thymus")
- `figures`       every year, decade or century of the question is in the cited passage
                  when it gives one, and the cited words state no other instead; they
                  number or letter no name of the question only otherwise ("Table 3"
                  for "Table 2", "B cell" for "T cell"), name the release whose
                  date is asked ("Node.js 1.0"), and bound no figure of the question
                  from the other side ("up to 25" for "more than 25")

The last six (`PASSAGE_CHECKS`) read only the question and the cited passage (and, for
`swapped`, whether the cited documents use a word); quotes are held to them too.

Not handled: the scope of a negation (which words it denies), the sense a word has
in its sentence (every WordNet sense is tried), or paraphrased numbers ("a dozen" for
12); an answer that restates the evidence wrongly but with the same words passes these
checks (the answerability judgement, qa/answerability.py, is what catches some of
those).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from index.nlp import entities as ner
from index.store import Index, Sentence
from index.text import (
    EXCEPTING,
    Name,
    asks_negative,
    content_terms,
    contrary_figure,
    contrary_letter,
    contrary_number,
    denied,
    entities,
    is_chinese,
    kept_from,
    mentions,
    missing_ordinal,
    negated,
    norm_number,
    number_phrases,
    numbers,
    opposed,
    opposite_bound,
    opposite_limit,
    outside_swapped,
    recall_of,
    same_word,
    sentence_spans,
    share_in,
    stem,
    swapped_figure,
)
from index.units import contrary_measure, figures_in
from index.wordnet import (
    event_opposed,
    missing_rank,
    opposite_in,
    prefix_denial,
    swapped_modifier,
    swapped_word,
)

from .evidence import Evidence, about, relevance, unnamed, window_text, written
from .lexicon import Glossary
from .question import (
    DEFAULT_STATED,
    Question,
    counted_in,
    gives_answer_type,
    measured,
    release_asked,
)

MIN_SUPPORT = 0.5


@dataclass
class Draft:
    """An answer under verification, with what the checks need."""

    answer: str
    q: Question
    evidence: list[Evidence]
    index: Index
    candidates: list[tuple[Evidence, Sentence, str]]  # every sentence of the evidence chunks
    cited: list[tuple[Evidence, Sentence]] = field(default_factory=list)
    glossary: Glossary = field(default_factory=Glossary)

    def cited_text(self) -> str:
        return " ".join(e.doc.text[s.start : s.end] for e, s in self.cited)


@dataclass
class Verification:
    ok: bool
    reasons: list[str] = field(default_factory=list)
    spans: list[tuple[Evidence, Sentence]] = field(default_factory=list)  # cited (evidence, sentence)


_MARKERS = re.compile(r"\s*\[\d+(?:,\s*\d+)*\]")


def clean_answer(text: str) -> str:
    """Drop model-written [n] markers, 'Answer:' prefixes and trailing junk."""
    text = _MARKERS.sub("", text).strip()
    text = re.sub(r"^((answer|a|evidence|response)\s*[:：]\s*)+", "", text, flags=re.IGNORECASE)
    return text.strip().strip('"').strip()


def candidates_of(evidence: list[Evidence], index: Index) -> list[tuple[Evidence, Sentence, str]]:
    """Every sentence of the evidence chunks, as (evidence, sentence, its text)."""
    return [(e, s, e.doc.text[s.start : s.end])
            for e in evidence for s in index.chunk_sentences(e.chunk.chunk_id)]


def _support(sent: str, d: Draft) -> tuple[float, Evidence, Sentence]:
    """The evidence sentence that best supports an English answer sentence, and how
    much of the sentence's claim it holds (recall of its content words)."""
    # words echoed from the question are its framing ("Sichuan warns against ..."):
    # what must be supported is what the answer adds to them
    added = [w for w in content_terms(sent) if w not in d.q.terms]
    claim = added if len(added) >= 2 else content_terms(sent)
    r, e, s = max(((share_in(claim, t) + 0.01 * (e is d.evidence[0]), e, s)
                   for e, s, t in d.candidates), key=lambda x: x[0])
    return r, e, s


def _support_chinese(sent: str, d: Draft) -> tuple[Evidence, Sentence]:
    """A Chinese answer over English text: supported through the numbers it states,
    else through its English words and the glossary's terms, else the top evidence."""
    nums = numbers(sent)
    best = next(((e, s) for e, s, t in d.candidates if nums and nums <= numbers(t)), None)
    places, gloss = d.glossary.english_terms(sent)
    probe = " ".join([*re.findall(r"[A-Za-z][A-Za-z-]+", sent), *places, *gloss])
    if best is None and content_terms(probe):
        r, e, s = max(((recall_of(probe, t) + 0.01 * (e is d.evidence[0]), e, s)
                       for e, s, t in d.candidates), key=lambda x: x[0])
        best = (e, s) if r >= 0.3 else None
    return best or (d.evidence[0], d.evidence[0].sentence)


def check_support(d: Draft) -> str | None:
    refused = None
    for a, b in sentence_spans(d.answer) or [(0, len(d.answer))]:
        sent = d.answer[a:b]
        if d.q.chinese or is_chinese(sent):
            best = _support_chinese(sent, d)
        else:
            r, e, s = _support(sent, d)
            if r < MIN_SUPPORT:
                refused = refused or f"unsupported sentence: {sent[:80]!r} (best support {r:.2f})"
                continue
            best = (e, s)
        if best not in d.cited:
            d.cited.append(best)
    return refused


def check_numbers(d: Draft) -> str | None:
    """Each number must be in the cited text; the sentence that holds it is cited too."""
    for n in sorted(numbers(d.answer)):
        if n in numbers(d.cited_text()):
            continue
        holders = [(e, s) for e, s, t in d.candidates if n in numbers(t)]
        # a figure taken from a passage about another place is not a figure about this one
        near = [(e, s) for e, s in holders
                if (any if d.q.expects == "choice" else all)(about(e, s, p) for p in d.q.places)]
        if not holders:
            return f"number {n} is not in the evidence"
        if not near:
            return f"number {n} comes from a passage about another subject"
        d.cited.append(near[0])
    return None


def check_names(d: Draft) -> str | None:
    allowed = (d.cited_text() + " " + " ".join({e.scope for e, _ in d.cited}) + " "
               + d.q.text)
    for name in entities(d.answer):
        if not mentions(allowed, Name(name, d.index.vocabulary.aliases(name))):
            return f"name {name!r} is not in the evidence"
    # a foreign person's name written in Chinese ("约翰·斯洛威尔") cannot be matched
    # against English text; the passages the answer was written from must name a
    # person at least
    for m in _TRANSLITERATED.finditer(d.answer):
        if m.group(1) not in d.q.text and not any(
                e.label == "PERSON" for e in ner(" ".join(dict.fromkeys(
                    [d.cited_text(), *(e.paragraph_text for e in d.evidence)])))):
            return f"the answer names a person ({m.group(0)}) and no passage names one"
    return None


# a foreign name in Chinese: its parts joined by a middle dot ("约翰·斯洛威尔"); the
# group is the part after the first dot (the surname)
_TRANSLITERATED = re.compile(r"[\u4e00-\u9fff]{1,4}[·・•‧]([\u4e00-\u9fff]{1,6})")


def _bound(n: str, after: list[str], source: str) -> bool:
    """The words after a number in the answer also follow it (within 5 words) in the source."""
    return not after or any(m_n == n and set(after) <= set(m_after)
                            for m_n, m_after in number_phrases(source, wide=True))


def check_binding(d: Draft) -> str | None:
    for n, words_after in number_phrases(d.answer):
        sources = [t for _, _, t in d.candidates if n in numbers(t)]
        if sources and not any(_bound(n, words_after, t) for t in sources):
            return f"number {n} is attached to other words in the evidence"
    return None


def check_answer_type(d: Draft) -> str | None:
    if not gives_answer_type(d.q, d.answer):
        return f"the answer does not give the {d.q.expects} asked for"
    return None


def check_count(d: Draft) -> str | None:
    if d.q.expects != "count" or not d.q.quantity or not gives_answer_type(d.q, d.answer):
        return None
    stated = {n for n, _ in number_phrases(d.answer)}
    measure = measured(d.q.text)
    if not any(m_n in stated and any(counted_in(d.q.quantity, w, measure) for w in after)
               for _, _, t in d.candidates for m_n, after in number_phrases(t, wide=True)) \
            and not any(norm_number(f) in stated for _, _, t in d.candidates
                        for f in figures_in(t, d.q.quantity, measure)):  # "2,500 m" for metres
        return f"the answer gives no figure for {d.q.quantity!r} found in the evidence"
    return None


def restates(q: Question, text: str) -> bool:
    """Whether text says nothing the question does not: all its words are the
    question's ("The heralded by the division bell is the division bell."; numbers
    count as words), or it is a question itself (an FAQ's question line). Chinese text
    is not judged.

    >>> q = Question.parse("What does the licence say about trademarks?")
    >>> restates(q, "The Licence"), restates(q, "Does the licence cover trademarks?")
    (True, True)
    >>> restates(q, "It grants no permission to use the trade names.")
    False
    """
    if is_chinese(text):  # a Chinese answer that asks a question back ("修复团队应该在多长
        return bool(re.search(r"[？?]", text))  # 时间内组建？") restates it
    if q.chinese:
        return False
    if text.rstrip().endswith("?"):
        return True
    asked = set(q.terms) | set(content_terms(" ".join(q.places + q.names)))
    return all(any(same_word(t, a) for a in asked) for t in content_terms(text))


# a label a title opens with: "APPENDIX:", "Chapter 3:", "Part II:" (three words at most)
_LEAD_LABEL = re.compile(r"^\s*[A-Z][\w.]*(?: [\w.]+){0,2}:\s+")
# a title that names a task, not a sentence: "How to apply the Apache License to your work."
_TASK_TITLE = re.compile(r"^\s*(?:how|what|when|where|why) to\b", re.I)


def unquotable(q: Question, text: str) -> bool:
    """Whether a passage cannot be quoted as the answer: it is a question (an FAQ's
    question line), or it holds only the question's words and is no sentence (a
    heading, or a task's title: "How to apply the License."). A sentence of the
    question's words can answer it ("Mercury is the working fluid in the mercury vapor
    turbine.").

    >>> q = Question.parse("What does the licence say about trademarks?")
    >>> unquotable(q, "The Licence"), unquotable(q, "The licence says so about trademarks.")
    (True, False)
    >>> q = Question.parse("How is the Apache License applied to my work?")
    >>> unquotable(q, "APPENDIX: How to apply the Apache License to your work.")
    True
    >>> unquotable(q, "To apply the Apache License to your work, attach this notice.")
    False
    """
    t = text.rstrip()
    title = _LEAD_LABEL.sub("", t, count=1)  # "APPENDIX: How to apply the License."
    return restates(q, t) and (t.endswith("?") or not t.endswith((".", "!", "。", "！"))) \
        or _TASK_TITLE.match(title) is not None and restates(q, title)


def check_restates(d: Draft) -> str | None:
    return "the answer only restates the question" if restates(d.q, d.answer) else None


def check_relevance(d: Draft) -> str | None:
    if d.q.chinese or len(d.q.terms) < 2 or not d.cited:
        return None
    best = max(relevance(d.q, e.context) for e in d.evidence)
    got = max(relevance(d.q, window_text(d.index, e, s, d.q)) for e, s in d.cited)
    if got < best - 0.3:
        return (f"the answer rests on a passage that matches the question less well "
                f"({got:.2f}) than another ({best:.2f})")
    return None


def unbound_places(q: Question, cited) -> list[str]:
    """The places asked about that none of the cited (evidence, sentence) pairs is about;
    for "A or B?", both when neither is. Also asked of the whole evidence before the
    model runs: a place no passage is about fails `subject` whatever it writes."""
    bound = [p for p in q.places if any(about(e, s, p) for e, s in cited)]
    if q.expects == "choice":  # "Jiangsu or Shandong?": about one of them at least
        return [] if bound or not q.places else list(q.places)
    return [p for p in q.places if p not in bound]


def check_subject(d: Draft) -> str | None:
    q = d.q
    missing = unbound_places(q, d.cited)
    if missing:
        return f"the cited passages are not about {missing[0]}"
    if q.expects != "choice" and d.cited and (
            gone := unnamed(q, {e.doc.doc_id: e.doc for e, _ in d.cited}.values(),
                            d.index.vocabulary)):
        return f"no cited document names {gone[0]}"
    off = [s for e, s in d.cited if q.places and not any(about(e, s, p) for p in q.places)]
    if off:  # "Shandong's growth rate ... 5.8%" supported by the Jiangsu sentence
        return (f"{len(off)} cited passage(s) are about something other than "
                + ", ".join(q.places))
    return None


Check = Callable[[Draft], str | None]


# a condition the question sets on what it asks: "if I don't specify one", "when no count
# is passed", "Unless ..., what ...?"; not the question word "When" itself
_ASKED_IF = re.compile(r"^\s*(?:if|when|whenever|unless)\b[^,?]*,|(?<=\w)[\s,]+(?:if|when|"
                       r"whenever|unless)\b[^,?]*", re.I)
# what such a condition leaves out, when a default is what holds: a value not given
_NOT_GIVEN = re.compile(r"\b(specif\w*|give|given|gives|pass|passed|set|provid\w*|suppl\w*|"
                        r"includ\w*|defin\w*|omit\w*|enter\w*|select\w*|choose|chosen)\b",
                        re.I)


def negation_gap(q: Question, near: str, wide: str,
                 docs: Sequence[str] = ()) -> str | None:
    """A question about what is not so ("What is not a cause of tumour antigens?",
    "What are bacteria unable to secrete?") is answered only by a passage that denies
    something. A question that asks what holds
    when a value is not given ("What signal does kill() send if I don't specify one?")
    asks what is so then, and a passage that states the default answers it; "What
    occurs when antibodies will not bind?" still needs a passage that denies.
    The other way round, a question about what is so ("What is fully understood about
    them?") is not answered by a passage that writes its word only to deny it ("are not
    fully understood"), unless the passage says when it holds ("may not be changed
    unless the seal is broken")."""
    if q.chinese:
        return None
    if not asks_negative(q.text):
        return _denied_gap(q, near)
    if negated(near, wide=True, asked=q.text) or EXCEPTING.search(near) \
            or prefix_denial(near, q.text) \
            or _unless_for_without(q.text, near):
        # "becomes inactive" for "without any activity"; "vulnerable to a 33% attack
        # unless there is a checkpoint" for "Without a checkpoint, what attack ...?"
        return None
    if (not asks_negative(_ASKED_IF.sub(" ", q.text)) and DEFAULT_STATED.search(near)
            and any(asks_negative(c.group(0)) and _NOT_GIVEN.search(c.group(0))
                    for c in _ASKED_IF.finditer(q.text))):
        return None
    return "the question asks what is not so, and the cited passage denies nothing"


# what holds unless something is so holds without it
_UNLESS = re.compile(r"\bunless\b([^,.;:?!]*)", re.I)
_WITHOUT = re.compile(r"\bwithout\b([^,.;:?!]*)", re.I)


def _unless_for_without(question: str, near: str) -> bool:
    """Whether the passage says "unless" of something the question says "without" of
    ("unless there is a checkpoint" for "Without a checkpoint, ...")."""
    missing = {w for m in _WITHOUT.finditer(question) for w in content_terms(m[1])}
    return any(missing & set(content_terms(m[1])) for m in _UNLESS.finditer(near))
_LIFTED = re.compile(r"\b(?:unless|until|except|only (?:if|when|after))\b", re.I)
_YES_NO = re.compile(r"^\s*(?:is|are|was|were|do|does|did|can|could|may|must|should|will|"
                     r"would|has|have|had)\b", re.I)


def _denied_gap(q: Question, near: str) -> str | None:
    """The word of a question about what is so that the passage writes only to deny
    it; not for a yes/no question (a denial answers "no"), one that already sets
    something aside ("instead of deleting them") or asks what keeps it from being done
    ("What prevents steel from rusting?"), one that names what is kept from being done
    as a thing ("How is overheating avoided?"), nor a denial with a figure (a limit:
    "it could not handle files more than 512 megabytes long")."""
    if _LIFTED.search(near) or _YES_NO.match(q.text) or negated(q.text, wide=True):
        return None
    said = [stem(w.lower()) for w in re.findall(r"[^\W\d_]+", near)]
    figured = set().union(*(denied(near[a:b]) for a, b in sentence_spans(near)
                            if numbers(near[a:b])))
    things = {stem(w.lower()) for w in re.findall(r"[^\W\d_]+ing\b", q.text)}
    gone = {w for w in denied(near) & set(content_terms(q.text)) - figured - denied(q.text)
            - (kept_from(near) & things) if said.count(w) == 1}
    word = next((w for w in re.findall(r"[^\W\d_]+", q.text) if stem(w.lower()) in gone), None)
    return f"the cited passage writes {word!r} only to deny it" if word else None


def opposite_gap(q: Question, near: str, wide: str,
                 docs: Sequence[str] = ()) -> str | None:
    """"The least abundant ..." is not answered by a passage about "the most abundant".
    "Which is larger, A or B?" is: "A is smaller than B" answers it. "When was it
    closed?" is not by when it opened."""
    word = None if q.chinese or q.expects == "choice" else opposed(q.text, near) or (
        None if _YES_NO.match(q.text) else opposite_in(q.text, near)  # "Is it slow?": "fast"
        or outside_swapped(q.text, near, q.places + q.names)  # "outside the US": "in"
        or (event_opposed(q.text, near) if q.expects in ("when", "year", "date") else None))
    return f"the question asks about {word!r}, the cited passage about its opposite" \
        if word else None


def modifier_gap(q: Question, near: str, wide: str,
                 docs: Sequence[str] = ()) -> str | None:
    """"What is the oldest work of Norman art?" is not answered by "the most famous
    work", nor "What device is used in jet engines?" by "steam engines"; "a main
    advantage" is by "its principal advantage" (WordNet's senses)."""
    if q.chinese or q.expects == "choice" or not (pair := swapped_modifier(q.text, near)):
        return None
    return f"the question's {pair!r} is not in the cited words, which describe it otherwise"


def superlative_gap(q: Question, near: str, wide: str,
                    docs: Sequence[str] = ()) -> str | None:
    """"What are the least powerful anti-inflammatory drugs?" is not answered by a
    passage that ranks nothing and never speaks of their power: what ranks first by a
    property is said where a ranking or the property is. "The highest building"
    answers "the tallest", "the famous work" "the most well known piece" (WordNet's
    senses); "the best way" and "the latest version" are not asked of the text."""
    if q.chinese or q.expects == "choice" or not (rank := missing_rank(q.text, near)):
        return None
    return f"the question asks for the {rank!r}; the cited words rank nothing and never speak of it"


def swapped_gap(q: Question, near: str, wide: str,
                docs: Sequence[str] = ()) -> str | None:
    """"What is a science that examines the structure and function of the brain?" is not
    answered by "Immunology is a science that examines the structure and function of
    the immune system.": the cited words say the question's words around another thing
    (`index.wordnet.swapped_word`) that the cited documents speak of elsewhere. A word
    they never use is the asker's own for what they call otherwise."""
    def used(word: str) -> bool:
        pattern = re.compile(rf"\b(?:{re.escape(word)}|{re.escape(stem(word))})", re.IGNORECASE)
        return any(pattern.search(d) for d in docs)

    if q.chinese or q.expects == "choice" or not (
            pair := swapped_word(q.text, near, used if docs else None)):
        return None
    mine, theirs = pair.split(" / ")
    return (f"the question's {mine!r} is not in the cited words, which say {theirs!r} in "
            "the same words around it")


# what a thing is set against ("... than Rings", "unlike Rings", "compared with Rings"),
# read back from where a name is written; not "none other than Halley", "rather than"
_SET_AGAINST = re.compile(r"\b(?:(?<!\bother\s)(?<!\brather\s)than|unlike|compared\s+(?:to|with)|"
                          r"as\s+opposed\s+to|"
                          r"in\s+contrast\s+(?:to|with)|relative\s+to)\s+(?:the\s+|that\s+of"
                          r"\s+(?:the\s+)?|those\s+of\s+(?:the\s+)?)?$", re.I)
# a question that compares things itself: "Why does it offer less polyphony than Rings?"
_COMPARES = re.compile(r"\b(?:than|unlike|compar\w*|contrast\w*|versus|vs|relative)\b", re.I)


def compared_gap(q: Question, near: str, wide: str,
                 docs: Sequence[str] = ()) -> str | None:
    """"How many voices does Rings offer?" is not answered by "Plaits uses a less
    powerful processor than Rings, and is thus limited to 3 voices": a name of the
    question that the cited words write only as what something else is set against
    ("than Rings", "unlike Rings", "compared with Rings") is not what they state a
    figure or a fact of. Not for a question that compares things itself."""
    if q.chinese or q.expects == "choice" or _COMPARES.search(q.text):
        return None
    for name in q.names + q.places:
        spots = [m.start() for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", near)]
        if spots and all(_SET_AGAINST.search(near, max(0, i - 40), i) for i in spots):
            return f"the cited words name {name!r} only as what something else is set against"
    return None


def figure_gap(q: Question, near: str, wide: str,
               docs: Sequence[str] = ()) -> str | None:
    """"Who patented a steam engine in 1883?" is not answered by the patent of 1606. The
    cited paragraphs and their documents' titles are read, and a passage that gives no
    year refuses no year: a report often gives its year once, for all its paragraphs.
    The cited words themselves must not state another year, decade, century or ordinal
    instead of the question's ("described by Giovanni Branca in 1629" for "in 1690"), or
    put another where the question has its own ("the 19th century" for "the 20th
    century"), whatever the paragraph says elsewhere; nor number a name of the question
    only otherwise ("bzip2-0.1" for "bzip2 1.0.3", "Table 3" for "Table 2"), nor bound a
    figure of the question from the other side ("up to 25" for "more than 25"), nor
    bound a count asked as a maximum from below only ("at least 4" for "the maximum
    number"), nor
    measure in the question's unit only otherwise ("+12V" for "the +5V rail")."""
    if q.chinese:
        return None
    if fig := contrary_figure(q.text, wide):
        return f"the question's {fig!r} is not in the cited passage, another is"
    if fig := contrary_figure(q.text, near):
        return f"the question's {fig!r} is not in the cited words, which state another"
    if fig := swapped_figure(q.text, near):
        return f"the question's {fig!r} is not in the cited passage, which has another in its place"
    if fig := contrary_number(q.text, near):
        return f"the question's {fig!r} is not in the cited words, which number it otherwise"
    if fig := missing_ordinal(q.text, wide):  # "the third model bank": "a bank of 8"
        return f"the question's {fig!r} is not in the cited passage, which singles out none"
    if fig := contrary_letter(q.text, near):
        return f"the question's {fig!r} is not in the cited words, which letter it otherwise"
    if fig := contrary_measure(q.text, near):  # "the +5V rail" against "+12V", "-12V"
        return f"the question's {fig!r} is not in the cited words, which measure otherwise"
    if fig := opposite_bound(q.text, near):
        return (f"the question bounds {fig} from one side ('more than', 'at least'), the "
                "cited words from the other ('up to', 'under')")
    if q.expects == "count" and (fig := opposite_limit(q.text, near)):  # not "the minimum
        # wage": "under $5 a day" may be how a text gives it
        return (f"the question asks for a limit from one side ('maximum', 'at least'); the "
                f"cited words bound {fig} only from the other")
    # "When was Node.js 1.0 released?" is not answered by when other versions come out;
    # the paragraph or the title names it ("Windows 10"), "Python 3" names "Python 3.0"
    for name, n in release_asked(q):
        short = re.sub(r"(?:\.0)+$", "", n)
        if not any(written(x, t) for x in (n, short) for t in (near, wide)):
            return (f"the question asks when {name} {n} came out; the cited passage does not "
                    "name it")
    return None


# SQuAD 2.0 writes unanswerable questions by changing one that the text answers: adding
# a "not", swapping a word for its opposite or a year for another. The cited passage of
# an answer, quoted or generated, must then say what the question says (docs/EVALUATION.md)
PassageCheck = Callable[[Question, str, str, Sequence[str]], str | None]
PASSAGE_CHECKS: list[tuple[str, PassageCheck]] = [
    ("negation", negation_gap),
    ("opposite", opposite_gap),
    ("modifier", modifier_gap),
    ("superlative", superlative_gap),
    ("swapped", swapped_gap),
    ("compared", compared_gap),
    ("figures", figure_gap),
]


def passage_gap(q: Question, cited: list[Evidence]) -> str | None:
    """"<check>: <why>" of the first passage check that refuses the cited evidence
    windows (their paragraphs with their documents' titles, for `figures`), or None."""
    near = " ".join(dict.fromkeys(e.context for e in cited))
    wide = " ".join(dict.fromkeys(e.scope for e in cited))
    docs = [d.text for d in {e.doc.doc_id: e.doc for e in cited}.values()]
    return next((f"{name}: {why}" for name, check in PASSAGE_CHECKS
                 if (why := check(q, near, wide, docs))), None)


def _on_cited(check: PassageCheck) -> Check:
    def run(d: Draft) -> str | None:
        near = " ".join(window_text(d.index, e, s, d.q) for e, s in d.cited)
        docs = [doc.text for doc in {e.doc.doc_id: e.doc for e, _ in d.cited}.values()]
        return check(d.q, near, " ".join(dict.fromkeys(e.scope for e, _ in d.cited)), docs)
    return run


CHECKS: list[tuple[str, Check]] = [
    ("support", check_support),
    ("numbers", check_numbers),
    ("names", check_names),
    ("binding", check_binding),
    ("answer-type", check_answer_type),
    ("count", check_count),
    ("restates", check_restates),
    ("relevance", check_relevance),
    ("subject", check_subject),
    *((name, _on_cited(check)) for name, check in PASSAGE_CHECKS),
]


def verify(answer: str, q: Question, evidence: list[Evidence], index: Index,
           glossary: Glossary | None = None) -> Verification:
    """Run every check over the answer; the citations are the sentences it rests on."""
    cands = candidates_of(evidence, index)
    if not cands:
        return Verification(False, ["support: no evidence"])
    d = Draft(answer, q, evidence, index, cands, glossary=glossary or Glossary())
    reasons = [f"{name}: {why}" for name, check in CHECKS if (why := check(d))]
    return Verification(not reasons, reasons, d.cited)


def early_failure(partial: str, q: Question, evidence: list[Evidence], index: Index) -> str | None:
    """Why an English answer that begins with `partial` fails `verify` whatever text
    follows, or None: one of its finished sentences (one that another follows) is
    unsupported, or states a number found in no evidence sentence. Checks that more
    text could still satisfy (names, the answer type) are left to `verify`; this
    only lets generation stop once its answer is already refused."""
    spans = sentence_spans(partial)
    if q.chinese or len(spans) < 2:
        return None
    cands = candidates_of(evidence, index)
    if not cands:
        return None
    d = Draft(partial, q, evidence, index, cands)
    known = set().union(*(numbers(t) for _, _, t in cands))
    for a, b in spans[:-1]:
        sent = partial[a:b]
        if is_chinese(sent):
            continue
        r, _, _ = _support(sent, d)
        if r < MIN_SUPPORT:
            return f"support: unsupported sentence: {sent[:80]!r} (best support {r:.2f})"
        if missing := sorted(numbers(sent) - known):
            return f"numbers: number {missing[0]} is not in the evidence"
    return None


__all__ = ["CHECKS", "PASSAGE_CHECKS", "Draft", "Verification", "clean_answer",
           "early_failure", "passage_gap", "unbound_places", "verify"]
