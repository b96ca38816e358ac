"""The limits of one question request, defined once: the pipeline checks them, the
web schema and the chat page's script take their numbers from here.

Not handled: the size of the request body in bytes (a transport limit of the web app).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .errors import BadQuestion

# a character that is a space in neither Python (which counts the separators \x1c-\x1f and
# \x85) nor JSON Schema's regular expressions (which count \ufeff): the schema's "not only
# spaces" and `Limits.check` then agree on every question (a fuzzer sent "\x1f")
NOT_BLANK = r"[^\s\x1c-\x1f\x85\ufeff]"


@dataclass(frozen=True)
class Limits:
    max_question_chars: int = 1000
    max_history_turns: int = 20
    max_history_chars: int = 8000  # all turns together
    max_turn_chars: int = 8000  # one turn (never more than all of them)

    def check(self, question: str, history: list[dict] | None) -> str:
        """The question, stripped; BadQuestion (saying what to shorten) past a limit."""
        q = (question or "").strip()
        if not re.search(NOT_BLANK, q):
            raise BadQuestion("The question is empty: type a question about the documents.")
        if len(q) > self.max_question_chars:
            raise BadQuestion(
                f"The question is {len(q)} characters long; the limit is "
                f"{self.max_question_chars}. Shorten it."
            )
        history = history or []
        if len(history) > self.max_history_turns:
            raise BadQuestion(
                f"The history has {len(history)} turns; the limit is {self.max_history_turns}. "
                "Send only the recent turns."
            )
        if sum(len(t.get("content", "")) for t in history) > self.max_history_chars:
            raise BadQuestion(
                f"The history is longer than {self.max_history_chars} characters. "
                "Send only the recent turns."
            )
        return q

    def to_dict(self) -> dict:
        """The numbers, e.g. for the chat page's script."""
        return asdict(self)


LIMITS = Limits()  # the product's limits
