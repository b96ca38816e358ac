"""Comparisons of two places' figures are made in code, from cited clauses."""

import pytest

from qa.compare import compare, direction, option_phrases
from qa.pipeline import Pipeline

TEXT = ("In 2023, Shandong's regional GDP reached 9.2 trillion yuan. With a regional GDP "
        "reaching 12.82 trillion yuan, Jiangsu achieved remarkable results. Beijing resettled "
        "344,000 affected people; Qinghai resettled 9,803 households totaling 45,218 people. "
        "Jiangsu grew 5.8% in 2023.")


def spans(_place):
    out, pos = [], 0
    for part in TEXT.split(". "):
        out.append((pos, pos + len(part)))
        pos += len(part) + 2
    return [(TEXT, out)]


@pytest.mark.parametrize("q,winner", [
    ("Which had the larger regional GDP, Jiangsu or Shandong?", "Jiangsu"),
    ("Which had the smaller regional GDP, Jiangsu or Shandong?", "Shandong"),
    ("Which resettled more people: Beijing or Qinghai?", "Beijing"),
    ("Which resettled fewer people, Beijing or Qinghai?", "Qinghai"),
])
def test_winner_and_figures(q, winner):
    places = [p for p in ("Jiangsu", "Shandong", "Beijing", "Qinghai") if p in q]
    win, lose, _ = compare(q, places, spans)
    assert win.place == winner
    for f in (win, lose):
        assert f.place in TEXT[f.start:f.end] and f.number.split()[0] in TEXT[f.start:f.end]


def test_years_are_not_figures_and_missing_figures_give_none():
    win, lose, _ = compare("Which had the larger GDP, Jiangsu or Shandong?",
                           ["Jiangsu", "Shandong"], spans)
    assert "2023" not in (win.number + lose.number)
    assert compare("Which had the larger GDP, Jiangsu or Hunan?", ["Jiangsu", "Hunan"],
                   spans) is None


def test_percentages_compare_as_percentages_and_ranks_are_not_figures():
    text = "Jiangsu grew 5.8% in 2023; Shandong grew 6.0% in 2023, its 3rd year of growth."
    win, lose, _ = compare("Which grew more, Jiangsu or Shandong?", ["Jiangsu", "Shandong"],
                           lambda _p: [(text, [(0, len(text))])])
    assert (win.number, lose.number) == ("6.0%", "5.8%") and win.unit == {"%"}


def test_not_a_comparison():
    assert direction("Which province has typhoons, Zhejiang or Hunan?") == 0
    assert compare("Which province has typhoons, Zhejiang or Hunan?", ["Zhejiang", "Hunan"],
                   spans) is None


def test_option_phrases():
    q = "Which number was larger: the houses Jilin rebuilt, or the households Qinghai resettled?"
    assert option_phrases(q, ["Jilin", "Qinghai"]) == {
        "Jilin": "the houses Jilin rebuilt", "Qinghai": "the households Qinghai resettled?"}


def test_pipeline_answers_a_comparison_with_both_figures_cited(built_index, fake_embedder):
    p = Pipeline(built_index, fake_embedder, None, min_score=0.2)
    a = p.answer("Which had the larger regional GDP, Jiangsu or Shandong?")
    assert a.mode == "compared" and a.answer.startswith("Jiangsu (12.82 trillion yuan)")
    assert len(a.citations) == 2
    doc = built_index.documents[a.citations[0].doc_id]
    for c in a.citations:
        assert doc.text[c.start:c.end] == c.text
    assert "12.82" in a.citations[0].text and "9.2" in a.citations[1].text
