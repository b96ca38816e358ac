"""Adding documents from the chat page (web/uploads.py, web/routes/upload.py)."""

import time

import pytest
from fastapi.testclient import TestClient

from index.atomic import build_lock
from index.embedding import HashEmbedder
from index.manifest import current_path
from index.store import open_index
from index.update import build_paths
from qa.generators.echo import EchoGenerator
from qa.pipeline import Pipeline
from qa.settings import Settings
from web.app import create_app
from web.reload import IndexWatcher
from web.uploads import Uploads

EMB = HashEmbedder(dim=64)
HEL = b"The lighthouse of Hel was rebuilt in 1942 and is 41.5 metres tall."


def _pipeline(index_dir, generator=None):
    return Pipeline(open_index(index_dir, EMB.name, EMB.dim, embedder=EMB), EMB,
                    generator or EchoGenerator(), min_score=0.2)


@pytest.fixture()
def index_dir(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "harbour.txt").write_text("The harbour of Gdańsk handled 40 million tonnes in 2021.")
    build_paths([docs], tmp_path / "i", EMB)
    return tmp_path / "i"


def _client(index_dir, enabled=True, max_mb=0.05):
    app = create_app(Settings(index_dir=index_dir, feedback_db=index_dir.parent / "fb.sqlite3",
                              answerability="off"), pipeline=_pipeline(index_dir))
    service = app.state.service
    service.uploads = Uploads(index_dir, enabled, max_mb)
    service.watcher = IndexWatcher(index_dir, lambda old: _pipeline(index_dir, old.generator), 0)
    return TestClient(app)


def _until_done(client, url, timeout=30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        job = client.get(url).json()
        if job["done"]:
            return job
        time.sleep(0.05)
    raise AssertionError(f"upload not done: {job}")


def test_uploads_are_off_by_default(index_dir, monkeypatch):
    monkeypatch.delenv("QA_UPLOADS", raising=False)
    app = create_app(Settings(index_dir=index_dir), pipeline=_pipeline(index_dir))
    with TestClient(app) as client:
        r = client.post("/uploads", files={"file": ("hel.txt", HEL)})
        assert r.status_code == 404 and r.json()["error"]["code"] == "uploads_off"
        assert "QA_UPLOADS=on" in r.json()["error"]["message"]
        assert 'id="upload-form"' not in client.get("/").text
        assert client.get("/documents").status_code == 200
        assert "/uploads" not in client.get("/openapi.json").json()["paths"]
    assert not (index_dir / "uploads").exists()


def test_an_upload_becomes_searchable(index_dir):
    before = current_path(index_dir)
    with _client(index_dir) as client:
        page = client.get("/").text
        assert 'id="upload-form"' in page and 'accept=".txt,.md' in page
        r = client.post("/uploads", files={"file": ("hel.txt", HEL, "text/plain")})
        assert r.status_code == 202, r.text
        assert r.json()["state"] in ("queued", "indexing", "searchable")
        job = _until_done(client, r.json()["status_url"])
        assert job["state"] == "searchable" and job["doc_id"] == "hel.txt", job
        a = client.post("/ask", json={"question": "How tall is the lighthouse of Hel?"}).json()
        assert any(c["doc_id"] == "hel.txt" for c in a["citations"]), a
        assert [d["doc_id"] for d in client.get("/documents").json()] == ["harbour.txt", "hel.txt"]
        assert client.get("/ready").json()["index"] != str(before)
    assert (index_dir / "uploads" / "hel.txt").read_bytes() == HEL
    assert [p.name for p in (index_dir / "uploads").iterdir()] == ["hel.txt"]


def test_refusals(index_dir):
    with _client(index_dir, max_mb=0.001) as client:  # about 1 KB
        r = client.post("/uploads", files={"file": ("data.csv", b"a,b\n1,2\n")})
        assert r.status_code == 415 and ".pdf" in r.json()["error"]["message"]
        r = client.post("/uploads", files={"file": ("big.txt", b"word " * 2000)})
        assert r.status_code == 413 and "QA_UPLOAD_MAX_MB" in r.json()["error"]["message"]
        r = client.post("/uploads", data={"note": "no file"})
        assert r.status_code == 422 and r.json()["error"]["code"] == "no_file"
        r = client.post("/uploads", files={"file": ("empty.txt", b"")})
        assert r.status_code == 422 and "empty" in r.json()["error"]["message"]
        with build_lock(index_dir):
            r = client.post("/uploads", files={"file": ("hel.txt", HEL)})
        assert r.status_code == 409 and "Wait for it" in r.json()["error"]["message"]
        client.app.state.service.uploads.reserve("other.txt")
        r = client.post("/uploads", files={"file": ("hel.txt", HEL)})
        assert r.status_code == 409 and "other.txt is still being indexed" in r.text
        assert client.get("/uploads/nope").status_code == 404
    assert [p.name for p in (index_dir / "uploads").iterdir()] == []


def test_a_file_that_cannot_be_indexed_is_reported_and_removed(index_dir):
    before = current_path(index_dir)
    with _client(index_dir) as client:
        r = client.post("/uploads", files={"file": ("scan.pdf", b"%PDF-1.4 not really a pdf")})
        job = _until_done(client, r.json()["status_url"])
        assert job["state"] == "error" and "scan.pdf" in job["message"], job
        assert client.get("/ready").json()["index"] == str(before)
    assert current_path(index_dir) == before
    assert list((index_dir / "uploads").iterdir()) == []


def test_an_upload_again_replaces_its_document(index_dir):
    with _client(index_dir) as client:
        r = client.post("/uploads", files={"file": ("hel.txt", HEL)})
        assert _until_done(client, r.json()["status_url"])["state"] == "searchable"
        r = client.post("/uploads", files={"file": ("hel.txt", HEL.replace(b"41.5", b"42"))})
        job = _until_done(client, r.json()["status_url"])
        assert job["state"] == "searchable"
        docs = client.get("/documents").json()
        assert [d["doc_id"] for d in docs] == ["harbour.txt", "hel.txt"]
        ix = client.app.state.service.pipeline.index
        assert "42 metres" in ix.documents["hel.txt"].text


def test_the_form_works_without_javascript(index_dir):
    html = {"accept": "text/html,application/xhtml+xml"}
    with _client(index_dir) as client:
        r = client.post("/uploads", files={"file": ("hel.txt", HEL)}, headers=html,
                        follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/uploads/")
        url = r.headers["location"]
        _until_done(client, url)
        page = client.get(url, headers=html)
        assert page.status_code == 200 and "hel.txt</strong>: searchable" in page.text
        assert 'http-equiv="refresh"' not in page.text
        r = client.post("/uploads", files={"file": ("x.csv", b"a")}, headers=html)
        assert r.status_code == 415 and "not a type that can be indexed" in r.text


def test_settings_from_the_environment(index_dir, monkeypatch):
    monkeypatch.setenv("QA_UPLOADS", "on")
    monkeypatch.setenv("QA_UPLOAD_MAX_MB", "0.5")
    app = create_app(Settings(index_dir=index_dir), pipeline=_pipeline(index_dir))
    up = app.state.service.uploads
    assert up.enabled and up.max_bytes == 512 * 1024 and up.folder == index_dir / "uploads"
    with TestClient(app) as client:  # the Guard refuses a body over the limit at once
        paths = client.get("/openapi.json").json()["paths"]
        assert "multipart/form-data" in paths["/uploads"]["post"]["requestBody"]["content"]
        assert "/uploads/{upload_id}" in paths
        r = client.post("/uploads", content=b"x" * (600 * 1024),
                        headers={"content-type": "multipart/form-data; boundary=x"})
        assert r.status_code == 413 and "smaller file" in r.json()["error"]["message"]
        r = client.post("/ask", content=b"x" * (100 * 1024),
                        headers={"content-type": "application/json"})
        assert r.status_code == 413 and "shorter question" in r.json()["error"]["message"]


def test_uploads_need_the_token_like_every_route(index_dir, monkeypatch):
    monkeypatch.setenv("QA_UPLOADS", "on")
    app = create_app(Settings(index_dir=index_dir, api_token="s3cret-token-value"),
                     pipeline=_pipeline(index_dir))
    with TestClient(app) as client:
        r = client.post("/uploads", files={"file": ("hel.txt", HEL)})
        assert r.status_code == 401
        assert client.get("/uploads/x").status_code == 401
        r = client.post("/uploads", files={"file": ("hel.txt", HEL)},
                        headers={"authorization": "Bearer s3cret-token-value"})
        assert r.status_code == 202
