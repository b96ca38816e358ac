// Upload form of the chat page (shown when QA_UPLOADS=on): posts the file to
// /uploads, then polls its status until it is searchable or refused. Without
// JavaScript the form posts itself and the status page reloads until done.
"use strict";
(function () {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("upload-file");
  const out = document.getElementById("upload-status");
  const button = form.querySelector("button");
  const LABELS = { queued: "Queued", indexing: "Indexing…", searchable: "Searchable", error: "Not indexed" };
  const JSON_ONLY = { Accept: "application/json" };

  function show(state, message) {
    out.dataset.state = state;
    out.textContent = (LABELS[state] || state) + (message ? ": " + message : "");
  }

  function refusal(r, body) {
    return body && body.error ? body.error.message : r.status + " " + r.statusText;
  }

  async function follow(url) {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      let r, job;
      try {
        r = await fetch(url, { headers: JSON_ONLY });
        job = await r.json();
      } catch (e) {
        continue;  // the server may be busy swapping the index: ask again
      }
      if (!r.ok) { show("error", refusal(r, job)); return null; }
      show(job.state, job.message);
      if (job.done) return job;
    }
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const file = input.files[0];
    if (!file) return;
    if (file.size > Number(form.dataset.maxBytes)) {
      show("error", file.name + " is over " + form.dataset.maxLabel + ", the limit.");
      return;
    }
    button.disabled = true;
    show("queued", "uploading " + file.name);
    try {
      const body = new FormData();
      body.append("file", file);
      const r = await fetch("/uploads", { method: "POST", body: body, headers: JSON_ONLY });
      let job = null;
      try { job = await r.json(); } catch (e) { job = null; }
      if (!r.ok) { show("error", refusal(r, job)); return; }
      show(job.state, job.message);
      const done = await follow(job.status_url);
      if (done && done.state === "searchable") form.reset();
    } catch (e) {
      show("error", "the upload failed (" + e + ")");
    } finally {
      button.disabled = false;
    }
  });
})();
