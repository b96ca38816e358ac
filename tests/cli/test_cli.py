"""The CLI's error paths: one line on stderr and a specific exit code, no traceback."""

import pytest

from cli import EXIT_INDEX, EXIT_USAGE, main


def test_missing_index(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "none"))
    monkeypatch.setenv("QA_GENERATOR", "extractive")
    monkeypatch.setenv("QA_MULTILINGUAL", "false")
    monkeypatch.setattr("qa.factory.make_embedder",
                        lambda s: __import__("index.embedding").embedding.HashEmbedder(dim=8))
    assert main(["ask", "What did Tianjin plan?"]) == EXIT_INDEX
    err = capsys.readouterr().err
    assert err.startswith("error: No index at") and "qa index build" in err


def test_bad_configuration(monkeypatch, capsys):
    monkeypatch.setenv("QA_TOP_K", "0")
    assert main(["ask", "x"]) == EXIT_USAGE
    assert "bad configuration" in capsys.readouterr().err


def test_build_missing_path(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "i"))
    monkeypatch.setattr("qa.factory.make_embedder",
                        lambda s: __import__("index.embedding").embedding.HashEmbedder(dim=8))
    assert main(["index", "build", str(tmp_path / "nope.txt")]) == EXIT_USAGE
    assert "no such file" in capsys.readouterr().err


def test_help_is_fast_and_clean(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0 and "index" in capsys.readouterr().out
