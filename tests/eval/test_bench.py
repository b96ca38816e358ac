"""`qa bench` with the fakes: the report's shape, not its timings."""

import argparse
import json

import pytest

from cli import main
from cli.bench import parse_config
from eval.bench.build import measure_build
from eval.bench.configs import bench_config
from eval.bench.pipeline import COUNTS, DERIVED, MODES, STAGES
from eval.bench.report import make_report, write_report
from eval.bench.server import run_http
from eval.bench.stats import select
from eval.run import DEFAULT_QUESTIONS, load_questions
from qa.settings import Settings


@pytest.fixture(scope="module")
def questions():
    return select(load_questions(DEFAULT_QUESTIONS), 12)


@pytest.fixture(scope="module")
def result(pipeline, questions):
    qs, warm = questions
    return bench_config(Settings(), qs, warm, server=False, build=False, with_eval=True,
                        progress=False, pipe=pipeline)


def _check_stat(s):
    assert set(s) == {"n", "p50", "p95", "mean", "max"}
    if s["n"]:
        assert isinstance(s["p50"], float) and s["p50"] <= s["p95"] <= s["max"]
    else:
        assert s["p50"] is None


def test_select_spreads_over_kinds_and_warms_up_with_others():
    rows = load_questions(DEFAULT_QUESTIONS)
    qs, warm = select(rows, 12)
    assert len(qs) == 12 and len(warm) == 2
    assert {q["kind"] for q in qs} == {q["kind"] for q in rows}
    assert not {q["id"] for q in warm} & {q["id"] for q in qs}
    everything, warm = select(rows, None)
    assert len(everything) == len(rows) and len(warm) == 2


def test_pipeline_report_has_every_stage(result, pipeline):
    p = result["pipeline"]
    assert p["questions"] == 12 and p["warmup_questions"] == 2
    assert set(STAGES) <= set(p["stages_ms"]) and set(COUNTS) == set(p["tokens"])
    for s in [*p["stages_ms"].values(), *p["tokens"].values(), *(p[k] for k in DERIVED)]:
        _check_stat(s)
    assert p["stages_ms"]["total"]["n"] == 12
    assert sum(p["modes"].values()) == 12 and set(MODES) <= set(p["modes"])
    assert p["modes"]["generated"] > 0 and p["tokens"]["prompt_tokens"]["n"] > 0
    assert p["tokens_counted_by"] == "words"  # the echo fake has no tokenizer
    assert sum(k["questions"] for k in p["per_kind"].values()) == 12
    assert 0.0 <= p["quality"]["accuracy"] <= 1.0
    assert type(pipeline.generator).__name__ == "EchoGenerator"  # put back afterwards
    c = result["contention"]["pipeline"]
    assert c is None or (c["other_cores"] >= 0 and c["wall_s"] >= 0)


def test_report_json_and_markdown(result, questions, tmp_path):
    qs, warm = questions
    results = {"before": result, "after": result}
    report = make_report(results, {"before": {}, "after": {"QA_X": "1"}}, qs, warm,
                         DEFAULT_QUESTIONS)
    write_report(report, tmp_path)
    md = (tmp_path / "bench.md").read_text()
    assert "## Side by side" in md and "| after/before |" in md and "`QA_X=1`" in md
    assert "### Pipeline stages" in md and "first_token (ms)" in md
    total = next(r for r in report["comparison"] if r["figure"] == "pipeline total p50")
    assert total["ratios"]["after"] == 1.0
    assert any(r["figure"] == "answers: generated" for r in report["comparison"])
    assert (tmp_path / "bench.json").stat().st_size > 0
    assert len(report["targets"]["before"]) == 6


def test_bench_command_in_process(monkeypatch, pipeline, tmp_path, capsys):
    monkeypatch.setattr("qa.factory.make_pipeline", lambda s: pipeline)
    assert main(["bench", "--limit", "5", "--no-server", "--no-build", "--quiet",
                 "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("default: pipeline total p50") and "bench.md" in out
    assert "## default" in (tmp_path / "bench.md").read_text()


def test_bad_flags_exit_2(capsys):
    for argv in (["bench", "--config", "no-equals"], ["bench", "--config", "a=B"],
                 ["bench", "--limit", "0"]):
        with pytest.raises(SystemExit) as e:
            main(argv)
        assert e.value.code == 2
    assert main(["bench", "--config", "a=", "--config", "a=QA_X=1"]) == 2
    assert parse_config("x=QA_A=1,QA_B=b=c") == ("x", {"QA_A": "1", "QA_B": "b=c"})
    with pytest.raises(argparse.ArgumentTypeError):
        parse_config("bad name=QA_A=1")


def test_build_throughput(fake_embedder):
    b = measure_build(Settings(multilingual=False), 60, False, embedder=fake_embedder)
    assert b["chunks"] >= 60 and b["copies"] >= 2 and b["multilingual_embedder"] is None
    assert b["texts_embedded"] == b["per_embedder"]["embedder"]["texts"]
    assert b["texts_embedded"] > b["chunks"]  # chunk texts and sentence texts
    assert b["ratio_to_raw"] > 0 and b["build_texts_per_s"] > 0 and b["chunks_per_s"] > 0
    assert b["peak_rss_mb"] is None or b["peak_rss_mb"] > 0


def test_http_against_the_fake_server(questions):
    from eval.servers import fake_cmd

    qs, warm = questions
    h = run_http(qs[:3], warm[:1], cmd=lambda port: fake_cmd(port, "--gen-delay", "0"),
                 ready_timeout=120, progress=False)
    assert h["status"] == {"200": 3} and h["ask_ms"]["n"] == 3
    _check_stat(h["ask_ms"])
    _check_stat(h["server_total_ms"])
    assert h["server_rss_mb"] is None or h["server_hwm_mb"] >= h["server_rss_mb"] > 0


def test_build_child_writes_its_measurement(monkeypatch, fake_embedder, tmp_path):
    from eval.bench.build import _child

    monkeypatch.setenv("QA_MULTILINGUAL", "false")
    monkeypatch.setattr("qa.factory.make_embedder", lambda s: fake_embedder)
    out = tmp_path / "build.json"
    assert _child([str(out), "40"]) == 0
    b = json.loads(out.read_text())
    assert b["chunks"] >= 40 and b["multilingual"] is False and b["embedder"] == fake_embedder.name
