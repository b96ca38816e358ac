"""Pydantic models of the HTTP API (the only place pydantic meets the pipeline)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from qa.limits import LIMITS, NOT_BLANK  # the limits of a question request, defined once


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: StrictStr = Field(max_length=LIMITS.max_turn_chars)


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [
            {"question": "What is the main topic of the documents?"},
            {"question": "And the second one?", "history": [
                {"role": "user", "content": "What does the first document say about costs?"},
                {"role": "assistant", "content": "It puts the yearly cost at 2 million."}]},
        ]},
    )
    question: StrictStr = Field(min_length=1, max_length=LIMITS.max_question_chars,
                                pattern=NOT_BLANK,
                                description=f"The question, 1-{LIMITS.max_question_chars} characters, "
                                "not only spaces")
    history: list[Turn] = Field(default_factory=list, max_length=LIMITS.max_history_turns,
                                description="Earlier turns of the conversation, oldest first: "
                                f"at most {LIMITS.max_history_turns} turns and {LIMITS.max_history_chars} "
                                "characters in all")

    @model_validator(mode="after")
    def _history_size(self):
        n = sum(len(t.content) for t in self.history)
        if n > LIMITS.max_history_chars:
            raise PydanticCustomError(
                "history_too_large",
                "the history holds {chars} characters, the limit is {limit}; send only the "
                "recent turns", {"chars": n, "limit": LIMITS.max_history_chars})
        return self


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"query": "main topic of the documents", "top_k": 5}]})
    query: StrictStr = Field(min_length=1, max_length=LIMITS.max_question_chars)
    top_k: int = Field(5, ge=1, le=50, description="How many chunks, 1-50")

    @field_validator("top_k", mode="before")
    @classmethod
    def _whole_number(cls, v):
        # JSON Schema's integer: 3 and 3.0, not "3", true or 3.5
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, bool) or not isinstance(v, int):
            raise PydanticCustomError("int_type", "must be a whole number from 1 to 50")
        return v


class CitationOut(BaseModel):
    id: int
    doc_id: str
    doc_title: str
    section: str
    text: str = Field(description="Verbatim source text: document[start:end]")
    start: int
    end: int
    score: float
    chunk_start: int
    chunk_end: int
    context_before: str = Field("", description="Text of the paragraph just before the span")
    context_after: str = Field("", description="Text of the paragraph just after the span")


class ShortAnswerOut(BaseModel):
    text: str = Field(description="answer[start:end], the offsets in Unicode code points")
    start: int
    end: int


class AskResponse(BaseModel):
    question: str
    standalone_question: str = Field(description="The question as understood, history resolved")
    answer: str
    abstained: bool
    mode: Literal["generated", "extractive", "compared", "abstained"]
    citations: list[CitationOut]
    related: list[CitationOut] = Field(description="Closest passages, offered when abstaining")
    timings_ms: dict[str, float]
    reasons: list[str] = Field(description="Why the answer was abstained or fell back to a quote: "
                               "each refusal starts with the name of the check that made it")
    confidence: float = Field(description="The answerability judgement's probability that the "
                              "cited passage answers; without one, the best evidence score")
    signals: dict[str, float] = Field(default_factory=dict,
                                      description="What the answerability judgement read")
    short_answer: ShortAnswerOut | None = Field(
        None, description="In a quoted answer to a how-many or when question, the span of "
        "`answer` that gives the figure or time asked for")


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"question": "What is the main topic of the documents?",
         "answer": "The documents describe the yearly budget.", "rating": "up"}]})
    question: StrictStr = Field(min_length=1, max_length=LIMITS.max_question_chars)
    answer: StrictStr = Field(max_length=LIMITS.max_turn_chars)
    rating: Literal["up", "down"]
    comment: StrictStr = Field("", max_length=2000)
    history: list[Turn] = Field(default_factory=list, max_length=LIMITS.max_history_turns)
    citations: list[StrictStr] = Field(default_factory=list, max_length=20)


class SearchHit(BaseModel):
    rank: int
    doc_id: str
    doc_title: str
    section: str
    text: str
    start: int
    end: int
    score: float
    dense: float | None
    bm25: float | None


class DocumentOut(BaseModel):
    doc_id: str
    title: str
    release_date: str | None
    source: str | None
    chars: int
    chunks: int


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody
