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

from index.nlp import entities as ner
from index.nlp import tokens
from index.text import entities, is_chinese

_ELLIPTIC = re.compile(
    r"^\s*(and|what about|how about|and what about|and how about|what of|same for|and for|and in)\b[\s,]*(.*?)\??\s*$",
    re.IGNORECASE,
)
_PRONOUNS = [
    (re.compile(r"\b(its)\b", re.IGNORECASE), "{p}"),
    (re.compile(r"\b(their)\b", re.IGNORECASE), "{p}"),
    (re.compile(r"\b(his|her)\b(?!\s+(?:own)\b)", re.IGNORECASE), "{p}"),
    (re.compile(r"\b(that province|the province|that city|the city|that region|there)\b", re.IGNORECASE), "{s}"),
    (re.compile(r"\b(it|they|he|she|him|them|that)\b", re.IGNORECASE), "{s}"),
]


def _subject(history: list[dict]) -> tuple[str | None, str | None]:
    """(last user question, what the conversation is about): the subject of the latest
    user question that names one; the answers are read only when no question does
    ("Who designed the Scottish Parliament building?" is about the building, not about
    the architect the answer names)."""
    users = [t["content"] for t in history if t.get("role") == "user"]
    # the last question that stands on its own: "And Jiangxi?" after "And Guangdong?"
    # after "What did Zhejiang propose?" takes the Zhejiang question as its pattern
    last_q = next((u for u in reversed(users) if not _ELLIPTIC.match(u)),
                  users[-1] if users else None)
    for text in [*reversed(users),
                 *(t.get("content", "") for t in reversed(history) if t.get("role") != "user")]:
        if not is_chinese(text) and (found := subject_phrase(text)):
            return last_q, found
    return last_q, None


_PERSONAL = {"he", "she", "him", "his", "her"}


def _person(history: list[dict]) -> str | None:
    """The latest person named in the questions, else in the answers."""
    turns = [t.get("content", "") for t in reversed(history) if t.get("role") == "user"]
    turns += [t.get("content", "") for t in reversed(history) if t.get("role") != "user"]
    for text in turns:
        if not is_chinese(text):
            people = [e.text for e in ner(text) if e.label == "PERSON"]
            if people:
                return people[0]
    return None


def subject_phrase(text: str) -> str | None:
    """The first proper-noun phrase of a question, with the nouns that compound it and
    its article: "the Scottish Parliament building", "the Normans", "Jiangsu" (from
    "Jiangsu's GDP"); None without one."""
    toks = tokens(text)
    for i, t in enumerate(toks):
        if t.pos != "PROPN" or i == 0 and t.text.lower() in ("what", "which", "who"):
            continue
        j = i
        while j + 1 < len(toks) and (toks[j + 1].pos == "PROPN" or toks[j + 1].pos == "NOUN"
                                     and toks[j].pos in ("PROPN", "NOUN")):
            j += 1
        start = toks[i - 1].start if i and toks[i - 1].text.lower() == "the" else t.start
        return text[start : toks[j].end]
    ents = entities(text)
    return ents[0] if ents else None


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
        if m := pat.search(question):
            phrase = subject
            if m.group(1).lower() in _PERSONAL:  # "he" is the person the conversation named
                phrase = _person(history) or subject
            phrase = phrase if m.start() else phrase[0].upper() + phrase[1:]
            owner = phrase + ("'" if phrase.endswith("s") else "'s")
            return pat.sub(repl.format(s=phrase, p=owner), question, count=1)
    if not new_ents:
        return f"{question.rstrip('?')} ({subject})?"
    return question
