"""Errors of the question-answering layer; messages say how to fix the problem."""

from index.errors import IndexError_, ModelUnavailable

__all__ = ["QAError", "BadQuestion", "ModelUnavailable", "IndexError_", "GenerationTimeout",
           "GenerationCancelled"]


class QAError(Exception):
    """Base class for errors of the qa package."""


class BadQuestion(QAError):
    """The question is empty, too long, or the history is malformed."""


class GenerationTimeout(QAError):
    """The generator ran past its time budget."""


class GenerationCancelled(QAError):
    """The caller gave up (the client disconnected) before the answer was finished."""
