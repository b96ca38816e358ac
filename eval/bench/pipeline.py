"""Part 1: the eval questions through `Pipeline.stream()` in this process.

Every stage time and the prompt and new token counts are the pipeline's own
(`Answer.timings_ms`, which carries the generator's `GenerationResult` counts);
measured here around the call: the first streamed token from the question (what a
user waits for), the decoding rate after it, and the wall time of the call.
"""

from __future__ import annotations

import sys
import time

from .stats import stats

# The pipeline's timing keys (ms), in flow order; prompt/new tokens are counts.
STAGES = ["rewrite", "embed_query", "dense_search", "bm25", "fusion", "evidence",
          "first_token", "generate", "verify", "total"]
COUNTS = ["prompt_tokens", "new_tokens"]
# Measured here around the pipeline: first token from the question (what a user
# waits for), decoding rate after the first token, and the wall time of the call.
DERIVED = ["first_token_from_question", "decode_tokens_per_s", "wall"]
MODES = ["generated", "extractive", "abstained"]  # always reported; any other mode is added
QUALITY = [("accuracy_cited", "accuracy + cited evidence", "higher"),
           ("accuracy", "answer accuracy", "higher"),
           ("citation_precision", "citation precision", "higher"),
           ("abstention_recall", "abstention recall", "higher"),
           ("false_abstention_rate", "false abstentions", "lower"),
           ("answers_with_unsupported_numbers", "answers w/ unsupported numbers", "lower")]


def counted_by(generator) -> str:
    """What the generator's token counts count: its tokenizer's tokens, or words (the
    fakes and remote generators, which have no tokenizer here)."""
    return getattr(generator, "counts", "words")


def ask_streamed(pipe, q: dict) -> tuple[object, dict]:
    """One question through pipe.stream(); returns (Answer, row of figures)."""
    t0 = time.perf_counter()
    first = None
    answer = None
    for ev in pipe.stream(q["question"], q.get("history") or []):
        if ev["event"] == "token" and first is None:
            first = (time.perf_counter() - t0) * 1000
        elif ev["event"] == "answer":
            answer = ev["data"]
    wall = (time.perf_counter() - t0) * 1000
    t = dict(answer.timings_ms)
    tps = None
    if t.get("new_tokens", 0) >= 2 and "first_token" in t and "generate" in t:
        dt = (t["generate"] - t["first_token"]) / 1000
        tps = (t["new_tokens"] - 1) / dt if dt > 0 else None
    counted = counted_by(pipe.generator) if "new_tokens" in t else None
    row = {"id": q.get("id"), "kind": q.get("kind", "?"), "mode": answer.mode,
           "timings_ms": t, "first_token_from_question": first,
           "decode_tokens_per_s": tps, "wall": wall, "tokens_counted_by": counted}
    return answer, row


def run_pipeline(pipe, questions: list[dict], warmup: list[dict], with_eval: bool = False,
                 progress: bool = True) -> dict:
    """The warm-up questions (not counted), then every question: stage statistics,
    answer modes, per-kind figures, and with `with_eval` eval/run.py's scores."""
    for q in warmup:
        ask_streamed(pipe, q)
    rows, scored = [], []
    for i, q in enumerate(questions, 1):
        answer, row = ask_streamed(pipe, q)
        rows.append(row)
        if with_eval:
            from ..run import score_one

            ranked = [h.chunk for h in pipe.retriever.search(answer.standalone_question,
                                                             10).hits]
            scored.append(score_one(q, answer, pipe, ranked))
        if progress:
            print(f"[{i}/{len(questions)}] {row['id']} {row['kind']:<12} {row['mode']:<10} "
                  f"{row['wall']:7.0f} ms  {answer.answer[:60]!r}", file=sys.stderr,
                  flush=True)
    out = summarize_rows(rows)
    out["warmup_questions"] = len(warmup)
    out["tokens_counted_by"] = next((r["tokens_counted_by"] for r in rows
                                     if r["tokens_counted_by"]), None)
    out["per_kind"] = {k: summarize_rows([r for r in rows if r["kind"] == k], brief=True)
                       for k in sorted({r["kind"] for r in rows})}
    if with_eval:
        from ..run import summarize

        s = summarize(scored)
        out["quality"] = {k: s.get(k) for k, _, _ in QUALITY}
        out["quality"]["questions"] = s["questions"]
    out["rows"] = rows
    return out


def summarize_rows(rows: list[dict], brief: bool = False) -> dict:
    modes = {m: sum(r["mode"] == m for r in rows)
             for m in dict.fromkeys(MODES + [r["mode"] for r in rows])}
    if brief:
        return {"questions": len(rows), "modes": modes,
                "total": stats([r["timings_ms"].get("total") for r in rows]),
                "first_token_from_question": stats([r["first_token_from_question"]
                                                    for r in rows])}
    keys = STAGES + [k for r in rows for k in r["timings_ms"] if k not in STAGES + COUNTS]
    out = {"questions": len(rows), "modes": modes,
           "stages_ms": {k: stats([r["timings_ms"].get(k) for r in rows])
                         for k in dict.fromkeys(keys)},
           "tokens": {k: stats([r["timings_ms"].get(k) for r in rows]) for k in COUNTS}}
    out.update({k: stats([r[k] for r in rows]) for k in DERIVED})
    return out
