"""Fixtures of the web tests."""

import pytest
from fastapi.testclient import TestClient

from qa.settings import Settings
from web.app import create_app


@pytest.fixture()
def client(pipeline, tmp_path):
    app = create_app(Settings(index_dir=tmp_path / "i", feedback_db=tmp_path / "fb.sqlite3"),
                     pipeline=pipeline)
    with TestClient(app) as c:
        yield c
