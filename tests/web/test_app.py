import json

import pytest
from fastapi.testclient import TestClient

from qa.errors import BadQuestion
from qa.settings import Settings
from web.app import create_app

TIANJIN = "What did Tianjin plan for flood season?"


def test_ask_answers_with_verbatim_citations(client, pipeline):
    r = client.post("/ask", json={"question": TIANJIN})
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"answer", "abstained", "citations", "timings_ms", "standalone_question"}
    assert body["citations"]
    for c in body["citations"]:
        assert set(c) >= {"id", "doc_title", "section", "text", "start", "end", "score"}
        assert pipeline.index.documents[c["doc_id"]].text[c["start"]:c["end"]] == c["text"]
    assert any("43 water damage repair projects" in c["text"] for c in body["citations"])


def test_ask_with_history(client):
    r = client.post("/ask", json={"question": "And Guangdong?", "history": [
        {"role": "user", "content": "What three-year plan did Zhejiang propose?"},
        {"role": "assistant", "content": "A plan."}]})
    assert r.status_code == 200
    assert r.json()["standalone_question"] == "What three-year plan did Guangdong propose?"


@pytest.mark.parametrize("payload,status,code", [
    ({"question": ""}, 422, "invalid_request"),
    ({"question": "   "}, 422, "bad_question"),
    ({"question": "\x1f"}, 422, "bad_question"),  # a space to Python, not to JSON Schema
    ({"question": "\ufeff "}, 422, "bad_question"),  # the other way round
    ({"question": 42}, 422, "invalid_request"),
    ({"question": ["a"]}, 422, "invalid_request"),
    ({}, 422, "invalid_request"),
    ({"question": "ok", "extra": 1}, 422, "invalid_request"),
    ({"question": "ok", "history": [{"role": "system", "content": "x"}]}, 422, "invalid_request"),
    ({"question": "ok", "history": "nope"}, 422, "invalid_request"),
    ({"question": "x" * 1001}, 413, "question_too_long"),
])
def test_bad_requests_get_json_errors(client, payload, status, code):
    r = client.post("/ask", json=payload)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code
    assert r.json()["error"]["message"]


def test_malformed_json_and_huge_body(client):
    r = client.post("/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    r = client.post("/ask", content=b"x" * 70000, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"


def test_unknown_route_is_json_404(client):
    r = client.get("/nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_health_ready_docs(client):
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json()["ready"] is True
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/ask", "/ask/stream", "/search", "/documents", "/feedback"} <= set(spec["paths"])


def test_not_ready_when_index_missing(tmp_path):
    app = create_app(Settings(index_dir=tmp_path / "missing", generator="extractive",
                              multilingual=False, embedder=str(tmp_path / "no-model")))
    with TestClient(app) as c:
        r = c.get("/ready")
        assert r.status_code == 503 and r.json()["ready"] is False
        r = c.post("/ask", json={"question": TIANJIN})
        assert r.status_code == 503 and r.json()["error"]["code"] == "not_ready"
        assert "Retry-After" in r.headers


def test_security_headers(client):
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"


def test_chat_page_without_javascript(client):
    r = client.get("/")
    assert r.status_code == 200 and 'name="question"' in r.text and "<script " in r.text
    assert "<script>" not in r.text  # no inline script
    r = client.post("/", data={"question": TIANJIN, "history": "[]"})
    assert r.status_code == 200
    assert "43 water damage repair projects" in r.text and "<mark>" in r.text
    hist = r.text.split('id="history" value="')[1].split('"')[0]
    assert "Tianjin" in hist


def test_chat_page_escapes_question(client):
    r = client.post("/", data={"question": "<script>alert(1)</script>?", "history": "[]"})
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;" in r.text


def test_stream_events(client):
    with client.stream("POST", "/ask/stream", json={"question": TIANJIN}) as r:
        assert r.status_code == 200
        text = "".join(r.iter_text())
    events = [block.split("\n")[0].removeprefix("event: ") for block in text.strip().split("\n\n")]
    assert events[0] == "token" and events[-2:] == ["citations", "done"]
    data = json.loads(text.strip().split("\n\n")[-2].split("data: ", 1)[1])
    assert data["citations"]


def test_search_and_documents(client):
    hits = client.post("/search", json={"query": "water damage repair projects", "top_k": 3}).json()
    assert len(hits) == 3 and hits[0]["rank"] == 1
    assert client.post("/search", json={"query": "x", "top_k": 0}).status_code == 422
    docs = client.get("/documents").json()
    assert docs[0]["release_date"] == "2024-03-05 10:47" and docs[0]["chunks"] > 10


def test_feedback_is_stored_and_exported(client, tmp_path):
    r = client.post("/feedback", json={"question": TIANJIN, "answer": "43 projects", "rating": "up",
                                       "citations": ["complete 43 water damage repair projects"]})
    assert r.status_code == 201
    assert client.post("/feedback", json={"question": "q", "answer": "a",
                                          "rating": "meh"}).status_code == 422
    from web.feedback import FeedbackStore

    rows = FeedbackStore(tmp_path / "fb.sqlite3").export()
    assert rows[0]["question"] == TIANJIN and rows[0]["answers"] == ["43 projects"]


def test_overload_gives_503(pipeline, tmp_path):
    import asyncio

    from web.errors import ApiError
    from web.gate import Gate

    async def scenario():
        g = Gate(running=1, queued=0)
        await g.__aenter__()
        with pytest.raises(ApiError) as e:
            await g.__aenter__()
        assert e.value.status == 503 and e.value.headers["Retry-After"]
        await g.__aexit__()

    asyncio.run(scenario())


def test_long_chat_without_javascript_keeps_going(client):
    long = [{"role": "user", "content": "q" * 3000}, {"role": "assistant", "content": "a" * 3000}] * 4
    r = client.post("/", data={"question": TIANJIN, "history": json.dumps(long)})
    assert r.status_code == 200 and "43 water damage repair projects" in r.text


def test_page_carries_the_request_limits(client):
    from qa.limits import LIMITS

    page = client.get("/").text
    assert f'maxlength="{LIMITS.max_question_chars}"' in page
    assert f'data-max-history-turns="{LIMITS.max_history_turns}"' in page
    assert f'data-max-history-chars="{LIMITS.max_history_chars}"' in page


@pytest.mark.parametrize("headers,status,code", [
    ({"content-length": "abc"}, 400, "bad_content_length"),
    ({"content-length": "70000"}, 413, "body_too_large"),
])
def test_content_length_is_checked_before_any_route(client, headers, status, code):
    # also on a route that never reads its body, answered as JSON with the security headers
    r = client.request("GET", "/health", content=b"{}", headers=headers)
    assert r.status_code == status and r.json()["error"]["code"] == code
    assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("raised,code,message", [
    (RuntimeError("boom"), "internal_error", "RuntimeError"),
    (BadQuestion("The question is empty: type a question."), "bad_question", "type a question"),
])
def test_stream_failure_is_an_error_event_and_frees_the_slot(tmp_path, raised, code, message):
    from types import SimpleNamespace

    def stream(question, history, *, cancel=None):
        yield {"event": "token", "data": "Partial"}
        raise raised

    stub = SimpleNamespace(stream=stream, index=SimpleNamespace(documents={}))
    app = create_app(Settings(index_dir=tmp_path / "i"), pipeline=stub, max_queued=0)
    with TestClient(app) as c:
        for _ in range(2):  # with one slot and no queue, the second gets it only if it was freed
            with c.stream("POST", "/ask/stream", json={"question": TIANJIN}) as r:
                assert r.status_code == 200
                blocks = "".join(r.iter_text()).strip().split("\n\n")
            events = [b.split("\n")[0].removeprefix("event: ") for b in blocks]
            assert events == ["token", "error", "done"]
            err = json.loads(blocks[1].split("data: ", 1)[1])
            assert err["code"] == code and message in err["message"]
        assert app.state.service.gate.stats()["running"] == 0


def test_the_figure_asked_for_is_marked_in_a_quoted_answer(client):
    q = "How many houses did Jilin rebuild and repair?"
    body = client.post("/ask", json={"question": q}).json()
    s = body["short_answer"]
    assert body["mode"] == "extractive" and s["text"] == "5,529", body
    assert body["answer"][s["start"]:s["end"]] == "5,529"
    r = client.post("/", data={"question": q, "history": "[]"})  # the no-JavaScript page
    assert '<strong class="short">5,529</strong>' in r.text
    assert client.post("/ask", json={"question": TIANJIN}).json()["short_answer"] is None
