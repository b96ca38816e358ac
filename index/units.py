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


# what a question asks the amount of, by the dimension pint gives it ("How much current
# ...?" is answered in amperes, "What voltage ...?" in volts): pint's names of the
# dimensions of everyday measures, and the words questions use for some of them
_MEASURES = {
    "length": "length", "distance": "length", "height": "length", "depth": "length",
    "width": "length", "mass": "mass", "weight": "mass", "time": "time",
    "duration": "time", "current": "current", "temperature": "temperature",
    "area": "area", "volume": "volume", "frequency": "frequency", "speed": "velocity",
    "velocity": "velocity", "acceleration": "acceleration", "force": "force",
    "energy": "energy", "power": "power", "pressure": "pressure",
    "charge": "charge", "voltage": "electric_potential", "resistance": "resistance",
    "capacitance": "capacitance", "inductance": "inductance", "density": "density",
    "luminosity": "luminosity",
}


@functools.cache
def _measure_dimensions() -> dict[str, object]:
    """The stemmed measure words, each with its dimensionality in pint."""
    from .text import stem

    reg = _registry()
    return {stem(word): reg.get_dimensionality(f"[{dim}]") for word, dim in _MEASURES.items()}


@functools.lru_cache(maxsize=4096)
def symbol_measures(symbol: str) -> frozenset[str]:
    """The measures (stemmed, as a question's words are) that a unit symbol after a
    figure gives an amount of: "mA" current, "V" voltage, "kWh" energy; empty for what
    pint knows as no unit, or a unit of no dimension ("dB", "%").

    >>> sorted(symbol_measures("mA")), sorted(symbol_measures("V")), symbol_measures("the")
    (['current'], ['voltag'], frozenset())
    >>> sorted(symbol_measures("km"))
    ['depth', 'distanc', 'height', 'length', 'width']
    """
    if not symbol_names(symbol):
        return frozenset()
    try:
        dims = _registry().Unit(symbol.replace(" ", "")).dimensionality
    except Exception:  # pint raises its own errors, and others, for what is no unit
        return frozenset()
    if not dims:
        return frozenset()
    return frozenset(w for w, d in _measure_dimensions().items() if d == dims)


def figures_in(text: str, unit: str, measure: bool = False) -> list[str]:
    """The figures of `text` written with a symbol of the unit a stemmed word names
    ("metr": "2,500 m"), or, when `measure` (the question asks how much), of a unit of
    the measure it names ("current": "50mA"; "How many times ...?" is no measure of
    time), as written.

    >>> figures_in("The lake is 2,500 m deep, the well 40m; it is 3 h away.", "metr")
    ['2,500', '40']
    >>> figures_in("Water boils at 103°C.", "degre"), figures_in("It is 5 in all.", "metr")
    (['103'], [])
    >>> figures_in("It draws 50mA from the +12V rail.", "current", measure=True)
    ['50']
    >>> figures_in("It met 4 times, 3 h each, in the 1990s.", "time")
    []
    """
    return [m[1] for m in SYMBOL_AFTER.finditer(text)
            if unit in symbol_names(m[2]) or measure and unit in symbol_measures(m[2])]


# a figure and its unit, in a symbol or a word, set against it, spaced or hyphenated:
# "+5V", "5 V", "12-volt", "30 days", "2,500 m", "3%"
_MEASURE = re.compile(r"(?<![\w.,])[+±−-]?(\d[\d,]*(?:\.\d+)?)(?:\s|-)?(°\s?[CF]|%|"
                      r"[^\W\d_]{1,12})(?![\w°])")


def is_symbol_of_measure(symbol: str, figure: str = "") -> bool:
    """Whether letters after a figure are the unit it is measured in: one pint knows,
    a capital letter alone only where its dimension is one questions ask for ("12V");
    not "3D"'s debye, nor a decade's "s" ("the 1990s").

    >>> [is_symbol_of_measure(s) for s in ("mA", "V", "days", "%", "m", "D", "x")]
    [True, True, True, True, True, False, False]
    >>> is_symbol_of_measure("s", "1990"), is_symbol_of_measure("s", "30")
    (False, True)
    """
    symbol = symbol.strip()
    if not symbol_names(symbol) or symbol == "s" and re.fullmatch(r"\d{4}", figure):
        return False
    return not (len(symbol) == 1 and symbol.isupper()) or bool(symbol_measures(symbol))


def measures(text: str) -> list[tuple[str, frozenset[str]]]:
    """The figures of text written with a unit pint knows, each as (the figure, written
    without its thousands' commas; the unit's stemmed names).

    >>> measures("Draws 50mA from the +12V rail, a 12-volt supply, in 30 days.")[1:]
    [('12', frozenset({'volt'})), ('12', frozenset({'volt'})), ('30', frozenset({'day'}))]
    >>> [(f, sorted(n)) for f, n in measures("It has 3 voices and 2,500 m of cable.")]
    [('2500', ['meter', 'metr'])]
    """
    return [(m[1].replace(",", ""), symbol_names(m[2])) for m in _MEASURE.finditer(text)
            if is_symbol_of_measure(m[2], m[1])]


def contrary_measure(asked: str, text: str) -> str | None:
    """A figure of `asked` with a unit ("the +5V rail") that `text` does not state while
    it states others in that unit ("+12V", "-12V"), or None. A figure `text` writes in
    that unit or with none, in digits or in words up to twelve, is not contrary ("from
    5 to 12 V", "ten days" for "the 10-day trial"); one in another unit is ("5mA" for
    "5V").

    >>> contrary_measure("How much does it draw from the +5V rail?", "5mA from the +12V rail")
    '5V'
    >>> contrary_measure("How much from the 12-volt rail?", "50mA from the +12V rail")
    >>> contrary_measure("Is it rated 5 volts?", "It takes from 5 to 12 V.")
    >>> contrary_measure("What is due within 60 days?", "It is due within 30 days.")
    '60 days'
    >>> contrary_measure("What takes only 0.5% of the power?", "It takes only 1% to 3% of it.")
    '0.5%'
    >>> contrary_measure("How long is the 10-day trial?", "It lasts ten days; refunds 14 days.")
    >>> contrary_measure("How do I print a 3D model?", "Turn the 2D sketch into a model.")
    """
    from .text import number_phrases

    if not (mine := [(m, symbol_names(m[2])) for m in _MEASURE.finditer(asked)
                     if is_symbol_of_measure(m[2], m[1])]):
        return None
    theirs = measures(text)
    # its figures written with no unit, in digits or words ("thirty days")
    bare = {n for n, _ in number_phrases(
        _MEASURE.sub(lambda m: " " if is_symbol_of_measure(m[2], m[1]) else m[0], text))}
    for m, names in mine:
        figure = m[1].replace(",", "")
        same = {f for f, n in theirs if names & n}
        if same and figure not in same and figure not in bare:
            return m[0].lstrip("+±−-")
    return None
