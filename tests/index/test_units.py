import builtins

import pytest

from index import units
from index.errors import ModelUnavailable
from index.units import unit_forms, written_after_figure


@pytest.mark.parametrize("word, form", [("Celsius", "°C"), ("Fahrenheit", "°F"),
                                        ("Hertz", "Hz"), ("Pascal", "Pa")])
def test_the_symbol_of_a_unit_named_in_words(word, form):
    assert form in unit_forms(word)


@pytest.mark.parametrize("word", ["Watt", "Newton", "Inch", "Minute", "Harvard", "Rome",
                                  "celsius", "Degrees Celsius", "Hz"])
def test_no_symbol_of_one_letter_or_in_lower_case_and_none_for_other_words(word):
    """"W" or "in" would count as the unit wherever a text writes them; a word in lower
    case, several words or a symbol already are what the text may write."""
    assert unit_forms(word) == ()


def test_missing_pint_is_a_clear_error(monkeypatch):
    real = builtins.__import__

    def no_pint(name, *a, **k):
        if name == "pint":
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_pint)
    units._registry.cache_clear()
    try:
        with pytest.raises(ModelUnavailable, match="pip install pint"):
            units._registry()
    finally:
        monkeypatch.undo()
        units._registry.cache_clear()


@pytest.mark.parametrize("text, word, found", [
    ("temperatures of 565 °C and 30°C", "Celsius", True),
    ("a 60Hz supply", "Hertz", True),
    ("a 101 kPa", "Pascal", False),  # another unit with the symbol inside
    # a symbol alone, or in another case, is something else: a CI pipeline, "Pa" Smith
    ("Our CI pipeline runs nightly.", "Curie", False),
    ("Pa said so.", "Pascal", False),
    ("at 60 hz", "Hertz", False),
])
def test_a_unit_is_written_by_its_symbol_only_after_a_figure(text, word, found):
    assert written_after_figure(text, word) is found
