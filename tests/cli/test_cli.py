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


def test_a_bench_configuration_reruns_the_command_with_its_flags(tmp_path):
    from cli import parser
    from cli.bench import child_command

    args = parser().parse_args(["bench", "--limit", "5", "--no-server", "--quiet", "--out",
                                str(tmp_path), "--config", "a=", "--config", "b=QA_X=1"])
    cmd = child_command(args, "b")
    assert cmd[1:4] == ["-m", "cli", "bench"]
    child = parser().parse_args(cmd[3:])
    assert child.child_config == "b" and child.config == [] and child.out == tmp_path
    assert (child.limit, child.no_server, child.quiet) == (5, True, True)
    assert (child.no_build, child.with_eval, child.build_chunks) == (False, False, 2000)


def test_python_m_cli_runs_the_command():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "cli", "bench", "--limit", "0"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "--limit: 0 is not >= 1" in r.stderr
