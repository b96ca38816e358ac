"""`/ask` and `/ask/stream`: one question, answered whole or as server-sent events.

Both take the question through the `asking` dependency, which holds a generation
slot (web/gate.py) for as long as the answer is worked on: the body is validated
first (422, 413), then 503 when not ready or overloaded, before any response starts.
"""

import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

from ..schemas import AskRequest, AskResponse, ErrorResponse
from ..service import Asking, ServiceDep

router = APIRouter(tags=["qa"])


async def asking(req: AskRequest, request: Request, service: ServiceDep) -> AsyncIterator[Asking]:
    history = [t.model_dump() for t in req.history]
    async with service.asking(request, req.question, history) as question:
        yield question


Question = Annotated[Asking, Depends(asking)]


@router.post("/ask", response_model=AskResponse, responses={413: {"model": ErrorResponse}})
async def ask(question: Question):
    """Answer a question with cited passages, or abstain."""
    return (await question.answer()).to_dict()


EVENTS = {"type": "object", "required": ["event", "data"], "properties": {
    "event": {"enum": ["token", "citations", "done", "error"]},
    "data": {"type": "string", "description": "JSON"}}}


@router.post("/ask/stream", response_class=EventSourceResponse, responses={200: {
    "description": "Server-sent events: token*, citations, done (or error)",
    "content": {"text/event-stream": {"itemSchema": EVENTS}}}})
async def ask_stream(question: Question) -> AsyncIterator[ServerSentEvent]:
    """Server-sent events: `token` (text pieces as generated), `citations`
    (the verified answer, as /ask returns it), `done`, or `error`."""
    async for ev in question.events():
        if ev["event"] == "token":
            yield event("token", {"text": ev["data"]})
        elif ev["event"] == "answer":
            yield event("citations", ev["data"].to_dict())
        else:
            yield event(ev["event"], ev["data"])
    yield event("done", {})  # the slot is free before the client sees it


def event(name: str, data) -> ServerSentEvent:
    """`data` as JSON, with the text as it is (FastAPI's own encoding escapes non-ASCII)."""
    return ServerSentEvent(event=name, raw_data=json.dumps(data, ensure_ascii=False))
