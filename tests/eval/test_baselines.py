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


def test_nearest_sentence_never_refuses(pipeline):
    a = NearestSentence(pipeline.retriever)("What is the airspeed of an unladen swallow?")
    assert not a.abstained and a.answer and len(a.citations) == 1
