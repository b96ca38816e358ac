"""The OpenAI-compatible backend against a stub server on 127.0.0.1."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from qa.errors import ModelUnavailable
from qa.generators.openai import OpenAICompatGenerator


class _Stub(BaseHTTPRequestHandler):
    seen: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Stub.seen.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for piece in ["Tianjin will complete ", "43 water damage ", "repair projects."]:
            chunk = {"choices": [{"delta": {"content": piece}}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, *a):
        pass


@pytest.fixture()
def stub():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/v1"
    srv.shutdown()


def test_streams_and_generates(stub):
    g = OpenAICompatGenerator("tiny", stub)
    msgs = [{"role": "user", "content": "What did Tianjin plan?"}]
    assert "".join(g.stream(msgs, 20)) == "Tianjin will complete 43 water damage repair projects."
    assert g.generate(msgs, 20).text.startswith("Tianjin")
    sent = _Stub.seen[-1]
    assert sent["model"] == "tiny" and sent["messages"] == msgs and sent["temperature"] == 0


def test_pipeline_with_server(stub, built_index, fake_embedder):
    from qa.pipeline import Pipeline

    p = Pipeline(built_index, fake_embedder, OpenAICompatGenerator("tiny", stub), min_score=0.2)
    a = p.answer("What did Tianjin plan for flood season?")
    assert a.mode == "generated" and "43" in a.answer
    assert any("43 water damage repair projects" in c.text for c in a.citations)


def test_unreachable_server_is_named():
    g = OpenAICompatGenerator("tiny", "http://127.0.0.1:9/v1", timeout_s=2)
    with pytest.raises(ModelUnavailable, match="127.0.0.1:9"):
        g.generate([{"role": "user", "content": "x"}])


def test_bad_config():
    with pytest.raises(ValueError, match="base_url"):
        OpenAICompatGenerator("m", "ftp://x")


def test_generator_down_falls_back_to_quote(built_index, fake_embedder):
    from qa.pipeline import Pipeline

    g = OpenAICompatGenerator("tiny", "http://127.0.0.1:9/v1", timeout_s=2)
    a = Pipeline(built_index, fake_embedder, g, min_score=0.2, direct_quotes=False).answer(
        "How many houses did Jilin rebuild and repair?")
    assert a.mode == "extractive" and "5,529" in a.answer
    assert any("generator: unavailable" in r for r in a.reasons)


def test_cancel_stops_reading_the_server(stub):
    from qa.errors import GenerationCancelled

    g = OpenAICompatGenerator("tiny", stub)
    cancel = threading.Event()
    pieces = g.stream([{"role": "user", "content": "x"}], 20, cancel=cancel)
    assert next(pieces) == "Tianjin will complete "
    cancel.set()
    with pytest.raises(GenerationCancelled):
        next(pieces)


def test_generator_down_gives_the_same_answer_streamed(built_index, fake_embedder):
    from qa.pipeline import Pipeline

    g = OpenAICompatGenerator("tiny", "http://127.0.0.1:9/v1", timeout_s=2)
    p = Pipeline(built_index, fake_embedder, g, min_score=0.2, direct_quotes=False)
    q = "How many houses did Jilin rebuild and repair?"
    events = list(p.stream(q))
    assert [e["event"] for e in events] == ["answer"]
    streamed, answered = events[0]["data"], p.answer(q)
    assert (streamed.mode, streamed.answer, streamed.reasons) == (
        answered.mode, answered.answer, answered.reasons)
