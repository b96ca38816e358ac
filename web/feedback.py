"""Thumbs up/down on answers, kept in a local SQLite file, exportable as eval questions."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

from index.text import is_chinese

SCHEMA = """CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT, created TEXT NOT NULL, question TEXT NOT NULL,
  answer TEXT NOT NULL, rating TEXT NOT NULL CHECK (rating IN ('up','down')),
  comment TEXT NOT NULL DEFAULT '', history TEXT NOT NULL DEFAULT '[]',
  citations TEXT NOT NULL DEFAULT '[]')"""


class FeedbackStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=5)

    def add(self, question: str, answer: str, rating: str, comment: str = "",
            history: list | None = None, citations: list | None = None) -> int:
        with self._lock, self._connect() as db:
            cur = db.execute(
                "INSERT INTO feedback (created, question, answer, rating, comment, history, citations)"
                " VALUES (?,?,?,?,?,?,?)",
                (time.strftime("%Y-%m-%dT%H:%M:%S"), question, answer, rating, comment,
                 json.dumps(history or [], ensure_ascii=False),
                 json.dumps(citations or [], ensure_ascii=False)))
            return int(cur.lastrowid)

    def export(self) -> list[dict]:
        """Rows in the eval set's format. Thumbs-up answers become candidate gold
        answers and their citations the evidence; thumbs-down ones come with empty
        gold lists and kind "feedback-down", to be written by hand before use."""
        with self._connect() as db:
            rows = db.execute("SELECT id, question, answer, rating, comment, history, citations "
                              "FROM feedback ORDER BY id").fetchall()
        out = []
        for fid, q, a, rating, comment, hist, cites in rows:
            history = json.loads(hist)
            out.append({
                "id": f"fb{fid:04d}", "kind": "followup" if history else
                ("feedback-up" if rating == "up" else "feedback-down"),
                "question": q, "history": history,
                "answers": [a] if rating == "up" else [],
                "evidence": json.loads(cites) if rating == "up" else [],
                "lang": "zh" if is_chinese(q) else "en",
                "rating": rating, "comment": comment,
            })
        return out
