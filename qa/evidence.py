"""Evidence selection: the sentences of the retrieved chunks that answer the question.

1. `select_evidence` scores every sentence of the retrieved chunks against the
   question (dense similarity + keyword recall + coverage of the places and names
   asked about; in the order, a passage's section heading counts as said by it, and
   the question's figures count) and keeps the best few, each with its context window:
   the sentence before it when it opens with a pronoun ("It aims to ..."), widened
   until it names what the question asks about.
2. `coverage_gap` names the places/names of the question that no evidence
   paragraph mentions together with the other names asked about ("Shanghai" +
   "GDP"): a gap means abstain.
3. `merged_blocks` joins the windows into the passages the model reads;
   `best_clause` cuts a long window to the clause that answers.

Sentence boundaries are the ones stored in the index (split once, at build time).
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from index.chunking import Chunk
from index.gloss import DEFINES, explained
from index.loaders import Document, heading_of
from index.store import Index, Sentence
from index.text import (
    CLOCK,
    clause_spans,
    content_terms,
    expansions,
    mentions,
    numbered_names,
    other_number,
    sentence_spans,
    share_in,
    stem,
    stop_words,
    words,
)
from index.units import written_after_figure
from index.vocabulary import Vocabulary

from .question import VERSION, Question, gives_answer_type, has_day, is_stamp
from .retrieval import SearchResult

# the weight of the multilingual cosine in the order of the evidence for an English
# question (`Evidence.rank`), chosen on the squad2-wiki dev split (docs/EVALUATION.md)
XLING_WEIGHT = 2.0
# a name its document's title holds and fewer than this share of its paragraphs name is
# how the document is headed, not how it speaks of its subject ("this License", "the
# device"): every passage of it counts as naming it in the order of the evidence
SUBJECT_SHARE = 0.25
# in the order of the evidence, a sentence that spells out the abbreviation the question
# asks about ("Distinguished Encoding Rules (DER)"), or glosses the term whose other name
# it asks ("stators (static discs)"), comes before those that only use it
SPELLED_WEIGHT = 1.0
# in the order of the evidence (and the prompt's trimming, not the score thresholds read),
# a sentence that holds the numbers the question asks with ("UIDs 60514 to 60577") comes
# before its neighbours in a table, which a sentence embedder tells apart by their words,
# not their figures
FIGURE_WEIGHT = 0.2
# a sentence of a definition list's item whose label the question names ("What does
# ninja -t compdb print?", "compdb: given a list of rules, ... prints ...") scores as a
# sentence that names what is asked does (`_coverage`), over one that names it in
# passing ("... to pass to ninja -t compdb."); no test set has such items (SQuAD's none)
LABEL_WEIGHT = 0.3
# a label that heads more items than this in a document is a kind of item ("Note:",
# "Default:"), not a term it defines ("restat" names a tool and a variable of Ninja's)
LABEL_ITEMS = 2
_FIGURE = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?!\w)")  # "1,000", "3.10", "1.10.5"
# a quoted window longer than this is cut to its clause that best answers (`best_clause`):
# most sentences are shorter, and cutting them lost the answer on 5 squad2-wiki dev
# questions at 250 characters (docs/EVALUATION.md)
QUOTE_CLAUSE_CHARS = 400
# a line that ends with a colon, of three words or more ("Release Date:" is a label)
_INTRODUCES = re.compile(r"([^\n]*)[:：][ \t]*\n")
LIST_WINDOW_CHARS = 800  # how much of the list a window takes with its introduction
# a sentence that goes on from the one before: a pronoun, a demonstrative, a connective
_GOES_ON = re.compile(r"^(It|Its|This|These|That|Those|Such|They|Their|He|She|His|Her|"
                            r"In response|Among them|The reason|Otherwise|As a result|"
                            r"Therefore|Hence|Thus|However|Nevertheless|Even so)\b")
# a sentence that says what the one before it is for, or how it is done, wherever in it
# ("The x-content type has been introduced for this purpose."; "in such a way that" and
# "for such purposes as" point ahead, not back), or that uses the way it told ("Use this
# trick if you want to silence one of the oscillators."; not one a colon opens: "Follow
# these steps:")
_REFERS_BACK = re.compile(r"\b(for|to) (this|that|these|those) (purposes?|ends?|reasons?)\b|"
                          r"\b(in|by) (this|that) (way|manner|means)\b|"
                          r"\b(this|that|these|those) (tricks?|methods?|techniques?|"
                          r"approach(?:es)?|workarounds?|procedures?)\b(?![^.!?]*:\s*$)", re.I)
# a one-word label and a short value, with no sentence around them: "Default: 16.",
# "Minimum: 2", "Default: the value of the HOME environment variable."
_LABELLED_VALUE = re.compile(r"^\s*[A-Z][a-z]+:\s+(?:\S+ ?){1,8}\s*$")
# an item of a definition list: a short label, then a colon, opens a line ("Total
# (blocks): The total number of blocks allocated. ... This is the default.", "compdb:
# given a list of rules, ..."; `item_label` says which labels count)
_LABEL = re.compile(r"[ \t]*([^\n:.!?]{1,40}):[ \t]+([\"'(]?\w)")
_LINE_LABEL = re.compile(r"(?m)^" + _LABEL.pattern)
LABEL_WORDS = 3  # "Total (blocks)"; not "The reason is simple:"
# a question set apart from the prose around it, as an FAQ, an interview or a list of
# whys writes one: "**Can I use it offline?**" ending its line, "Why was it not tested? -
# Because ...", "Q: ..."; not a rhetorical one ("How long does it last? Charge it first.")
_ASKS = re.compile(r"\?[*_`]*(?:[ \t]*(?:\r?\n|$)|[ \t]+[-–—:](?:\s|$))")
_ASKED = re.compile(r"^\W*Q\s*[:.]\s")
_ANSWER_OPENS = re.compile(r"[*_`\s:–—-]*")


def _set_apart_question(text: str, start: int, end: int) -> bool:
    """Whether the sentence text[start:end] is a question set apart (`_ASKS`): its
    answer is the sentence after it."""
    if not text[start:end].rstrip(" \t*_`:–—-").endswith("?"):
        return False
    at = text.rfind("?", start, end)
    return _ASKS.match(text, at) is not None or _ASKED.match(text, start, end) is not None
_QUOTATION = re.compile(r'^\s*["“][^"“”]+[”"]\s*$')


@dataclass(frozen=True)
class Evidence:
    sentence: Sentence
    chunk: Chunk
    doc: Document
    score: float
    context_start: int  # the window shown to the model: the sentence, plus the sentences
    context_end: int  # around it that name its subject
    xling: float = 0.0  # the multilingual embedder's cosine with an English question
    # what the order adds besides: the coverage a passage gets for its document's
    # subject (`headed_names`) and its section's heading, SPELLED_WEIGHT when it
    # spells out the abbreviation, and FIGURE_WEIGHT for the question's numbers
    subject: float = 0.0
    # the span of its section's heading when that heading, not the window, gives the
    # time or version asked (a timeline's "Feb 22, 07:13", a changelog's "## 1.4.0"):
    # quoted and cited with the window (`Pipeline._headed`)
    heading: tuple[int, int] | None = None
    # and when that heading is a time of day alone ("### 07:18"), the span of the one
    # before it that gives the day ("## Feb 22, 07:13"): `dated_heading`
    dated: tuple[int, int] | None = None

    @property
    def rank(self) -> float:
        """What orders the evidence: `score` (what thresholds read) plus the multilingual
        cosine for English questions, when the index has those vectors, plus `subject`."""
        return self.score + XLING_WEIGHT * self.xling + self.subject

    @property
    def text(self) -> str:
        return self.doc.text[self.sentence.start : self.sentence.end]

    @property
    def context(self) -> str:
        return self.doc.text[self.context_start : self.context_end]

    @property
    def paragraph_text(self) -> str:
        p = self.doc.paragraphs[self.chunk.paragraph]
        return self.doc.text[p.start : p.end]

    @property
    def scope(self) -> str:
        """The paragraph headed by its document's title and its section's heading:
        "Harvard was founded in 1636" is about Harvard University in the document of that
        title, "Family Leave Insurance provides ... 56 intermittent days" about New
        Jersey under "New Jersey Medical and Family Leave"."""
        heading = heading_of(self.doc.paragraphs[self.chunk.paragraph].section)
        # and the day a timeline's heading before gives a time of day alone ("### 07:18"
        # under "## Feb 22, 07:13"): what happened at 07:18 happened on Feb 22
        day = dated_heading(self.doc, self.doc.paragraphs[self.chunk.paragraph].start) \
            if is_stamp(heading) else None
        days = [self.doc.text[day[0]:day[1]]] if day else []
        return "\n".join(dict.fromkeys([self.doc.title, *days, heading, self.paragraph_text]))


def heading_span(doc: Document, offset: int) -> tuple[int, int] | None:
    """Where the heading of the section holding `offset` is written in the document's
    text: a line of its own (its `#` marks aside) between the section's first paragraph
    and the paragraph before it; None when the section has no heading, its heading is
    the document's title, or it is not written there (a heading run into its paragraph,
    "1. Scope. This licence applies ...")."""
    at = next((i for i, p in enumerate(doc.paragraphs) if p.start <= offset < p.end), None)
    if at is None:
        return None
    section = doc.paragraphs[at].section
    heading = heading_of(section)
    if not heading or heading == doc.title:
        return None
    while at > 0 and doc.paragraphs[at - 1].section == section:
        at -= 1
    floor = doc.paragraphs[at - 1].end if at else 0
    text = doc.text
    found = text.rfind(heading, floor, doc.paragraphs[at].start)
    while found >= 0:
        line_end = text.find("\n", found)
        line_end = len(text) if line_end < 0 else line_end
        if not text[_line_start(text, floor, found) : found].strip("#*= \t") \
                and not text[found + len(heading) : line_end].strip("#*= \t"):
            return found, found + len(heading)
        found = text.rfind(heading, floor, found)
    return None


_HEADINGS: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}


def _heading_lines(doc: Document) -> tuple[tuple[int, int], ...]:
    """Where the lines between a document's paragraphs are, in order: its headings,
    each a line of its own (as loaders write them, "#" marks aside), those with no
    paragraph of their own included ("## Feb 22" right over "### 07:18"), and those
    that are a paragraph too (`index.loaders.document.states_value`). Read once per
    document."""
    cached = _HEADINGS.get(doc.doc_id)
    if cached is not None and cached[0] is doc.text:
        return cached[1]
    text, out, prev = doc.text, [], 0
    for p in doc.paragraphs:
        for m in re.finditer(r"[^\n]+", text[prev:p.start]):
            line = m.group(0).strip("#*= \t")
            if line:
                lo = prev + m.start() + m.group(0).index(line)
                out.append((lo, lo + len(line)))
        if text[p.start:p.end] == heading_of(p.section):  # a heading that is a paragraph
            out.append((p.start, p.end))  # too ("## Thursday: Feb 22, 2018": `states_value`)
        prev = p.end
    if len(_HEADINGS) > 256:
        _HEADINGS.clear()
    _HEADINGS[doc.doc_id] = (text, tuple(out))
    return tuple(out)


def dated_heading(doc: Document, offset: int) -> tuple[int, int] | None:
    """For a section headed by a time of day alone ("### 07:18"), the span of the
    nearest heading before it that gives a day ("## Feb 22" or "## Feb 22, 07:13" over
    it, "### Feb 20 2018 14:17" before "### 14:55"), across the headings between them
    that are times of day alone: a timeline writes the day once, where it changes. None
    when the section's heading is no time of day alone (a date, a version, words), or a
    heading of another kind comes first ("## Incident 2", "### Notes")."""
    text, lines = doc.text, _heading_lines(doc)
    at = bisect.bisect_right(lines, (offset, offset)) - 1
    if at < 0 or not _clock_alone(text[lines[at][0]:lines[at][1]]):
        return None
    for start, end in reversed(lines[:at]):
        heading = text[start:end]
        if has_day(heading) and is_stamp(heading):
            return start, end
        if not _clock_alone(heading):
            return None
    return None


def _clock_alone(heading: str) -> bool:
    """Whether a heading is a time of day and no day, date or version ("07:18",
    "22:52 (maybe earlier?)"; not "Feb 22, 07:13", "1.9.1")."""
    return is_stamp(heading) and bool(CLOCK.search(heading)) and not has_day(heading) \
        and not VERSION.search(heading)


def select_evidence(index: Index, result: SearchResult, q: Question, k: int = 3,
                    per_chunk: int = 2,
                    labels_of: Callable[[Document], dict] | None = None) -> list[Evidence]:
    """The k best sentences of the retrieved chunks, best first. In a collection of
    several documents, those of documents that name what the question asks about (its
    names) when any does: the closest words of another document (the GPL's cure period
    for a question about the MPL's) would answer about something else. `labels_of`: a
    document's `item_labels` (the pipeline keeps them), else read here."""
    if labels_of is None:
        labels_of = Labels().of
    scored: list[Evidence] = []
    docs = {h.chunk.doc_id: index.documents[h.chunk.doc_id] for h in result.hits}
    named = (set() if q.expects == "choice" else  # "A or B?": each may have its own document
             {d for d, doc in docs.items() if not unnamed(q, [doc], index.vocabulary)})
    figures = figures_of(q.text)
    asked_terms = set(q.terms)
    for hit in result.hits:
        if named and hit.chunk.doc_id not in named:
            continue
        doc = docs[hit.chunk.doc_id]
        p = doc.paragraphs[hit.chunk.paragraph]
        para = doc.text[p.start : p.end]
        sents = index.chunk_sentences(hit.chunk.chunk_id)
        if not sents:
            continue
        ids = np.array([s.sent_id for s in sents])
        xsims = np.zeros(len(ids))
        if result.query_vector is not None:
            sims = index.sentence_vectors[ids] @ result.query_vector
            if result.xling_vector is not None and index.xling_vectors is not None:
                xsims = index.xling_vectors[ids] @ result.xling_vector
        elif result.xling_vector is not None and index.xling_vectors is not None:
            sims = index.xling_vectors[ids] @ result.xling_vector
        else:
            sims = np.zeros(len(ids))
        asked = q.places + q.names
        heading = heading_of(p.section)
        if heading == doc.title:
            heading = ""
        # in the order, each passage names the document's own subject (`headed_names`),
        # and says what its section's heading says ("Install additional Python versions"
        # over "Running `pyenv install -l` gives the list of all available versions.")
        headed = headed_names(doc, asked)
        headed += [n for n in asked if heading and n not in headed and mentions(heading, n)]
        context = " ".join(headed + [heading])
        place_cov = _coverage(asked, para)
        place_gain = 0.15 * (_coverage(asked, para, headed) - place_cov) if headed else 0.0
        para_sents = index.paragraph_spans(hit.chunk)
        for s, sim, xsim in zip(sents, sims, xsims, strict=True):
            text = doc.text[s.start : s.end]
            lex = share_in(q.terms, text, asked)
            lo, hi = window(doc.text, para_sents, s, asked)
            if (defn := _definition(doc.text, p.start, s, para_sents)) is not None:
                lo, hi = min(lo, defn[0]), max(hi, defn[1])  # "“Larger Work”" on the line
                # before "means a work ...": the two, whichever was found, and the items
                # of a list it introduces ("means any of the following:")
                hi = items_after(doc, hit.chunk.paragraph, lo, hi)
            if q.expects == "default" and not gives_answer_type(q, doc.text[lo:hi]):
                hi = _default_set_apart(doc, hit.chunk, lo, hi)
            sent_cov = _window_coverage(asked, doc.text, lo, s, hi)
            score = (float(sim) + 0.35 * lex + 0.15 * place_cov + 0.2 * sent_cov
                     + 0.02 / (1 + hit.rank))
            if (item := item_start(doc.text, para_sents, s)) is not None and asked_label(
                    asked_terms, frozenset(content_terms(item_label(doc.text, item) or "")),
                    labels_of(doc)):
                score += LABEL_WEIGHT  # an item of a definition list labelled as asked
            elif (term := defined_term(text if defn is None else doc.text[defn[0]:defn[1]])) \
                    and defines_asked(term, asked, asked_terms):
                score += LABEL_WEIGHT  # the definition of a name the question asks about
            subject = 0.0
            if figures:  # in the sentence or its section's heading ("### EIP 1344 ...")
                subject += FIGURE_WEIGHT * len(figures & figures_of(f"{heading} {text}")) \
                    / len(figures)
            if (q.abbreviation and expansions(text, q.abbreviation)
                    or q.term and _explains(doc.text, p.start, s, q.term)):
                subject += SPELLED_WEIGHT  # it spells out the abbreviation asked about,
                # or gives the term asked about another name
            if context.strip():
                subject += (0.35 * (share_in(q.terms, context + " " + text, asked) - lex)
                            + place_gain
                            + 0.2 * (_window_coverage(asked, doc.text, lo, s, hi, headed)
                                   - sent_cov))
            scored.append(Evidence(s, hit.chunk, doc, round(score, 4), lo, hi,
                                   round(float(xsim), 4), round(subject, 4)))
    scored.sort(key=lambda e: -e.rank)
    chosen: list[Evidence] = []
    seen: set[tuple[str, int]] = set()
    per: dict[int, int] = {}
    for e in scored:
        key = (e.doc.doc_id, e.sentence.start)
        if key in seen or per.get(e.chunk.chunk_id, 0) >= per_chunk:
            continue
        seen.add(key)
        per[e.chunk.chunk_id] = per.get(e.chunk.chunk_id, 0) + 1
        chosen.append(e)
        if len(chosen) >= k:
            break
    return chosen


def figures_of(text: str) -> set[str]:
    """The numbers of text with two digits or more, as written but for thousands
    separators ("Python 3.10" is no "3.1"; "3 things" has none).

    >>> sorted(figures_of("UIDs 60514 to 60577, 1,000 of them, in Python 3.10 for 3 days"))
    ['1000', '3.10', '60514', '60577']
    >>> sorted(figures_of("Release 1.10.5 at 192.168.1.10 on 2019-01-05."))
    ['01', '05', '1.10.5', '192.168.1.10', '2019']
    """
    return {n.replace(",", "") for n in _FIGURE.findall(text) if sum(c.isdigit() for c in n) > 1}


def window(text: str, para_sents: list[tuple[int, int]], s: Sentence,
            names: list[str]) -> tuple[int, int]:
    """The sentence, with the one before when it goes on from it (`_goes_on`: opens with
    a pronoun, a demonstrative or a connective, "It aims to ...", "That would ...", or
    refers back, "... for this purpose"), from the label of the definition list's item
    it is in ("Total (blocks): ...", `_LABEL`) when that is short, widened (up to two
    back, one ahead) until it names what the question asks about, when its paragraph
    does, with the next sentence when that one goes on so ("The reason is ..."), and
    with the items of the list that a line of it introduces ("... in one of these
    ways:"), up to `LIST_WINDOW_CHARS`, and with the paragraph its last sentence
    introduces (`_introduced`). A question set apart (an FAQ's line, "Why ...? -
    Because ...") is read with its answer: the next sentence, or the first of the next
    paragraph (`past_question` then quotes the answer alone)."""
    i = next((k for k, (a, b) in enumerate(para_sents) if a <= s.start < b), None)
    if i is None:
        return s.start, s.end
    lo = hi = i
    if lo > 0 and _goes_on(text[s.start : s.end]):
        lo -= 1
    # '"Reconstruction should ..." Zhang Yong, a member of ..., believes': in news
    # style a sentence that is one whole quotation belongs to the speaker named next
    if lo > 0 and _QUOTATION.match(text[para_sents[lo - 1][0] : para_sents[lo - 1][1]]):
        lo -= 1

    # a sentence of a definition list's item is about the item's label: "This is the
    # default sort metric." is read from "Total (blocks): ...", when the item is short
    if (item := _item_of(text, para_sents, i, s.end)) is not None:
        lo = min(lo, item)

    def covered() -> bool:
        return all(mentions(text[para_sents[lo][0] : para_sents[hi][1]], n) for n in names)

    para = text[para_sents[0][0] : para_sents[-1][1]]
    if names and not covered() and all(mentions(para, n) for n in names):
        for _ in range(2):
            if covered() or lo == 0:
                break
            lo -= 1
        if not covered() and hi + 1 < len(para_sents):
            hi += 1
            if not covered():
                hi -= 1
    # a next sentence that goes on about the same subject ("It aims to ...") belongs too,
    # and so does a label and its value, which a reference writes after what it qualifies
    # ("signal <string> Name of the signal to send. Default: 'SIGTERM'")
    asks = _set_apart_question(text, s.start, s.end)
    if hi + 1 < len(para_sents) and (
            _goes_on(nxt := text[para_sents[hi + 1][0] : para_sents[hi + 1][1]])
            or _LABELLED_VALUE.match(nxt) or asks):
        hi += 1  # and a question set apart (an FAQ's, an interview's) with its answer
    # a line that introduces a list ("... in one of these ways:") is read with its items,
    # the lines after it (a paragraph holds a list only after such a line: the readers'
    # `with_lists`; a web page's or Word file's items have no marker in the text)
    intro = any(len(m.group(1).split()) >= 3 for m in
                _INTRODUCES.finditer(text, para_sents[lo][0], para_sents[hi][1] + 1))
    while (intro and hi + 1 < len(para_sents)
           and para_sents[hi + 1][1] - para_sents[lo][0] <= LIST_WINDOW_CHARS):
        hi += 1
    start, end = para_sents[lo][0], max(para_sents[hi][1], s.end)
    if lo == 0 and (term := _term_before(text, start)) is not None:
        start = term  # "-k --keep" over "Keep (don't delete) input files ..."
    if _TERM.fullmatch(text[start:end]) or asks and end == s.end:
        end = _first_sentence_after(text, end)  # "BZ_CONFIG_ERROR", then what it means;
        # a question as a paragraph of its own, then its answer
    return start, _introduced(text, start, end)


def past_question(text: str, start: int, end: int) -> int:
    """Where a quote from `start` to `end` begins once past the question set apart that
    opens it (an FAQ's question line, read with its answer: the answer is quoted);
    `start` when it opens with none, or is nothing else."""
    if "?" not in text[start:end]:
        return start  # most quotes: no sentence splitting on the way out
    first = next(iter(sentence_spans(text, start, end)), None)
    if first is None or not _set_apart_question(text, *first):
        return start
    after = _ANSWER_OPENS.match(text, first[1]).end()
    return after if after < end else start


# a definition list's term set as a paragraph of its own, as a PDF or a manual page lays
# out an option, a constant or a function over the paragraph that describes it ("-k
# --keep", "BZ_CONFIG_ERROR", "BZ_RUN_OK, BZ_FLUSH_OK"): a few words, one of them written
# as code (a leading dash, an underscore, a call's brackets), and no sentence
TERM_CHARS = 40
_TERM = re.compile(r"(?=[^\n]*(?:(?<!\w)-{1,2}[^\W\d]|\w_\w|\w\(\)))"
                   rf"[-\w.,()=<>\[\]|/ ]{{1,{TERM_CHARS}}}(?<![.,])")
_ENDS_BLANK = re.compile(r"\n[ \t]*\r?\n$")
_NEXT_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[。！？]")


def _term_before(text: str, start: int) -> int | None:
    """Where the paragraph before the one at `start` begins, when it is a term (`_TERM`)
    that the paragraph at `start` describes, a blank line between them."""
    lo = max(0, start - 4 * TERM_CHARS)  # a term is short: no need to read further back
    before = text[lo:start].rstrip()
    if not before or not _BLANK_LINE.search(text, lo + len(before), start):
        return None
    at = lo + before.rfind("\n") + 1  # where the line before begins
    if not _TERM.fullmatch(text[at : lo + len(before)].strip()):
        return None
    if text[:at].strip() and not _ENDS_BLANK.search(text, max(0, at - 8), at):
        return None  # a line of a paragraph (or a longer line), not a paragraph of its own
    return at + len(text[at:start]) - len(text[at:start].lstrip())


def _first_sentence_after(text: str, end: int) -> int:
    """The end of the first sentence of the paragraph after `end` (its end, when it has
    none), within QUOTE_CLAUSE_CHARS; `end` when no paragraph follows or its first
    sentence is longer."""
    if (nxt := _next_paragraph(text, end)) is None:
        return end
    begin, stop = nxt
    last = _NEXT_SENTENCE_END.search(text, begin, min(stop, begin + QUOTE_CLAUSE_CHARS))
    if last:
        return last.end()
    return stop if stop - begin <= QUOTE_CLAUSE_CHARS else end


def _item_of(text: str, para_sents: list[tuple[int, int]], i: int, end: int) -> int | None:
    """The index of the sentence that opens, with its label, the definition list's item
    that sentence `i` of the paragraph is in: the first of its line, when the item up to
    `end` is short (`QUOTE_CLAUSE_CHARS`) and no sentence after it opens with a label (a
    line of labels, "Name: Alice. Role: Admin.", is a record, not an item)."""
    j = i
    while j > 0 and "\n" not in text[para_sents[j - 1][1] : para_sents[j][0]]:
        j -= 1
    if (end - para_sents[j][0] <= QUOTE_CLAUSE_CHARS and _opens_with_label(text, para_sents[j][0])
            and not any(_opens_with_label(text, a) for a, _ in para_sents[j + 1 : i + 1])):
        return j
    return None


def item_start(text: str, para_sents: list[tuple[int, int]], s: Sentence) -> int | None:
    """Where the definition list's item that sentence `s` is read with (`window`) starts:
    at its label; None when `s` is in no such item."""
    i = next((k for k, (a, b) in enumerate(para_sents) if a <= s.start < b), None)
    j = None if i is None else _item_of(text, para_sents, i, s.end)
    return None if j is None else para_sents[j][0]


def _opens_with_label(text: str, start: int) -> bool:
    """Whether the sentence at `start` opens with a definition list's label (`item_label`)."""
    return item_label(text, start) is not None


def item_label(text: str, start: int) -> str | None:
    """The definition list's label the sentence at `start` opens with: one word
    ("--ignore-joins:", "proxy:", "compdb: given a list of rules ..."), or up to
    LABEL_WORDS words each in capitals or brackets followed by a capital ("Total
    (blocks): The total."; not "He said: The plan fails.", "For example: ...").

    >>> item_label("Total (blocks): The total.", 0)
    'Total (blocks)'
    >>> item_label("compdb: given a list of rules, prints a database.", 0)
    'compdb'
    >>> item_label("He said: The plan fails.", 0), item_label("He said: the plan fails.", 0)
    (None, None)
    >>> item_label("The Normans (Norman: Nourmands; French: Normands) were a people.", 0)
    """
    m = _LABEL.match(text, start)
    return _label_of(m) if m else None


def _label_of(m: re.Match) -> str | None:
    words, first = m.group(1).split(), m.group(2)[-1]
    if not words:
        return None
    if m.group(1).count("(") != m.group(1).count(")"):
        return None  # "The Normans (Norman: Nourmands; ...)" opens with no label
    if len(words) == 1 or (len(words) <= LABEL_WORDS and (first.isupper() or first.isdigit())
                           and all(w[0].isupper() or w[0] in "(\"'" for w in words)):
        return m.group(1).strip()
    return None


# how a contract, a licence or a standard defines its terms: '"Secondary License" means
# ...', '1.7. "Larger Work" means ...', '"License" shall mean ...'
_DEFINED = re.compile(r'\s*(?:\d+(?:\.\d+)*\.?\s+)?["“]([^"“”\n]{1,60})["”](?:\s*\([^()\n]*\))?'
                      r'\s+(?:means|shall mean|refers to|is defined as)\b')


def defined_term(sentence: str) -> str | None:
    """The term a sentence defines as contracts and licences do, or None.

    >>> defined_term('1.12. "Secondary License" means either the GNU General Public License.')
    'Secondary License'
    >>> defined_term('"You" (or "Your") means an individual.'), defined_term('He said "no" means no.')
    ('You', None)
    """
    m = _DEFINED.match(sentence)
    return m.group(1).strip() if m else None


# a list item's number or mark, before its label: "7- ", "(a) ", "1.2. ", "• "
_ITEM_MARK = re.compile(r"\s*(?:\(?\d{1,3}(?:\.\d{1,3})*[.)-]?|\(?[a-z][.)]|[-*•])\s+")
# a term defined in a sentence of its own: "Destruction means ...", "A Controller is
# defined as ..."
_MEANS = re.compile(r"\s*(?:(?:the|a|an)\s+)?([^\W\d_][\w -]{0,40}?)\s+(?:means|shall mean|"
                    r"refers to|is defined as)\b", re.I)


def defines(sentence: str, term: str) -> bool:
    """Whether a sentence defines the term a question asks the meaning of, as glossaries,
    statutes and contracts write it: by its label ("Destruction: Any action ...", "7-
    Destruction: ..."), in quotes ('"Destruction" means ...') or in a sentence of its own
    ("Destruction means ..."). The term defined must hold the asked term's first word,
    and no word the asked term lacks: "Software:" defines no "open source software".

    >>> defines("7- Destruction: Any action that makes data unreadable.", "Destruction of data")
    True
    >>> defines("Software: code.", "open source software"), defines("Data means x.", "Data")
    (False, True)
    >>> defines("5- The right to request a Destruction of data.", "Destruction of data")
    False
    """
    body = sentence[m.end():] if (m := _ITEM_MARK.match(sentence)) else sentence
    label = (_label_of(m) if (m := _LABEL.match(body)) else None) or defined_term(body) or (
        m.group(1) if (m := _MEANS.match(body)) else None)
    words, asked = content_terms(label or ""), content_terms(term)
    return bool(words and asked) and asked[0] in words and set(words) <= set(asked)


def defines_asked(term: str, names: list[str], asked: set[str]) -> bool:
    """Whether a defined term is what the question asks about: one of its names, word
    for word ("Secondary Licenses" for '"Secondary License" means'), or two words or
    more of the question ("What does secondary license mean?"); not a term of no
    content words ('"You" means') nor one word any question about the text has
    ('"License" means').

    >>> defines_asked("Secondary License", ["Secondary Licenses"], set())
    True
    >>> defines_asked("You", ["US"], set()), defines_asked("License", [], {"licens", "appli"})
    (False, False)
    >>> defines_asked("Secondary License", [], {"secondari", "licens", "mean"})
    True
    """
    words = set(content_terms(term))
    return bool(words) and (any(words == set(content_terms(n)) for n in names)
                            or len(words) >= 2 and words <= asked)


def asked_label(asked: set[str] | frozenset[str], label: frozenset[str],
                labels: dict[frozenset[str], list[int]]) -> bool:
    """Whether a question of these content words names the label (all of its words), and
    the label names a term of its document, not a kind of item that heads more than
    LABEL_ITEMS of them ("Default:", "Note:")."""
    return bool(label) and label <= asked and len(labels.get(label, ())) <= LABEL_ITEMS


class Labels:
    """Each document's `item_labels`, read on first use."""

    def __init__(self) -> None:
        self._by_doc: dict[str, dict[frozenset[str], list[int]]] = {}

    def of(self, doc: Document) -> dict[frozenset[str], list[int]]:
        if doc.doc_id not in self._by_doc:
            self._by_doc[doc.doc_id] = item_labels(doc)
        return self._by_doc[doc.doc_id]


def item_labels(doc: Document) -> dict[frozenset[str], list[int]]:
    """Where each item of the document's definition lists starts (at its label, on a line
    of its own), by the content words of its label ("old-versions: The set of ...",
    "compdb: given a list of ...")."""
    out: dict[frozenset[str], list[int]] = {}
    for m in _LINE_LABEL.finditer(doc.text):
        label = _label_of(m)
        if label and (key := frozenset(content_terms(label))):
            out.setdefault(key, []).append(m.start(1))
    return out


def _goes_on(sentence: str) -> bool:
    """Whether a sentence goes on from the one before: opens with a pronoun, a
    demonstrative or a connective, or refers back to it ("for this purpose")."""
    return bool(_GOES_ON.match(sentence) or _REFERS_BACK.search(sentence))


_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")
_PARAGRAPH_GAP = re.compile(r"[ \t]*\r?\n[ \t]*\r?\n\s*")  # to the next paragraph's text
INTRODUCED_CHARS = 200  # what a colon introduces: a command or a line, not an essay


def _introduced(text: str, start: int, end: int) -> int:
    """Where a window ends: after the next paragraph when the window's last sentence
    introduces it (three words or more, then a colon: "... dpkg will run the postinst
    script as:") and that paragraph is set apart as a command is (indented) or is
    short (`INTRODUCED_CHARS`), within `LIST_WINDOW_CHARS` in all. A long paragraph after a colon is
    other text (an article's quotation left out, say)."""
    last = text[start:end].rstrip()
    if not last.endswith((":", "：")) or len(re.split(r"(?<=[.!?])\s+", last)[-1].split()) < 3:
        return end
    if (nxt := _next_paragraph(text, end)) is None:
        return end
    begin, stop = nxt
    line_start = text.rfind("\n", 0, begin) + 1
    indented = text[line_start:begin].strip("\r\n") != ""
    if stop - start > LIST_WINDOW_CHARS or not indented and stop - begin > INTRODUCED_CHARS:
        return end
    return stop


def _next_paragraph(text: str, end: int) -> tuple[int, int] | None:
    """Where the paragraph after `end` begins and ends (its trailing blanks left out), or
    None when no paragraph follows."""
    m = _PARAGRAPH_GAP.match(text, end)
    if not m:
        return None
    gap = _BLANK_LINE.search(text, m.end())
    return m.end(), len(text[: gap.start() if gap else len(text)].rstrip())


def _coverage(names: list[str], text: str, given: Iterable[str] = ()) -> float:
    if not names:
        return 0.0
    return sum(n in given or mentions(text, n) for n in names) / len(names)


def _line_start(text: str, floor: int, at: int) -> int:
    """Where the line holding text[at - 1] begins, not before `floor`."""
    return max(floor, text.rfind("\n", floor, at) + 1)


def _definition(text: str, floor: int, s: Sentence,
                sentences: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Where a definition written over two lines begins and ends when sentence `s` is
    either line: the term set off ("1.7. “Larger Work”") and the sentence that opens the
    next line with its verb ("means a work that combines ..."), `defined_term` of the
    two; None otherwise. Not before `floor` (its paragraph's start); `sentences` are its
    paragraph's."""
    if text[s.start - 1 : s.start] == "\n" and DEFINES.match(text, s.start):
        lead = _line_start(text, floor, s.start - 1)  # the line before
        return (lead, s.end) if lead < s.start and defined_term(text[lead : s.end]) else None
    nxt = next(((a, b) for a, b in sentences if a > s.start), None)
    if nxt is None or text[s.end : nxt[0]].strip() or "\n" not in text[s.end : nxt[0]] \
            or not DEFINES.match(text, nxt[0]):
        return None
    lead = _line_start(text, floor, s.start)
    return (lead, nxt[1]) if defined_term(text[lead : nxt[1]]) else None


def _explains(text: str, floor: int, s: Sentence, term: str) -> bool:
    """Whether sentence `s` glosses or defines the term (`explained`), read with the
    line before it down to `floor` (its paragraph's start): a definition's verb may open
    a line of its own ("“Source Code Form”" / "means the form ...")."""
    lead = _line_start(text, floor, s.start - 1) if text[s.start - 1 : s.start] == "\n" \
        else s.start
    return any(s.start <= lead + a < s.end for a, _ in explained(text[lead : s.end], term))


def items_after(doc: Document, paragraph: int, lo: int, hi: int) -> int:
    """Where a quote from `lo` to `hi` that ends with a colon ends once it takes in the
    list items it introduces ("“Modifications” means any of the following:" then "(a)
    any file ...", "(b) ..."): the paragraphs after `paragraph` in its section that open
    with an item's mark (`_ITEM_MARK`), within `LIST_WINDOW_CHARS`; `hi` when none does."""
    if not doc.text[lo:hi].rstrip().endswith((":", "：")):
        return hi
    here = doc.paragraphs[paragraph]
    for p in doc.paragraphs[paragraph + 1:]:
        if p.section != here.section or p.end - lo > LIST_WINDOW_CHARS \
                or not _ITEM_MARK.match(doc.text, p.start):
            break
        hi = p.end
    return hi


_DEFAULT_LINE = re.compile(r"\s*default\s*:\s*\S.{0,100}", re.I)


def _default_set_apart(doc: Document, chunk: Chunk, lo: int, hi: int) -> int:
    """Where the window of a sentence ends when the question asks for a default: at the
    end of the "Default: ..." line that a reference sets apart as a paragraph of its
    own after what it describes, in the same section, one of the next three paragraphs
    and within `LIST_WINDOW_CHARS` ("Set the remote branch to commit to when using
    gh-deploy." ... "default: gh-pages"); else at `hi`."""
    here = doc.paragraphs[chunk.paragraph]
    for p in doc.paragraphs[chunk.paragraph + 1 : chunk.paragraph + 4]:
        if p.section != here.section or p.end - lo > LIST_WINDOW_CHARS:
            break
        if _DEFAULT_LINE.fullmatch(doc.text[p.start : p.end]):
            return max(hi, p.end)
    return hi


def _window_coverage(names: list[str], text: str, lo: int, s: Sentence, hi: int,
                     given: Iterable[str] = ()) -> float:
    """`_coverage` of a sentence's window from `lo` to `hi`. A name that only the
    sentences after it give counts when the sentence calls it by a word of its own
    ("The Short Term policy may replace ..." before "... for Short Term Disability."),
    not when it names nothing of it, or names it only inside another name ("Last flood
    season, the Beijing-Tianjin-Hebei region ..." before "Tianjin proposed ..."): the
    next sentence is about it, this one is not.

    >>> from index.store import Sentence
    >>> t = "The Oslo-Bergen line shut. Bergen planned. The Short plan ran. It is Short Term Aid."
    >>> first, third = Sentence(0, 0, 0, 26), Sentence(2, 0, 43, 62)
    >>> _window_coverage(["Bergen"], t, 0, first, 42), _window_coverage(["Short Term Aid"], t, 43, third, 83)
    (0.0, 1.0)
    >>> t = "At Saint Evroul, choirs sang. Monks of Saint-Evroul fled."
    >>> _window_coverage(["Saint-Evroul"], t, 0, Sentence(0, 0, 0, 29), 57)
    1.0
    """
    if not names:
        return 0.0
    before, ahead, sentence = text[lo : s.end], text[s.end : hi], text[s.start : s.end]

    def called(name: str) -> bool:  # by a word of a name of several, capitalised as there
        words = re.split(r"[\s-]+", name)  # "At Saint Evroul" calls it as "Saint-Evroul"
        return len(words) > 1 and any(
            w[:1].isupper() and w.lower() not in stop_words()
            and re.search(rf"(?<![^\W_]){re.escape(w)}(?![^\W_])", sentence) for w in words)

    return sum(n in given or mentions(before, n) or mentions(ahead, n) and called(n)
               for n in names) / len(names)


_NAMING: dict[tuple, int] = {}


def _paragraphs_naming(doc: Document, name: str) -> int:
    """How many of `doc`'s paragraphs name `name` (kept per document and name)."""
    key = (doc.doc_id, doc.sha256, name, getattr(name, "aliases", ()))
    count = _NAMING.get(key)
    if count is None:
        if len(_NAMING) > 50_000:
            _NAMING.clear()
        count = _NAMING[key] = sum(mentions(doc.text[p.start : p.end], name)
                                   for p in doc.paragraphs)
    return count


def headed_names(doc: Document, names: list[str]) -> list[str]:
    """The names asked about that `doc`'s title holds and that fewer than
    SUBJECT_SHARE of its paragraphs name: a licence titled "Apache License" calls itself
    "this License", a manual its product "the device", so a passage that names the title
    (its boilerplate: "Licensed under the Apache License") is no more about it than the
    others. An article that names its subject throughout ("the Normans" in most of the
    paragraphs of "Normans") keeps naming as a sign of what a passage is about. In the
    order of the evidence (not in the score that thresholds read), such a name counts
    as named, and its words as matched, in every passage of the document.

    >>> from index.loaders import parse_text
    >>> text = "Harbour Licence\\n\\nThis Licence ends.\\nYou may copy it.\\nSee the Harbour Licence.\\nAsk us.\\nBy post.\\n"
    >>> headed_names(parse_text(text, "l.txt"), ["Harbour Licence", "Ask"])
    ['Harbour Licence']
    """
    return [n for n in names if mentions(doc.title, n)
            and _paragraphs_naming(doc, n) < SUBJECT_SHARE * len(doc.paragraphs)]


def subject_names(doc: Document, names: list[str]) -> list[str]:
    """The names asked about that `doc` names in SUBJECT_SHARE of its paragraphs or more
    (two at least): what it is about throughout, which a paragraph of it need not name
    ("We will preserve account records for up to 90 days upon formal request from U.S.
    law enforcement", in GitHub's guidelines that name GitHub in half their paragraphs).

    >>> from index.loaders import parse_text
    >>> text = "Guide\\n\\nAcme serves users.\\n\\nWe keep logs.\\n\\nAcme replies fast.\\n\\nAsk Bolt.\\n\\nThat is all.\\n"
    >>> subject_names(parse_text(text, "g.txt"), ["Acme", "Bolt"])
    ['Acme']
    """
    return [n for n in names
            if _paragraphs_naming(doc, n) >= max(2, SUBJECT_SHARE * len(doc.paragraphs))]


def coverage_gap(q: Question, evidence: list[Evidence],
                 vocabulary: Vocabulary | None = None) -> list[str]:
    """Places or names of the question that the evidence does not cover.

    A place named in the evidence paragraphs must share one of them with every
    other name asked about (so "Shanghai's GDP" needs a paragraph naming both), but
    for a name its document names throughout (`subject_names`). A
    place or name the paragraphs miss must at least be in their documents, where the
    passage may call it otherwise ("the city" for Montpellier); the checks and the
    answerability judgement then weigh the answer. A name no evidence document
    mentions is a gap. A name the collection uses for a nationality or group
    ("European", "Catholic": spaCy's NORP) describes the subject rather than naming
    it, and is not required. A name asked with a number that picks one of its kind
    ("Debian 13", "Python 4") is a gap when the documents write that name with two other
    numbers or more and never with it ("Debian 11", "Debian 12"): they are about other
    members of its kind, unless they write its version alone ("Python 3.8 ... the Release
    Manager for 3.10 and 3.11" answers about Python 3.10). A lower-case name with a
    version ("coreutils 9.2", "release 9.2") is a gap only when that version is written
    nowhere in them either: release notes head "release 9.1" and write "coreutils-9.0"
    in their items.
    """
    vocab = vocabulary or Vocabulary()
    names = [n for n in q.names if vocab.kind(n) != "NORP"]
    paras = {e.scope for e in evidence}
    docs = [d.text for d in {e.doc.doc_id: e.doc for e in evidence}.values()]
    joined = "\n".join(docs)
    if others := [f"{name} {n}" for name, n in numbered_names(q.text)
                  if (other_number((name, n), joined) and not version_alone(n, joined)
                      if name[0].isupper()
                      else not written(n, joined) and other_number((name, n), joined,
                                                                    lists=False))]:
        return others

    def in_paras(n: str) -> bool:
        return any(mentions(p, n) for p in paras)

    if q.expects == "choice":  # "A or B?": each option named somewhere, not together
        return [n for n in q.places + names if not in_paras(n)]
    missing = []
    for place in q.places:
        if in_paras(place):
            if not any(mentions(e.scope, place) and all(
                    _named_in(e.scope, n, vocab) or n in subject_names(e.doc, names)
                    for n in names) for e in evidence):
                missing.append(f"{place} ({', '.join(names)})")
        elif not any(_named_in(d, place, vocab) for d in docs):
            missing.append(place)
    if q.places:
        return missing
    return [n for n in names if not in_paras(n) and not any(_named_in(d, n, vocab)
                                                             for d in docs)]


# a version written alone: after a word for one ("release 3.10", "v3.10"), or beside
# another in a list or a range ("3.10 and 3.11", "3.9-3.11")
_AS_VERSION = re.compile(r"(?:\b(?:versions?|releases?)\s*|\bv|\d\.\d+\s*(?:,|and|or|to|-|–)\s*)$",
                         re.I)
_NEXT_VERSION = re.compile(r"\s*(?:,|and|or|to|-|–)\s*v?\d+\.\d+")


def version_alone(number: str, text: str) -> bool:
    """Whether text writes a dotted version by itself, as a version: "the Release Manager
    for 3.10 and 3.11", "since release 3.10"; not a figure ("1.2 seconds", "3.10 %"), nor a
    number with no word for a version beside it ("it rose 3.10 points").

    >>> version_alone("3.10", "the Release Manager for 3.10 and 3.11"), version_alone(
    ...     "3.10", "It fell by 3.10 and rose by 1.2 seconds.")
    (True, False)
    >>> version_alone("1.2", "It took 1.2 seconds."), version_alone("1.2", "since v1.2")
    (False, True)
    """
    if "." not in number:
        return False
    for m in re.finditer(_own(number) + r"(?!%|\s?%)", text):
        before = text[max(0, m.start() - 16):m.start()]
        if _AS_VERSION.search(before) or _NEXT_VERSION.match(text, m.end()):
            return True
    return False


def _own(number: str) -> str:
    """A pattern for `number` written as a number of its own ("9.1", "v9.1")."""
    return rf"(?:(?<![\w.])|(?<=\bv)){re.escape(number)}(?![\w]|\.\d)"


def written(number: str, text: str) -> bool:
    """Whether text writes `number` as a number of its own ("9.1", "v9.1", not "9.12" or
    "19.1")."""
    return re.search(_own(number), text) is not None


def unnamed(q: Question, docs: Iterable[Document], vocabulary: Vocabulary) -> list[str]:
    """The question's names (nationality and group words aside, as `coverage_gap` leaves
    them) that none of `docs` names: a passage of a document that never names what the
    question asks about ("the MPL") answers about something else (the GPL's terms)."""
    if q.chinese:  # its names are matched across languages, by the multilingual index
        return []
    docs = list(docs)
    return [n for n in q.names if vocabulary.kind(n) != "NORP"
            and not any(_doc_names(d, n, vocabulary) for d in docs)]


_NAMED: dict[tuple, bool] = {}


def _doc_names(doc: Document, name: str, vocabulary: Vocabulary) -> bool:
    """`_named_in` of a whole document, remembered (by the document's checksum): a
    question asks it of each retrieved document, the quote and the checks again."""
    key = (doc.doc_id, doc.sha256, name, getattr(name, "aliases", ()), id(vocabulary))
    if key not in _NAMED:
        if len(_NAMED) > 50_000:
            _NAMED.clear()
        _NAMED[key] = _named_in(doc.text, name, vocabulary)
    return _NAMED[key]


def _named_in(text: str, name: str, vocab: Vocabulary) -> bool:
    """Whether a document names `name`: as written, in the plural ("Camisards"), or,
    for a name of several words joined from the question ("Harvard President Joseph
    Willard"), each of its words that is not a nationality or group word, leaving out
    those the document writes in lower case, as ordinary words ("Who did Emma Marry?":
    the text says "married"). A hyphenated name is taken apart only when one of its
    pieces is such an ordinary word ("MHC-antigen", not "Franco-Prussian"); a piece of
    one or two letters must then be written in the same case ("B-cell": "B cells"). An
    option ("--zero-width") is named only as it is spelt. A unit, unless the collection
    names something by its word, is also named by its symbol after a figure ("Celsius":
    "565 °C"; index/units.py).

    >>> t = "Emma married Ethelred. The MHC binds antigen. B cells don't divide."
    >>> [_named_in(t, n, Vocabulary()) for n in ("Emma Marry", "Anna Marry", "MHC-antigen")]
    [True, False, True]
    >>> [_named_in(t, n, Vocabulary()) for n in ("B-cell", "T-cell", "Emma-Ethelred")]
    [True, False, False]
    """
    if mentions(text, name) or mentions(text, name + "s") or mentions(text, name + "es"):
        return True
    if vocab.kind(name) is None and written_after_figure(text, name):
        return True  # "Celsius" written "565 °C", "Hertz" "60 Hz"
    if name.startswith("-"):  # an option is named as it is spelt ("--zero-width"), its
        bare = name.lstrip("-")  # dashes maybe set as one ("–zero-width", "—zero-width")
        return any(mentions(text, dash + bare) for dash in "–—")
    pieces = [w for w in re.split(r"[\s-]+", name) if w]
    if len(pieces) > 1:
        named = [w for w in pieces if vocab.kind(w) != "NORP"]
        common = _lower_case_stems(text)
        proper = [w for w in named if w.isupper() or stem(w) not in common]
        if (" " in name or len(proper) < len(named)) and all(
                _names_word(text, w) for w in proper or named):
            return True
    return " " not in name and (misspelt(text, name) is not None
                                or _in_identifier(text, name))


# a command-line option ("-gnat2022", "--track-origins"), and an identifier with an
# underscore or a digit in it ("MPI_Pcontrol", "Ada2022"); an e-mail address is none
_OPTION_WORD = re.compile(r"(?<![\w-])--?([^\W\d_]+)")
_IDENTIFIER = re.compile(r"(?<![\w@.-])[^\W\d_]\w*(?:_\w+|\d\w*)(?![\w@-]|\.\w)")


def _in_identifier(text: str, name: str) -> bool:
    """Whether a one-word name of three letters or more names an option or is a word of
    an identifier that text writes: GNAT's switches are "-gnat2022" and "-gnatX" (an
    option's first word, in any case), and a document about them may never write
    "GNAT" alone; "MPI" in "MPI_Pcontrol" (an identifier's word, in the same case). A
    hyphenated word of prose ("Tex-Mex") is no identifier, nor is "max_age" a mention
    of "Max", nor "john_smith@acme.com" of "Smith".

    >>> [_in_identifier("Use -gnat2022 or -gnatX.", n) for n in ("GNAT", "Ada", "gna", "X")]
    [True, False, False, False]
    >>> [_in_identifier("Tex-Mex; MPI_Pcontrol; max_age", n) for n in ("Mex", "MPI", "Max")]
    [False, True, False]
    >>> _in_identifier("Mail john_smith@acme.com or zürich_office.", "Smith")
    False
    """
    if len(name) < 3 or not name.isalpha():
        return False
    want = name.casefold()
    if any(re.split(r"(?<=[a-z])(?=[A-Z])", m.group(1))[0].casefold() == want
           for m in _OPTION_WORD.finditer(text)):  # "gnat" of "-gnatX" too
        return True
    return any(name in re.findall(r"[^\W\d_]+", m.group(0)) for m in _IDENTIFIER.finditer(text))


def _names_word(text: str, word: str) -> bool:
    """`mentions`, in the same case for a word of one or two letters (the "B" of
    "B-cell" is not the "b" of a list or the "t" of "don't")."""
    if len(word) > 2:
        return mentions(text, word)
    return re.search(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", text) is not None


@functools.lru_cache(maxsize=64)
def _lower_case_stems(text: str) -> frozenset[str]:
    """The stems of the words text writes in lower case (its ordinary words)."""
    return frozenset(stem(w) for w in set(words(text)) if w.islower())


def misspelt(text: str, name: str) -> str | None:
    """The word of text that a one-word `name` of at least six letters is a slip of the
    keyboard for ("Raouliii" for "Raoulii", "Scotish" for "Scottish"): the closest
    capitalised word by difflib's ratio, at least 0.85 (one letter wrong, missing or
    extra in a word of six or more)."""
    if len(name) < 6 or not name.isalpha():
        return None
    close = difflib.get_close_matches(name.lower(), _capitalised_words(text), n=1, cutoff=0.85)
    return close[0] if close else None


@functools.lru_cache(maxsize=64)
def _capitalised_words(text: str) -> list[str]:
    return sorted({w.lower() for w in re.findall(r"\b[^\W\d_]\w{4,}", text) if w[0].isupper()})


def window_text(index: Index, e: Evidence, s: Sentence, q: Question) -> str:
    """The cited sentence with the neighbours that name its subject (see `window`)."""
    lo, hi = window(e.doc.text, index.paragraph_spans(e.chunk), s,
                     q.places + q.names)
    return e.doc.text[lo:hi]


def merged_blocks(evidence: list[Evidence]) -> list[tuple[Document, int, int]]:
    """The evidence windows as the model reads them: overlapping or touching windows of
    one paragraph joined, in document order, so a fact is read with its subject."""
    spans = sorted({(e.doc.doc_id, e.context_start, e.context_end): e.doc for e in evidence}
                   .items(), key=lambda kv: (kv[0][0], kv[0][1]))
    out: list[tuple[Document, int, int]] = []
    for (doc_id, lo, hi), doc in spans:
        if out and out[-1][0].doc_id == doc_id and lo <= out[-1][2] + 2 and \
                _same_paragraph(doc, out[-1][1], lo):
            prev = out[-1]
            out[-1] = (doc, prev[1], max(prev[2], hi))
        else:
            out.append((doc, lo, hi))
    return out


def _same_paragraph(doc: Document, a: int, b: int) -> bool:
    return any(p.start <= a < p.end and p.start <= b < p.end for p in doc.paragraphs)


def relevance(q: Question, text: str) -> float:
    """Share of the question's content words (stemmed) found in text, a name it asks
    about counted when text calls it by another of its names ("SRC")."""
    return share_in(q.terms, text, q.places + q.names)


def focus_share(q: Question, text: str) -> float:
    """Share of the words of what is asked (`Question.focus`: the relation, names
    aside) found in text."""
    return share_in(q.focus, text)


def about(e: Evidence, s: Sentence, name: str) -> bool:
    """Whether the paragraph of a cited sentence is about `name` (names it on its own)."""
    return mentions(e.scope, name)


def _named_share(text: str, name: str) -> float:
    """1 when text names `name`, else the share of its words it names: a second mention
    of a person is often the surname alone ("Trevithick" for "Richard Trevithick")."""
    if mentions(text, name):
        return 1.0
    parts = name.split()
    return sum(mentions(text, w) for w in parts) / len(parts) if len(parts) > 1 else 0.0


def best_clause(q: Question, text: str, start: int, end: int,
                min_chars: int = QUOTE_CLAUSE_CHARS) -> tuple[int, int]:
    """The part of text[start:end] to quote: a span longer than `min_chars` is cut at
    semicolons and the clause that best matches the question is kept: its places, the
    words of what is asked about them (`focus`: the relation, which tells clauses about
    the same subject apart), its other names at half weight (a surname alone counts for
    part of a full name), and its answer type.

    >>> t = "Beijing repaired 167 roads; Jilin rebuilt 5,529 houses; Qinghai resettled people."
    >>> q = Question.parse("How many houses did Jilin rebuild?")
    >>> s, e = best_clause(q, t, 0, len(t), min_chars=10)
    >>> t[s:e]
    'Jilin rebuilt 5,529 houses'
    >>> t = ("Around 1800 Richard Trevithick and Oliver Evans introduced engines using "
    ...      "high-pressure steam; Trevithick obtained his engine patent in 1802.")
    >>> q = Question.parse("In what year did Richard Trevithick patent his engine?")
    >>> s, e = best_clause(q, t, 0, len(t), min_chars=10)
    >>> t[s:e]
    'Trevithick obtained his engine patent in 1802'
    """
    if end - start <= min_chars or ";" not in text[start:end]:
        return start, end
    spans = clause_spans(text, start, end)
    asked = q.focus or q.terms

    def score(span: tuple[int, int]) -> float:
        c = text[span[0] : span[1]]
        return (sum(mentions(c, p) for p in q.places)
                + 0.5 * sum(_named_share(c, n) for n in q.names)
                + share_in(asked, c) + gives_answer_type(q, c) * 0.5)

    return max(spans, key=score)
