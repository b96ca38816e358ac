"""A running server switches to a new index version without a restart (web/reload.py)."""

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.embedding import HashEmbedder
from index.manifest import current_path
from index.store import open_index
from index.update import add, build_paths
from qa.generators.echo import EchoGenerator
from qa.pipeline import Pipeline
from qa.settings import Settings
from web.app import create_app
from web.reload import IndexWatcher, reopen_with

EMB = HashEmbedder(dim=64)
HARBOUR = "The harbour of Gdańsk handled 40 million tonnes of cargo in 2021."
NEW = "The lighthouse of Hel was rebuilt in 1942 and is 41.5 metres tall."


def _pipeline(index_dir: Path, generator=None) -> Pipeline:
    return Pipeline(open_index(index_dir, EMB.name, EMB.dim, embedder=EMB), EMB,
                    generator or EchoGenerator(), min_score=0.2)


def _reopen(index_dir: Path):
    return lambda old: _pipeline(index_dir, old.generator)


@pytest.fixture()
def collection(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "harbour.txt").write_text(HARBOUR)
    (tmp_path / "hel.txt").write_text(NEW)
    build_paths([docs], tmp_path / "i", EMB)
    return tmp_path


def _app(tmp_path, pipeline, every_s=0.05):
    app = create_app(Settings(index_dir=tmp_path / "i", feedback_db=tmp_path / "fb.sqlite3",
                              answerability="off"), pipeline=pipeline, max_queued=64)
    app.state.service.watcher = IndexWatcher(tmp_path / "i", _reopen(tmp_path / "i"), every_s)
    return app


def _wait_for(cond, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)
    return False


def test_the_server_switches_while_answering(collection):
    """Questions keep coming while a document is added: none fails, and once the new
    version is served, answers cite the new document."""
    slow = EchoGenerator(delay_s=0.05)
    app = _app(collection, _pipeline(collection / "i", slow))
    statuses: list[int] = []
    stop = threading.Event()
    with TestClient(app) as client:
        first = client.get("/ready").json()["index"]

        def ask():
            while not stop.is_set():
                r = client.post("/ask", json={"question": "How tall is the lighthouse of Hel?"})
                statuses.append(r.status_code)

        askers = [threading.Thread(target=ask) for _ in range(3)]
        for t in askers:
            t.start()
        time.sleep(0.3)
        add(collection / "i", [collection / "hel.txt"], EMB)
        assert _wait_for(lambda: client.get("/ready").json()["index"] != first)
        time.sleep(0.3)
        stop.set()
        for t in askers:
            t.join()
        ready = client.get("/ready").json()
        assert ready["index"] == str(current_path(collection / "i")) and "reload_error" not in ready
        a = client.post("/ask", json={"question": "How tall is the lighthouse of Hel?"}).json()
        docs = client.get("/documents").json()
    assert len(statuses) > 6 and set(statuses) == {200}
    assert any(c["doc_id"] == "hel.txt" for c in a["citations"]), a
    assert [d["doc_id"] for d in docs] == ["harbour.txt", "hel.txt"]
    assert app.state.service.watcher.reloads == 1


def test_a_damaged_new_version_is_reported_and_the_old_one_serves(collection):
    # The loop must not run at all: one already asleep when the test raised `every_s`
    # woke up between `add` and the damage and served the good version (seen in CI).
    app = _app(collection, _pipeline(collection / "i"), every_s=3600)  # checked by hand below
    with TestClient(app) as client:
        before = client.get("/ready").json()["index"]
        watcher = app.state.service.watcher
        add(collection / "i", [collection / "hel.txt"], EMB)
        bad = current_path(collection / "i") / "chunks.npy"
        bad.write_bytes(bad.read_bytes()[:-8])
        import asyncio

        assert asyncio.run(watcher.check(app.state.service)) is False
        ready = client.get("/ready").json()
        assert ready["index"] == before and "could not be loaded" in ready["reload_error"]
        assert "IndexCorrupt" in ready["reload_error"]
        assert client.post("/ask", json={"question": "How much cargo did Gdańsk handle?"}) \
            .status_code == 200
        assert asyncio.run(watcher.check(app.state.service)) is False  # not retried
        build_paths([collection / "docs"], collection / "i", EMB)  # a good version again
        assert asyncio.run(watcher.check(app.state.service)) is True
        ready = client.get("/ready").json()
        assert ready["index"] != before and "reload_error" not in ready


def test_the_new_pipeline_shares_the_loaded_models(collection, monkeypatch):
    """reopen_with loads no model: embedders and generator come from the old pipeline."""
    xl = HashEmbedder(dim=32, name="xling")
    build_paths([collection / "docs"], collection / "j", EMB, xl)
    old_index = open_index(collection / "j", EMB.name, EMB.dim)
    gen = EchoGenerator()
    from qa.retrieval import HybridRetriever

    old = Pipeline(old_index, HybridRetriever(old_index, EMB, xl), gen)

    def no_model(*a, **k):
        raise AssertionError("a model was loaded again")

    for name in ("make_embedder", "make_xling", "make_generator"):
        monkeypatch.setattr(f"qa.factory.{name}", no_model)
    add(collection / "j", [collection / "hel.txt"], EMB, xl)
    new = reopen_with(Settings(index_dir=collection / "j"))(old)
    assert new.index.path == current_path(collection / "j") != old_index.path
    assert new.retriever.embedder is EMB and new.retriever.xling is xl and new.generator is gen
    assert "hel.txt" in new.index.documents


def test_a_given_pipeline_is_not_watched_unless_asked(collection):
    from web.service import Service

    s = Settings(index_dir=collection / "i")
    assert Service(s, _pipeline(collection / "i")).watcher.every_s == 0
    assert Service(s).watcher.every_s == 2.0
    assert Service(s, _pipeline(collection / "i"), reload_every_s=0.5).watcher.every_s == 0.5


def test_a_new_version_is_served_with_its_titles_and_headings_read(collection):
    app = _app(collection, _pipeline(collection / "i"))
    with TestClient(app) as client:
        first = client.get("/ready").json()["index"]
        add(collection / "i", [collection / "hel.txt"], EMB)
        assert _wait_for(lambda: client.get("/ready").json()["index"] != first)
        # read while the old version served, not on the new version's first question
        assert "overviews" in vars(app.state.service.pipeline)
