"""Whether the cited passage really answers the question: signals combined, calibrated.

A question can name what the text names and still not be answered by it ("When did
the Normans first reach Iceland?" next to a passage about Normandy and a year). The
checks of qa/checks.py see words and numbers; this judges the whole, from signals
that do not depend on the collection:

- `judge`: the local model's own log-odds that the passage answers the question with
  the proposed answer, asked as a yes/no question and read from its next-token
  logits (one pass over a short prompt; no text is generated),
- `e5`: the multilingual E5 embedder's question-passage similarity (trained for
  retrieval with hard negatives, unlike the MiniLM sentence embedder),
- `evidence`: the best evidence sentence's score (retrieval and keyword match),
- `focus`: the share of the question's content words, names aside, that the cited
  passage holds (what is asked, not just whom it is about),
- `names`: the share of the question's names and places that the cited passage holds,
- `generated`: 1 when the model wrote the answer, 0 when a clause is quoted.

They are combined by logistic regression whose weights and threshold are fitted on
the dev splits only (`python -m eval.calibrate_answerability`) and shipped in
`answerability.json` beside this file; the threshold keeps false abstentions on dev
near the target. A signal no shipped model reads is not computed (the `judge` pass
costs about 0.15 s); without the multilingual embedder a model without `e5` is used.

Not handled: questions whose answer spans several passages (each is judged alone,
the first cited one with its neighbours).
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from index.text import content_terms, mentions

from .question import Question

CALIBRATION = Path(__file__).with_name("answerability.json")

JUDGE_SYSTEM = ("You check answers against a passage. Reply with one word: Yes if the passage "
                "states that the proposed answer answers the question, No otherwise.")


def judge_messages(question: str, passage: str, answer: str) -> list[dict]:
    """The yes/no prompt: the passage is data between <<< and >>>."""
    passage = passage.replace("<<<", "‹‹‹").replace(">>>", "›››")
    return [{"role": "system", "content": JUDGE_SYSTEM},
            {"role": "user", "content": f"Passage:\n<<<\n{passage}\n>>>\n\nQuestion: {question}\n"
                                        f"Proposed answer: {answer}\n\nDoes the passage state "
                                        "this answer to the question? Yes or No?"}]


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, signals: dict[str, float]) -> float:
        z = self.bias + sum(w * signals.get(f, 0.0) for f, w in zip(self.features, self.weights,
                                                                     strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@functools.cache
def models(path: Path = CALIBRATION) -> dict[str, Model]:
    """The fitted models, most informed first; {} when none is shipped."""
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: Model(tuple(m["features"]), tuple(m["weights"]), m["bias"], m["threshold"])
            for name, m in data["models"].items()}


def signals(q: Question, passage: str, evidence_score: float, generated: bool,
            judge: float | None = None, e5: float | None = None) -> dict[str, float]:
    """The signals of one answer (see the module's docstring)."""
    have = set(content_terms(passage))
    focus = [t for t in q.focus if t]
    names = q.places + q.names
    out = {
        "evidence": float(evidence_score),
        "focus": sum(t in have for t in focus) / len(focus) if focus else 1.0,
        "names": sum(mentions(passage, n) for n in names) / len(names) if names else 1.0,
        "generated": 1.0 if generated else 0.0,
    }
    if judge is not None:
        out["judge"] = float(judge)
    if e5 is not None:
        out["e5"] = float(e5)
    return out


def wants(signal: str, mode: str = "on") -> bool:
    """Whether a signal is worth computing: always when recording (to calibrate), else
    when a shipped model reads it."""
    return mode == "record" or any(signal in m.features for m in models().values())


def decide(s: dict[str, float]) -> tuple[bool, float] | None:
    """(answer it, probability) from the first shipped model whose signals are all
    there (a model with the multilingual embedder's, one without); None without one."""
    m = next((m for m in models().values() if all(f in s for f in m.features)), None)
    if m is None:
        return None
    p = m.probability(s)
    return p >= m.threshold, p
