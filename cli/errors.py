"""The command's exit codes, and which errors it reports in one line with which code."""

from __future__ import annotations

import json

EXIT_EVAL, EXIT_USAGE, EXIT_INDEX, EXIT_MODEL, EXIT_BUSY = 1, 2, 3, 4, 5
EXIT_INTERRUPTED = 130


def exit_codes() -> list[tuple[type[BaseException], int, str]]:
    """Errors the CLI reports in one line, most specific first, with their exit codes
    and the prefix of the line."""
    from pydantic import ValidationError

    from index.errors import BuildInProgress, DocumentError, IndexError_, ModelUnavailable
    from qa.errors import BadQuestion

    return [
        (ValidationError, EXIT_USAGE, "bad configuration: "),
        (json.JSONDecodeError, EXIT_USAGE, "--history is not valid JSON: "),
        (BadQuestion, EXIT_USAGE, ""),
        (DocumentError, EXIT_USAGE, ""),
        (ModelUnavailable, EXIT_MODEL, ""),
        (BuildInProgress, EXIT_BUSY, ""),
        (IndexError_, EXIT_INDEX, ""),
    ]
