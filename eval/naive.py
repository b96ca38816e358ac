"""The naive baseline the product is measured against, run on the same index and model:
MiniLM + FAISS top-3 chunks, the model told to answer from them or say "I don't know",
every retrieved chunk cited."""

from __future__ import annotations

import time

from qa.pipeline import Answer, Citation
from qa.retrieval import HybridRetriever

PROMPT = ("Answer the question using only the passages below. If they do not contain the "
          "answer, say \"I don't know\".")


def naive_answer(retriever: HybridRetriever, generator, question: str, history=None,
                 max_new_tokens: int = 80) -> Answer:
    t0 = time.perf_counter()
    qv = retriever.embedder.embed_query(question)
    _, ids = retriever.index.dense.search(qv.reshape(1, -1), 3)
    chunks = [retriever.index.chunks[i] for i in ids[0] if i >= 0]
    passages = "\n\n".join(c.text for c in chunks)
    msgs = [{"role": "system", "content": PROMPT},
            {"role": "user", "content": f"Passages:\n{passages}\n\nQuestion: {question}"}]
    text = generator.generate(msgs, max_new_tokens).text if generator else chunks[0].text
    docs = retriever.index.documents
    cites = [Citation(i, c.doc_id, docs[c.doc_id].title, c.section, c.text, c.start, c.end, 0.0,
                      c.start, c.end) for i, c in enumerate(chunks, 1)]
    abst = "don't know" in text.lower() or "do not know" in text.lower()
    ms = round((time.perf_counter() - t0) * 1000, 1)
    return Answer(question, question, text, abst, "naive", [] if abst else cites, [],
                  {"total": ms})
