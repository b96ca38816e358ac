"""`qa index add / remove / update`: what they print, and their exit codes."""

import pytest

from cli import EXIT_BUSY, EXIT_INDEX, EXIT_USAGE, main


@pytest.fixture()
def qa(tmp_path, monkeypatch):
    """The qa command over an index of two files in tmp_path/docs, with the fake embedder."""
    from index.embedding import HashEmbedder

    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "i"))
    monkeypatch.setenv("QA_MULTILINGUAL", "false")
    name = {"embedder": "hash-bow"}
    monkeypatch.setattr("qa.factory.make_embedder",
                        lambda s: HashEmbedder(dim=16, name=name["embedder"]))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The harbour of Gdańsk handled 40 million tonnes in 2021.")
    (docs / "b.md").write_text("# Rivers\n\nThe Vistula flows through Kraków and Warsaw.")
    assert main(["index", "build", str(docs)]) == 0

    def run(*argv):
        return main(list(argv))

    run.name = name
    return run


def test_add_remove_update(qa, tmp_path, capsys):
    (tmp_path / "c.txt").write_text("Copernicus was born in Toruń in 1473.")
    capsys.readouterr()
    assert qa("index", "add", str(tmp_path / "c.txt")) == 0
    out = capsys.readouterr().out
    assert "1 added; 2 document(s) carried over unchanged" in out and "added: c.txt" in out
    assert qa("index", "remove", "a.txt") == 0
    assert "removed: a.txt" in capsys.readouterr().out
    assert qa("index", "update") == 0
    assert capsys.readouterr().out.startswith("Nothing to do: the index is up to date")
    (tmp_path / "docs" / "b.md").write_text("# Rivers\n\nThe Oder flows through Wrocław.")
    assert qa("index", "update") == 0
    assert "changed: b.md" in capsys.readouterr().out


@pytest.mark.parametrize("argv, code, message", [
    (["remove", "zz.txt"], EXIT_USAGE, "error: No document 'zz.txt' in the index"),
    (["add", "{tmp}/nope.txt"], EXIT_USAGE, "no such file"),
    (["add", "{tmp}/t.csv"], EXIT_USAGE, "unsupported file type"),
    (["update", "{tmp}/nowhere"], EXIT_USAGE, "no such file"),
])
def test_errors(qa, tmp_path, capsys, argv, code, message):
    (tmp_path / "t.csv").write_text("a,b")
    capsys.readouterr()
    assert qa("index", *[a.format(tmp=tmp_path) for a in argv]) == code
    assert message in capsys.readouterr().err


def test_other_embedder_and_build_in_progress(qa, tmp_path, capsys):
    from index.atomic import build_lock

    with build_lock(tmp_path / "i"):
        assert qa("index", "update") == EXIT_BUSY
    assert "Wait for it to finish" in capsys.readouterr().err
    qa.name["embedder"] = "other"
    assert qa("index", "update") == EXIT_INDEX
    assert "Rebuild" in capsys.readouterr().err


def test_no_index(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "none"))
    assert main(["index", "remove", "a.txt"]) == EXIT_INDEX
    assert "No index at" in capsys.readouterr().err
