"""Rewrite a follow-up question into a standalone one, using the conversation.

Rules, not a model (a 0.5B model rewrites unreliably and costs a second):

- "And Guangdong?" / "What about Qinghai?" after "What three-year plan did Zhejiang
  propose?" -> the previous question with the new place swapped in.
- "What was its growth rate?" after a question about Jiangsu -> pronouns
  (it/its/they/their/he/she/there/that) replaced by the subject of the previous turn.
- A question that names its own subject and has no pronoun is left unchanged.

>>> h = [{"role": "user", "content": "What three-year plan did Zhejiang propose?"}]
>>> standalone("And Guangdong?", h)
'What three-year plan did Guangdong propose?'
>>> standalone("What was its growth rate?", [{"role": "user", "content": "What was Jiangsu's GDP?"}])
"What was Jiangsu's growth rate?"

Not handled: follow-ups that refer to something other than the previous subject
("the second one"), and Chinese follow-ups (kept as they are).
"""

from __future__ import annotations

import re

from .text import entities, is_chinese

_ELLIPTIC = re.compile(
    r"^\s*(and|what about|how about|and what about|and how about|what of|same for|and for|and in)\b[\s,]*(.*?)\??\s*$",
    re.IGNORECASE,
)
_PRONOUNS = [
    (re.compile(r"\b(its)\b", re.IGNORECASE), "{s}'s"),
    (re.compile(r"\b(their)\b", re.IGNORECASE), "{s}'s"),
    (re.compile(r"\b(his|her)\b(?!\s+(?:own)\b)", re.IGNORECASE), "{s}'s"),
    (re.compile(r"\b(that province|the province|that city|the city|that region|there)\b", re.IGNORECASE), "{s}"),
    (re.compile(r"\b(it|they|he|she|him|them|that)\b", re.IGNORECASE), "{s}"),
]


def _subject(history: list[dict]) -> tuple[str | None, str | None]:
    """(last user question, its main subject), looking back through the history."""
    users = [t["content"] for t in history if t.get("role") == "user"]
    # the last question that stands on its own: "And Jiangxi?" after "And Guangdong?"
    # after "What did Zhejiang propose?" takes the Zhejiang question as its pattern
    last_q = next((u for u in reversed(users) if not _ELLIPTIC.match(u)),
                  users[-1] if users else None)
    for turn in reversed(history):
        ents = entities(turn.get("content", ""))
        if ents:
            return last_q, ents[0]
    return last_q, None


def standalone(question: str, history: list[dict] | None) -> str:
    if not history or is_chinese(question):
        return question
    last_q, subject = _subject(history)
    m = _ELLIPTIC.match(question)
    new_ents = entities(question)
    if m and last_q:
        rest = m.group(2).strip()
        prev_ents = entities(last_q)
        if new_ents and prev_ents:
            out = re.sub(rf"\b{re.escape(prev_ents[0])}\b", new_ents[0], last_q, count=1)
            return out
        if rest and len(rest.split()) > 3:
            question = rest[0].upper() + rest[1:] + "?"
        elif rest and subject:
            return f"{last_q.rstrip('?')} ({rest})?"
    if not subject:
        return question
    for pat, repl in _PRONOUNS:
        if pat.search(question):
            return pat.sub(repl.format(s=subject), question, count=1)
    if not new_ents:
        return f"{question.rstrip('?')} ({subject})?"
    return question
