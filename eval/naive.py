"""The baselines the product is measured against, run on the same index and model:

- naive: MiniLM + FAISS top-3 chunks, the model told to answer from them or say "I don't
  know", every retrieved chunk cited;
- nearest sentence: the one indexed sentence nearest to the question (embedder cosine),
  quoted and cited, never refused, with no model. Whatever the pipeline adds to the
  retriever it must earn against this.
"""

from __future__ import annotations

import time

import numpy as np

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


class NearestSentence:
    """Answers with the indexed sentence nearest to the question, by the vectors the
    index stores for its sentences (the instructions quarantined at build time left out,
    as the pipeline leaves them out)."""

    def __init__(self, retriever: HybridRetriever):
        self.retriever = retriever
        index = retriever.index
        self._spans = [(chunk, s) for chunk in index.chunks
                       for s in index.chunk_sentences(chunk.chunk_id)]
        self._vectors = index.sentence_vectors[[s.sent_id for _, s in self._spans]]

    def __call__(self, question: str, history=None) -> Answer:
        t0 = time.perf_counter()
        sims = self._vectors @ self.retriever.embedder.embed_query(question)
        best = int(np.argmax(sims))
        chunk, s = self._spans[best]
        doc = self.retriever.index.documents[chunk.doc_id]
        text = doc.text[s.start:s.end]
        cite = Citation(1, doc.doc_id, doc.title, chunk.section, text, s.start, s.end,
                        round(float(sims[best]), 4), chunk.start, chunk.end)
        ms = round((time.perf_counter() - t0) * 1000, 1)
        return Answer(question, question, text, False, "nearest", [cite], [], {"total": ms})
