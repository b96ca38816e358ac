"""Metrics for one question's outcome; pure functions over plain data.

Spans are (start, end) character offsets into one source document. A citation
"holds" a gold evidence span when it contains it, or when the part they share
contains a gold answer string.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter

from index.text import is_chinese, numbers, recall_of, sentence_spans

_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalize(s: str) -> str:
    """SQuAD normalisation: lower case, no punctuation, articles or extra spaces.

    >>> normalize("The 5,529 Houses!")
    '5529 houses'
    """
    s = s.lower()
    s = "".join(ch for ch in s if ch not in set(string.punctuation) | {"“", "”", "’", "‘"})
    s = _ARTICLES.sub(" ", s)
    return " ".join(s.split())


def exact_match(pred: str, golds: list[str]) -> float:
    return float(any(normalize(pred) == normalize(g) for g in golds))


def f1(pred: str, golds: list[str]) -> float:
    best = 0.0
    p = normalize(pred).split()
    for g in golds:
        t = normalize(g).split()
        common = sum((Counter(p) & Counter(t)).values())
        if common:
            prec, rec = common / len(p), common / len(t)
            best = max(best, 2 * prec * rec / (prec + rec))
    return best


def contains(text: str, golds: list[str]) -> bool:
    n = normalize(text)
    return any(normalize(g) and normalize(g) in n for g in golds)


def locate(doc_text: str, evidence: list[str]) -> list[tuple[int, int]]:
    spans = []
    for ev in evidence:
        i = doc_text.find(ev)
        if i >= 0:
            spans.append((i, i + len(ev)))
    return spans


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def holds(cite: tuple[int, int], ev: tuple[int, int], doc_text: str, golds: list[str]) -> bool:
    if cite[0] <= ev[0] and ev[1] <= cite[1]:
        return True
    lo, hi = max(cite[0], ev[0]), min(cite[1], ev[1])
    return hi > lo and contains(doc_text[lo:hi], golds)


def chunk_relevant(chunk: tuple[int, int], ev: tuple[int, int]) -> bool:
    """A retrieved chunk is relevant when it holds at least half of an evidence span."""
    return overlap(chunk, ev) >= 0.5 * (ev[1] - ev[0])


def retrieval_scores(covers: list[set[int]], n_evidence: int, ks=(1, 3, 5, 10)) -> dict:
    """Ranking figures from, for each retrieved chunk in rank order, the set of gold
    evidence items (0..n_evidence-1) it holds."""
    out = {}
    for k in ks:
        got = set().union(*covers[:k]) if covers[:k] else set()
        out[f"recall@{k}"] = len(got) / n_evidence if n_evidence else 0.0
    first = next((i for i, c in enumerate(covers) if c), None)
    out["mrr"] = 1.0 / (first + 1) if first is not None else 0.0
    dcg = sum(1.0 / math.log2(i + 2) for i, c in enumerate(covers[:10]) if c)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(n_evidence, 10)))
    out["ndcg@10"] = dcg / ideal if ideal else 0.0
    return out


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """95% Wilson score interval of a proportion (None for n = 0).

    >>> wilson(19, 20)
    (0.7639, 0.9911)
    """
    if not n:
        return None
    p = successes / n
    d = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (round(max(0.0, mid - half), 4), round(min(1.0, mid + half), 4))


def faithfulness(answer: str, cited_text: str) -> tuple[float, float, int]:
    """(share of answer sentences supported, share of numbers supported, unsupported numbers)."""
    sents = [answer[a:b] for a, b in sentence_spans(answer)] or [answer]
    supported = [recall_of(s, cited_text) >= 0.5 or is_chinese(s)
                 for s in sents]
    nums = numbers(answer)
    ok = nums & numbers(cited_text)
    return (sum(supported) / len(sents), len(ok) / len(nums) if nums else 1.0, len(nums - ok))


def percentile(xs: list[float], p: float) -> float:
    if not xs:
        return 0.0
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)
