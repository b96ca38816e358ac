"""CPU inference runtimes side by side on the pipeline's real prompts.

    python -m eval.runtimes --capture [--work DIR]          # once, with the project's venv
    python -m eval.runtimes [--runtimes hf-f32,ct2-int8,...] [--isa native|avx2]
                            [--limit N] [--threads 2] [--work DIR] [--out DIR]
                            [--ref-python PY] [--rt-python PY]

`--capture` runs the article's eval questions and a fixed sample of the SQuAD 2.0
collection's test questions through the real pipeline with a recording generator and
writes every prompt the pipeline sends to its generator (and to its yes/no judge),
chat template applied, to `<work>/prompts.jsonl`. Each runtime then runs in its own
child process (so memory and the ISA switches are per runtime) over those prompts:
greedy, up to the pipeline's max_new_tokens, stopping where the pipeline stops (an
end token or the first blank line after some text). Per prompt it records prompt
tokens, time to the first token, decode tokens/s, total time, peak RSS and the text;
per runtime, the kernels/ISA it reports. `--isa avx2` restricts each runtime with its
own switch (`ISA_ENV`; ONNX Runtime has none, and llama.cpp is a separate AVX2-only
build under `<work>/llama-avx2`). Answers are compared with `hf-f32` (transformers,
float32, greedy), the reference. Writes `<out>/<isa>/<runtime>.json` and `runtimes.md`.

Models are read from `<work>/models/`: `ct2-int8/`, `ortgenai-int4/`, `ortgenai-int8/`,
`ov-int8/` (made once from the converted transformers folder), `gguf/*.gguf` (the
packaged GGUF, assembled and checked) and `gguf-q8_0/*.gguf` (that GGUF converted to
Q8_0, as the product's llama.cpp backend runs it). llama-cpp-python comes from `<work>/llama-<isa>/`
(`pip install --target`) when that folder exists.

Not handled: batches, sampling, GPUs. Timings are only figures on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from qa.generators import answer_end

from ..bench.stats import cpu_info
from .backends import BACKENDS

RUNTIMES = ["hf-f32", "hf-int8", "hf-bf16", "ct2-int8", "ortgenai-int4", "ortgenai-int8",
            "ov-int8", "ov-gguf", "llama-q4km", "llama-q4km-norepack", "llama-q8"]
REFERENCE = "hf-f32"
# How each runtime is held to AVX2 on a CPU with more (none exists for ONNX Runtime's MLAS).
ISA_ENV = {"avx2": {"CT2_FORCE_CPU_ISA": "AVX2", "ONEDNN_MAX_CPU_ISA": "AVX2",
                    "ATEN_CPU_CAPABILITY": "avx2", "OV_CPU_MAX_ISA": "AVX2",
                    "MKL_ENABLE_INSTRUCTIONS": "AVX2"},
           "native": {}}
# -- capture (the project's venv) ---------------------------------------------
class _Recorder:
    """A generator that records the messages the pipeline sends and answers nothing."""

    name = "recorder"

    def __init__(self):
        self.calls: list[tuple[str, list[dict]]] = []

    def generate(self, messages, max_new_tokens=96, deadline_s=None, *, cancel=None,
                 stop_when=None):
        self.calls.append(("generate", messages))
        from types import SimpleNamespace
        return SimpleNamespace(text="I don't know.", prompt_tokens=0, new_tokens=0,
                               first_token_ms=0.0, total_ms=0.0)

    def stream(self, messages, max_new_tokens=96, deadline_s=None, *, cancel=None,
               stop_when=None):
        self.calls.append(("generate", messages))
        yield "I don't know."

    def judge(self, messages):
        self.calls.append(("judge", messages))
        return None


def capture(work: Path, squad_sample: int = 120) -> Path:
    """Write the prompts of the article's questions and a SQuAD test sample."""
    from transformers import AutoTokenizer

    from qa import factory
    from qa.models import resolve_model_folder
    from qa.settings import get_settings

    from . import collections as C
    from .run import collection_index

    # "record": the yes/no judge is asked about every answer, so its prompts are captured too
    s = get_settings().model_copy(update={"answerability": "record"})
    folder = resolve_model_folder(s.generator, Path(s.model_cache_dir))
    tok = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    rows = []
    for name, split, sample in (("article", "all", None), ("squad2-wiki", "test", squad_sample)):
        cs = s.model_copy(update={"index_dir": collection_index(name, s, quiet=True)})
        rec = _Recorder()
        pipe = factory.make_pipeline(cs, generator=rec)
        for q in C.load(C.collections()[name], split, sample):
            rec.calls.clear()
            pipe.answer(q["question"], q.get("history") or [])
            for kind, messages in rec.calls:
                ids = tok.apply_chat_template(messages, add_generation_prompt=True,
                                              tokenize=True, return_dict=True)["input_ids"]
                rows.append({"id": q["id"], "collection": name, "kind": kind,
                             "messages": messages, "ids": list(ids)})
    gen = [r["ids"] for r in rows if r["kind"] == "generate"]
    prefix = os.path.commonprefix(gen) if len(gen) > 1 else []
    eos = sorted({tok.eos_token_id, *tok.convert_tokens_to_ids(["<|im_end|>", "<|endoftext|>"])})
    meta = {"hf_folder": str(folder), "eos": eos, "max_new_tokens": s.max_new_tokens,
            "yes_no": [tok.encode(w, add_special_tokens=False)[0] for w in ("Yes", "No")],
            "static_prefix": list(prefix), "direct_quotes": s.direct_quotes,
            "created": time.strftime("%Y-%m-%d %H:%M")}
    work.mkdir(parents=True, exist_ok=True)
    out = work / "prompts.jsonl"
    with open(out, "w", encoding="utf-8") as f:
        f.write(json.dumps({"meta": meta}) + "\n")
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{out}: {len(gen)} generation prompts, {len(rows) - len(gen)} judge prompts, "
          f"shared prefix {len(prefix)} tokens", file=sys.stderr)
    return out


# -- backends (each in its own child process) ----------------------------------

def _rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB."""
    cur = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            cur = int(line.split()[1]) / 1024
    return cur, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(name: str, work: Path, prompts: list[dict], meta: dict, threads: int) -> dict:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(meta["hf_folder"]) / "tokenizer.json"))
    cls, variant = BACKENDS[name]
    t = time.perf_counter()
    be = cls(work, meta, threads, variant)
    load_s = time.perf_counter() - t
    rss_loaded = _rss_mb()[0]
    rows = []
    for p in prompts:
        ids, row = p["ids"], {"id": p["id"], "collection": p["collection"], "kind": p["kind"],
                              "prompt_tokens": len(p["ids"])}
        t0 = time.perf_counter()
        if p["kind"] == "judge":
            v = be.yes_no(ids)
            row.update(judge=v, total_s=time.perf_counter() - t0)
        else:
            out, first, text = [], None, ""
            steps = be.tokens(ids, meta["max_new_tokens"])
            for tk in steps:
                first = first or time.perf_counter()
                out.append(tk)
                text = tok.decode(out, skip_special_tokens=True)
                if answer_end(text) < len(text) or len(out) >= meta["max_new_tokens"]:
                    break
            steps.close()
            end = time.perf_counter()
            text = text[:answer_end(text)].strip()
            row.update(text=text, tokens=out, new_tokens=len(out), total_s=end - t0,
                       ttft_s=(first - t0) if first else None,
                       decode_tps=(len(out) - 1) / (end - first) if first and len(out) > 1
                       and end > first else None)
        row["rss_mb"], row["peak_rss_mb"] = _rss_mb()
        rows.append(row)
        print(f"  {name} {p['id']} {p['kind']} {row['total_s']:.2f}s "
              f"{(row.get('text') or row.get('judge'))!r:.60}", file=sys.stderr, flush=True)
    return {"runtime": name, "load_s": load_s, "rss_loaded_mb": rss_loaded,
            "peak_rss_mb": _rss_mb()[1], "info": be.info(), "threads": threads, "rows": rows}


# -- parent: one child per runtime, then the table ------------------------------
def load_prompts(path: Path, limit: int | None) -> tuple[dict, list[dict]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    meta = json.loads(lines[0])["meta"]
    rows = [json.loads(x) for x in lines[1:] if x.strip()]
    if limit is not None:
        gen = [r for r in rows if r["kind"] == "generate"][:limit]
        rows = gen + [r for r in rows if r["kind"] == "judge"][:limit]
    return meta, rows


def _pct(xs, q):
    xs = sorted(x for x in xs if x is not None)
    return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))] if xs else None


def agreement(res: dict, ref: dict | None) -> dict:
    """Exact answers and token agreement (shared leading tokens over the longer answer)
    with the reference; the yes/no judge's sign agreement."""
    if not ref:
        return {}
    refs = {(r["id"], r["kind"]): r for r in ref["rows"]}
    ex, tk, js = [], [], []
    for r in res["rows"]:
        o = refs.get((r["id"], r["kind"]))
        if o is None:
            continue
        if r["kind"] == "generate":
            ex.append(r["text"] == o["text"])
            n = len(os.path.commonprefix([r["tokens"], o["tokens"]]))
            tk.append(n / max(len(r["tokens"]), len(o["tokens"]), 1))
        elif r.get("judge") is not None and o.get("judge") is not None:
            js.append((r["judge"] > 0) == (o["judge"] > 0))
    def mean(xs):
        return sum(xs) / len(xs) if xs else None
    return {"exact": mean(ex), "token_agreement": mean(tk), "judge_sign": mean(js),
            "compared": len(ex)}


def summarize(res: dict, ref: dict | None) -> dict:
    gen = [r for r in res["rows"] if r["kind"] == "generate"]
    jud = [r for r in res["rows"] if r["kind"] == "judge" and r.get("judge") is not None]
    return {"prompts": len(gen), "prompt_tokens_p50": _pct([r["prompt_tokens"] for r in gen], 50),
            "ttft_p50": _pct([r["ttft_s"] for r in gen], 50),
            "ttft_p95": _pct([r["ttft_s"] for r in gen], 95),
            "decode_tps_p50": _pct([r["decode_tps"] for r in gen], 50),
            "total_p50": _pct([r["total_s"] for r in gen], 50),
            "total_p95": _pct([r["total_s"] for r in gen], 95),
            "judge_p50": _pct([r["total_s"] for r in jud], 50),
            "load_s": res["load_s"], "peak_rss_mb": res["peak_rss_mb"],
            **agreement(res, ref)}


def _f(v, d=2):
    return "–" if v is None else f"{v:.{d}f}" if isinstance(v, float) else str(v)


def markdown(results: dict, cpu: dict) -> str:
    lines = [f"CPU: {cpu['model']}, {cpu['cores']} cores; flags: {' '.join(cpu['flags'])}\n",
             "| runtime | isa | prompts | prompt tok p50 | first token p50 / p95 s | decode tok/s "
             "p50 | total p50 / p95 s | judge p50 s | load s | peak RSS MB | exact | token "
             "agreement | judge sign |", "|" + "---|" * 13]
    for (isa, name), (_, s) in sorted(results.items()):
        lines.append(f"| {name} | {isa} | {s['prompts']} | {_f(s['prompt_tokens_p50'])} | "
                     f"{_f(s['ttft_p50'])} / {_f(s['ttft_p95'])} | {_f(s['decode_tps_p50'], 1)} | "
                     f"{_f(s['total_p50'])} / {_f(s['total_p95'])} | {_f(s['judge_p50'], 3)} | "
                     f"{_f(s['load_s'], 1)} | {_f(s['peak_rss_mb'], 0)} | {_f(s.get('exact'))} | "
                     f"{_f(s.get('token_agreement'))} | {_f(s.get('judge_sign'))} |")
    lines.append("\nKernels each runtime reported:\n")
    for (isa, name), (res, _) in sorted(results.items()):
        lines.append(f"- {name} ({isa}, env {res.get('env', {})}): "
                     f"{json.dumps(res['info'], ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m eval.runtimes", description=__doc__.split("\n")[0])
    p.add_argument("--capture", action="store_true", help="write <work>/prompts.jsonl and stop")
    p.add_argument("--runtimes", default=",".join(RUNTIMES), help="comma-separated: " + ",".join(RUNTIMES))
    p.add_argument("--isa", choices=["native", "avx2"], default="native")
    p.add_argument("--limit", type=int, help="first N generation (and N judge) prompts")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--work", type=Path, default=Path("var/runtimes"))
    p.add_argument("--out", type=Path, help="default <work>/report")
    p.add_argument("--squad-sample", type=int, default=120)
    p.add_argument("--ref-python", default=sys.executable, help="python for hf-* (the project's venv)")
    p.add_argument("--rt-python", default=sys.executable, help="python for the other runtimes")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    a = parse_args(sys.argv[1:] if argv is None else argv)
    if a.capture:
        capture(a.work, a.squad_sample)
        return 0
    meta, prompts = load_prompts(a.work / "prompts.jsonl", a.limit)
    if a.child:
        res = run_child(a.child, a.work, prompts, meta, a.threads)
        a.child_out.write_text(json.dumps(res, ensure_ascii=False))
        return 0
    cpu = cpu_info()
    print(f"CPU: {cpu['model']}; flags: {' '.join(cpu['flags'])}", file=sys.stderr)
    out = a.out or a.work / "report"
    (out / a.isa).mkdir(parents=True, exist_ok=True)
    root = str(Path(__file__).resolve().parents[2])
    failed = []
    for name in [n.strip() for n in a.runtimes.split(",") if n.strip()]:
        if name not in BACKENDS:
            raise SystemExit(f"unknown runtime {name!r}: one of {', '.join(RUNTIMES)}")
        env = {k: v for k, v in os.environ.items() if k not in ISA_ENV["avx2"]}
        env.update(ISA_ENV[a.isa], CT2_VERBOSE="1", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
        path = [root]
        if name.startswith("llama") and (a.work / f"llama-{a.isa}").is_dir():
            path.insert(0, str((a.work / f"llama-{a.isa}").resolve()))
        env["PYTHONPATH"] = os.pathsep.join(path + [env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        py = a.ref_python if name.startswith("hf-") else a.rt_python
        dest = out / a.isa / f"{name}.json"
        cmd = [py, "-m", "eval.runtimes", "--child", name, "--child-out", str(dest.resolve()),
               "--work", str(a.work.resolve()), "--threads", str(a.threads)]
        if a.limit is not None:
            cmd += ["--limit", str(a.limit)]
        print(f"== {name} ({a.isa})", file=sys.stderr, flush=True)
        proc = subprocess.run(cmd, env=env, cwd=root, stderr=subprocess.PIPE, text=True)
        log = [x for x in proc.stderr.splitlines() if not x.startswith("  ")]
        sys.stderr.write("\n".join(x for x in proc.stderr.splitlines()[-40:]) + "\n")
        if proc.returncode:
            failed.append(f"{name} (exit {proc.returncode})")
            continue
        res = json.loads(dest.read_text())
        res.update(env={k: env[k] for k in ISA_ENV["avx2"] if k in env}, isa=a.isa, cpu=cpu)
        if name.startswith("ct2"):  # what CT2_VERBOSE=1 logged: the ISA and GEMM backends
            res["info"]["log"] = [x.split("[info]")[-1].strip() for x in log if "[info]" in x][:8]
        dest.write_text(json.dumps(res, ensure_ascii=False, indent=1))
    results = {}
    for isa in ("native", "avx2"):
        ref_path = next((p for p in (out / isa / f"{REFERENCE}.json", out / "native" / f"{REFERENCE}.json")
                         if p.is_file()), None)
        ref = json.loads(ref_path.read_text()) if ref_path else None
        for f in sorted((out / isa).glob("*.json")) if (out / isa).is_dir() else []:
            res = json.loads(f.read_text())
            results[(isa, res["runtime"])] = (res, summarize(res, ref))
    (out / "runtimes.json").write_text(json.dumps(
        {"cpu": cpu, "summary": {f"{i}/{n}": s for (i, n), (_, s) in results.items()}}, indent=1))
    (out / "runtimes.md").write_text(markdown(results, cpu))
    print(markdown(results, cpu))
    if failed:
        print("FAILED: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
