"""Run the evaluation set through the real pipeline and write a report.

    qa eval [--collection article|squad2-wiki|<set>|<folder>] [--split dev|test|all]
            [--out reports/eval] [--baseline] [--min-accuracy 0.95 ...]

(the arguments are defined in cli/evaluate.py; `main` takes them parsed).

Writes report.md, report.json and report.png to --out, prints the summary, and
exits 1 when a --min-*/--max-* threshold is missed (so CI can gate on it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from index.manifest import FORMAT_VERSION, reader_version
from index.text import stemmer_version
from qa.pipeline import Answer, Pipeline

from . import collections as C
from . import metrics as M

DEFAULT_QUESTIONS = Path(__file__).parent / "questions.jsonl"


def load_questions(path: Path) -> list[dict]:
    """The rows of a questions file (JSON Lines): each needs "id", "question" and
    "answers" (empty for an unanswerable question); a row without "kind" gets one from
    its question's words, as the SQuAD collection's do."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    row = json.loads(line)
                except ValueError as e:
                    raise SystemExit(f"{path}:{n}: not valid JSON ({e})") from e
                if not isinstance(row, dict) or (missing := [
                        k for k in ("id", "question", "answers") if k not in row]):
                    raise SystemExit(f"{path}:{n}: a question row needs "
                                     f"{', '.join(missing) if isinstance(row, dict) else 'an object'}")
                row.setdefault("kind", C.question_kind(row["question"]))
                rows.append(row)
    return rows


def score_one(q: dict, a: Answer, pipe: Pipeline, ranked) -> dict:
    """One answer scored against its gold document: a citation counts only when it
    cites that document (`q["doc"]`, else the collection's only document)."""
    docs = pipe.index.documents
    gold_doc = q.get("doc") or next(iter(docs))
    text = docs[gold_doc].text
    answerable = bool(q["answers"])
    row = {"id": q["id"], "kind": q["kind"], "question": q["question"], "answer": a.answer,
           "standalone": a.standalone_question, "abstained": a.abstained, "mode": a.mode,
           "answerable": answerable, "timings_ms": a.timings_ms, "reasons": a.reasons,
           "refused_by": refused_by(a), "confidence": a.confidence, "doc": gold_doc,
           "signals": a.signals,
           "short_answer": a.short_answer.text if a.short_answer else None,
           "citations": [c.text for c in a.citations],
           "cited_docs": [c.doc_id for c in a.citations]}
    if not answerable:
        return row
    golds = q["answers"]
    ranked = [(c.doc_id, (c.start, c.end)) for c in ranked]
    cites = [(c.start, c.end) for c in a.citations if c.doc_id == gold_doc]
    cited_text = " ".join(c.text for c in a.citations)
    if q.get("evidence"):
        evs = M.locate(text, q["evidence"])
        good = [c for c in cites if any(M.holds(c, e, text, golds) for e in evs)]
        covers = [{i for i, e in enumerate(evs) if d == gold_doc and M.chunk_relevant(c, e)}
                  for d, c in ranked]
        n_rel = len(evs)
        row["citation_recall"] = (sum(any(M.holds(c, e, text, golds) for c in cites)
                                      for e in evs) / len(evs)) if evs else 0.0
    else:  # no gold passage: a cited passage must hold a gold answer
        good = [c for c in cites if M.contains(text[c[0]:c[1]], golds)]
        covers = [{0} if d == gold_doc and M.contains(text[c[0]:c[1]], golds) else set()
                  for d, c in ranked]
        n_rel = 1
        row["citation_recall"] = float(bool(good))
    row.update(M.retrieval_scores(covers, n_rel))
    hit = M.contains(a.answer, golds) or (q.get("lang") == "zh" and M.contains(cited_text, golds))
    row["correct"] = (not a.abstained) and hit
    row["correct_cited"] = row["correct"] and bool(good)
    row["em"] = M.exact_match(a.answer, golds)
    row["f1"] = M.f1(a.answer, golds)
    if a.short_answer and not a.abstained:  # SQuAD's own measures fit a span
        row["short_em"] = M.exact_match(a.short_answer.text, golds)
        row["short_f1"] = M.f1(a.short_answer.text, golds)
    row["citation_precision"] = len(good) / len(a.citations) if a.citations else None
    if not a.abstained:
        fs, fn, bad = M.faithfulness(a.answer, cited_text)
        row.update(faith_sentences=fs, faith_numbers=fn, unsupported_numbers=bad)
    return row


def refused_by(a: Answer) -> str | None:
    """The check that refused an abstained answer: the name before the colon of its last
    reason ("coverage: no passage covers Shanghai" -> "coverage")."""
    if not a.abstained or not a.reasons:
        return None
    head, sep, _ = a.reasons[-1].partition(":")
    return head.strip() if sep and " " not in head.strip() else "other"


def _mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


def summarize(rows: list[dict]) -> dict:
    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]
    abst = [r for r in rows if r["abstained"]]
    s = {
        "questions": len(rows), "answerable": len(ans), "unanswerable": len(una),
        "accuracy": _mean([float(r["correct"]) for r in ans]),
        "accuracy_cited": _mean([float(r["correct_cited"]) for r in ans]),
        "em": _mean([r["em"] for r in ans]), "f1": _mean([r["f1"] for r in ans]),
        "short_answers": sum(1 for r in ans if "short_em" in r),
        "short_em": _mean([r.get("short_em") for r in ans]),
        "short_f1": _mean([r.get("short_f1") for r in ans]),
        "citation_precision": _mean([r["citation_precision"] for r in ans]),
        "citation_recall": _mean([r["citation_recall"] for r in ans]),
        "faith_sentences": _mean([r.get("faith_sentences") for r in ans]),
        "faith_numbers": _mean([r.get("faith_numbers") for r in ans]),
        "answers_with_unsupported_numbers": sum(1 for r in rows if r.get("unsupported_numbers")),
        "abstention_precision": (sum(not r["answerable"] for r in abst) / len(abst)) if abst else None,
        "abstention_recall": (sum(r["abstained"] for r in una) / len(una)) if una else None,
        "false_abstention_rate": _mean([float(r["abstained"]) for r in ans]),
    }
    for k in ("recall@1", "recall@3", "recall@5", "recall@10", "mrr", "ndcg@10"):
        s[k] = _mean([r.get(k) for r in ans])
    s["ci95"] = {k: M.wilson(sum(bool(r[f]) for r in pool), len(pool))
                 for k, f, pool in (("accuracy", "correct", ans),
                                    ("accuracy_cited", "correct_cited", ans),
                                    ("abstention_recall", "abstained", una),
                                    ("false_abstention_rate", "abstained", ans)) if pool}
    refused = [r["refused_by"] for r in rows if r.get("refused_by")]
    s["refused_by"] = {k: refused.count(k) for k in sorted(set(refused))}
    s["modes"] = {m: sum(r["mode"] == m for r in rows) for m in sorted({r["mode"] for r in rows})}
    stages = sorted({k for r in rows for k in r["timings_ms"] if not k.endswith("tokens")})
    s["latency_ms"] = {
        k: {"p50": round(M.percentile([r["timings_ms"][k] for r in rows if k in r["timings_ms"]], 50), 1),
            "p95": round(M.percentile([r["timings_ms"][k] for r in rows if k in r["timings_ms"]], 95), 1)}
        for k in stages
    }
    return s


def per_kind(rows: list[dict]) -> dict:
    kinds = sorted({r["kind"] for r in rows})
    return {k: summarize([r for r in rows if r["kind"] == k]) for k in kinds}


def run(pipe: Pipeline, questions: list[dict], answer_fn=None, progress=True) -> list[dict]:
    rows = []
    for i, q in enumerate(questions, 1):
        a = (answer_fn or pipe.answer)(q["question"], q.get("history") or [])
        ranked = [h.chunk for h in pipe.retriever.search(a.standalone_question, 10).hits]
        rows.append(score_one(q, a, pipe, ranked))
        if progress:
            r = rows[-1]
            mark = "ABST" if r["abstained"] else ("ok" if r.get("correct") else
                                                   ("--" if r["answerable"] else "ANSWERED"))
            print(f"[{i}/{len(questions)}] {q['id']} {q['kind']:<12} {mark:<8} "
                  f"{r['timings_ms'].get('total', 0):7.0f} ms  {a.answer[:70]!r}",
                  file=sys.stderr, flush=True)
    return rows


FIELDS = [("accuracy", "answer accuracy"), ("accuracy_cited", "accurate + cited evidence"),
          ("em", "EM"), ("f1", "F1"), ("short_answers", "short answers (answerable)"),
          ("short_em", "short answer EM"), ("short_f1", "short answer F1"),
          ("citation_precision", "citation precision"),
          ("citation_recall", "citation recall"), ("faith_sentences", "faithful sentences"),
          ("faith_numbers", "faithful numbers"),
          ("answers_with_unsupported_numbers", "answers w/ unsupported numbers"),
          ("abstention_precision", "abstention precision"), ("abstention_recall", "abstention recall"),
          ("false_abstention_rate", "false abstentions"), ("recall@1", "recall@1"),
          ("recall@5", "recall@5"), ("mrr", "MRR"), ("ndcg@10", "nDCG@10")]


def _fmt(v) -> str:
    if v is None:
        return "–"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def markdown(report: dict) -> str:
    systems = report["systems"]
    lines = [f"# Evaluation report\n\n{report['questions']} questions, generator "
             f"`{report['generator']}`, {report['created']}.\n", "## Overall\n",
             "| metric | " + " | ".join(systems) + " |",
             "|---|" + "---|" * len(systems)]
    for key, label in FIELDS:
        lines.append(f"| {label} | " + " | ".join(_fmt(systems[s]["overall"].get(key))
                                                   for s in systems) + " |")
    for name, sysrep in systems.items():
        lines += [f"\n## {name}: per question kind\n",
                  "| kind | n | accuracy | acc+cited | cit. precision | abst. recall | false abst. | recall@5 | MRR |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for kind, s in sysrep["per_kind"].items():
            lines.append(f"| {kind} | {s['questions']} | {_fmt(s['accuracy'])} | "
                         f"{_fmt(s['accuracy_cited'])} | {_fmt(s['citation_precision'])} | "
                         f"{_fmt(s['abstention_recall'])} | {_fmt(s['false_abstention_rate'])} | "
                         f"{_fmt(s['recall@5'])} | {_fmt(s['mrr'])} |")
        lines += ["\nLatency (ms):\n", "| stage | p50 | p95 |", "|---|---|---|"]
        for k, v in sysrep["overall"]["latency_ms"].items():
            lines.append(f"| {k} | {v['p50']} | {v['p95']} |")
        wrong = [r for r in sysrep["rows"] if (r["answerable"] and not r.get("correct"))
                 or (not r["answerable"] and not r["abstained"])]
        if wrong:
            lines += [f"\nMisses ({len(wrong)}):\n"]
            for r in wrong:
                lines.append(f"- {r['id']} ({r['kind']}) {r['question']!r} -> "
                             f"{r['answer'][:160]!r}")
    return "\n".join(lines) + "\n"


def chart(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = report["systems"]
    kinds = list(next(iter(systems.values()))["per_kind"])
    fig, ax = plt.subplots(figsize=(10, 4.5))
    width = 0.8 / len(systems)
    for i, (name, rep) in enumerate(systems.items()):
        vals = []
        for k in kinds:
            s = rep["per_kind"][k]
            vals.append(s["abstention_recall"] if k == "unanswerable" else (s["accuracy_cited"] or 0))
        ax.bar([x + i * width for x in range(len(kinds))], vals, width, label=name)
    ax.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(kinds))], kinds)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("accuracy with cited evidence\n(unanswerable: abstention recall)")
    ax.axhline(0.95, color="grey", lw=0.8, ls="--")
    ax.legend()
    ax.set_title("Answer quality per question kind")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


THRESHOLDS = {
    "min_accuracy": ("accuracy_cited", ">="),
    "min_citation_precision": ("citation_precision", ">="),
    "min_abstention_recall": ("abstention_recall", ">="),
    "max_false_abstentions": ("false_abstention_rate", "<="),
    "max_unsupported_numbers": ("answers_with_unsupported_numbers", "<="),
}


def check(overall: dict, args) -> list[str]:
    fails = []
    for opt, (key, op) in THRESHOLDS.items():
        limit = getattr(args, opt, None)
        if limit is None:
            continue
        v = overall.get(key) or 0.0
        if (op == ">=" and v < limit) or (op == "<=" and v > limit):
            fails.append(f"{key} = {v:.3f}, needs {op} {limit}")
    return fails


def collection_index(name: str, s, quiet: bool = False) -> Path:
    """The index of an eval collection: var/eval/<name>/index, rebuilt when the
    collection's files, the settings it is built with or the reader changed."""
    from qa import factory

    c = C.named(name)
    folder = Path("var/eval") / c.name
    stamp = folder / "fingerprint"
    fp = C.fingerprint(c, {"embedder": s.embedder, "multilingual": s.multilingual,
                           "chunk_max_chars": s.chunk_max_chars, "dense_index": s.dense_index,
                           "format": FORMAT_VERSION, "stemmer": stemmer_version(),
                           "reader": reader_version()})
    index_dir = folder / "index"
    if not (stamp.exists() and stamp.read_text() == fp and (index_dir / "current").exists()):
        if not quiet:
            print(f"building the index of {name} in {index_dir}", file=sys.stderr)
        factory.build(s.model_copy(update={"index_dir": index_dir}), [c.docs])
        stamp.write_text(fp)
    return index_dir


def main(args: argparse.Namespace) -> int:
    from qa import factory
    from qa.settings import get_settings

    from .naive import NearestSentence, naive_answer

    s = get_settings()
    if args.generator:
        s = s.model_copy(update={"generator": args.generator})
    if args.collection:
        try:
            collection = C.named(args.collection)
        except ValueError as e:
            print(f"qa eval: {e}", file=sys.stderr)
            return 2
        questions = C.load(collection, args.split, args.sample)[: args.limit]
        if questions:  # built (or reused) only when there is something to score
            s = s.model_copy(update={"index_dir": collection_index(args.collection, s,
                                                                   args.quiet)})
    else:
        questions = load_questions(args.questions)
        if args.split != "all":
            questions = [q for q in questions if q.get("split") == args.split]
        questions = questions[: args.limit]
    if not questions:
        print(f"qa eval: no questions to score (split {args.split!r}, sample {args.sample}, "
              f"limit {args.limit}; a row without a \"split\" is scored only with --split "
              "all)", file=sys.stderr)
        return 2
    t = time.perf_counter()
    pipe = factory.make_pipeline(s)
    load_s = time.perf_counter() - t
    systems = {}

    def scored(answer_fn=None) -> dict:
        rows = run(pipe, questions, answer_fn=answer_fn, progress=not args.quiet)
        return {"overall": summarize(rows), "per_kind": per_kind(rows), "rows": rows}

    systems["pipeline"] = scored()
    if args.baseline:
        systems["naive"] = scored(lambda q, h: naive_answer(pipe.retriever, pipe.generator, q, h,
                                                            s.max_new_tokens))
        systems["nearest sentence"] = scored(NearestSentence(pipe.retriever))
    report = {"created": time.strftime("%Y-%m-%d %H:%M"), "questions": len(questions),
              "collection": args.collection or str(args.questions), "split": args.split,
              "sample": args.sample, "generator": s.generator, "load_s": round(load_s, 2),
              "systems": systems}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    (args.out / "report.md").write_text(markdown(report))
    try:
        chart(report, args.out / "report.png")
    except ImportError:
        print("matplotlib is not installed: no chart (pip install matplotlib)", file=sys.stderr)
    o = systems["pipeline"]["overall"]
    print(summary_line(args.collection or "questions", args.split, o))
    print(f"report: {args.out / 'report.md'}")
    fails = check(o, args)
    for f in fails:
        print("FAILED threshold: " + f, file=sys.stderr)
    return 1 if fails else 0


def summary_line(name: str, split: str, o: dict) -> str:
    ci = o.get("ci95", {})

    def f(key):
        v = o.get(key)
        if v is None:
            return "–"
        lo_hi = ci.get(key)
        return f"{v:.3f}" + (f" [{lo_hi[0]:.2f}, {lo_hi[1]:.2f}]" if lo_hi else "")

    return (f"{name} {split} ({o['questions']} questions): accuracy {f('accuracy')}, with cited "
            f"evidence {f('accuracy_cited')}, citation precision {_fmt(o['citation_precision'])}, "
            f"abstention recall {f('abstention_recall')}, false abstentions "
            f"{f('false_abstention_rate')}, unsupported-number answers "
            f"{o['answers_with_unsupported_numbers']}")

