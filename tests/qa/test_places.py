"""Regional descriptions resolved to a place of the collection."""

import pytest

from index.loaders import default_corpus
from index.vocabulary import read_pack
from qa.pipeline import Pipeline
from qa.places import Descriptions

PACK = Descriptions(read_pack([default_corpus()]))
candidates = PACK.candidates
places_in = PACK.places_in
REGIONS = PACK.regions


def test_only_places_the_collection_mentions():
    assert candidates("What did the northeastern province do?", {"Hunan"}) == []
    got = candidates("What did the northeastern province do?", {"Jilin", "Liaoning", "Hunan"})
    assert [p for p, _ in got] == ["Jilin", "Liaoning"]


def test_named_place_is_not_rewritten():
    assert candidates("What did Jilin, a northeastern province, do?", {"Jilin"}) == []


def test_capital_but_not_capital_construction():
    assert candidates("What did the capital plan?", {"Beijing"})[0][0] == "Beijing"
    assert candidates("How much capital construction did Hunan plan?", {"Beijing"}) == []


def test_without_a_pack_nothing_is_rewritten():
    """On any other collection "the capital" is not Beijing: "What is the capital of
    Poland?" stays as it is."""
    plain = Descriptions({})
    assert not plain.describes("What is the capital of Poland?")
    assert plain.candidates("What is the capital of Poland?", {"Beijing", "Warsaw"}) == []


@pytest.mark.parametrize("q", ["What is the capital of Poland?"])
def test_pack_capital_needs_the_capital_in_the_collection(q):
    assert candidates(q, {"Warsaw"}) == []


def test_places_in_texts():
    assert places_in(["Jilin rebuilt houses; Qinghai resettled people.", "Nothing"]) == {
        "Jilin", "Qinghai"}
    assert all(REGIONS[r] for r in REGIONS)


def test_pipeline_picks_the_place_the_evidence_supports(built_index, fake_embedder):
    p = Pipeline(built_index, fake_embedder, None, min_score=0.2)
    a = p.answer("How many houses did the northeastern province rebuild and repair?")
    assert "Jilin" in a.standalone_question and "5,529" in a.answer
