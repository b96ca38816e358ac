"""The `qa` command: build the index, ask, serve, evaluate, benchmark.

    qa index build [PATH ...]     qa ask QUESTION        qa serve
    qa feedback export            qa eval ...            qa bench ...

(or `python -m cli ...`). The command line sits on top of the packages: it may
import index, qa, web and eval; none of them imports it. Each command group lives
in its own module (`documents`: index and ask; `server`: serve and feedback;
`evaluate`: eval; `bench`: bench) with a `register(subparsers)` that adds its
commands; a command is `fn(args, settings) -> exit code`.

Exit codes: 0 ok, 1 evaluation below threshold, 2 bad usage or bad question,
3 index missing/corrupt/mismatched, 4 model missing or damaged, 5 build in
progress, 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys

from . import bench, documents, evaluate, server
from .errors import (  # noqa: F401 - the exit codes, importable from cli
    EXIT_BUSY,
    EXIT_EVAL,
    EXIT_INDEX,
    EXIT_INTERRUPTED,
    EXIT_MODEL,
    EXIT_USAGE,
    exit_codes,
)

GROUPS = (documents, server, evaluate, bench)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qa", description="Offline question answering over documents, "
                                "with cited passages.")
    sub = p.add_subparsers(dest="cmd", required=True)
    for group in GROUPS:
        group.register(sub)
    return p


def _prepare_libraries() -> None:
    """Before any model library loads: offline (models come from local packages only,
    qa.factory.offline), and no progress bars, warnings or info logs from them."""
    import logging
    import warnings

    from qa.factory import offline

    offline()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    warnings.filterwarnings("ignore")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from transformers.utils import logging as tlog

        tlog.set_verbosity_error()
        tlog.disable_progress_bar()
    except ImportError:
        pass
    logging.getLogger("sentence_transformers").setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    _prepare_libraries()
    from qa.settings import get_settings

    try:
        return args.fn(args, get_settings())
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as e:
        for kind, code, prefix in exit_codes():
            if isinstance(e, kind):
                print(f"error: {prefix}{e}", file=sys.stderr)
                return code
        raise
