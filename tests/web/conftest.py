"""Fixtures of the web tests."""

import pytest
from fastapi.testclient import TestClient

from qa.settings import Settings
from web.app import create_app


@pytest.fixture(autouse=True)
def no_tokens_from_the_environment(monkeypatch):
    """The tests say which access tokens the app has; none come from the shell."""
    monkeypatch.delenv("QA_API_TOKEN", raising=False)
    monkeypatch.delenv("QA_API_TOKENS_FILE", raising=False)


@pytest.fixture()
def client(pipeline, tmp_path):
    app = create_app(Settings(index_dir=tmp_path / "i", feedback_db=tmp_path / "fb.sqlite3"),
                     pipeline=pipeline)
    with TestClient(app) as c:
        yield c
