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

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  document.querySelectorAll(".example").forEach((b) =>
    b.addEventListener("click", () => { input.value = b.dataset.question; ask(); }));

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

  function openPassage(c) {
    const d = el("dialog");
    d.setAttribute("aria-labelledby", "passage-title");
    const h = el("h2", null, c.doc_title);
    h.id = "passage-title";
    d.appendChild(h);
    if (c.section) d.appendChild(el("p", "where", c.section));
    const p = el("p", "passage");
    p.appendChild(document.createTextNode(c.context_before || ""));
    p.appendChild(el("mark", null, c.text));
    p.appendChild(document.createTextNode(c.context_after || ""));
    d.appendChild(p);
    d.appendChild(el("p", "where", "Characters " + c.start + "–" + c.end + " of " + c.doc_id));
    const close = el("button", null, "Close");
    close.type = "button";
    close.addEventListener("click", () => d.close());
    d.appendChild(close);
    d.addEventListener("close", () => d.remove());
    document.getElementById("dialog-root").appendChild(d);
    d.showModal();
    close.focus();
  }

  function renderAnswer(bubble, a, question) {
    bubble.textContent = "";
    const art = bubble.parentElement;
    if (a.abstained) art.classList.add("abstained");
    if (a.standalone_question && a.standalone_question !== a.question)
      bubble.appendChild(el("p", "understood", "Understood as: " + a.standalone_question));
    const p = el("p", "answer", a.answer);
    a.citations.forEach((c) => {
      p.appendChild(document.createTextNode(" "));
      const b = el("button", "cite", "[" + c.id + "]");
      b.type = "button";
      b.setAttribute("aria-label", "Show source " + c.id);
      b.addEventListener("click", () => openPassage(c));
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
        const link = el("button", "cite", c.text);
        link.type = "button";
        link.addEventListener("click", () => openPassage(c));
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
      const b = el("button", "rate", rating === "up" ? "👍" : "👎");
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
    const sentHistory = history.slice(-20);
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
