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
