"""Units of measurement as a text may write them, from pint's registry of units.

A question says "in degrees Celsius" or "60 Hertz" where a document writes "°C" or
"60 Hz". `unit_forms` gives the symbol of the unit a capitalised word names (pint's
public `get_symbol`); `written_after_figure` finds it after a figure, in its own case
("565 °C", "60Hz"), so that such a word is not taken for a name the documents never
mention. Only after a figure: "Ci" and "Pa" alone are other things (a CI pipeline, a
father), and "Hertz" may be a company where a text writes "60 Hz".

Not handled: units of several words ("kilowatt hour"), a unit whose symbol is one
letter ("W", "K", "N": a letter of its own is too many other things to count as the
unit), and symbols in lower case ("ft", "min", "in": words, or parts of them, as often).
"""

from __future__ import annotations

import functools
import re

from .errors import ModelUnavailable

_WORD = re.compile(r"[A-Z][a-z]+")


@functools.cache
def _registry():
    try:
        import pint
    except ImportError as e:
        raise ModelUnavailable("pint is not installed: pip install pint "
                               "(scripts/install.sh does this).") from e
    return pint.UnitRegistry()


@functools.lru_cache(maxsize=4096)
def unit_forms(word: str) -> tuple[str, ...]:
    """The symbol of the unit a capitalised word names, as a tuple, or () when the word
    names no unit or its symbol is one letter or in lower case.

    >>> unit_forms("Celsius"), unit_forms("Hertz"), unit_forms("Watt"), unit_forms("Rome")
    (('°C',), ('Hz',), (), ())
    """
    if not _WORD.fullmatch(word):
        return ()
    reg = _registry()
    try:
        symbol = reg.get_symbol(word.lower())
    except Exception:  # pint raises its own errors, and others, for what is no unit
        return ()
    # a symbol with a capital or a degree sign: "Hz", "°C" (a unit named after a person);
    # "in", "ft" or "min" are words, or parts of them, as often as units
    return (symbol,) if len(symbol) >= 2 and (symbol != symbol.lower() or "°" in symbol) \
        else ()


@functools.lru_cache(maxsize=4096)
def _after_figure(word: str) -> re.Pattern | None:
    forms = unit_forms(word)
    if not forms:
        return None
    return re.compile(rf"\d\s?(?:{'|'.join(map(re.escape, forms))})(?![^\W\d_])")


def written_after_figure(text: str, word: str) -> bool:
    """Whether `text` writes the unit `word` names by a symbol of it, after a figure and
    in the symbol's own case.

    >>> written_after_figure("about 30°C, or 565 °C", "Celsius"), written_after_figure(
    ...     "Use a 60Hz supply.", "Hertz"), written_after_figure("Hz and 60 hz", "Hertz")
    (True, True, False)
    """
    pattern = _after_figure(word)
    return pattern is not None and pattern.search(text) is not None


# a figure and the unit symbol right after it: "2,500 m", "103°C", "12kg", "3 h", "512 MB"
SYMBOL_AFTER = re.compile(r"(?<![\w.,])(\d[\d,]*(?:\.\d+)?)\s?(°\s?[CF](?![^\W\d_])|°|"
                          r"[^\W\d_]{1,3}(?![\w°]))")


# the names a unit also goes by that pint does not derive: plurals that are not the
# name plus "s", and the tonne
_ALSO = {"foot": ("feet",), "metric_ton": ("tonne", "ton")}


@functools.lru_cache(maxsize=4096)
def symbol_names(symbol: str) -> frozenset[str]:
    """The names of the unit a symbol after a figure stands for, stemmed as the words
    of a question are (`index.text.stem`), in either spelling ("meter", "metre"); a
    degree of any scale is a degree. Empty for what pint knows as no unit.

    >>> sorted(symbol_names("m")), sorted(symbol_names("°C")), sorted(symbol_names("MB"))
    (['meter', 'metr'], ['degre', 'degree_celsius'], ['megabyt'])
    >>> symbol_names("the"), symbol_names("mph") == {"mile_per_hour"}
    (frozenset(), True)
    >>> symbol_names("a"), symbol_names("in"), symbol_names("pm")  # words, not year, inch
    (frozenset(), frozenset(), frozenset())
    >>> sorted(symbol_names("ft")), sorted(symbol_names("t"))
    (['feet', 'foot'], ['metric_ton', 'ton', 'tonn'])
    """
    from .text import stem, stop_words

    if symbol.lower() in stop_words() or symbol.lower() in ("am", "pm"):
        return frozenset()  # "5 a year", "3 in 10", "at 5 pm": words, not units
    if symbol.replace(" ", "") == "°":
        names = {"degree"}
    else:
        try:
            names = {_registry().get_name(symbol.replace(" ", ""), case_sensitive=True)}
        except Exception:  # pint raises its own errors, and others, for what is no unit
            return frozenset()
    names |= {"degree" for n in names if n.startswith("degree_")}
    names |= {n[:-2] + "re" for n in names if n.endswith("er")}  # metre, litre
    names |= {w for n in names for w in _ALSO.get(n, ())}
    return frozenset(stem(n.lower()) for n in names)


def figures_in(text: str, unit: str) -> list[str]:
    """The figures of `text` written with a symbol of the unit a stemmed word names
    ("metr": "2,500 m"), as written.

    >>> figures_in("The lake is 2,500 m deep, the well 40m; it is 3 h away.", "metr")
    ['2,500', '40']
    >>> figures_in("Water boils at 103°C.", "degre"), figures_in("It is 5 in all.", "metr")
    (['103'], [])
    """
    return [m[1] for m in SYMBOL_AFTER.finditer(text) if unit in symbol_names(m[2])]
