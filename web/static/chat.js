// Chat page: streams answers from /ask/stream, renders cited answers, opens cited
// passages. All model and document text is inserted with textContent, never as HTML.
"use strict";
(function () {
  const form = document.getElementById("ask-form");
  const input = document.getElementById("question");
  const send = document.getElementById("send");
  const conv = document.getElementById("conversation");
  const historyField = document.getElementById("history");
  let history = [];
  try { history = JSON.parse(historyField.value || "[]"); } catch (e) { history = []; }
  let busy = false;
  const CONTEXT = 300;  // characters of context the server sends each side of a citation

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Examples are submit buttons of their own small forms (they work without
  // JavaScript); here they go through the streaming chat instead.
  document.querySelectorAll(".example").forEach((b) =>
    b.addEventListener("click", (ev) => { ev.preventDefault(); input.value = b.dataset.question; ask(); }));

  // The server refuses a history over its limits (qa/limits.py, carried by the form's
  // data attributes): send the most recent turns that fit, starting with a question.
  const MAX_TURNS = Number(form.dataset.maxHistoryTurns), MAX_CHARS = Number(form.dataset.maxHistoryChars);
  function recentHistory() {
    const out = history.slice(-MAX_TURNS);
    let total = out.reduce((n, t) => n + t.content.length, 0);
    while (out.length && (total > MAX_CHARS || out[0].role !== "user")) total -= out.shift().content.length;
    return out;
  }

  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); ask(); }
  });
  form.addEventListener("submit", (ev) => { ev.preventDefault(); ask(); });

  function addUser(text) {
    const empty = document.getElementById("empty-state");
    if (empty) empty.remove();
    const m = el("div", "msg user");
    m.appendChild(el("div", "bubble", text));
    conv.appendChild(m);
  }

  function openPassage(c, opener) {
    const d = el("dialog");
    d.setAttribute("aria-labelledby", "passage-title");
    const h = el("h2", null, c.doc_title);
    h.id = "passage-title";
    d.appendChild(h);
    if (c.section) d.appendChild(el("p", "where", c.section));
    const p = el("p", "passage");
    const before = c.context_before || "", after = c.context_after || "";
    // the server sends at most CONTEXT characters each side: mark where it was cut
    if (before.length >= CONTEXT) p.appendChild(elided());
    p.appendChild(document.createTextNode(before));
    p.appendChild(el("mark", null, c.text));
    p.appendChild(document.createTextNode(after));
    if (after.length >= CONTEXT) p.appendChild(elided());
    d.appendChild(p);
    d.appendChild(el("p", "where", "Characters " + c.start + "–" + c.end + " of " + c.doc_id));
    const close = el("button", "close", "Close");
    close.type = "button";
    close.addEventListener("click", () => d.close());
    d.appendChild(close);
    d.addEventListener("close", () => { d.remove(); if (opener && opener.isConnected) opener.focus(); });
    // a click on the backdrop (outside the dialog's box) closes it too
    d.addEventListener("click", (ev) => {
      const r = d.getBoundingClientRect();
      if (ev.target === d && (ev.clientX < r.left || ev.clientX > r.right ||
                              ev.clientY < r.top || ev.clientY > r.bottom)) d.close();
    });
    document.getElementById("dialog-root").appendChild(d);
    d.showModal();
    close.focus();
  }

  function elided() {
    const s = el("span", "elided", "…");
    s.setAttribute("aria-hidden", "true");
    return s;
  }

  const SVG = "http://www.w3.org/2000/svg";
  function thumb() {  // a thumbs-up outline; the thumbs-down is the same, turned by CSS
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", "M2 21h4V9H2v12zm20-11c0-1.1-.9-2-2-2h-6.3l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L13.17 2 6.59 8.59C6.22 8.95 6 9.45 6 10v9c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z");
    svg.appendChild(path);
    return svg;
  }

  function renderAnswer(bubble, a, question) {
    bubble.textContent = "";
    const art = bubble.parentElement;
    if (a.abstained) art.classList.add("abstained");
    if (a.standalone_question && a.standalone_question !== a.question)
      bubble.appendChild(el("p", "understood", "Understood as: " + a.standalone_question));
    const p = el("p", "answer");
    const s = a.short_answer;  // the figure or time asked for, inside a quoted answer
    const cp = Array.from(a.answer);  // its offsets count code points, not UTF-16 units
    if (s && cp.slice(s.start, s.end).join("") === s.text) {
      p.appendChild(document.createTextNode(cp.slice(0, s.start).join("")));
      p.appendChild(el("strong", "short", s.text));
      p.appendChild(document.createTextNode(cp.slice(s.end).join("")));
    } else {
      p.textContent = a.answer;
    }
    a.citations.forEach((c) => {
      p.appendChild(document.createTextNode(" "));
      const b = el("button", "cite", "[" + c.id + "]");
      b.type = "button";
      b.setAttribute("aria-label", "Show source " + c.id);
      b.addEventListener("click", () => openPassage(c, b));
      p.appendChild(b);
    });
    bubble.appendChild(p);
    const cites = a.citations.length ? a.citations : a.related;
    if (cites.length) {
      bubble.appendChild(el("p", "srclabel", a.abstained ? "Related passages" : "Sources"));
      const ol = el("ol", "sources");
      cites.forEach((c) => {
        const li = el("li");
        li.appendChild(el("span", "where", c.doc_title + (c.section ? " — " + c.section : "")));
        const q = el("blockquote");
        const link = el("button", "quote");
        link.appendChild(el("mark", null, c.text));
        link.type = "button";
        link.title = "Show the passage in its context";
        link.addEventListener("click", () => openPassage(c, link));
        q.appendChild(link);
        li.appendChild(q);
        ol.appendChild(li);
      });
      bubble.appendChild(ol);
    }
    const tools = el("div", "tools");
    const copy = el("button", null, "Copy");
    copy.type = "button";
    copy.addEventListener("click", () => {
      const txt = a.answer + "\n" + a.citations.map((c) => "[" + c.id + "] " + c.text).join("\n");
      (navigator.clipboard ? navigator.clipboard.writeText(txt) : Promise.reject())
        .then(() => { copy.textContent = "Copied"; }, () => { copy.textContent = "Copy failed"; });
    });
    tools.appendChild(copy);
    ["up", "down"].forEach((rating) => {
      const b = el("button", "rate");
      b.appendChild(thumb());
      b.type = "button";
      b.setAttribute("aria-label", rating === "up" ? "Good answer" : "Bad answer");
      b.setAttribute("aria-pressed", "false");
      b.dataset.rating = rating;
      b.addEventListener("click", () => feedback(b, tools, question, a, rating));
      tools.appendChild(b);
    });
    bubble.appendChild(tools);
  }

  function feedback(button, tools, question, a, rating) {
    fetch("/feedback", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: question, answer: a.answer, rating: rating,
        history: a.history || [], citations: a.citations.map((c) => c.text) }),
    }).then((r) => {
      if (!r.ok) throw new Error("feedback " + r.status);
      tools.querySelectorAll(".rate").forEach((x) => x.setAttribute("aria-pressed", "false"));
      button.setAttribute("aria-pressed", "true");
    }).catch(() => { button.title = "Could not send feedback"; });
  }

  async function ask() {
    const question = input.value.trim();
    if (!question || busy) return;
    busy = true; send.disabled = true;
    addUser(question);
    input.value = "";
    const art = el("article", "msg bot");
    const bubble = el("div", "bubble");
    bubble.setAttribute("aria-live", "polite");
    bubble.setAttribute("aria-busy", "true");
    const status = el("p", "status", "Searching the documents…");
    bubble.appendChild(status);
    art.appendChild(bubble);
    conv.appendChild(art);
    art.scrollIntoView({ block: "end" });
    const sentHistory = recentHistory();
    let streamed = null;
    try {
      const resp = await fetch("/ask/stream", {
        method: "POST", headers: { "Content-Type": "application/json", "Accept": "text/event-stream" },
        body: JSON.stringify({ question: question, history: sentHistory }),
      });
      if (!resp.ok) {
        let msg = "Request failed (" + resp.status + ")";
        try { msg = (await resp.json()).error.message; } catch (e) { /* keep default */ }
        throw new Error(msg);
      }
      const reader = resp.body.getReader();
      const dec = new TextDecoder();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          const raw = buf.slice(0, i); buf = buf.slice(i + 2);
          let event = "message", data = "";
          raw.split("\n").forEach((line) => {
            if (line.startsWith("event: ")) event = line.slice(7);
            else if (line.startsWith("data: ")) data += line.slice(6);
          });
          const payload = data ? JSON.parse(data) : {};
          if (event === "token") {
            if (!streamed) { status.remove(); streamed = el("p", "answer streaming"); bubble.appendChild(streamed); }
            streamed.textContent += payload.text;
          } else if (event === "citations") {
            payload.history = sentHistory;
            renderAnswer(bubble, payload, question);
            art.scrollIntoView({ block: "nearest" });
            history.push({ role: "user", content: question }, { role: "assistant", content: payload.answer });
          } else if (event === "error") {
            throw new Error(payload.message || "The server could not answer.");
          }
        }
      }
    } catch (err) {
      bubble.textContent = "";
      bubble.appendChild(el("p", "error", String(err.message || err)));
      bubble.lastChild.setAttribute("role", "alert");
    } finally {
      bubble.setAttribute("aria-busy", "false");
      historyField.value = JSON.stringify(history);
      busy = false; send.disabled = false; input.focus();
    }
  }
})();
