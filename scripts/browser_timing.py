"""Time an answer in the chat page, in a real browser, against a running server.

    .venv/bin/python scripts/browser_timing.py http://127.0.0.1:8765 [--runs 3] [--question ...]

Opens the page in Debian's Chromium (headless, via Playwright), types the question
and presses Enter, and measures in the page, from the key press:
  first token  the first streamed answer text shown
  full answer  the verified answer with its citations rendered
It also prints the server's own timings from the stream's `citations` event.
Start the server first (`qa serve`); the first run includes any warm-up the
server does on its first question.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

# Installed in the page before the question is sent: timestamps from the Enter
# key press to the first streamed text and to the finished answer, and a copy of
# the event stream (tee'd, so the page still reads it as it arrives) for the
# server's own timings. (Chromium does not keep streamed bodies for Playwright.)
PROBE = """() => {
  const t = window.__timing = {start: null, first: null, done: null, answer: "", body: null};
  const realFetch = window.fetch;
  window.fetch = async (...args) => {
    const r = await realFetch(...args);
    if (!String(args[0]).endsWith("/ask/stream") || !r.body) return r;
    const [mine, copy] = r.body.tee();
    new Response(copy).text().then((s) => { t.body = s; });
    return new Response(mine, {status: r.status, statusText: r.statusText, headers: r.headers});
  };
  const input = document.getElementById("question");
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && t.start === null) t.start = performance.now();
  }, {capture: true});
  const before = document.querySelectorAll("article.msg.bot").length;
  new MutationObserver(() => {
    const arts = document.querySelectorAll("article.msg.bot");
    if (arts.length <= before) return;
    const art = arts[arts.length - 1];
    const s = art.querySelector(".answer.streaming");
    if (t.first === null && s && s.textContent.trim()) t.first = performance.now();
    const b = art.querySelector(":scope > .bubble");
    if (t.done === null && b && b.getAttribute("aria-busy") === "false") {
      t.done = performance.now();
      const a = art.querySelector("p.answer");
      t.answer = a && a.firstChild ? a.firstChild.textContent : b.textContent;
      t.cites = art.querySelectorAll("p.answer button.cite").length;
    }
  }).observe(document.getElementById("conversation"),
             {childList: true, subtree: true, characterData: true, attributes: true});
}"""


def server_timings(body: str) -> dict:
    for block in body.split("\n\n"):
        if block.startswith("event: citations"):
            data = json.loads(block.split("data: ", 1)[1])
            return {"mode": data.get("mode"), **data.get("timings_ms", {})}
    return {}


def run_once(browser, url: str, question: str, timeout_s: float) -> dict:
    ctx = browser.new_context(viewport={"width": 1100, "height": 800})
    page = ctx.new_page()
    try:
        page.goto(url.rstrip("/") + "/")
        page.evaluate(PROBE)
        box = page.locator("#question")
        box.fill(question)
        box.press("Enter")
        page.wait_for_function("() => window.__timing.done !== null", timeout=timeout_s * 1000)
        page.wait_for_function("() => window.__timing.body !== null", timeout=5000)
        t = page.evaluate("window.__timing")
        server = server_timings(t["body"])
        return {
            "first_token_ms": None if t["first"] is None else round(t["first"] - t["start"]),
            "full_answer_ms": round(t["done"] - t["start"]),
            "citations": t.get("cites", 0),
            "answer": t["answer"].strip(),
            "server": server,
        }
    finally:
        ctx.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("url", help="the running server, e.g. http://127.0.0.1:8765")
    ap.add_argument("--question", default="What did Tianjin plan for flood season?")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per answer")
    ap.add_argument("--chromium", default=CHROMIUM)
    args = ap.parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("needs the playwright package: scripts/install.sh test", file=sys.stderr)
        return 2
    if not Path(args.chromium).exists():
        print(f"no Chromium at {args.chromium}: apt-get install chromium", file=sys.stderr)
        return 2

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, headless=True, args=ARGS)
        try:
            for i in range(1, args.runs + 1):
                r = run_once(browser, args.url, args.question, args.timeout)
                results.append(r)
                s = r["server"]
                print(f"run {i}: first token {r['first_token_ms']} ms, full answer "
                      f"{r['full_answer_ms']} ms, {r['citations']} citation(s), mode "
                      f"{s.get('mode')}; server: first_token {s.get('first_token')} ms, "
                      f"generate {s.get('generate')} ms, total {s.get('total')} ms")
        finally:
            browser.close()
    print(f"question: {args.question}")
    print(f"answer: {results[-1]['answer']}")
    firsts = [r["first_token_ms"] for r in results if r["first_token_ms"] is not None]
    fulls = [r["full_answer_ms"] for r in results]
    if firsts:
        print(f"first token: median {statistics.median(firsts):.0f} ms "
              f"(min {min(firsts)}, max {max(firsts)})")
    else:
        print("first token: none streamed (the answer came without generated tokens)")
    print(f"full answer: median {statistics.median(fulls):.0f} ms "
          f"(min {min(fulls)}, max {max(fulls)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
