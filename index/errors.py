"""Errors raised while loading documents or building and opening an index.

Every message says what to do about it; the CLI and the web app turn these into
exit codes and HTTP responses, nothing in this package does.

The hierarchy of the project's errors (the `qa` ones are in qa/errors.py):

    DocQAError
    ├── IndexError_: DocumentError, IndexNotFound, IndexCorrupt, IndexMismatch,
    │                BuildInProgress, BuildFailed
    ├── ModelUnavailable (a model package is missing or damaged, a model server down)
    └── QAError: BadQuestion, GenerationTimeout, GenerationCancelled
"""


class DocQAError(Exception):
    """Base class of every error this project raises on purpose."""


class IndexError_(DocQAError):
    """Base class for errors of the index package."""


class DocumentError(IndexError_):
    """A source file could not be read or holds no text."""


class IndexNotFound(IndexError_):
    def __init__(self, path: str):
        super().__init__(
            f"No index at {path}. Build one with `qa index build` "
            "(or set QA_INDEX_DIR to the folder of an existing index)."
        )


class IndexCorrupt(IndexError_):
    """A file of the index is missing, truncated or altered."""


class IndexMismatch(IndexError_):
    """The index was built with another format version or another embedder."""


class BuildInProgress(IndexError_):
    def __init__(self, path: str):
        super().__init__(
            f"Another `qa index build` is writing to {path}. Wait for it to finish, then retry."
        )


class ModelUnavailable(DocQAError):
    """A model package is not installed or its files are damaged, or a model server
    cannot be reached (not an index error: the index may be fine)."""


class BuildFailed(IndexError_):
    """A build could not be written (disk full, permissions); the previous index is kept."""
