"""Errors of the question-answering layer; messages say how to fix the problem.

The root `DocQAError` and the index and model errors live in index/errors.py (the
layer below) and are re-exported here, so callers of `qa` import errors from one place.
"""

from index.errors import DocQAError, IndexError_, ModelUnavailable

__all__ = ["DocQAError", "QAError", "BadQuestion", "ModelUnavailable", "IndexError_",
           "GenerationTimeout", "GenerationCancelled"]


class QAError(DocQAError):
    """Base class for errors of the qa package."""


class BadQuestion(QAError):
    """The question is empty, too long, or the history is malformed."""


class GenerationTimeout(QAError):
    """The generator ran past its time budget."""


class GenerationCancelled(QAError):
    """The caller gave up (the client disconnected) before the answer was finished."""
