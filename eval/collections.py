"""The collections the system is scored on, each with its questions and a frozen split.

- `article`: the bundled report (index/corpus/) and 99 questions written for it
  (eval/questions.jsonl), split by question into `dev` and `test`, stratified by kind.
- `squad2-wiki`: six Wikipedia articles with 2,169 crowd-written SQuAD 2.0 questions,
  about half deliberately unanswerable (eval/datasets/squad2-wiki/, CC BY-SA 4.0, see
  its README), split by article into `dev` and `test`.
- every other folder of eval/datasets/ in the same layout (`docs/` and `questions.jsonl`,
  rows as squad2-wiki's: `id`, `doc`, `question`, `answers`, `plausible_answers`, and
  optionally `split`),
  by its folder name; and a user's own folder in that layout, by its path, so that a team
  can score the system on its own documents and questions.

Thresholds, weights and rules are tuned on `dev`; figures are reported on `test`.
Each collection gets its own index under `var/eval/<name>/`, rebuilt only when its
documents or the index settings change.

Not handled: questions whose gold document is not part of the collection.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent


@dataclass(frozen=True)
class Collection:
    name: str
    docs: Path  # a folder (or one file) given to the index build
    questions: Path
    convert: Callable[[dict], dict]  # a row of the questions file -> the eval's row format


def _article_row(r: dict) -> dict:
    return r


_WH = [("how many", "how many/much"), ("how much", "how many/much"), ("when", "when"),
       ("what year", "when"), ("which year", "when"), ("who", "who"), ("whom", "who"),
       ("whose", "who"), ("where", "where"), ("why", "why"), ("how", "how"),
       ("which", "which"), ("what", "what")]


def question_kind(question: str) -> str:
    """A coarse kind from the question's words, for per-kind figures.

    >>> question_kind("In what year did the Normans arrive?"), question_kind("Who ruled?")
    ('when', 'who')
    """
    q = " " + question.lower().replace("?", " ") + " "
    hits = [(q.find(f" {w} "), -len(w), kind) for w, kind in _WH if f" {w} " in q]
    return min(hits)[2] if hits else "other"


def _squad_row(r: dict) -> dict:
    return {"id": r["id"], "split": r.get("split", ""), "kind": question_kind(r["question"]),
            "question": r["question"], "history": [], "answers": r["answers"],
            "plausible_answers": r.get("plausible_answers", []), "evidence": [],
            "doc": r["doc"], "lang": "en"}


def _default_corpus() -> Path:
    from index.loaders import default_corpus

    return default_corpus()


def _is_set(folder: Path) -> bool:
    return (folder / "docs").is_dir() and (folder / "questions.jsonl").is_file()


def collections() -> dict[str, Collection]:
    """The article, then every set of eval/datasets/ by its folder name."""
    found = {"article": Collection("article", _default_corpus(), HERE / "questions.jsonl",
                                   _article_row)}
    sets = HERE / "datasets"
    for folder in sorted(sets.iterdir()) if sets.is_dir() else []:
        if _is_set(folder):
            found[folder.name] = Collection(folder.name, folder / "docs",
                                            folder / "questions.jsonl", _squad_row)
    return found


def named(name_or_path: str) -> Collection:
    """A collection by its name, or a folder in the sets' layout by its path.

    Raises ValueError with what is known when it is neither.
    """
    known = collections()
    if name_or_path in known:
        return known[name_or_path]
    folder = Path(name_or_path)
    if _is_set(folder):
        # the folder's name and where it is: two sets called "mine" get two indexes
        where = hashlib.sha1(str(folder.resolve()).encode()).hexdigest()[:8]
        return Collection(f"{folder.resolve().name}-{where}", folder / "docs",
                          folder / "questions.jsonl", _squad_row)
    raise ValueError(f"no collection {name_or_path!r}: name one of {', '.join(known)}, or give "
                     "a folder that holds docs/ and questions.jsonl")


def load(collection: Collection, split: str = "all", sample: int | None = None) -> list[dict]:
    """The collection's questions of one split ("dev", "test" or "all"), optionally a fixed
    sample of them: the `sample` rows whose id hashes lowest, the same on every run."""
    rows = []
    with open(collection.questions, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rows.append(collection.convert(json.loads(line)))
            except (ValueError, KeyError) as e:
                raise SystemExit(f"{collection.questions}:{n}: not a valid question row ({e})") from e
    if split != "all":
        rows = [r for r in rows if r.get("split") == split]
    if sample is not None and sample < len(rows):
        keep = set(sorted((_h(r["id"]), r["id"]) for r in rows)[:sample])
        rows = [r for r in rows if (_h(r["id"]), r["id"]) in keep]
    return rows


def _h(s: str) -> str:
    return hashlib.sha1(s.encode()).hexdigest()


def fingerprint(collection: Collection, settings_items: dict) -> str:
    """sha256 over the collection's files and the settings the index depends on."""
    h = hashlib.sha256(json.dumps(settings_items, sort_keys=True, default=str).encode())
    files = sorted(collection.docs.rglob("*")) if collection.docs.is_dir() else [collection.docs]
    for p in files:
        if p.is_file():
            h.update(p.name.encode())
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()
