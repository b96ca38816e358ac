"""Schemathesis against the OpenAPI schema, in process, with the fake pipeline
(hashing embedder, echo generator): every generated request, valid or not, gets a
documented status and a body that matches the schema, and never a 5xx.

CI runs SCHEMA_FUZZ_EXAMPLES (default 25) examples per operation and phase;
scripts/schema_fuzz.py runs more and writes the counts for docs/RELIABILITY.md.
Checks and expected statuses: schemathesis.toml.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from qa.settings import Settings
from web.app import create_app

schemathesis = pytest.importorskip("schemathesis")

MAX_EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "25"))
REPORT = os.environ.get("SCHEMA_FUZZ_REPORT")
CALLS: Counter = Counter()


_TMP = Path(tempfile.mkdtemp(prefix="schema-fuzz-"))
atexit.register(shutil.rmtree, _TMP, True)
# The app is made at import (schemathesis reads its schema then); the fake pipeline
# is plugged in by the fixture below, before the first request. Until then a
# placeholder keeps the app from loading the real models in the background.
APP = create_app(Settings(index_dir=_TMP / "unused", feedback_db=_TMP / "fb.sqlite3"),
                 pipeline=object())
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def fake_pipeline(pipeline):
    APP.state.service.pipeline = pipeline
    yield
    if REPORT:
        rows = [{"method": m, "path": p, "status": s, "count": n}
                for (m, p, s), n in sorted(CALLS.items())]
        with open(REPORT, "w") as f:
            json.dump({"max_examples": MAX_EXAMPLES, "calls": rows}, f, indent=1)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_matches_its_schema(case):
    response = case.call()
    CALLS[(case.method, case.path, response.status_code)] += 1
    assert response.status_code < 500, f"{case.method} {case.path}: {response.text[:300]}"
    case.validate_response(response)
