"""Evidence selection, answer verification, citation matching and abstention.

The model never decides alone what is true. Here:

1. `select_evidence` scores every sentence of the retrieved chunks against the
   question (dense similarity + keyword recall + coverage of the places and names
   asked about) and keeps the best few, each with the sentence before it when it
   opens with a pronoun ("It aims to ...").
2. `coverage_gap` names the places/names of the question that no evidence
   paragraph mentions together with the attribute asked about ("Shanghai" +
   "GDP"): a gap means abstain.
3. `verify` splits the generated answer into sentences, matches each to the
   source sentence that supports it (its offsets become the citation), and
   checks that every number and proper name in the answer appears in the cited
   text. Model-written "[n]" markers are ignored.

Not handled: negation or paraphrased numbers ("a dozen" for 12); an answer that
restates the evidence wrongly but with the same words passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from index.chunking import Chunk, sentence_spans
from index.loaders import Document
from index.store import Index, Sentence
from index.tokenize import terms

from .lexicon import PLACE_NAMES, english_terms
from .retrieval import SearchResult
from .text import (
    content_terms,
    entities,
    is_chinese,
    mentions,
    numbers,
    recall_of,
)

_PRONOUN_START = re.compile(r"^(It|Its|This|These|They|Their|He|She|In response|Among them)\b")
_QUOTATION = re.compile(r'^\s*["“][^"“”]+[”"]\s*$')
ENGLISH_PLACES = PLACE_NAMES


@dataclass(frozen=True)
class Evidence:
    sentence: Sentence
    chunk: Chunk
    doc: Document
    score: float
    context_start: int  # the window shown to the model: the sentence, plus the sentences
    context_end: int  # around it that name its subject

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


@dataclass(frozen=True)
class Question:
    """What the checks need to know about a question."""

    text: str
    chinese: bool
    places: list[str]
    names: list[str]  # other proper names and acronyms (GDP, CPPCC, people)
    terms: list[str]  # stemmed content words, English (glossary terms for Chinese)
    quantity: str | None = None  # "How many old districts ..." -> "district"
    expects: str | None = None  # answer type: count, number, percent, year, date, person, name

    @classmethod
    def parse(cls, text: str) -> Question:
        if is_chinese(text):
            places, glossary = english_terms(text)
            acr = [w for w in re.findall(r"[A-Z]{2,}", text)]
            return cls(text, True, places, acr, content_terms(" ".join(places + glossary)))
        ents = entities(text)
        places = [e for e in ents if e in ENGLISH_PLACES]
        names = [e for e in ents if e not in ENGLISH_PLACES]
        kind = answer_type(text)
        if kind == "choice" or len(places) > 1 and re.search(r"\bor\b", text):
            kind = "choice"
        head = quantity_head(text) if kind == "count" else measure_word(text)
        return cls(text, False, places, names, content_terms(text), head, kind)


_MEASURES = (r"\b(budget|cost|costs|funding|funds|amount|population|magnitude|death toll|"
             r"casualties|gdp)\b")
_TYPES = [
    ("choice", re.compile(r"^\s*which\b[^?]*\b\w+,? or \w+", re.I)),
    ("count", re.compile(r"\bhow (many|much)\b", re.I)),
    ("date", re.compile(r"\b(exact date|what date|which date|on what day|what day)\b", re.I)),
    ("year", re.compile(r"\b(which|what) year\b|\bin what year\b", re.I)),
    ("when", re.compile(r"^\s*(by )?when\b", re.I)),
    ("percent", re.compile(r"\b(percentage|percent|growth rate|rate of growth)\b", re.I)),
    ("person", re.compile(r"^\s*(who|whom|whose)\b|\bwhich (person|official|expert|governor|"
                          r"member|deputy|director|scholar)\b", re.I)),
    ("place", re.compile(r"^\s*where\b(?!.*\brank)|\bwhich (\w+ ){0,2}(cities|city|provinces|province|regions|"
                         r"region|counties|county|districts|places)\b|\bin which (\w+ )?(city|"
                         r"province|region|county|district)\b", re.I)),
    ("number", re.compile(_MEASURES, re.I)),
    ("name", re.compile(r"\b(which|what) (meeting|conference|congress|report|document|"
                        r"organi[sz]ation|committee|society|party|company|institute|agency|"
                        r"department|ministry|newspaper|publication)\b", re.I)),
]
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december")
_YEAR = re.compile(r"\b(1[89]|20)\d{2}\b|\b(anniversary|end of (the )?year|this year|next year|"
                   r"last year)\b", re.I)
_WHEN = re.compile(r"\b(" + _MONTHS + r"|end of|beginning of|before the|after the|by the|"
                   r"season|anniversary|spring|summer|autumn|winter)\b", re.I)
_FULL_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b(" + _MONTHS + r")\s+\d{1,2}\b|\b\d{1,2}\s+("
                        + _MONTHS + r")\b", re.I)


def measure_word(question: str) -> str | None:
    """The measured quantity a question asks for ("magnitude", "gdp"), stemmed."""
    m = re.search(_MEASURES, question, re.I)
    return content_terms(m.group(1))[-1] if m else None


def answer_type(question: str) -> str | None:
    """What kind of answer the question asks for, when a check can tell.

    >>> answer_type("How many houses did Jilin rebuild?"), answer_type("Who is the Governor?")
    ('count', 'person')
    >>> answer_type("What did Tianjin plan for flood season?") is None
    True
    """
    for name, pattern in _TYPES:
        if pattern.search(question):
            return name
    return None


def gives_answer_type(q: Question, text: str) -> bool:
    """Whether text holds the kind of answer the question asks for.

    With places in the question, only the clauses (split at ';') naming them count
    when any does: a long sentence listing Beijing's, Jilin's and Qinghai's figures
    gives Jilin's count only in the Jilin clause.
    """
    if q.chinese or not q.expects:
        return True
    clauses = [c for c in text.split(";") if any(mentions(c, p) for p in q.places)]
    text = " ".join(clauses) if clauses else text
    if q.expects == "count":
        return counts(text, q.quantity) if q.quantity else bool(numbers(text))
    if q.expects == "number":  # a figure in the same clause as the measure asked for
        return any(re.search(r"\d", c) and (not q.quantity or q.quantity in terms(c))
                   for c in re.split(r"[,;]", text))
    if q.expects == "place":
        asked = {e.lower() for e in entities(q.text)}
        return any(e.lower() not in asked and not e.isupper() for e in entities(text))
    if q.expects == "percent":
        return "%" in text or "percent" in text.lower()
    if q.expects == "year":
        return bool(_YEAR.search(text))
    if q.expects == "date":
        return bool(_FULL_DATE.search(text))
    if q.expects == "when":
        return bool(_YEAR.search(text) or _WHEN.search(text))
    if q.expects == "name":  # a capitalised word the question does not have
        asked = {w.lower() for w in re.findall(r"[A-Za-z]+", q.text)}
        return any(w.lower() not in asked
                   for w in re.findall(r"(?<=[a-z,] )[A-Z][a-z]+", text))
    if q.expects == "person":
        asked = {e.lower() for e in entities(q.text)}
        return any(" " in e and e not in ENGLISH_PLACES and e.lower() not in asked
                   and not e.isupper() for e in entities(text))
    return True


_HOW_MANY = re.compile(
    r"\bhow (?:many|much)\s+(.+?)(?=\s+(?:did|does|do|were|was|will|are|is|has|have|had|in|"
    r"of|could|can|would|should|for|on|at|by|to|that|which|across|after|before)\b|[?？,]|$)",
    re.IGNORECASE,
)


def quantity_head(question: str) -> str | None:
    """The thing counted by a "how many/much" question, stemmed.

    >>> quantity_head("How many old districts will Shandong renew?")
    'district'
    >>> quantity_head("What did Tianjin plan?") is None
    True
    """
    m = _HOW_MANY.search(question)
    if not m:
        return None
    terms = content_terms(m.group(1))
    return terms[-1] if terms else None


def counts(text: str, head: str) -> bool:
    """Whether text gives a figure for `head` (a number followed, within five words, by it)."""
    return any(head in after for _, after in _number_phrases_wide(text))


def select_evidence(index: Index, result: SearchResult, q: Question, k: int = 3,
                    per_chunk: int = 2) -> list[Evidence]:
    """The k best sentences of the retrieved chunks, best first."""
    scored: list[Evidence] = []
    for hit in result.hits:
        doc = index.documents[hit.chunk.doc_id]
        p = doc.paragraphs[hit.chunk.paragraph]
        para = doc.text[p.start : p.end]
        sents = index.chunk_sentences(hit.chunk.chunk_id)
        if not sents:
            continue
        ids = np.array([s.sent_id for s in sents])
        if result.query_vector is not None:
            sims = index.sentence_vectors[ids] @ result.query_vector
        elif result.xling_vector is not None and index.xling_vectors is not None:
            sims = index.xling_vectors[ids] @ result.xling_vector
        else:
            sims = np.zeros(len(ids))
        place_cov = _coverage(q.places + q.names, para)
        para_sents = sentence_spans(doc.text, p.start, p.end)
        for s, sim in zip(sents, sims, strict=True):
            text = doc.text[s.start : s.end]
            lex = recall_of(" ".join(q.terms), text) if q.terms else 0.0
            lo, hi = window(doc.text, para_sents, s, q.places + q.names)
            sent_cov = _coverage(q.places + q.names, doc.text[lo:hi])
            score = (float(sim) + 0.35 * lex + 0.15 * place_cov + 0.2 * sent_cov
                     + 0.02 / (1 + hit.rank))
            scored.append(Evidence(s, hit.chunk, doc, round(score, 4), lo, hi))
    scored.sort(key=lambda e: -e.score)
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


def window(text: str, para_sents: list[tuple[int, int]], s: Sentence,
            names: list[str]) -> tuple[int, int]:
    """The sentence, with the one before when it opens with a pronoun ("It aims to
    ..."), widened (up to two back, one ahead) until it names what the question asks
    about, when its paragraph does, and with the next sentence when that one goes on
    about the same subject (opens with a pronoun)."""
    i = next((k for k, (a, b) in enumerate(para_sents) if a <= s.start < b), None)
    if i is None:
        return s.start, s.end
    lo = hi = i
    if lo > 0 and _PRONOUN_START.match(text[s.start : s.end]):
        lo -= 1
    # '"Reconstruction should ..." Zhang Yong, a member of ..., believes': in news
    # style a sentence that is one whole quotation belongs to the speaker named next
    if lo > 0 and _QUOTATION.match(text[para_sents[lo - 1][0] : para_sents[lo - 1][1]]):
        lo -= 1

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
    # a next sentence that goes on about the same subject ("It aims to ...") belongs too
    if hi + 1 < len(para_sents) and _PRONOUN_START.match(
            text[para_sents[hi + 1][0] : para_sents[hi + 1][1]]):
        hi += 1
    return para_sents[lo][0], max(para_sents[hi][1], s.end)


def _coverage(names: list[str], text: str) -> float:
    if not names:
        return 0.0
    return sum(mentions(text, n) for n in names) / len(names)


def coverage_gap(q: Question, evidence: list[Evidence]) -> list[str]:
    """Places or names of the question that the evidence does not cover.

    Each place must share one evidence paragraph with every other name asked
    about (so "Shanghai's GDP" needs a paragraph naming both); with no place, all
    names must appear somewhere in the evidence.
    """
    paras = {e.paragraph_text for e in evidence}
    missing: list[str] = []
    if q.places:
        for place in q.places:
            ok = any(mentions(p, place) and all(mentions(p, n) for n in q.names) for p in paras)
            if not ok:
                missing.append(place if any(mentions(p, place) for p in paras) is False
                               else f"{place} ({', '.join(q.names)})")
    else:
        missing = [n for n in q.names if not any(mentions(p, n) for p in paras)]
    return missing


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


def _candidates(evidence: list[Evidence], index: Index) -> list[tuple[Evidence, Sentence, str]]:
    """Every sentence of the evidence chunks, as (evidence, sentence, its text)."""
    return [(e, s, e.doc.text[s.start : s.end])
            for e in evidence for s in index.chunk_sentences(e.chunk.chunk_id)]


def _support(sent: str, q: Question, candidates, evidence) -> tuple[float, Evidence, Sentence]:
    """The evidence sentence that best supports an English answer sentence, and how
    much of the sentence's claim it holds (recall of its content words)."""
    # words echoed from the question are its framing ("Sichuan warns against ..."):
    # what must be supported is what the answer adds to them
    added = [w for w in content_terms(sent) if w not in q.terms]
    claim = " ".join(added) if len(added) >= 2 else sent
    r, e, s = max(((recall_of(claim, t) + 0.01 * (e is evidence[0]), e, s)
                   for e, s, t in candidates), key=lambda x: x[0])
    return r, e, s


def early_failure(partial: str, q: Question, evidence: list[Evidence], index: Index,
                  min_support: float = 0.5) -> str | None:
    """Why an English answer that begins with `partial` fails `verify` whatever text
    follows, or None: one of its finished sentences (one that another follows) is
    unsupported, or states a number found in no evidence sentence. Checks that more
    text could still satisfy (names, the answer type) are left to `verify`; this
    only lets generation stop once its answer is already refused."""
    spans = sentence_spans(partial)
    if q.chinese or len(spans) < 2:
        return None
    candidates = _candidates(evidence, index)
    if not candidates:
        return None
    known = set().union(*(numbers(t) for _, _, t in candidates))
    for a, b in spans[:-1]:
        sent = partial[a:b]
        if is_chinese(sent):
            continue
        r, _, _ = _support(sent, q, candidates, evidence)
        if r < min_support:
            return f"unsupported sentence: {sent[:80]!r} (best support {r:.2f})"
        if missing := sorted(numbers(sent) - known):
            return f"number {missing[0]} is not in the evidence"
    return None


def verify(answer: str, q: Question, evidence: list[Evidence], index: Index,
           min_support: float = 0.5) -> Verification:
    """Match each answer sentence to a supporting source sentence and check facts."""
    v = Verification(ok=True)
    candidates = _candidates(evidence, index)
    if not candidates:
        return Verification(False, ["no evidence"])
    ans_sents = [answer[a:b] for a, b in sentence_spans(answer)] or [answer]
    cited: list[tuple[Evidence, Sentence]] = []
    for sent in ans_sents:
        if q.chinese or is_chinese(sent):
            # Chinese answer over English text: support through the numbers it states,
            # else through its English words and glossary terms, else the top evidence.
            nums = numbers(sent)
            best = next(((e, s) for e, s, t in candidates if nums and nums <= numbers(t)), None)
            places, glossary = english_terms(sent)
            probe = " ".join([*re.findall(r"[A-Za-z][A-Za-z-]+", sent), *places, *glossary])
            if best is None and content_terms(probe):
                r, e, s = max(((recall_of(probe, t) + 0.01 * (e is evidence[0]), e, s)
                               for e, s, t in candidates), key=lambda x: x[0])
                best = (e, s) if r >= 0.3 else None
            best = best or (evidence[0], evidence[0].sentence)
        else:
            r, e, s = _support(sent, q, candidates, evidence)
            if r < min_support:
                v.ok = False
                v.reasons.append(f"unsupported sentence: {sent[:80]!r} (best support {r:.2f})")
                continue
            best = (e, s)
        if best not in cited:
            cited.append(best)
    # every number must appear in the cited text; add the sentence that holds it
    cited_text = lambda: " ".join(e.doc.text[s.start : s.end] for e, s in cited)  # noqa: E731
    for n in sorted(numbers(answer)):
        if n in numbers(cited_text()):
            continue
        holders = [(e, s) for e, s, t in candidates if n in numbers(t)]
        # a figure taken from a passage about another place is not a figure about this one
        near = [(e, s) for e, s in holders
                if (any if q.expects == "choice" else all)(about(e, s, p) for p in q.places)]
        if not holders:
            v.ok = False
            v.reasons.append(f"number {n} is not in the evidence")
        elif not near:
            v.ok = False
            v.reasons.append(f"number {n} comes from a passage about another subject")
        else:
            cited.append(near[0])
    allowed = cited_text() + " " + " ".join({e.paragraph_text for e, _ in cited}) + " " + q.text
    for name in entities(answer):
        if not mentions(allowed, name):
            v.ok = False
            v.reasons.append(f"name {name!r} is not in the evidence")
    for n, words_after in _number_phrases(answer):
        sources = [t for _, _, t in candidates if n in numbers(t)]
        if sources and not any(_bound(n, words_after, t) for t in sources):
            v.ok = False
            v.reasons.append(f"number {n} is attached to other words in the evidence")
    if not gives_answer_type(q, answer):
        v.ok = False
        v.reasons.append(f"the answer does not give the {q.expects} asked for")
    elif q.expects == "count" and q.quantity:
        stated = {n for n, _ in _number_phrases(answer)}
        ok = any(m_n in stated and q.quantity in after
                 for _, _, t in candidates for m_n, after in _number_phrases_wide(t))
        if not ok:
            v.ok = False
            v.reasons.append(f"the answer gives no figure for {q.quantity!r} found in the evidence")
    if not q.chinese and len(q.terms) >= 2 and cited:
        best = max(relevance(q, e.context) for e in evidence)
        got = max(relevance(q, window_text(e, s, q)) for e, s in cited)
        if got < best - 0.3:
            v.ok = False
            v.reasons.append(f"the answer rests on a passage that matches the question less well "
                             f"({got:.2f}) than another ({best:.2f})")
    bound = [p for p in q.places if any(about(e, s, p) for e, s in cited)]
    if q.expects == "choice":  # "Jiangsu or Shandong?": about one of them at least
        missing = [] if bound or not q.places else q.places
    else:
        missing = [p for p in q.places if p not in bound]
    for place in missing:
        v.ok = False
        v.reasons.append(f"the cited passages are not about {place}")
    off = [s for e, s in cited if q.places and not any(about(e, s, p) for p in q.places)]
    if off:  # "Shandong's growth rate ... 5.8%" supported by the Jiangsu sentence
        v.ok = False
        v.reasons.append(f"{len(off)} cited passage(s) are about something other than "
                         + ", ".join(q.places))
    v.spans = cited
    return v


def window_text(e: Evidence, s: Sentence, q: Question) -> str:
    """The cited sentence with the neighbours that name its subject (see `window`)."""
    p = e.doc.paragraphs[e.chunk.paragraph]
    lo, hi = window(e.doc.text, sentence_spans(e.doc.text, p.start, p.end), s,
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
    """Share of the question's content words (stemmed) found in text."""
    return recall_of(" ".join(q.terms), text) if q.terms else 0.0


def about(e: Evidence, s: Sentence, name: str) -> bool:
    """Whether the paragraph of a cited sentence is about `name` (names it on its own)."""
    return mentions(e.paragraph_text, name)


_NUM = (r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\b(?:one|two|three|four|five|six|"
        r"seven|eight|nine|ten|eleven|twelve)\b)")
_NUM_PHRASE = re.compile(_NUM + r"((?:[\s-]+[A-Za-z][\w'’-]*){0,2})", re.IGNORECASE)
_NUM_PHRASE_WIDE = re.compile(_NUM + r"((?:[\s\"“”-]+[A-Za-z][\w'’%-]*[,]?){0,5})", re.IGNORECASE)


def _norm_number(n: str) -> str:
    n = n.replace(",", "").lower()
    n = _WORD_NUMBERS.get(n, n)
    if "." in n:
        n = n.rstrip("0").rstrip(".")
    return n


_WORD_NUMBERS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}


def _number_phrases(text: str) -> list[tuple[str, list[str]]]:
    """Each number with the (up to two) content words that follow it."""
    return [(_norm_number(m.group(1)), content_terms(m.group(2)))
            for m in _NUM_PHRASE.finditer(text)]


def _bound(n: str, after: list[str], source: str) -> bool:
    """The words after a number in the answer also follow it (within 4 words) in the source."""
    if not after:
        return True
    for m_n, m_after in _number_phrases_wide(source):
        if m_n == n and set(after) <= set(m_after):
            return True
    return False


def _number_phrases_wide(text: str) -> list[tuple[str, list[str]]]:
    return [(_norm_number(m.group(1)), content_terms(m.group(2)))
            for m in _NUM_PHRASE_WIDE.finditer(text)]


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] cut at semicolons, each part trimmed of spaces and a final stop."""
    out, pos = [], start
    for part in text[start:end].split(";"):
        a, b = pos, pos + len(part)
        pos = b + 1
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1] in " .":
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def best_clause(q: Question, text: str, start: int, end: int,
                min_chars: int = 250) -> tuple[int, int]:
    """The part of text[start:end] to quote: a long span is cut at semicolons and the
    clause that best matches the question (its places, figure and words) is kept.

    >>> t = "Beijing repaired 167 roads; Jilin rebuilt 5,529 houses; Qinghai resettled people."
    >>> q = Question.parse("How many houses did Jilin rebuild?")
    >>> s, e = best_clause(q, t, 0, len(t), min_chars=10)
    >>> t[s:e]
    'Jilin rebuilt 5,529 houses'
    """
    if end - start <= min_chars or ";" not in text[start:end]:
        return start, end
    spans = clause_spans(text, start, end)

    def score(span: tuple[int, int]) -> float:
        c = text[span[0] : span[1]]
        return (sum(mentions(c, n) for n in q.places + q.names)
                + recall_of(" ".join(q.terms), c) + gives_answer_type(q, c) * 0.5)

    return max(spans, key=score)

