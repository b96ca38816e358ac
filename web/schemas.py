"""Pydantic models of the HTTP API (the only place pydantic meets the pipeline)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: StrictStr = Field(max_length=8000)


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [
            {"question": "What did Tianjin plan for flood season?"},
            {"question": "And Guangdong?", "history": [
                {"role": "user", "content": "What three-year plan did Zhejiang propose?"},
                {"role": "assistant", "content": "A three-year action plan to enhance flood and "
                 "typhoon prevention capabilities."}]},
        ]},
    )
    question: StrictStr = Field(min_length=1, max_length=1000,
                                description="The question, 1-1000 characters")
    history: list[Turn] = Field(default_factory=list, max_length=20,
                                description="Earlier turns of the conversation, oldest first")


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"query": "flood season repair projects", "top_k": 5}]})
    query: StrictStr = Field(min_length=1, max_length=1000)
    top_k: int = Field(5, ge=1, le=50)


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


class AskResponse(BaseModel):
    question: str
    standalone_question: str = Field(description="The question as understood, history resolved")
    answer: str
    abstained: bool
    mode: Literal["generated", "extractive", "abstained"]
    citations: list[CitationOut]
    related: list[CitationOut] = Field(description="Closest passages, offered when abstaining")
    timings_ms: dict[str, float]
    reasons: list[str] = Field(description="Why the answer was abstained or fell back to a quote")
    confidence: float = Field(description="Score of the best evidence sentence (not a probability)")


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"question": "What did Tianjin plan for flood season?",
         "answer": "Tianjin aims to complete 43 water damage repair projects.", "rating": "up"}]})
    question: StrictStr = Field(min_length=1, max_length=1000)
    answer: StrictStr = Field(max_length=8000)
    rating: Literal["up", "down"]
    comment: StrictStr = Field("", max_length=2000)
    history: list[Turn] = Field(default_factory=list, max_length=20)
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
