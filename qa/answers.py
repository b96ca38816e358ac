"""What the pipeline hands back (`Answer` with its `Citation`s), the state of one
question on its way (`Found`, `Work`), and the answer made from that state: a cited
span, an abstention with the closest passages.

`Answer` and `Citation` are also importable from qa.pipeline.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from .evidence import Evidence
from .question import Question
from .retrieval import SearchResult
from .short_answer import ShortAnswer


@dataclass(frozen=True)
class Citation:
    id: int
    doc_id: str
    doc_title: str
    section: str
    text: str
    start: int
    end: int
    score: float
    chunk_start: int
    chunk_end: int
    context_before: str = ""  # up to 300 characters of the same paragraph, for display
    context_after: str = ""


@dataclass(frozen=True)
class Answer:
    question: str
    standalone_question: str
    answer: str
    abstained: bool
    mode: str  # "generated" | "extractive" | "compared" | "abstained"
    citations: list[Citation]
    related: list[Citation]
    timings_ms: dict
    reasons: list[str] = field(default_factory=list)
    confidence: float = 0.0  # the answerability probability, else the best evidence score
    signals: dict = field(default_factory=dict)  # what the answerability judgement read
    short_answer: ShortAnswer | None = None  # the span of `answer` that gives what was asked

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Found:
    """What one standalone question retrieved: its parse, its evidence sentences and
    the search result they were selected from, with the time each step took."""
    standalone: str
    q: Question
    evidence: list[Evidence]
    result: SearchResult
    timings: dict


@dataclass
class Work:
    """One question on its way through the pipeline: what was found for it, and the
    timings, reasons and answerability signals gathered so far (steps add to them)."""
    question: str
    standalone: str
    q: Question
    evidence: list[Evidence]
    result: SearchResult
    timings: dict
    t0: float
    reasons: list[str] = field(default_factory=list)
    signals: dict = field(default_factory=dict)

    @property
    def confidence(self) -> float:
        """The best evidence score (the answer's confidence when it is not judged)."""
        return max((e.score for e in self.evidence), default=0.0)


def citation(i: int, e: Evidence, s) -> Citation:
    """Citation `i` of the span `s` (start, end) of the evidence's document."""
    para = e.doc.paragraphs[e.chunk.paragraph]
    text = e.doc.text
    return Citation(i, e.doc.doc_id, e.doc.title, e.chunk.section,
                    text[s.start : s.end], s.start, s.end, e.score,
                    e.chunk.start, e.chunk.end,
                    text[max(para.start, s.start - 300) : s.start],
                    text[s.end : min(para.end, s.end + 300)])


def answered(w: Work, text: str, mode: str, cites: list[Citation],
             confidence: float | None = None, short: ShortAnswer | None = None) -> Answer:
    w.timings["total"] = ms(w.t0)
    return Answer(w.question, w.standalone, text, False, mode, cites, [], w.timings,
                  w.reasons, w.confidence if confidence is None else confidence, w.signals,
                  short)


def abstained(w: Work, reason: str) -> Answer:
    """"The documents don't say" (in the question's language), with the evidence as
    the closest passages and `reason` last among the reasons."""
    related = [citation(i, e, e.sentence) for i, e in enumerate(w.evidence, 1)]
    if w.q.chinese:
        msg = "文档中没有找到这个问题的答案。"
    else:
        msg = "The documents don't say."
    if related:
        msg += (" 以下是最接近的段落。" if w.q.chinese
                else " The closest passages are listed below.")
    w.timings["total"] = ms(w.t0)
    return Answer(w.question, w.standalone, msg, True, "abstained", [], related,
                  w.timings, [*w.reasons, reason], w.confidence, w.signals)


def cited_evidence(evidence: list[Evidence], c: Citation) -> Evidence | None:
    """The evidence whose window a cited span was chosen in, if any."""
    return next((e for e in evidence if e.doc.doc_id == c.doc_id
                 and e.context_start <= c.start and c.end <= e.context_end), None)


def cited_context(evidence: list[Evidence], c: Citation) -> str:
    """A cited span with the window it was chosen in (its subject named), when it was."""
    e = cited_evidence(evidence, c)
    return e.context if e else c.text


def ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)
