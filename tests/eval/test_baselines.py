from eval.naive import NearestSentence


def test_nearest_sentence_quotes_and_cites_the_closest_sentence(pipeline):
    index = pipeline.retriever.index
    chunk = index.chunks[len(index.chunks) // 2]
    s = index.chunk_sentences(chunk.chunk_id)[0]
    doc = index.documents[chunk.doc_id]
    sentence = doc.text[s.start:s.end]
    anchor = NearestSentence(pipeline.retriever)

    a = anchor(sentence)

    assert a.answer == sentence and not a.abstained and a.mode == "nearest"
    [cite] = a.citations
    assert (cite.doc_id, cite.start, cite.end, cite.text) == (doc.doc_id, s.start, s.end, sentence)


def test_nearest_sentence_never_refuses_and_takes_the_highest_cosine(pipeline, fake_embedder):
    index = pipeline.retriever.index
    question = "What is the airspeed of an unladen swallow?"
    a = NearestSentence(pipeline.retriever)(question)
    assert not a.abstained and len(a.citations) == 1
    qv = fake_embedder.embed_query(question)
    best = max(((c, s) for c in index.chunks for s in index.chunk_sentences(c.chunk_id)),
               key=lambda cs: float(fake_embedder.embed_documents(
                   [index.documents[cs[0].doc_id].text[cs[1].start:cs[1].end]])[0] @ qv))
    assert (a.citations[0].start, a.citations[0].end) == (best[1].start, best[1].end)
