"""The chat page at `/`. It works without JavaScript: the form posts the question and
the history, and the server renders the answer. With JavaScript, web/static/chat.js
streams answers from /ask/stream instead, within the limits the page carries."""

import json
from dataclasses import asdict
from pathlib import Path

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from qa.limits import LIMITS, Limits

from ..errors import ApiError
from ..service import Service, ServiceDep

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent.parent / "templates"))
HEADER_DOCS = 8  # document titles named in the page header; the rest are counted


def page(request: Request, service: Service, turns: list[dict], status: int = 200,
         error_msg: str = ""):
    docs, more = service.first_documents(HEADER_DOCS)
    return templates.TemplateResponse(request, "chat.html", {
        "turns": turns, "error": error_msg, "examples": service.examples(), "documents": docs,
        "more_documents": more, "limits": LIMITS, "sign_out": request.app.state.auth.enabled,
        "history_json": json.dumps([{"role": t["role"], "content": t["content"]} for t in turns],
                                   ensure_ascii=False),
    }, status_code=status)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, service: ServiceDep):
    return page(request, service, [])


@router.post("/", response_class=HTMLResponse)
async def home_post(request: Request, service: ServiceDep, question: str = Form(""),
                    history: str = Form("[]")):
    """The chat without JavaScript: the form posts, the server renders the answer."""
    try:
        turns = [{"role": t.get("role"), "content": str(t.get("content", ""))}
                 for t in json.loads(history)
                 if isinstance(t, dict) and t.get("role") in ("user", "assistant")]
    except (ValueError, TypeError):
        turns = []
    turns = recent_turns(turns, LIMITS)
    try:
        async with service.asking(request, question, turns) as asking:
            a = await asking.answer()
    except ApiError as e:
        return page(request, service, turns, e.status if e.status != 422 else 400, e.message)
    turns = turns + [{"role": "user", "content": question},
                     {"role": "assistant", "content": a.answer, "answer": asdict(a)}]
    return page(request, service, turns)


def recent_turns(turns: list[dict], limits: Limits) -> list[dict]:
    """The latest turns that fit the history limits: a long no-JavaScript chat keeps
    going, forgetting its oldest turns, instead of failing.

    >>> recent_turns([{"role": "user", "content": "x" * 9000},
    ...               {"role": "user", "content": "ok"}], Limits())
    [{'role': 'user', 'content': 'ok'}]
    """
    kept: list[dict] = []
    size = 0
    for t in reversed(turns):
        size += len(t["content"])
        if len(kept) >= limits.max_history_turns or size > limits.max_history_chars:
            break
        kept.append(t)
    return kept[::-1]
