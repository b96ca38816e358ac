from qa.text import entities, mentions, numbers


def test_entities():
    assert entities("What did Tianjin plan for flood season?") == ["Tianjin"]
    assert entities("Who is Fu Zhibin of the Beijing CPPCC?") == ["Fu Zhibin", "Beijing", "CPPCC"]
    assert entities("How many houses were rebuilt?") == []


def test_mentions_ignores_hyphenated_compounds():
    assert not mentions("the Beijing-Tianjin-Hebei region", "Hebei")
    assert mentions("Hebei Provincial CPPCC", "Hebei")


def test_numbers_normalised():
    assert numbers("12.82 trillion, 5,529 houses, 1.22 landslide, in 2023.") == {
        "12.82", "5529", "1.22", "2023"}
