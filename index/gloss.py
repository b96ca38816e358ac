"""Where a text gives a term another name, or says what it means: "the stators (static
discs)", "isobaric (constant pressure) processes", "the firebox, also called the
combustion chamber". The other name is a noun phrase, read from spaCy's parts of speech
(`index.nlp.tokens`): a parenthesis that holds a unit, a place, a person, a date, an
amount, a condition, a list or a reference ("(in mm)", "(London)", "(optional)", "(see
Table 2)") names nothing.

A definition of its own, as contracts, licences and glossaries write one ("“Source Code
Form” means the form of the work preferred for making modifications."), is read by
`definitions`: the term set in quotes or bold, or opening a line or a sentence, then
"means", "shall mean", "is defined as" or "refers to".

Not handled: a gloss written as a sentence of another shape ("Isobaric processes keep
the pressure constant."), which the question's words find the usual way; a phrase of
more than five words in a parenthesis or after "also called"; a term whose other name is
a code ("error E42").
"""

from __future__ import annotations

import re

from .nlp import Token, entities, tokens
from .text import sentence_spans, stop_words
from .wordnet import known

MAX_WORDS = 5
# what opens a parenthesis that gives another name ("(i.e. static discs)", "(formerly
# Widget Corp)", "(hereinafter the Lessee)"), left out of it
_MARKER = re.compile(r"^(?:i\.\s?e\.,?|aka|a\.k\.a\.|also (?:called|known as)|known as|"
                     r"formerly|hereinafter(?: called| referred to as)?)\s+", re.IGNORECASE)
# after the term: ", also called", ", known as", "(also known as", "is sometimes referred
# to as", "is called"; a bare "called" is a verb ("The customer called the helpdesk"), so
# it needs an adverb or a copula before it ("is called twice" names nothing: what follows
# must be a noun phrase)
_CALLED = re.compile(r"^\s*,?\s*(?:(?:(?:is|are|was|were)\s+)?(?:also|sometimes|often|commonly|"
                     r"otherwise|usually|popularly|formerly)\s+(?:called|known as|referred to as|"
                     r"termed)|(?:is|are|was|were)\s+(?:called|known as|referred to as|termed)|"
                     r",\s*(?:known as|referred to as))\s+", re.IGNORECASE)
# "is called", "is known as" with no adverb: the name after it opens with "the" or none
# ("is called the pop valve", "is known as Auld Reekie"), never with another determiner
# ("is called every time", "was called a mistake"), nor is it owned ("the main loop's")
_BARE_COPULA = re.compile(r"^\s*,?\s*(?:is|are|was|were)\s+(?:called|known as|referred to as|"
                          r"termed)\s", re.IGNORECASE)
_NOT_NAMING = re.compile(r"(?:a|an|every|each|any|some|no|this|that|one|its|their|his|her)\b",
                         re.IGNORECASE)
_OWNED = re.compile(r"['’]s?\b")
# entities that are no other name for a term: where, who, when, how much
_NOT_NAMES = frozenset({"GPE", "LOC", "PERSON", "DATE", "TIME", "MONEY", "QUANTITY",
                        "PERCENT", "CARDINAL", "ORDINAL"})
_NAMING = frozenset({"NOUN", "PROPN", "ADJ"})
_QUOTES = "\"“”'‘’"


def glosses(text: str, term: str) -> list[tuple[int, int]]:
    """The spans of `text` that give `term` another name or say what it means.

    >>> t = 'The stators (static discs) are fixed; giving excessive compression ("kick back").'
    >>> [t[a:b] for a, b in glosses(t, "stators") + glosses(t, "excessive compression")]
    ['static discs', 'kick back']
    >>> t = "Heat addition and rejection are isobaric (constant pressure) processes."
    >>> [t[a:b] for a, b in glosses(t, "constant pressure") + glosses(t, "isobaric")]
    ['isobaric', 'constant pressure']
    >>> t = "The firebox, also called the combustion chamber, burns coal."
    >>> [t[a:b] for a, b in glosses(t, "firebox")]
    ['the combustion chamber']
    >>> [glosses(t, n) for t, n in [("Set the gap (in mm) first.", "gap"),
    ...     ("Send it to the head office (London).", "head office"),
    ...     ("Enable strict mode (recommended).", "strict mode"),
    ...     ("Connect it to the serial port (COM1).", "port"),
    ...     ("The longest bone in the body (femur) is strong.", "femur"),
    ...     ("The customer called the helpdesk.", "customer")]]
    [[], [], [], [], [], []]
    """
    words = _bare(term).split()
    if not words or not text.strip():
        return []
    last = words[-1]
    stem_ = last[:-1] if len(last) > 3 and last.lower().endswith("s") else last
    name = r"\s+".join([*map(re.escape, words[:-1]), re.escape(stem_) + r"(?:e?s)?"])
    out: list[tuple[int, int]] = []
    sentences: list[tuple[int, int]] = []
    for m in re.finditer(rf"(?<![\w-]){name}(?![\w-])", text, re.IGNORECASE):
        after = text[m.end():]
        paren = re.match(r"\s*\(([^()]{1,80})\)", after)
        called = None if paren else _CALLED.match(after)
        opened = re.search(rf"\(\s*[{_QUOTES}]?$", text[max(0, m.start() - 3):m.start()])
        closed = re.match(rf"[{_QUOTES}]?\s*\)", after)
        if not (paren or called or opened and closed):
            continue  # only a sentence that glosses it is tagged
        sentences = sentences or sentence_spans(text)
        a, b = next(((a, b) for a, b in sentences if a <= m.start() < b), (0, len(text)))
        toks = [Token(t.text, t.pos, t.start + a, t.end + a, t.tag) for t in tokens(text[a:b])]
        kinds = [(e.start + a, e.end + a, e.label) for e in entities(text[a:b])]
        if paren:
            if _inside_longer_name(toks, m.start()):
                continue  # "port" of "the serial port (COM1)"
            span = _inside(text, m.end() + paren.start(1), m.end() + paren.end(1), toks, kinds)
        elif called:
            span = _phrase_after(m.end() + called.end(), toks, kinds)
            if span is not None and _BARE_COPULA.match(called.group(0)) and (
                    _NOT_NAMING.match(text, span[0]) or _OWNED.match(text, span[1])):
                span = None  # "is called every time", "was called a mistake by analysts",
                # "is called the main loop's handler": a verb's passive, or a judgement
        else:
            before = text[:m.start()].rstrip().rstrip(_QUOTES).rstrip()[:-1].rstrip()
            span = _phrase_before(before, toks)
        if span is not None and _names_otherwise(text[span[0]:span[1]], term):
            out.append(span)
    return out


# the verb of a definition, after the term and its closing quote or bold (and another
# name it goes by, in brackets: "“You” (or “Your”) means"): "” means", "**: means",
# "” shall mean", "refers to", "is defined as"; not "has the meaning given in Section 2",
# which sends the reader elsewhere. Each blank run is read once (no two `\s*` side by
# side: a run of spaces after a term would be read over and over).
DEFINES = re.compile(r"[”\"’']?\**(?:\s*\([^()\n]{1,60}\)\**)?(?:\s*[:,])?\s*"
                     r"(?P<verb>(?:shall\s+)?means?|refers?\s+to|(?:is|are)\s+defined\s+as)"
                     r"\s+", re.I)
# what sets a term off as the one defined: an opening quote or bold right before it, or
# the start of a line or a sentence (after a clause's number: "1.13. ", "(a) ")
_QUOTED = re.compile(r"(?:[“\"‘']|\*\*)[ \t]*$")
_OPENS = re.compile(r"(?:^|\n|[.;:]\s)\s*(?:\(?[\dA-Za-z]{1,3}(?:\.\d+)*[.)]\s+)?(?:\*\*)?"
                    r"(?:the\s+(?:term\s+)?)?$", re.I)
# a term quoted in a question about it, not defined: "what the “Contributor Version”
# means is explained below", "He asked what 'home' means to her"
_ASKED_ABOUT = re.compile(r"\b(?:what|how|whether|why)\s+(?:the\s+|a\s+|an\s+)?(?:[“\"‘']|\*\*)"
                          r"[ \t]*$", re.I)
MAX_DEFINITION = 400


def definitions(text: str, term: str) -> list[tuple[int, int]]:
    """The spans of `text` that define `term` in a definition of its own: the words
    after "means" (or "shall mean", "is defined as", "refers to") that follow the term
    set in quotes or bold, or opening a line or a sentence (not for "refers to": "Henry
    refers to his father as a tyrant"), to the end of that sentence (at most
    MAX_DEFINITION characters).

    >>> t = "1.13. “Source Code Form”\\n    means the form of the work preferred for editing."
    >>> [t[a:b] for a, b in definitions(t, "source code form")]
    ['the form of the work preferred for editing']
    >>> t = 'In this policy, "Customer Data" shall mean any data you upload. It is yours.'
    >>> [t[a:b] for a, b in definitions(t, "customer data")]
    ['any data you upload']
    >>> t = "1.14. “You” (or “Your”)\\n    means an individual exercising rights."
    >>> [t[a:b] for a, b in definitions(t, "you")]
    ['an individual exercising rights']
    >>> definitions("Using the Covered Software means nothing to him.", "covered software")
    []
    >>> definitions("What the “Contributor Version” means is explained below.",
    ...             "contributor version"), definitions("Henry refers to his father.", "henry")
    ([], [])
    >>> definitions('“Data” has the meaning given in Section 2.', "data")
    []
    """
    words = _bare(term).split()
    if not words or not text.strip():
        return []
    name = r"\s+".join(map(re.escape, words))
    out: list[tuple[int, int]] = []
    sentences: list[tuple[int, int]] = []
    for m in re.finditer(rf"(?<![\w-]){name}(?![\w-])", text, re.IGNORECASE):
        if (verb := DEFINES.match(text, m.end())) is None:
            continue
        lo = max(0, m.start() - 40)
        if _QUOTED.search(text, lo, m.start()):
            if _ASKED_ABOUT.search(text, lo, m.start()):
                continue
        elif verb.group("verb").lower().startswith("refer") \
                or not _OPENS.search(text, lo, m.start()):
            continue
        sentences = sentences or sentence_spans(text)
        end = next((b for a, b in sentences if a <= verb.end() < b), len(text))
        end = min(end, verb.end() + MAX_DEFINITION)
        while end > verb.end() and text[end - 1] in " \n\t.;:":
            end -= 1
        if end > verb.end():
            out.append((verb.end(), end))
    return out


def trimmed_terms(term: str) -> list[str]:
    """The term, and, for one said "of" something, the words before: "the source code
    form of a work" is defined as "Source Code Form". Only a head of two words or more
    ("state of emergency" is not "state").

    >>> trimmed_terms("source code form of a work"), trimmed_terms("state of emergency")
    (['source code form of a work', 'source code form'], ['state of emergency'])
    """
    head = re.split(r"\s+of\s+", term, maxsplit=1)[0].strip()
    return [term, head] if head != term and len(_bare(head).split()) >= 2 else [term]


def explained(text: str, term: str) -> list[tuple[int, int]]:
    """The spans of `text` that give `term` another name (`glosses`) or define it
    (`definitions`), for the term as asked or its head (`trimmed_terms`), whichever
    text explains first.

    >>> t = "1.13. “Source Code Form”\\n    means the form of the work preferred for editing."
    >>> [t[a:b] for a, b in explained(t, "the source code form of a work")]
    ['the form of the work preferred for editing']
    """
    for t in trimmed_terms(term):
        if spans := glosses(text, t) or definitions(text, t):
            return spans
    return []


def _tokens_in(toks: list[Token], lo: int, hi: int) -> list[Token]:
    return [t for t in toks if lo <= t.start and t.end <= hi]


def _inside_longer_name(toks: list[Token], start: int) -> bool:
    """Whether the word before `start` describes what follows as part of one name ("the
    serial port": "serial")."""
    before = [t for t in toks if t.end <= start]
    return (bool(before) and before[-1].pos in _NAMING and before[-1].end >= start - 1
            and before[-1].tag not in ("JJR", "JJS")  # not "more rotors"
            and before[-1].text.lower() not in stop_words())


def _unnamed(kinds: list[tuple[int, int, str]], lo: int, hi: int) -> bool:
    """Whether the sentence's entities make the words from `lo` to `hi` a place, a
    person, a date or an amount, which name no term."""
    return any(a < hi and lo < b and label in _NOT_NAMES for a, b, label in kinds)


def _inside(text: str, lo: int, hi: int, toks: list[Token],
            kinds: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The other name a parenthesis after the term holds, or None."""
    inside = text[lo:hi]
    lead = len(inside) - len(inside.lstrip())
    inside = inside.strip()
    lo += lead
    if (marker := _MARKER.match(inside)) is not None:
        lo, inside = lo + marker.end(), inside[marker.end():]
    quoted = inside[:1] in _QUOTES and inside[-1:] in _QUOTES
    if quoted:  # a name given in quotes ('("kick back")') is one, whatever its words
        lo, inside = lo + 1, inside[1:-1]
    hi = lo + len(inside)
    if (not inside or re.search(r"[\d:;,]|\b(?:and|or)\b", inside)
            or len(inside.split()) > MAX_WORDS):
        return None
    if inside.isupper() and len(inside) <= 6:
        return None  # initials are the abbreviation's path, not another name
    phrase = _tokens_in(toks, lo, hi)
    if quoted:
        return (lo, hi) if phrase else None
    words = [w.lower() for w in re.findall(r"[\w'’-]+", inside)]
    if (len(inside) < 4 or not phrase or any(w in stop_words() for w in words[1:])
            or not _noun_phrase(phrase) or _unnamed(kinds, lo, hi)):
        return None  # "(s)", "(Nm)", "(you)", "(optional)", "(London)"
    if len(words) == 1 and inside.islower() and not known(inside, "n"):
        return None  # "(clockwise)": the tagger takes a word alone for a noun
    return lo, hi


def _noun_phrase(phrase: list[Token]) -> bool:
    """Whether words are a noun phrase: a determiner maybe, then nouns, names,
    adjectives and participles ("rotating discs"), the last a noun or a name, not an
    adjective or a participle ("(optional)", "(recommended)")."""
    if phrase[0].pos == "DET":
        phrase = phrase[1:]
    return (bool(phrase) and all(t.pos in _NAMING or t.tag in ("VBN", "VBG")
                                 or t.text in "-'’" for t in phrase[:-1])
            and phrase[-1].pos in ("NOUN", "PROPN") and phrase[-1].tag not in ("VBN", "VBG"))


def _phrase_after(lo: int, toks: list[Token],
                  kinds: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The noun phrase that begins at `lo` ("the combustion chamber because ...": "the
    combustion chamber"), or None."""
    after = [t for t in toks if t.start >= lo]
    phrase: list[Token] = []
    for t in after:
        if t.pos == "DET" and not phrase or t.pos in ("NOUN", "PROPN", "ADJ") or \
                t.text in "-" and phrase:
            phrase.append(t)
        else:
            break
    while phrase and phrase[-1].pos not in ("NOUN", "PROPN"):
        phrase.pop()
    if not phrase or phrase[-1].pos == "DET" or len(phrase) > MAX_WORDS + 1:
        return None
    rest = after[len(phrase):]
    if rest and rest[0].text.lower() == "of":
        tail = rest[2:] if len(rest) > 1 and rest[1].text.lower() == "the" else rest[1:]
        if not (phrase[-1].text[:1].isupper() and tail and tail[0].text[:1].isupper()):
            return None  # "a hub of trade": a longer phrase than a name, cut short
        return phrase[0].start, tail[0].end  # "the City of Light": a name of its own
    if _unnamed(kinds, phrase[0].start, phrase[-1].end):
        return None
    return phrase[0].start, phrase[-1].end


def _phrase_before(before: str, toks: list[Token]) -> tuple[int, int] | None:
    """The noun phrase that ends `before` (the text before a parenthesis holding the
    term: "high blood pressure (hypertension)"), or None where it may be part of a
    longer one ("the longest bone in the body (femur)") or is only a word for its kind
    ("this error (E42)")."""
    end = len(before)
    prior = [t for t in toks if t.end <= end]
    phrase: list[Token] = []
    for t in reversed(prior):
        if t.pos in _NAMING and t.tag not in ("VBN", "VBG") or t.text in "-" and phrase:
            phrase.insert(0, t)
        else:
            break
    if not phrase or len(phrase) > MAX_WORDS:
        return None
    rest = prior[: len(prior) - len(phrase)]
    opener = rest[-1] if rest else None
    if opener is not None and opener.pos == "DET":
        if len(phrase) == 1 and phrase[0].pos == "NOUN":
            return None  # "this error (E42)", "the chairman (CEO)": its kind, not its name
        opener = rest[-2] if len(rest) > 1 else None
    if opener is not None and (opener.pos in ("ADP", "VERB", "PART")
                               or opener.text.lower() not in stop_words()
                               and opener.pos not in ("PUNCT", "CCONJ", "AUX", "SCONJ")):
        return None  # "in the body (femur)", "lowers raised blood pressure (...)"
    return phrase[0].start, phrase[-1].end


def _bare(words: str) -> str:
    """The words without their quotes and articles."""
    return " ".join(w for w in words.strip(_QUOTES).split()
                    if w.lower() not in ("a", "an", "the"))


def _names_otherwise(other: str, term: str) -> bool:
    """Whether `other` is another name than the term itself ("the Policy" for "policy"
    is the same)."""
    mine, theirs = _bare(term).casefold(), _bare(other).casefold()
    return theirs not in (mine, mine.rstrip("s"), mine + "s")


__all__ = ["DEFINES", "definitions", "explained", "glosses", "trimmed_terms"]
