from hypothesis import given, settings
from hypothesis import strategies as st

from index.chunking import chunk_document
from index.loaders import parse_text
from index.text import sentence_spans


def test_chunks_slice_back_exactly(article):
    chunks = chunk_document(article, max_chars=300)
    assert chunks
    for c in chunks:
        assert article.text[c.start : c.end] == c.text
        para = article.paragraphs[c.paragraph]
        assert para.start <= c.start and c.end <= para.end
        assert c.section == para.section


def test_long_paragraphs_split_at_sentences(article):
    chunks = chunk_document(article, max_chars=300, overlap_sentences=0)
    for c in chunks:
        assert c.text[-1] in '.!?"' or c.end == article.paragraphs[c.paragraph].end
    # every paragraph character is covered
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    for p in article.paragraphs:
        body = [i for i in range(p.start, p.end) if not article.text[i].isspace()]
        assert set(body) <= covered


_sentence = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N"]), min_size=1,
                    max_size=30).map(lambda w: w.capitalize() + ".")
_paragraph = st.lists(_sentence, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(paras=st.lists(_paragraph, min_size=1, max_size=6),
       max_chars=st.integers(min_value=50, max_value=400),
       overlap=st.integers(min_value=0, max_value=2),
       sep=st.sampled_from(["\n", "\n\n", "\r\n", "\n  \n"]))
def test_offsets_property(paras, max_chars, overlap, sep):
    text = sep.join(paras)
    doc = parse_text(text, "h.txt")
    for c in chunk_document(doc, max_chars=max_chars, overlap_sentences=overlap):
        assert doc.text[c.start : c.end] == c.text
        assert c.text == c.text.strip() and c.text
        for s, e in sentence_spans(doc.text, c.start, c.end):
            assert c.start <= s < e <= c.end
