"""Text primitives, one of each: script, words, negation, numbers, names, sentences,
clauses.

- Script: `is_chinese` (a CJK ideograph anywhere).
- Words: `terms` are the BM25 keywords of the index and of a query (hyphenated
  compounds kept whole and also split into parts, repeats kept); `content_terms` are
  the words questions, evidence and answers are compared by (compounds whole, so
  "Beijing-Tianjin-Hebei" does not count as a mention of "Hebei"; repeats dropped).
  Both are lower-cased, stemmed by `stem` (Snowball's English stemmer, so "engines"
  and "engine" meet) and filtered by the one stop list,
  `stop_words`; words of any script count (Kraków, São Paulo), CJK characters are
  never BM25 keywords (Chinese is matched through the multilingual embedder).
- Negation: `negated` ("not", "never", "n't", ...; wide: also "lacks", "-less"), and
  `opposed` (a word whose opposite a text has instead: "least" and "most").
- Numbers: `NUMBER` and `numbers` (digits), `number_phrases` (a number with the words
  after it, digits or a word up to twelve), normalised by `norm_number`;
  `contrary_figure` (a year, decade, century or ordinal of one text that another
  contradicts).
- Names: `entities` (capitalised words and acronyms), `mentions` (a name as a word of
  its own, or one of a `Name`'s aliases), `acronym` and `dotted` ("US", "U.S."),
  `recall_of` (the share of one text's words in another).
- Sentences: `sentence_spans`, spaCy's rule-based sentencizer over its English
  tokenizer, whose exceptions keep abbreviations whole ("U.S.", "Dr.", "c. 1,300,000",
  "5 p.m."), plus a break at each line end (except after a colon). No model is
  needed; documents are split once, when the index is built, and the spans are
  stored with it (`Index.chunk_sentences`, `Index.paragraph_spans`).
- Clauses: `clause_spans`, a span cut at the semicolons outside brackets.

>>> terms("Tianjin's 43 water-damage repair projects")
['tianjin', '43', 'water-damag', 'water', 'damag', 'repair', 'project']

Not handled: real morphology or Chinese word segmentation; sentence boundaries
inside a line that has no final punctuation.
"""

from __future__ import annotations

import functools
import os
import re
import threading
import unicodedata
from collections.abc import Iterable

__all__ = ["CJK", "NUMBER", "ORDINAL_WORDS", "PIECE", "WORD", "Name", "acronym",
           "clause_spans", "content_terms", "dotted", "contrary_figure", "contrary_letter",
           "contrary_number", "entities", "is_chinese", "kept_from", "mentions", "negated",
           "norm_number", "number_phrases", "numbers", "opposed", "pieces", "recall_of",
           "same_word", "sentence_spans", "stem", "stemmer_version", "stop_words",
           "swapped_figure", "terms", "unaccented", "words"]

# --- script ---------------------------------------------------------------------------

CJK = re.compile(r"[\u3400-\u9fff]")


def is_chinese(text: str) -> bool:
    """Whether text holds a CJK ideograph."""
    return bool(CJK.search(text))


# --- words ----------------------------------------------------------------------------

_L = r"[^\W\d_]"  # a letter of any script
# letters and digits of any script but CJK, joined by - ' ’ . ; or one CJK character
WORD = re.compile(r"(?:(?![\u3400-\u9fff])[^\W_])+(?:[-'’.](?:(?![\u3400-\u9fff])[^\W_])+)*"
                  r"|[\u3400-\u9fff]")
# General English stop words (spaCy's list), less the words that carry a question's
# meaning (order, number, time relations: "the first", "before 1900", "three"), plus
# the words that frame a question about documents ("according to the text").
_KEEP = set("""first third last former latter next one two three four five six eight nine ten
    eleven twelve fifteen twenty forty fifty sixty hundred before after during since until
    above below top bottom front back full empty serious part side whole more most less least
    few""".split())
_FRAMING = set("""according mentioned tell says said kind type number article document
    documents text passage passages""".split())


@functools.cache
def stop_words() -> frozenset[str]:
    """The stop words (imported on first use: spaCy takes about 2 s to import)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset((set(STOP_WORDS) - _KEEP) | _FRAMING)


@functools.lru_cache(maxsize=1 << 16)
def stem(w: str) -> str:
    """Snowball's English stemmer (PyStemmer), after the possessive: "projects" ->
    "project", "engines" and "engine" -> "engin", "cities" and "city" -> "citi"."""
    w = w.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if "." in w or any(c.isdigit() for c in w):  # "u.s", "g20": abbreviations and codes
        return w
    return _stemmer().stemWord(w)


def stemmer_version() -> str:
    """What `stem` is, as an index records it: an index whose BM25 terms another
    Snowball release stemmed does not match this one's queries."""
    import Stemmer

    return f"snowball-english {Stemmer.version()}"


_LOCAL = threading.local()


def _stemmer():
    """This thread's stemmer (a PyStemmer object is not safe to share between threads)."""
    s = getattr(_LOCAL, "stemmer", None)
    if s is None:
        import Stemmer

        s = _LOCAL.stemmer = Stemmer.Stemmer("english")
    return s


def words(text: str) -> list[str]:
    """The words of text as written; each CJK character is a word."""
    return WORD.findall(text)


def terms(text: str) -> list[str]:
    """BM25 keywords: stemmed non-stopwords in order, repeats kept, a hyphenated
    compound followed by its parts, no CJK."""
    stop = stop_words()
    out = []
    for w in words(text.lower()):
        w = w.strip(".'’")
        if not w or w in stop or CJK.match(w):
            continue
        out.append(stem(w))
        if "-" in w:
            out += [stem(p) for p in w.split("-") if p and p not in stop]
    return out


def content_terms(text: str) -> list[str]:
    """Stemmed non-stopwords, in order, duplicates removed; a number written as a word
    is its digits, so "a timeout of 0" and "a timeout value of zero" meet ("one" stays a
    word: "which one" is no "Disk 1").

    >>> content_terms("A timeout of 0 means three retries for one of them")
    ['timeout', '0', 'mean', '3', 'retri', 'one']
    """
    out: list[str] = []
    stop = stop_words()
    for w in words(text):
        lw = w.lower()
        lw = _AS_DIGITS.get(lw, lw)
        if lw in stop or len(lw) < 2 and not (lw.isdigit() or CJK.match(lw)):
            continue
        s = stem(lw)
        if s not in out:
            out.append(s)
    return out


def same_word(a: str, b: str) -> bool:
    """The same stemmed word, or one inflected or misspelt ("know" for "known", "valv"
    for "valve"): a shared beginning of at least 4 letters and 80% of the shorter word.
    British and American spellings of "-re" words are one ("metr" for "meter").

    >>> same_word("meter", "metr"), same_word("kilometer", "kilometr"), same_word("fibr", "fiber")
    (True, True, True)
    >>> same_word("electr", "electrifi"), same_word("centr", "central"), same_word("metr", "mete")
    (True, True, False)
    """
    n = len(os.path.commonprefix([a, b]))
    if a == b or n >= 4 and n >= 0.8 * min(len(a), len(b)):
        return True
    if b.endswith(("ter", "ber")) and _BRITISH_RE.search(a):
        return _BRITISH_RE.sub(r"\1er", a) == b
    if a.endswith(("ter", "ber")) and _BRITISH_RE.search(b):
        return _BRITISH_RE.sub(r"\1er", b) == a
    return False


# the stem of a British "-re" word ("metres", "centre", "fibre" -> "metr", "centr", "fibr")
_BRITISH_RE = re.compile(r"(?<=[a-z])([bt])r$")


def recall_of(a: str, b: str) -> float:
    """Share of a's content terms that occur in b."""
    return share_in(content_terms(a), b)


def share_in(stems: Iterable[str], text: str, names: Iterable[str] = ()) -> float:
    """Share of content terms already stemmed (a `Question`'s) that occur in text. Not
    `recall_of` over the stems joined: stemming a stem again changes it ("releas" ->
    "relea", "diseas" -> "disea") or drops it as a stop word ("call"), and the word
    then never matches. A name of `names` (the question's, with their aliases) that text
    calls by another of its names counts with its own words: "The SRC is capped at 10
    members." says "Security Response Committee" where the document spells it out once.

    >>> share_in(content_terms("When was the disease released?"), "The disease was released.")
    1.0
    >>> recall_of(" ".join(content_terms("When was the disease released?")), "The disease was released.")
    0.0
    >>> src = Name("Security Response Committee", ["SRC"])
    >>> share_in(content_terms("How large is the Security Response Committee?"),
    ...          "The SRC is capped at 10 members.", [src])
    0.75
    """
    want = set(stems)
    if not want:
        return 0.0
    got = want & set(content_terms(text))
    for name in names:
        if getattr(name, "aliases", ()) and not want <= got and mentions(text, name):
            got |= want & set(content_terms(name))
    return len(got) / len(want)


# --- negation -------------------------------------------------------------------------

# words that deny; "no more than", "not only" and "whether or not" do not
_NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|without|cannot)\b|n[’']t\b",
                       re.IGNORECASE)
_NOT_NEGATION = re.compile(r"\bnot only\b|\bor not\b|\bno (?:more|less|fewer|later|earlier|"
                           r"sooner)\b", re.IGNORECASE)
# a passage also denies with "lack", "fail to", "instead of", "less", words that refuse
# or forbid ("the refusal to allow ...") and one-word negatives ("pistonless",
# "non-specific", "unable")
_NEGATION_WIDE = re.compile(r"\b(?:lacks?|lacked|lacking|absent|absence|fail(?:s|ed)?|unable|"
                            r"incapable|impossible|"
                            r"instead|rather than|less|nothing|nobody|nowhere|"
                            r"refus(?:e|es|ed|ing|al)|forb(?:id|ids|ade|idden|idding)|"
                            r"prohibit\w*|ban(?:s|ned|ning)?|disallow\w*|den(?:y|ies|ied|ial))\b|"
                            # "with the extension removed" says "without the extension"
                            r"\bwith (?:the |its |their |a |an )?(?:[\w-]+ ){0,2}?(?:removed|"
                            r"stripped|omitted|dropped|taken out|left out)\b",
                            re.IGNORECASE)
# a passage that sets something aside answers what is not so ("all members except the
# chair"); not counted as a denial elsewhere: a question with "other than" or "excluding"
# still asks what is so
EXCEPTING = re.compile(r"\b(?:except|excepting|with the exception of|exclud(?:e|es|ed|ing)|"
                       r"other than|apart from)\b", re.IGNORECASE)
# a word that denies its own stem: "pistonless", "non-self", "nonspecific"
_NEGATIVE_WORD = re.compile(r"\b(?:([^\W\d_]{3,})less|non-?([^\W\d_]{3,}))\b", re.IGNORECASE)


# a question also asks what is not so with a word that says something cannot be or was
# not done: "What are bacteria unable to secrete?", "What do unicellular organisms
# lack?" (not "a lack of", a noun)
_ASKED_NEGATIVE = re.compile(r"\b(?:unable|incapable|impossible|fail(?:s|ed|ing)? to|"
                             r"lack(?:s|ed|ing)?\b(?! of\b))", re.IGNORECASE)
# what such a word may sit in without being what is asked: a quotation (an error message:
# "Unable to locate package"), a condition ("if the pump fails to start"), a relative
# clause that describes ("an engine that lacks pistons")
_ASIDE = re.compile(r"([\"“'‘])[^\"“”'‘’]*[\"”'’]|\b(?:if|when|whenever|unless)\b[^,?]*|"
                    r"\b(?:that|which|who|whose)\b(?:\s+\w+){0,2}?\s+(?=(?:unable|incapable|"
                    r"impossible|fail|lack))\w+", re.IGNORECASE)
# a question after a reason or a cause: one for a failure is stated without a denial
_REASON = re.compile(r"\b(?:why|reasons?|causes?|caused|because)\b", re.IGNORECASE)


def asks_negative(question: str) -> bool:
    """Whether a question asks about what is not so: it denies ("What is not a cause
    ...?"), or says that something cannot be or was not done ("What are bacteria unable
    to secrete?"). Such a word in a quotation (an error message), a condition ("What
    should I do if the pump fails to start?") or a clause that describes ("an engine
    that lacks pistons") does not count, nor in a question after a reason or a cause
    ("Why might a file fail to decompress?"), which is stated without a denial.

    >>> asks_negative("What are bacteria unable to secrete?"), asks_negative("What do they secrete?")
    (True, False)
    >>> asks_negative("Why might a file fail to decompress?"), asks_negative("Why is it not used?")
    (False, True)
    >>> asks_negative("How do I fix 'Unable to locate package'?"), asks_negative("What do I do "
    ...     "if the pump fails to start?"), asks_negative("What seals an engine that lacks pistons?")
    (False, False, False)
    """
    if negated(question):
        return True
    if _REASON.search(question):
        return False
    return _ASKED_NEGATIVE.search(_ASIDE.sub(" ", _NOT_NEGATION.sub(" ", question))) is not None


def negated(text: str, wide: bool = False, asked: str | None = None) -> bool:
    """Whether text denies something; `wide` also counts the ways a passage denies
    besides "not" and "no". With `asked` (a question), a word that denies its own stem
    ("pistonless", "non-self") counts only when the question has that stem: it answers
    "a rotary engine without pistons", not "What immune response is not specific?".

    >>> negated("What is not a cause of tumor antigens?"), negated("What causes them?")
    (True, False)
    >>> negated("Not only steam but also water"), negated("no more than 20 people")
    (False, False)
    >>> negated("a pistonless rotary engine"), negated("a pistonless rotary engine", wide=True)
    (False, True)
    >>> negated("a pistonless engine", True, "an engine without pistons?"), \\
    ...     negated("self and non-self", True, "What is not specific?")
    (True, False)
    >>> negated("The crown's refusal to allow non-Catholics to settle", True, "Who was not?")
    True
    """
    text = _NOT_NEGATION.sub(" ", text)
    if _NEGATION.search(text) or wide and _NEGATION_WIDE.search(text):
        return True
    if not wide:
        return False
    have = None if asked is None else set(content_terms(asked))
    return any(have is None or stem((m.group(1) or m.group(2)).lower()) in have
               for m in _NEGATIVE_WORD.finditer(text))


_DENIED = re.compile(r"(?:\b(?:not|never|cannot)|n[’']t)((?:\s+[^\W\d_][\w'’-]*){1,3})",
                     re.IGNORECASE)


# what stands between "not" and the word it denies: "should not be used", "is not
# always needed", "tells it not to delete", "not in the list" (the list)
_BEFORE_DENIED = frozenset("be been being is are was were have has had get got ever always "
                           "specifically really even yet also quite necessarily usually "
                           "generally normally the a an to in on at of for with from by all "
                           "any very just so too much many only do does did".split())


# a verb that keeps something from being done ("prevent T cells from responding"), or
# says it is not done ("fails to start", "unable to bind"): what is kept or not done
_KEPT_FROM = re.compile(r"\b(?:prevent(?:s|ed|ing)?|stop(?:s|ped|ping)?|keep(?:s|ing)?|kept|"
                        r"prohibit(?:s|ed|ing)?|bar(?:s|red|ring)?|block(?:s|ed|ing)?|"
                        r"inhibit(?:s|ed|ing)?|restrain(?:s|ed|ing)?|forbid(?:s|ding)?|forbade)"
                        r"\s+(?:[\w'’-]+\s+){1,4}?from\s+((?-i:[a-z]+ing))\b|"
                        r"\b(?:fail(?:s|ed|ing)?|unable|refus(?:e|es|ed|ing))\s+to\s+([^\W\d_]+)",
                        re.IGNORECASE)
# a denial just before it lifts it: "never fails to start", "nothing stops you from trying"
_DENIAL_BEFORE = re.compile(r"(?:\b(?:not|never|no|nothing|nobody|cannot)\b|n[’']t)\W+"
                            r"(?:[\w'’-]+\W+){0,2}$", re.IGNORECASE)


def kept_from(text: str) -> set[str]:
    """The stems of what text says is kept from being done, or is not done ("prevent T
    cells from responding", "the pump failed to start"); not after a denial ("never
    fails to start").

    >>> sorted(kept_from("Drugs prevent T cells from responding. The pump failed to start."))
    ['respond', 'start']
    >>> kept_from("It never fails to start. Stop the train from Reading.")
    set()
    """
    return {stem((m.group(1) or m.group(2)).lower()) for m in _KEPT_FROM.finditer(text)
            if not _DENIAL_BEFORE.search(text[max(0, m.start() - 40):m.start()])}


def denied(text: str) -> set[str]:
    """The stems of what text denies with "not", "never" or "-n't": the first content
    word after each ("should specifically not use" denies "use", "is not caused by"
    "caus"); and what it says is kept from being done, or not done (`kept_from`).

    >>> sorted(denied("You should specifically not use -funroll-loops. It isn't cached."))
    ['cach', 'use']
    >>> denied("Silk was not introduced into France till the reign of Charles IX.")
    set()
    >>> sorted(denied("Normal cells are not recognized and attacked by NK cells."))
    ['attack', 'recogn']
    >>> sorted(denied("He was not embalmed and buried at sea."))
    ['embalm']
    """
    text = _NOT_NEGATION.sub(" ", text)
    out = kept_from(text)
    for m in _DENIED.finditer(text):
        if _NOT_UNTIL.match(text, m.end()):
            continue  # "not introduced till the reign of Charles IX": it was, then
        word = next((w for w in m.group(1).split() if w.lower() not in _BEFORE_DENIED), None)
        if word:
            out.add(stem(word.lower()))
            # and a participle joined to it: "not recognized and attacked" denies both
            at = m.start(1) + m.group(1).index(word) + len(word)
            if word.lower().endswith("ed") and (joined := _JOINED_DEED.match(text, at)):
                out.add(stem((joined.group(1) or joined.group(2)).lower()))
    return out


# a second participle that one "not" denies with the first: "not recognized or attacked",
# and with "and" where one agent does both ("not recognized and attacked by NK cells";
# "was not embalmed and buried at sea" says he was buried)
_JOINED_DEED = re.compile(r"\s+(?:(?:or|nor)\s+([^\W\d_]+ed)\b|and\s+([^\W\d_]+ed)\s+by\b)",
                          re.I)


# "not ... until/till" in one clause says when something happened, and denies nothing
_NOT_UNTIL = re.compile(r"[^.;:!?]{0,80}?\b(?:until|till)\b", re.IGNORECASE)


# words of general English that order, rank or place, and their opposites: a question
# about "the last" of something is not answered by a passage that names only "the
# first". Verbs and nouns of many senses (open/close, rise/fall, start/end) are left
# out, and so are the compass points, which name places ("North Carolina"). So are the
# verbs that change an amount or a setting (increase/reduce, enable/disable): a text says
# the same with other verbs ("cut the dose", "cache_enabled = false"), of other objects.
_OPPOSITES = """first:last earliest:latest early:late most:least largest:smallest
biggest:smallest highest:lowest high:low more:less greater:lesser before:after
major:minor maximum:minimum inside:outside internal:external upper:lower older:newer
oldest:newest longer:shorter longest:shortest larger:smaller strong:weak
stronger:weaker strongest:weakest same:different above:below success:failure
successful:unsuccessful positive:negative""".split()
_OPPOSITE_OF: dict[str, set[str]] = {}
for _a, _b in (pair.split(":") for pair in _OPPOSITES):
    _OPPOSITE_OF.setdefault(_a, set()).add(_b)
    _OPPOSITE_OF.setdefault(_b, set()).add(_a)


# the statistics of a set of values, each with the words a text may say it with: the
# peak rate is not answered by "an average of 4.71K requests per second", but "the
# maximum speed" is by "a top speed of 320 km/h" (a question's "mean" may be the verb,
# so only the first word of each group is one a question asks with)
_STATISTICS = (("average", "mean", "median", "typical"),
               ("peak", "maximum", "highest", "top", "record"),
               ("minimum", "lowest"))
_STATISTIC_ASKED = {w: i for i, g in enumerate(_STATISTICS) for w in g
                    if w not in ("mean", "typical", "top", "record")}


def _other_statistic(asked: list[str], said: set[str]) -> str | None:
    """A statistic the question asks for (its word) of which text says no word while it
    says another's; None when it names none or its own."""
    for w in asked:
        if (i := _STATISTIC_ASKED.get(w)) is not None and not said & set(_STATISTICS[i]) \
                and any(said & set(g) for k, g in enumerate(_STATISTICS) if k != i):
            return w
    return None


# words that order what follows them: "before the war" is answered by no passage that
# says only "after the war", but "How long will it last before it expires?" is by "it
# expires three years after publication" (another thing follows there: no order swapped);
# nor is "Which RFC first introduced contributors?" one about "the last significant change"
_ORDERING = frozenset({"before", "after", "first", "last"})


def _orders_other(asked: str, word: str, text: str, opposite: set[str]) -> bool:
    """Whether each opposite of `word` in text orders something else than `word` does in
    the question: none of the content words after it (up to five) is one of those after
    `word` in the question."""
    def after(s: str, w: str) -> list[set[str]]:
        return [set(content_terms(m.group(1)))
                for m in re.finditer(rf"\b{w}\b((?:\W+[^\W\d_]+){{1,5}})", s, re.I)]

    mine = set().union(*after(asked, word))
    if any(re.search(rf"\b{o}\s*(?:[.,;:!?)]|$)", text, re.I) for o in opposite):
        return False  # an opposite that ends its clause ("He came last.") orders nothing else
    return bool(mine) and not any(mine & theirs for o in opposite for theirs in after(text, o))


# a limit as statutes and labels write it: "a fine not exceeding 3 million" is the
# maximum, "not less than 30 days" the minimum
_AT_MOST = re.compile(r"\b(?:not|never) (?:to )?exceed(?:ing)?\b|\b(?:no|not) (?:be )?(?:more|greater|"
                      r"longer|higher) than\b|\bat (?:the )?most\b|\bup to(?= (?:a |an )?\d)", re.I)
_AT_LEAST = re.compile(r"\b(?:no|not) (?:be )?(?:less|fewer|shorter|lower) than\b|\bat (?:the )?least\b",
                       re.I)
# and as a count writes it: "two or more users" is the minimum, "30 days or less" the
# maximum (a figure, at most one word, then "or" and the comparative)
_FIGURE_WORD = (r"(?:(?<![\d,.])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)|\b(?i:one|two|three|"
                r"four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
                r"fifty|hundred|thousand|million))")
_OR_LESS = re.compile(_FIGURE_WORD + r"(?:\s+[a-z]+)?\s+or\s+(?i:fewer|less|lower|shorter|younger|"
                      r"below|under)\b")
_OR_MORE = re.compile(_FIGURE_WORD + r"(?:\s+[a-z]+)?\s+or\s+(?i:more|greater|higher|longer|older|"
                      r"above|over)\b")


def as_limits(text: str, of: Iterable[str] | None = None) -> str:
    """text with each limit written as the word for it ("a fine not exceeding 3 million":
    "a fine maximum 3 million"); with `of` (stems), only a limit that follows one of
    them within four words ("the fine ... not exceeding", not "register up to 30 days"
    for the minimum age), or, written as a count, that counts one ("two or more users",
    "30 days or less").

    >>> as_limits("a fine not exceeding 3 million, for not less than 30 days, up to 5 g")
    'a fine maximum 3 million, for minimum 30 days, maximum 5 g'
    >>> as_limits("Its members shall not be less than (three).")
    'Its members shall minimum (three).'
    >>> as_limits("Vote from 18. Register up to 30 days before; a fine up to 5 euros.", ["fine"])
    'Vote from 18. Register up to 30 days before; a fine maximum 5 euros.'
    >>> as_limits("a group of two or more users, kept 30 days or less", ["user"])
    'a group of minimum users, kept 30 days or less'
    >>> as_limits("kept 30 days or less, for 1,000 or more users", ["day"])
    'kept maximum, for 1,000 or more users'
    """
    def limit(word: str, counted: bool = False):
        def sub(m: re.Match) -> str:
            if of is None:
                return word
            if counted:  # what is counted: the word in the count, or the two after it
                after = re.split(r"[.;!?]\s", text[m.end():m.end() + 30])[0]
                near = re.findall(r"[^\W\d_]+", m.group(0))[:-2] + re.findall(
                    r"[^\W\d_]+", after)[:2]
            else:  # in its sentence, the four words before it
                lead = re.split(r"[.;!?]\s", text[max(0, m.start() - 60):m.start()])[-1]
                near = re.findall(r"[^\W\d_]+", lead)[-4:]
            return word if {stem(w.lower()) for w in near} & set(of) else m.group(0)
        return sub

    for pattern, word, counted in ((_AT_MOST, "maximum", False), (_AT_LEAST, "minimum", False),
                                   (_OR_LESS, "maximum", True), (_OR_MORE, "minimum", True)):
        text = pattern.sub(limit(word, counted), text)
    return text


def limits(text: str, counts: bool = True) -> set[str]:
    """The limits text states: "maximum" for "not exceeding", "no more than", "at most",
    "up to <figure>"; "minimum" for "at least", "not less than"; with `counts`, also as
    a count writes them, "30 days or less", "two or more users".

    >>> sorted(limits("up to 90 euros, at least 2 people")), limits("up to date")
    (['maximum', 'minimum'], set())
    >>> limits("18 years or older"), limits("one or more units", counts=False)
    ({'minimum'}, set())
    >>> limits("It was 30. Or more precisely 31."), limits("1," * 4000)
    (set(), set())
    """
    pairs = [("maximum", _AT_MOST), ("minimum", _AT_LEAST)]
    if counts:
        pairs += [("maximum", _OR_LESS), ("minimum", _OR_MORE)]
    return {w for w, p in pairs if p.search(text)}


# words that ask for the least of something, whose limit is a minimum ("the shortest
# sentence" is not answered by "not exceeding two years")
_DOWNWARD = re.compile(r"\b(?:least|fewest|smallest|shortest|lowest|cheapest|slowest|youngest|"
                       r"narrowest|lightest|thinnest|shallowest|minimum|min)\b", re.I)
# the words that ask for the least or the most of what follows them ("the maximum number
# of users": "users" too)
_EXTREME = re.compile(r"\b(?:minimum|maximum|min|max|least|most|fewest|smallest|largest|"
                      r"biggest|shortest|longest|lowest|highest|cheapest|greatest|youngest|"
                      r"oldest)\b((?:\W+(?!of\b)[^\W\d_]+){1,2}(?:\W+of\W+[^\W\d_]+)?)", re.I)


def asks_least(asked: str) -> bool:
    """Whether a question's ranking asks for the least of something."""
    return bool(_DOWNWARD.search(asked))


# "max" and "min" as a part of a setting's name: "min_search_length", "maxWorkers",
# "MAX_SIZE", "search_min", "--max-count" (not "10 min" of time, nor "MaxMind")
_SETTING_PREFIX = re.compile(r"(?<![^\W\d_])((?i:max|min)(?=_)|(?:max|min)(?=[A-Z][a-z])|"
                             r"(?<=--)(?:max|min)(?=-\w))|(?<=_)((?i:max|min))(?![^\W\d_])")
_SETTING_BOUND = {"max": "maximum", "min": "minimum"}


def outside_swapped(asked: str, text: str, names: Iterable[str]) -> str | None:
    """A name `asked` places something outside of ("staff outside the US") that text
    places only inside ("In the United States, ...": a `Name` by its aliases too), or
    the other way round, or one it goes from that text goes only to (or the other way
    round); the words as asked, or None.

    >>> us = Name("US", ["United States"])
    >>> outside_swapped("Who insures staff outside the US?", "In the United States, BCBS.", [us])
    'outside the US'
    >>> outside_swapped("Who insures staff in the US?", "Outside the US, staff use Cigna.", [us])
    'in the US'
    >>> outside_swapped("Who insures staff outside the US?", "In the US, BCBS; outside the US, "
    ...                 "Cigna.", [us]), outside_swapped("Who insures staff?", "In the US.", [us])
    (None, None)
    >>> outside_swapped("Who helps staff outside the US?", "Tell us what to put in us.", [us])

    So with a way from a place and one to it, after the same verb: "Who fled from
    southern Italy?" is not answered by "monks fled to southern Italy".

    >>> outside_swapped("Who fled from southern Italy?", "Monks fled to southern Italy.",
    ...                 [Name("Italy")])
    'from southern Italy'
    >>> outside_swapped("Who fled from Italy?", "They fled from Italy to Spain.", [Name("Italy")])
    >>> outside_swapped("What did he bring back from China?", "His journey to China lasted 24 "
    ...                 "years; he brought back silk.", [Name("China")])
    """
    for name in names:
        alt = _name_pattern((name, *getattr(name, "aliases", ()))).pattern
        # the name's own case rules kept ("US" in capitals: not "in us")
        inside = re.compile(rf"\b(?i:in|inside|within)\s+(?:(?i:the)\s+)?{alt}")
        outside = re.compile(rf"\b(?i:outside)\s+(?:(?i:of)\s+)?(?:(?i:the)\s+)?{alt}")
        for ask, other in ((outside, inside), (inside, outside)):
            if (m := ask.search(asked)) and other.search(text) and not ask.search(text):
                return m.group(0)
        # the same verb right before, and a region's word between ("fled from southern
        # Italy" against "fled to southern Italy"; not "brought back from China" against
        # "a journey to China")
        for ask, other in (("from", "to|into|towards?"), ("to|into|towards?", "from")):
            way = rf"\s+(?:(?i:the)\s+)?(?:[a-z]+ern\s+)?{alt}"
            mine = [(stem(m[1].lower()), m[0]) for m in
                    re.finditer(rf"\b([a-z]+)\s+(?i:{ask}){way}", asked)]
            theirs = {stem(m[1].lower()) for m in
                      re.finditer(rf"\b([a-z]+)\s+(?i:{other}){way}", text)}
            own = {stem(m[1].lower()) for m in
                   re.finditer(rf"\b([a-z]+)\s+(?i:{ask}){way}", text)}
            for verb, words in mine:
                if verb in theirs and verb not in own and verb not in stop_words():
                    return words.split(None, 1)[1]
    return None


def opposed(asked: str, text: str) -> str | None:
    """A word of `asked` whose opposite `text` has while it lacks the word itself
    ("the least abundant" against "the most abundant", "specific" against only
    "non-specific"), or None.

    >>> opposed("What is the least abundant phagocyte?", "the most abundant type")
    'least'
    >>> opposed("the first response", "the first and the last"), opposed("why", "the first")
    (None, None)
    >>> opposed("When does it open?", "It opens at 9 and is closed on Sundays.")
    >>> opposed("What is a class of self molecule?", "a class of non-self molecules")
    'self'
    >>> opposed("Which non-self molecules?", "self molecules"), opposed("self", "self and non-self")
    ('non-self', None)
    >>> opposed("Which specific defenses?", "non-specific ones and highly-specific ones")
    >>> opposed("What happened before the war?", "After the war, trade grew.")
    'before'
    >>> opposed("How long will the pilot last before it expires?", "It expires after 36 months.")
    >>> opposed("What do they activate before they bind to it?", "After they bind, they act.")
    'before'
    >>> opposed("Which RFC first introduced them?", "the RFC, the last significant change")
    >>> opposed("Who was the first president?", "He was the last president.")
    'first'
    >>> opposed("Who came first in the race?", "He came last.")
    'first'
    >>> opposed("Why convert DOIs to lower case?", "not upper case: we lowercased DOIs")
    >>> opposed("What is the minimum fine?", "a fine not exceeding three million riyals")
    'minimum'
    >>> opposed("What is the minimum voting age?", "Citizens vote from the age of 18. They "
    ...         "may register up to 30 days before.")
    >>> opposed("What is the maximum length of a query?", "search: min_search_length: 2")
    'maximum'
    >>> opposed("What is the minimum size?", "the MAX_SIZE and size_max settings")
    'minimum'
    >>> opposed("What is the minimum count?", "--max-count"), opposed("the minimum?", "MaxMind")
    ('minimum', None)
    >>> opposed("What is the maximum number of users of a group?", "groups of two or more users")
    'maximum'
    >>> opposed("At minimum, how many users make up a group?", "groups of two or more users")
    >>> opposed("What was the peak rate?", "an average of 4.71K requests per second")
    'peak'
    >>> opposed("What is the maximum speed?", "a top speed of 320 km/h, an average of 250")
    >>> opposed("What is the average elevation?", "its mean elevation, the highest of all")
    >>> opposed("What is the maximum number of users in a group?", "Each group has two or more "
    ...         "users; the group may hold no more than 50.")
    >>> opposed("What is the maximum length?", "min_length: 2, max_length: 9"), opposed(
    ...     "What is the maximum wait?", "It waits 10 min.")
    (None, None)
    """
    ranked = {t for m in _EXTREME.finditer(asked) for t in content_terms(m.group(1))}
    plain, non = _non_words(as_limits(text, ranked))
    have = plain.keys() | non.keys() | {  # a setting's name: "min_search_length"
        stem(_SETTING_BOUND[(m.group(1) or m.group(2)).lower()])
        for m in _SETTING_PREFIX.finditer(text)}
    said = re.findall(r"[^\W\d_]+", text.lower())
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", asked)]
    stated = limits(text)  # a limit stated of anything: "no more than 50" beside "two
    # or more users" states the maximum too
    for i, w in enumerate(words):
        # the word with the next one, written as one: "lower case" in "lowercased"
        joined = w + words[i + 1] if i + 1 < len(words) else None
        if stem(w) not in have and w not in stated \
                and any(stem(o) in have for o in _OPPOSITE_OF.get(w, ())) \
                and not (w in _ORDERING and _orders_other(asked, w, text, _OPPOSITE_OF[w])) \
                and not (joined and any(x.startswith(joined) for x in said)):
            return w
    if (other := _other_statistic(words, set(said))) is not None:
        return other
    # "self" against "non-self" only, and "non-self" against "self" only
    asked_plain, asked_non = _non_words(asked)
    if only_non := [w for s, w in asked_plain.items() if s in non and s not in plain]:
        return only_non[0]
    if only_plain := [w for s, w in asked_non.items() if s in plain and s not in non]:
        return only_plain[0]
    return None


def _non_words(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """text's words but those right after "non-" ("highly-specific" has "specific"),
    and those after "non-", each by its stem."""
    plain: dict[str, str] = {}
    non: dict[str, str] = {}
    for m in re.finditer(r"(?<![^\W\d_])(non[-–])?([^\W\d_]+)", text, re.IGNORECASE):
        if m.group(2).lower() != "non":
            (non if m.group(1) else plain).setdefault(stem(m.group(2)), m.group(0).lower())
    return plain, non


# --- numbers --------------------------------------------------------------------------

# digits with thousands separators and decimals, not glued to letters ("3rd", "G20") but
# to Chinese, Japanese or Korean ones, written without spaces ("北京有1个项目" states 1)
_LETTER_NOT_CJK = r"[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"
NUMBER = re.compile(rf"(?<!{_LETTER_NOT_CJK})(?<!\.)\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?"
                    rf"(?!{_LETTER_NOT_CJK})|(?<!{_LETTER_NOT_CJK})(?<![.,])\d+(?:\.\d+)?"
                    rf"(?!{_LETTER_NOT_CJK})")
WORD_NUMBERS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
# a content word written as a number, but "one", which is a pronoun as often ("which one",
# "one of the options" would meet "Disk 1")
_AS_DIGITS = {w: n for w, n in WORD_NUMBERS.items() if w != "one"}
# a figure, not the digits that end a name ("bunzip2", "mp3", "CO2", "β2"): none after a
# letter or digit but a CJK one ("北京有167条")
_NUM = (r"(?<![^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af])"
        r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\b(?:"
        + "|".join(list(WORD_NUMBERS)[1:]) + r")\b)")
_NUM_PHRASE = re.compile(_NUM + r"((?:[\s-]+" + _L + r"[\w'’-]*){0,2})", re.IGNORECASE)
_NUM_PHRASE_WIDE = re.compile(_NUM + r"((?:[\s\"“”-]+" + _L + r"[\w'’%-]*[,]?){0,5})",
                              re.IGNORECASE)
# a figure in brackets after its words, as contracts write it: "thirty (30) days"; not a
# numbered item ("(3) Members ...", "3) members", "Article 12(3)")
_SPELT_THEN_DIGITS = re.compile(r"\b((?:(?:twen|thir|for|fif|six|seven|eigh|nine)ty-?)?(?:one|"
                                r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                                r"(?:thir|four|fif|six|seven|eigh|nine)teen|hundred|thousand|"
                                r"million|billion)|(?:twen|thir|for|fif|six|seven|eigh|nine)ty) "
                                r"\((\d[\d,.]*)\)", re.I)


def norm_number(n: str) -> str:
    """'5,529' -> '5529', '12.820' -> '12.82', 'three' -> '3'."""
    n = n.replace(",", "").lower()
    n = WORD_NUMBERS.get(n, n)
    if "." in n:
        n = n.rstrip("0").rstrip(".")
    return n


def numbers(text: str) -> set[str]:
    """Numbers written in digits in text, normalised (`norm_number`).

    >>> sorted(numbers("5,529 houses, G20, 3rd, v2.5")), sorted(numbers("北京恢复了167条道路，有1个项目"))
    (['5529'], ['1', '167'])
    """
    return {norm_number(m) for m in NUMBER.findall(text)}


ORDINAL_WORDS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
                 "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
                 "nineteenth twentieth").split()
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b(\s+centur(?:y|ies))?", re.IGNORECASE)
_DECADE = re.compile(r"\b(\d{3,4})[’']?s\b")
_YEAR_LIKE = re.compile(r"(?<![\d,.])\d{3,4}(?![\d]|[,.]\d)")  # not in "1,000" or "2.5"


# a number of a series of documents or standards is an identifier, not a year: "PEP
# 602/605", "ISO 9001", "RFC 2616", "CVE-2021-44228"; another acronym's number is a year as
# often as not ("USSR 1961", "GDP 2020", "AD 602", "FY 2019")
_SERIES = ("PEP|ISO|IEC|IEEE|RFC|EN|DIN|ANSI|ECMA|CVE|CWE|ASTM|BS|JIS|ITU|FIPS|NIST|SP|JSR|"
           "ETSI|SAE|MIL|STD|NFPA|UL|CSA|GB|ICD")
_LABELLED = re.compile(rf"\b(?:{_SERIES})(?:/(?:{_SERIES}))?[\s-]?\d{{3,4}}"
                       r"(?:\s*(?:[/,&]|and)\s*\d{3,4})*(?!\d)")


# a figure bounded from below ("more than 25", "at least 2", "25 or more", "18+") or from
# above ("up to 25", "at most 2", "25 or fewer", "under 18")
_BOUNDED = (r"(?:[$€£¥]\s?)?((?<![\w,.])\d[\d,]*(?:\.\d+)?(?![.,]?\d)|\b(?:"
            + "|".join(list(WORD_NUMBERS)[2:]) + r")\b)")
# "over 30 years" is as often "during 30 years": over and under bound no span of time
_NOT_A_SPAN = r"(?!\s+(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centur(?:y|ies))\b)"
_FROM_BELOW = re.compile(r"\b(?:(?<!no )(?<!not )more than|above|(?<!not )exceeding|greater than|"
                         r"at least|(?:no|not) (?:less|fewer) than|in excess of|upwards of|a "
                         r"minimum of)\s+" + _BOUNDED + r"|\bover\s+" + _BOUNDED + _NOT_A_SPAN
                         + "|" + _BOUNDED + r"(?:\s*(?:or|and)\s+(?:more|above|over|greater|"
                         r"higher|longer|older)\b|\+(?!\d))", re.I)
_FROM_ABOVE = re.compile(r"\b(?:up to|at most|(?:no|not) more than|not exceeding|(?<!no )(?<!not )"
                         r"(?:less|fewer) than|below|a maximum of)\s+" + _BOUNDED
                         + r"|\bunder\s+" + _BOUNDED + _NOT_A_SPAN + "|" + _BOUNDED
                         + r"\s*(?:or|and)\s+(?:less|fewer|below|under|lower|shorter|"
                         r"younger)\b", re.I)


def _bounds(text: str) -> dict[str, set[str]]:
    """Each bounded figure of text (`norm_number`) with the sides it is bounded from."""
    out: dict[str, set[str]] = {}
    for side, pattern in (("below", _FROM_BELOW), ("above", _FROM_ABOVE)):
        for m in pattern.finditer(text):
            out.setdefault(norm_number(next(g for g in m.groups() if g)), set()).add(side)
    return out


def opposite_bound(asked: str, text: str) -> str | None:
    """A figure `asked` bounds from one side that text bounds only from the other, or
    None: "an initial search of more than 25 identifiers" is not answered by "Initial
    search of up to 25 identifiers: Free"; a figure text gives without a bound, or
    bounds from the same side, is no contradiction.

    >>> opposite_bound("What does a search of more than 25 identifiers cost?",
    ...                "Initial search of up to 25 identifiers: Free")
    '25'
    >>> opposite_bound("Who may vote under 18?", "Citizens aged 18 or older may vote.")
    '18'
    >>> opposite_bound("for more than five accounts?", "for more than 5 accounts: $20")
    >>> opposite_bound("What does a search of more than 25 cost?", "25 identifiers cost $5")
    >>> opposite_bound("a search of more than 25?", "Searches of no more than 25 are free")
    '25'
    >>> opposite_bound("a loan repaid over 30 years?", "loans of up to 30 years")
    >>> opposite_bound("What happened over 2000 years ago?", "Fewer than 2000 years ago")
    """
    theirs = _bounds(text)
    for fig, sides in _bounds(asked).items():
        if theirs.get(fig) and not sides & theirs[fig]:
            return fig
    return None


# a question that asks for a limit from one side: "the maximum number", "at most",
# "the upper limit"; "minimum", "at least", "the lower bound" (not "at least 25": a figure
# of the question is `opposite_bound`'s; not "Max Planck", "--max-depth", "max_size")
_NO_FIGURE = r"(?!\s*(?:\d|(?:" + "|".join(list(WORD_NUMBERS)[1:]) + r")\b))"
_ASKS_MOST = re.compile(r"(?<![-\w])(?:(?i:maximum|upper (?:limit|bound)|at most)|max)(?![-\w])"
                        + _NO_FIGURE)
_ASKS_LEAST = re.compile(r"(?<![-\w])(?i:minimum|lower (?:limit|bound)|at least)(?![-\w])"
                         + _NO_FIGURE)
# the cited words name a limit themselves: "The maximum speed is more than 320 km/h"
_NAMES_LIMIT = re.compile(r"\b(?:maximum|minimum|max|min|limit|cap|ceiling|floor|peak|top|highest|"
                          r"lowest)\b", re.I)


# a figure in digits or in words ("4", "four")
_FIGURE = re.compile(NUMBER.pattern + r"|\b(?:" + "|".join(list(WORD_NUMBERS)[2:]) + r")\b", re.I)


def opposite_limit(asked: str, text: str) -> str | None:
    """A figure text bounds only from the side the question does not ask, when text
    bounds every figure it gives and names no limit itself, or None: "What is the
    maximum number of domains one site adds?" is not answered by "adds at least 4
    domains", nor "the minimum age" by "up to 18". A figure text gives without a bound
    answers either, and so does a range ("at least 4 and up to 10").

    >>> opposite_limit("What is the maximum number of domains a site adds?",
    ...                "A new site generally adds at least 4 domains to the service.")
    '4'
    >>> opposite_limit("What is the maximum number of domains?", "It handles up to 1000 domains")
    >>> opposite_limit("What is the minimum age?", "Members must be at least 18, 21 in Ohio.")
    >>> opposite_limit("What is the minimum age?", "Members may be up to 18 years old.")
    '18'
    >>> [opposite_limit(q, t) for q, t in [
    ...     ("What is the maximum speed?", "The maximum speed is more than 320 km/h."),
    ...     ("What is the maximum number of seats?", "It seats at least 4 and up to 10."),
    ...     ("How many papers did Max Planck publish?", "He published more than 200 papers."),
    ...     ("What does --max-depth limit?", "Directories more than 3 levels deep are skipped."),
    ...     ("What is the maximum number of seats?", "It seats at least four people.")]]
    [None, None, None, None, '4']
    """
    wants = ("below" if _ASKS_LEAST.search(asked) else None, "above" if _ASKS_MOST.search(asked)
             else None)
    if all(wants) or not any(wants) or _NAMES_LIMIT.search(text):
        return None
    want = wants[0] or wants[1]
    bounds = _bounds(text)
    named = {norm_number(n) for n in NUMBER.findall(asked)}
    figures = [f for m in _FIGURE.finditer(text) if (f := norm_number(m.group(0))) not in named]
    if not figures or any(want in bounds.get(f, {want}) for f in figures):
        return None
    return figures[0]


def contrary_figure(asked: str, text: str) -> str | None:
    """A time of `asked` (a year, decade, century or ordinal) that text does not state
    while it states another of its kind, or None: "in 1883" against a text about 1606,
    not against one that gives no year at all (a report's year is often stated once,
    for all its paragraphs). A century or decade is stated by a year within it, an
    ordinal also in words ("19th" by "nineteenth"); a day of a month ("on February 21",
    "Feb 20", "2018-02-20"), a time of day ("at 16:00" against "14:55", "4 pm" is
    16:00, "17:00-18:00" a range) and a day of the week ("on Sunday" against a
    timeline's "Monday") the same way. Other numbers are not compared: in
    a question they often describe its subject, and roughly ("the province that
    resettled over 9,000 households").

    >>> contrary_figure("What was built in the 1100s?", "It was built in 1125.")
    >>> contrary_figure("Who ruled in the 11th century?", "He ruled from 1035.")
    >>> contrary_figure("Who ruled in the 10th century?", "the 10th and 11th centuries")
    >>> contrary_figure("Who patented it in 1883?", "He patented it in 1606.")
    '1883'
    >>> contrary_figure("Who patented it in 1883?", "He patented it.")
    >>> contrary_figure("Who won it in 1905?", "for his 1891 proofs, a prize in 1905, then")
    >>> contrary_figure("Near the end of the 20th century?", "the nineteenth century")
    '20th century'
    >>> contrary_figure("Which resettled over 9,000 households?", "9,803 households in 2023")
    >>> contrary_figure("What did they pick in 2019?", "They picked PEP 602/605 and ISO 9001.")
    >>> contrary_figure("What did they pick in 2019?", "They picked it in AD 602.")
    '2019'
    >>> contrary_figure("What did it launch in 1957?", "The USSR 1961 flight carried a man.")
    '1957'
    >>> contrary_figure("What went live on March 4?", "Mar 3 2024 09:12 The post goes live.")
    'March 4'
    >>> contrary_figure("What happened at 16:00?", "14:55 Autoscaling adds a node.")
    '16:00'
    >>> contrary_figure("What happened at 9:12?", "Mar 3 2024 09:12 The post goes live.")
    >>> contrary_figure("What happened on March 3rd?", "On Mar 3, the 2nd deploy failed.")
    >>> contrary_figure("What was added at 16:00?", "At 4 pm the node was added.")
    >>> contrary_figure("What was seen at 17:30?", "17:00-18:00 Launches fail.")
    >>> contrary_figure("What was done on Sunday?", "2025-07-28 Monday 12:20 A domain is held.")
    'Sunday'
    >>> contrary_figure("What was done on Sunday?", "Sunday: it rained. Monday: it froze.")
    >>> contrary_figure("What is done on Sundays?", "On Monday the shop opens.")
    >>> contrary_figure("When does it open on Sunday?", "At 9 am Monday to Saturday, 11 on Sundays.")
    >>> contrary_figure("What happened on Sunday, July 27?", "2025-07-27: reviewed by Monday.")
    >>> contrary_figure("Who owns The Sunday Times?", "The Times is printed on Monday.")
    >>> contrary_figure("On what date in July is the meetup?", "Friday, April 26, 2019")
    'July'
    >>> contrary_figure("In July, who chaired it?", "In June Ann chaired it.")
    'July'
    >>> contrary_figure("What opens in May?", "It opens on 3 May."), contrary_figure(
    ...     "What was held in July 2019?", "It was held in 2019, with a break in June.")
    (None, 'July')
    >>> contrary_figure("What was held in July?", "It was held in 2019."), contrary_figure(
    ...     "What may open in June?", "Theresa May opened it in June.")
    (None, None)
    >>> contrary_figure("Who chaired the July 2019 meeting?", "In June Ann chaired it.")
    'July'
    >>> contrary_figure("What came out in July 2019?", "It came out in Jul 2019.")
    >>> contrary_figure("What came out in September 2019?", "It came out in Sept. 2019.")
    >>> contrary_figure("Who scored in April 2019?", "Kevin May scored in April."), \\
    ...     contrary_figure("What was the role of May?", "May spoke in November 2018.")
    (None, None)
    """
    asked, text = _LABELLED.sub(" ", asked), _LABELLED.sub(" ", text)  # "PEP 602", "ISO 9001"
    days_asked = _days(asked)  # compared as days, below: "March 3rd" is no ordinal
    for _, _, (a, b) in reversed(days_asked):
        asked = asked[:a] + " " + asked[b:]
    years = {int(y) for y in _YEAR_LIKE.findall(text)}
    low = text.lower()
    words = set(re.findall(r"[a-z]+", low))
    ordinals = {int(m.group(1)) for m in _ORDINAL.finditer(low)} | {
        i for i, w in enumerate(ORDINAL_WORDS, 1) if w in words}
    times = bool(years or re.search(r"\bcenturies\b|\bcentury\b", low) and ordinals
                 or _DECADE.search(text))

    def in_century(n: int) -> bool:  # "the 10th and 11th centuries" states the 10th
        return n in ordinals or any((n - 1) * 100 <= y < n * 100 for y in years)

    for m in _ORDINAL.finditer(asked):
        n = int(m.group(1))
        if m.group(2) and times and not in_century(n):
            return m.group(0)
        if not m.group(2) and ordinals and n not in ordinals:
            return m.group(0)
    for m in _DECADE.finditer(asked):
        y = int(m.group(1))
        span = 100 if y % 100 == 0 else 10
        if times and not (m.group(1) in text or any(y <= x < y + span for x in years)
                          or span == 100 and in_century(y // 100 + 1)):
            return m.group(0)
    for n in sorted(numbers(_DECADE.sub(" ", _ORDINAL.sub(" ", asked)))):
        if _YEAR_LIKE.fullmatch(n) and 500 <= int(n) < 2100 and times and int(n) not in years:
            return n
    stated = {d for d, _, _ in _days(text)}
    for day, written, _ in days_asked:  # "on February 21" against "Feb 20"
        if stated and day not in stated:
            return written
    stated_months = {d[0] for d, _, _ in _days(text)} | {
        _month_number(m["month"]) for m in _MONTH_NAMED.finditer(text)}
    for m in _MONTH_ASKED.finditer(asked):  # "in July" against "Friday, April 26, 2019"
        if stated_months and _month_number(m["month"]) not in stated_months:
            return m["month"]
    stated_days = {m[1] for m in _WEEKDAYS.finditer(text)}
    for m in _ON_WEEKDAY.finditer(asked):  # "on Sunday" against a timeline's "2025-07-28
        # Monday"; not when the question gives its date too (compared above)
        if stated_days and not days_asked and m.group(1) not in stated_days:
            return m.group(1)
    ranges = clock_ranges(text)
    for _, _, t, written in _clock_times(asked):  # "at 16:00" against a timeline's "14:55"
        if ranges and not any(lo <= t <= hi for lo, hi in ranges):
            return written
    return None


# a day of the week a text names ("Monday", "Sundays", "Sunday's"), and one a question
# asks about as one day: "on Sunday", "last Friday" (not the habit of "on Sundays", a
# name, "on Bloody Sunday", "The Sunday Times", nor a range, "from Friday to Sunday")
_DAY_NAME = r"((?-i:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"
_WEEKDAYS = re.compile(rf"\b{_DAY_NAME}(?:s|['’]s)?\b")
_ON_WEEKDAY = re.compile(rf"\b(?:on|this|last|next|that)\s+{_DAY_NAME}\b(?!['’]?s\b)"
                         r"(?!\s+(?-i:[A-Z])|\s*(?:-|–|to|through|until|till|and|or)\b)",
                         re.I)
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")
# a month by its name or the short form logs and timelines write ("Feb", "Sept."), with a
# capital ("may", "march" are words); then its day, or its day then it; or an ISO date
MONTHS_SHORT = r"(?-i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?"
_MONTH_WORD = "(?:" + "|".join(_MONTH_NAMES) + "|" + MONTHS_SHORT + ")"
_DAY_OF_MONTH = re.compile(rf"\b({_MONTH_WORD})[ \t]*(\d{{1,2}})(?:st|nd|rd|th)?\b(?![:.]\d)|"
                           rf"(?<![\d.,])\b(\d{{1,2}})(?:st|nd|rd|th)?(?:[ \t]+of)?[ \t]+"
                           rf"({_MONTH_WORD})(?!\w)|\b\d{{4}}-(\d\d)-(\d\d)\b")


# a month by its whole name, capitalised ("may" is a word; "May" is a month only with a
# day or a year beside it, or after "in", "by", ...), and one a question asks about as a
# time: "in July", "during July", "July 2019" (not with its day, compared as a day)
_MONTH_FULL = "(?:" + "|".join(n for n in _MONTH_NAMES if n != "May") + \
    r"|May(?=,? \d)|(?<=\d )May|(?<=\bin |\bby )May)"
# and as a text states one: by its name, or its short form with a year ("Jul 2019",
# "Sept. 2019")
_MONTH_NAMED = re.compile(rf"(?-i:\b(?P<month>(?:{_MONTH_FULL})\b|{MONTHS_SHORT}(?=\s*\d{{4}}\b)))")
_MONTH_ASKED = re.compile(rf"(?-i:(?:\b(?i:in|during|by|until|till|since|through|of|early|late)"
                          rf"\s+(?:the\s+month\s+of\s+)?(?=(?:{_MONTH_FULL})\b(?!\s*\d{{1,2}}\b))"
                          rf"|\b(?=(?:{_MONTH_FULL})\s+\d{{4}}\b))(?P<month>{_MONTH_FULL})\b)")


def _month_number(name: str) -> int:
    """1 for "January" or "Jan.", ..., 12 for "December"."""
    return next(i for i, n in enumerate(_MONTH_NAMES, 1) if name.startswith(n[:3]))


def _days(text: str) -> list[tuple[tuple[int, int], str, tuple[int, int]]]:
    """Each day of a month text names: (month, day), as written, where.

    >>> [d for d, _, _ in _days("On Feb 20 2018 at 14:17, then on the 3rd of March, and "
    ...                         "2018-04-05")]
    [(2, 20), (3, 3), (4, 5)]
    >>> _days("A Marathon 5 km, 10:30, in May; version 2.1 Oct")
    []
    """
    out = []
    for m in _DAY_OF_MONTH.finditer(text):
        if m.group(5):  # 2018-02-20
            month, day = int(m.group(5)), int(m.group(6))
        else:
            name, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            month = next(i for i, n in enumerate(_MONTH_NAMES, 1) if name.startswith(n[:3]))
            day = int(day)
        if 1 <= month <= 12 and 1 <= day <= 31:
            out.append(((month, day), m.group(0).strip(), m.span()))
    return out


# a time of day (`CLOCK`), and for comparing one, "16:00:05" read as 16:00
CLOCK = re.compile(r"(?<![\d:.])(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s?(?:[ap]\.?m\b\.?)|"
                   r"(?<![\d:.])(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])|\b(?:noon|midday|midnight)\b",
                   re.I)
_HOUR_MINUTE = re.compile(r"(?<![\d:.])([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?"
                          r"(?:\s?([ap])\.?m\b\.?)?(?![\d:])", re.I)
_HOUR_ONLY = re.compile(r"(?<![\d:.])(1[0-2]|0?\d)\s?([ap])\.?m\b\.?", re.I)
_NOON = re.compile(r"\b(noon|midday|midnight)\b", re.I)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|until|till|and)\s*", re.I)


def _clock_times(text: str) -> list[tuple[int, int, int, str]]:
    """Each time of day text states: (start, end, minutes into the day, as written)."""
    out = []
    for m in _HOUR_MINUTE.finditer(text):
        hour = int(m[1]) % 12 + (12 if m[3].lower() == "p" else 0) if m[3] else int(m[1])
        out.append((m.start(), m.end(), hour * 60 + int(m[2]), m[0]))
    for m in _HOUR_ONLY.finditer(text):
        out.append((m.start(), m.end(), (int(m[1]) % 12 + (12 if m[2].lower() == "p" else 0))
                    * 60, m[0]))
    for m in _NOON.finditer(text):
        out.append((m.start(), m.end(), 0 if m[1].lower() == "midnight" else 720, m[0]))
    return sorted(out)


def clock_ranges(text: str) -> list[tuple[int, int]]:
    """The times of day text states, in minutes, each as a range: a time alone is (t, t),
    "17:00-18:00" and "between 10:00 and 10:10" span what is between.

    >>> clock_ranges("At 4 pm, then 16:00:05; from 17:00-18:00, at noon")
    [(960, 960), (960, 960), (1020, 1080), (720, 720)]
    """
    found = _clock_times(text)
    out, i = [], 0
    while i < len(found):
        t = found[i][2]
        if i + 1 < len(found) and _RANGE_JOIN.fullmatch(text[found[i][1]:found[i + 1][0]]):
            out.append((t, found[i + 1][2]))
            i += 2
        else:
            out.append((t, t))
            i += 1
    return out


def _figure_frames(text: str) -> list[tuple[str, int, str] | str]:
    """The content words of text in order (stemmed, stop words out), with each ordinal
    ("20th", "twentieth") or year as ("ordinal" | "year", value, as written)."""
    out: list[tuple[str, int, str] | str] = []
    stop = stop_words()
    for w in (p for word in words(text) for p in word.split("-")):  # "twentieth-century"
        lw = w.lower().strip(".'’")
        m = _ORDINAL.fullmatch(lw)
        if m or lw in ORDINAL_WORDS:
            out.append(("ordinal", int(m.group(1)) if m else ORDINAL_WORDS.index(lw) + 1, w))
        elif _YEAR_LIKE.fullmatch(lw) and 500 <= int(lw) < 2100:
            out.append(("year", int(lw), w))
        elif lw and lw not in stop:
            out.append(stem(lw))
    return out


def swapped_figure(asked: str, text: str) -> str | None:
    """An ordinal or year of `asked` that text replaces by another next to the same
    word, or None: "the end of the 20th century" against "the end of the 19th
    century", "the first arm" against "the second arm". Where `contrary_figure` reads
    a whole paragraph (which may state the asked time about something else), this
    reads the cited words themselves.

    >>> swapped_figure("When did the end of the 20th century come?", "the end of the 19th century")
    '20th'
    >>> swapped_figure("What are leukocytes the first arm of?", "the second arm of defence")
    'first'
    >>> swapped_figure("What happened in the 20th century?", "the 19th century and the twentieth century")
    >>> swapped_figure("Which resettled over 9,000 households?", "9,803 households in 2023")
    >>> swapped_figure("Which 18th century engine?", "after 17th century designs, an engine of 1712")
    >>> swapped_figure("What did the 20th century bring?", "its twentieth-century style, not the 19th century")
    """
    a, t = _figure_frames(asked), _figure_frames(text)
    stated = {(f[0], f[1]) for f in t if isinstance(f, tuple)}
    # a century is stated by a year within it too ("the 18th century" by 1712)
    stated |= {("ordinal", y // 100 + 1) for kind, y in stated if kind == "year"}
    for i, f in enumerate(a):
        if not isinstance(f, tuple) or (f[0], f[1]) in stated:
            continue
        left = a[i - 1] if i > 0 and isinstance(a[i - 1], str) else None
        right = a[i + 1] if i + 1 < len(a) and isinstance(a[i + 1], str) else None
        for j, g in enumerate(t):
            if isinstance(g, tuple) and g[0] == f[0] and (
                    left and j > 0 and t[j - 1] == left
                    or right and j + 1 < len(t) and t[j + 1] == right):
                return f[2]
    return None


# a capitalised name and the number that tells its members apart: "Debian 11", "Python 3.5",
# "Apollo 11", "Table 2", "Node.js 18" (not a year: "May 2019", "In 1990")
_NUMBERED = re.compile(r"(?<![\w.])([A-Z][\w+]*(?:\.[A-Za-z][\w+]*)*)\s+(\d{1,3}(?:\.\d+)*)"
                       r"(?!\w|[.,]\d)")
# a lower-case name with a version: "coreutils 9.2", "python-3.12" (a whole number after
# a lower-case word is a count or a measure: "page 5", "over 10")
_VERSIONED = re.compile(r"(?<![\w.-])([a-z][a-z\d+]*)[ -](\d{1,3}(?:\.\d+)+)(?!\w|[.,]\d)")


def numbered_names(text: str) -> list[tuple[str, str]]:
    """(name, number) of each name written with a number that picks one of its kind
    ("Debian 13", "Python 4", and in lower case with a version: "coreutils 9.2"); words any
    sentence may capitalise (a question's "What", a month or a day, however abbreviated
    or cased) are no such names.

    >>> numbered_names("Which Python 4 packages came with Debian 13, in May 2019 or on May 5?")
    [('Python', '4'), ('Debian', '13')]
    >>> numbered_names("WHAT HAPPENED ON JAN 5 AND MONDAY 5 IN WINDOWS 10?")
    [('WINDOWS', '10')]
    >>> numbered_names("When was coreutils 9.2 released, after page 5 of release 9.1?")
    [('coreutils', '9.2'), ('release', '9.1')]
    """
    found = [(m.start(), m.group(1), m.group(2)) for m in _NUMBERED.finditer(text)
             if m.group(1).title() not in _GENERIC_CAPS
             and m.group(1).lower().rstrip(".") not in _CALENDAR_SHORT]
    found += [(m.start(), m.group(1), m.group(2)) for m in _VERSIONED.finditer(text)]
    return [(name, n) for _, name, n in sorted(found) if name.lower() not in stop_words()]


_CALENDAR_SHORT = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed "
                            "thu thur thurs fri sat sun".split())
# what after a numbered name makes it one of several: "Debian 11, 12 and 13", "Python 3.8
# to 3.12", "Python 3.8 or later", "Java 8+"
_MORE_NUMBERS = re.compile(r"\s*(?:\+|(?:,|–|-|/|to|through|and|or)\s*(?:\d|later|newer|above|"
                           r"higher|up\b|earlier|older|below))", re.IGNORECASE)


# a range open at one end: "Python 3.8 or later", "Java 8+"
_OPEN_RANGE = re.compile(r"\s*(?:\+|(?:and|or)\s+(?:later|newer|above|higher|up\b))",
                         re.IGNORECASE)


def other_number(asked: tuple[str, str], text: str, lists: bool = True) -> bool:
    """Whether text writes the name `asked` with two numbers or more (spaced, joined or
    hyphenated: "python3", "coreutils-9.0"), none of them the one asked (nor one that it
    begins or that begins it: "Python 3" and "Python 3.5"); never when one is written in a list or range ("Debian
    11, 12 and 13", "Python 3.8 or later"), which may hold the one asked. One number
    alone ("Java 11" in a text that writes "Java SE 8") is not taken for the members of
    a kind. With `lists` False, a list counts as other numbers (for a caller that has
    made sure the number asked is written nowhere), a range open at one end still not.

    >>> t = "Debian 11 removed python2; Debian 12 kept Python 3 and Python 3.11."
    >>> [other_number(a, t) for a in (("Debian", "13"), ("Python", "3.11"), ("Python", "4"))]
    [True, False, True]
    >>> other_number(("Apollo", "13"), t), other_number(("Debian", "13"), "Debian 11, 12 and 13")
    (False, False)
    >>> other_number(("Java", "8"), "It runs on Java SE 8 and on Java 11.")
    False
    >>> other_number(("Python", "3.12"), "It needs Python 3.8 or later; python3 is the default.")
    False
    """
    name, n = asked
    pattern = re.compile(rf"(?<![\w.]){re.escape(name)}(?:\s*|-)(\d{{1,3}}(?:\.\d+)*)"
                         r"(?!\w|[.,]\d)", re.IGNORECASE)
    found = []
    for m in pattern.finditer(text):
        if (_MORE_NUMBERS if lists else _OPEN_RANGE).match(text, m.end()):
            return False
        found.append(m.group(1))
    return len(set(found)) >= 2 and not any(
        f == n or f.startswith(n + ".") or n.startswith(f + ".") for f in found)


# a name and the Roman numeral that tells its bearers apart: "Henry II", "Charles III"
_REGNAL = re.compile(r"\b([A-Z][a-z]+)\s+([IVX]{1,5})(?:['’]s)?\b(?![\w'’])")


def contrary_number(asked: str, text: str) -> str | None:
    """A numbered name of `asked` ("bzip2 1.0.3", "Super Bowl 49", "Table 2") that text
    writes, as the question does (case and all), only with numbers the question does not
    give it, never with its own (in digits, words or Roman numerals: "World War II",
    "Formula One"), nor writes its number alone; or a name with a Roman numeral
    ("Henry II") that text writes only with others ("Henry III"); or None. "When was bzip2 1.0.3
    released?" is not answered by "the release of bzip2-0.1 in August 1997".

    >>> contrary_number("When was bzip2 1.0.3 released?", "the release of bzip2-0.1 in 1997")
    'bzip2 1.0.3'
    >>> contrary_number("When was bzip2 1.0.3 released?", "bzip2 1.0.2 and 1.0.3 came out")
    >>> contrary_number("What does Table 2 list?", "Table 2 lists the ports.")
    >>> contrary_number("When did World War 2 end?", "World War II ended; after World War 1")
    >>> contrary_number("When did World War 2 end?", "After the war 12 million left.")
    >>> contrary_number("What did Henry II take?", "Bethencourt served Henry III of Castile.")
    'Henry II'
    >>> contrary_number("What did Henry II take?", "Henry II and Henry III took it.")
    >>> contrary_number("What did Henry II build?", "Henry II's castle was rebuilt by Henry III.")
    """
    for name, numeral in _REGNAL.findall(asked):  # "Henry II" against only "Henry III"
        found = set(re.findall(rf"\b{re.escape(name)}\s+([IVX]{{1,5}})(?:['’]s)?\b(?![\w'’])",
                               text))
        if found and numeral not in found:
            return f"{name} {numeral}"
    given = list(dict.fromkeys(numbered_names(asked)))  # in the question's order
    for name, n in given:
        found = re.findall(rf"(?<![\w.]){re.escape(name)}(?:\s*|-)v?(\d{{1,3}}(?:\.\d+)*)"
                           r"(?!\w|[.,]\d)", text)
        own = [n, *_number_words(n)]
        if found and not any(f == n or f.startswith(n + ".") or n.startswith(f + ".")
                             or (name, f) in given for f in found) \
                and not re.search(rf"(?<![\w.])v?{re.escape(n)}(?![\w]|[.,]?\d)", text) \
                and not re.search(rf"\b{re.escape(name)}[\s-]+(?:{'|'.join(own)})\b", text,
                                  re.IGNORECASE):
            return f"{name} {n}"
    return None


# a thing told apart from its kind by a capital letter: "T cell", "B-cells" (not "A" nor
# "I", an article and a pronoun), or "Type A", "Vitamin C", "Plan B" (not "I", "V" or
# "X", Roman numerals: "Henry I")
_LETTER_BEFORE = re.compile(r"(?<![\w.-])([B-HJ-Z])[\s-]+([a-z]{3,})\b")
_LETTER_AFTER = re.compile(r"\b([A-Z][a-z]{2,})\s+([A-HJ-UWYZ])(?![\w.'’-]|\s+[a-z])")


def contrary_letter(asked: str, text: str) -> str | None:
    """A lettered name of `asked` ("T cell", "Type A") that text writes only with other
    letters ("B cells", "Type O"), never with its own; or None. "When does a T cell
    identify pathogens?" is not answered by "A B cell identifies pathogens when ...".

    >>> contrary_letter("When does a T cell identify pathogens?", "A B cell identifies them.")
    'T cell'
    >>> contrary_letter("What do T cells do?", "T cells, unlike B cells, kill.")
    >>> contrary_letter("Who gets Hepatitis B?", "Hepatitis C spreads by blood.")
    'Hepatitis B'
    >>> contrary_letter("What did I do in Type A?", "I did Type A.")
    >>> contrary_letter("What do Killer B cells kill?", "Killer T cells kill infected cells.")
    'B cells'
    >>> contrary_letter("Which make antibodies, T cells or B cells?", "B cells make them.")
    >>> contrary_letter("When does a T cell bind?", "A cell of this kind binds.")
    """
    def head(w: str) -> str:
        return re.escape(w[:-1] if w.endswith("s") else w) + "s?"

    # each lettered name, with the pattern that finds its kind's letters
    lettered = [(f"{a} {b}", rf"(?<![\w.-])([B-HJ-Z])[\s-]+{head(b)}\b")
                for a, b in _LETTER_BEFORE.findall(asked)]
    lettered += [(f"{a} {b}", rf"\b{head(a)}\s+([A-Z])(?![\w.'’-])")
                 for a, b in _LETTER_AFTER.findall(asked)]
    for name, pattern in lettered:
        found = set(re.findall(pattern, text))
        if found and not found & set(re.findall(pattern, asked)):  # "T cells or B cells?"
            return name
    return None


# an ordinal that singles out one of a kind ("the third model bank", "the 4th edition"),
# not "first" (as often "when did it first ...") nor a century (`swapped_figure`'s)
_ORDINAL_ASKED = re.compile(r"(?:\b(?:the|its|his|her|their|this|that)|['’]s)\s+(?P<ordinal>"
                            r"(?P<word>second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
                            r"tenth)|(?P<n>[2-9]|10)(?:nd|rd|th))\b(?![\s-]+centur|-hand)"
                            r"\s*(?P<noun>[^\W\d_]+)?", re.I)


def missing_ordinal(asked: str, text: str) -> str | None:
    """An ordinal of `asked` ("the third model bank") that text writes in no form (the
    word, "3rd", "III" or the number's word, "third-largest" too), or None: a passage
    that never singles out that one ("Each button cycles through a bank of 8 models")
    speaks of the kind, not of it.

    >>> missing_ordinal("How many models does the third bank hold?", "A bank of 8 models.")
    'third'
    >>> missing_ordinal("Who was the 3rd king?", "Charles III was king.")
    >>> missing_ordinal("What is the second largest city?", "It is the second-largest city.")
    >>> missing_ordinal("What happened in the third century?", "In 250 it fell.")
    >>> missing_ordinal("What is its speed in metres per second?", "It does 12 m/s.")
    >>> missing_ordinal("Who sang in the third set?", "In set 3, she sang.")

    Only an ordinal after a determiner or a possessive ("the third", "Henry's second"),
    not "a second", "per second", "second-hand"; its number after the noun it orders
    ("set 3", "Symphony No. 5") writes it too.
    """
    for m in _ORDINAL_ASKED.finditer(asked):
        n = str(ORDINAL_WORDS.index(m["word"].lower()) + 1) if m["word"] else m["n"]
        forms = [*_number_words(n), n + {"2": "nd", "3": "rd"}.get(n, "th")]
        if any(re.search(rf"(?<![\w-]){re.escape(f)}(?!\w)", text, 0 if f.isupper() else re.I)
               for f in forms if f):
            continue
        if m["noun"] and re.search(rf"\b{re.escape(m['noun'])}s?\s+(?:No\.?\s*)?#?{n}"
                                   r"(?![\w.]|\.\d)", text, re.I):
            continue
        return m["ordinal"]
    return None


_ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _number_words(n: str) -> list[str]:
    """A whole number up to 39 as words and Roman numerals write it ("2": "two",
    "second", "II")."""
    if not n.isdigit() or not 0 < int(n) < 40:
        return []
    k, roman = int(n), ""
    for value, letters in _ROMAN:
        while k >= value:
            roman, k = roman + letters, k - value
    words = [w for w, d in WORD_NUMBERS.items() if d == n]
    return [*words, *ORDINAL_WORDS[int(n) - 1 : int(n)], roman]


def number_phrases(text: str, wide: bool = False) -> list[tuple[str, list[str]]]:
    """Each number (digits or a word up to twelve) with the content words that follow
    it: up to two, or up to five with `wide`. A figure in brackets after its words
    ("thirty (30) days") is in its phrase; a numbered item's is not.

    >>> number_phrases("within thirty (30) days"), number_phrases("(3) Members shall vote")
    ([('30', ['day'])], [('3', [])])
    >>> number_phrases("Article 12(3) members"), number_phrases("3) members")
    ([('12', []), ('3', [])], [('3', [])])
    """
    pattern = _NUM_PHRASE_WIDE if wide else _NUM_PHRASE
    text = _SPELT_THEN_DIGITS.sub(r"\1 \2", text)
    return [(norm_number(m.group(1)), content_terms(m.group(2))) for m in pattern.finditer(text)]


# --- names ----------------------------------------------------------------------------

_QUESTION_START = {"what", "which", "who", "whom", "whose", "when", "where", "why", "how",
                   "did", "does", "do", "is", "are", "was", "were", "and", "besides", "in",
                   "on", "at", "according", "as", "after", "before", "if", "can", "could",
                   "should", "would", "will", "has", "have", "had", "name", "list", "give",
                   "tell", "the", "a", "an", "to", "for", "of", "by", "with", "among", "other"}
# capitalised for reasons of their own, in any English text
_GENERIC_CAPS = {"I", "January", "February", "March", "April", "May", "June", "July",
                 "August", "September", "October", "November", "December", "Monday",
                 "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
# Chinese, Japanese and Korean letters, written without spaces between words: a name
# ends where they begin ("Ge Weiwei是广州" names Ge Weiwei, in a Chinese answer)
_CJK_LETTER = (r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
               r"\U00020000-\U0002fa1f]")
_LATIN = rf"(?:(?!{_CJK_LETTER})\w)"  # a letter or digit of any script but those
# a dotted acronym ("U.S.", "D.C."), or a word
# not the letters after a digit: "5XX" (a status class) names nothing
_CAP_WORD = re.compile(rf"\b(?:[A-Z]\.){{2,}}|(?<!{_LATIN})(?:(?!{_CJK_LETTER}){_L})(?:{_LATIN}|['’-])*")


def entities(text: str, joinable=None) -> list[str]:
    """Proper names and acronyms in English text: capitalised words (of any script) not
    starting a sentence (unless a question word can't explain them), joined with the
    capitalised words next to them ("Enric Miralles", "São Paulo").

    `joinable(a, b)`, when given, says whether two neighbouring names make one (a
    collection knows "Jilin" and "Qinghai" as two places).

    >>> entities("What did Tianjin plan for flood season?")
    ['Tianjin']
    >>> entities("Which had the larger GDP, Jiangsu or Shandong?")
    ['GDP', 'Jiangsu', 'Shandong']
    >>> entities("How many people live in Kraków and São Paulo?")
    ['Kraków', 'São Paulo']
    >>> entities("Ge Weiwei是广州CPPCC的委员")
    ['Ge Weiwei', 'CPPCC']
    >>> entities("How many U.S. presidents studied in Washington, D.C.?")
    ['U.S.', 'Washington', 'D.C.']
    >>> entities("How long are 5XX responses of the CDN cached?"), entities("If I'm in Oslo?")
    (['CDN'], ['Oslo'])
    >>> entities("Does the nRF52832 pair with an iPhone at 5 mAh, 3 kWh or 120 mmHg?")
    ['nRF52832', 'iPhone']
    >>> entities("Which pre-Columbian people met in mid-July, with anti-British views?")
    []
    """
    out: list[str] = []
    for m in _CAP_WORD.finditer(text):
        w = m.group(0).rstrip("'’-")
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        if re.fullmatch(r"I['’](?:m|ve|d|ll)", w, re.I):  # "I'm" is no name
            continue
        if not w or not (w[0].isupper() or _camel_name(w, text[max(0, m.start() - 12):
                                                                   m.start()])) \
                or w in _GENERIC_CAPS:
            continue
        if w.lower() in stop_words() or w.lower() in _QUESTION_START:
            continue
        # "Fu Zhibin": join a name to the capitalised word right before it
        if out and _join_ok(out[-1], w, joinable) and re.search(
            rf"(?<!{_LATIN}|-){re.escape(out[-1])} {re.escape(w)}(?!{_LATIN}|-)", text
        ):
            out[-1] = f"{out[-1]} {w}"
            continue
        if w not in out:
            out.append(w)
    return out


def _camel_name(word: str, before: str) -> bool:
    """Whether a word that opens in lower case is a name by a capital inside it, as
    products and chips are written ("nRF52840", "iPhone", "macOS"): of four letters or
    more, or with a digit, so that most units' symbols are not ("mAh", "kWh", "dBm",
    "pH"), and not right after a figure, where a unit's symbol is written ("120 mmHg",
    "-3 dBFS"). Not handled: a longer symbol asked without a figure ("in mmHg")."""
    return (word[0].islower() and "-" not in word and _INNER_CAPITAL.search(word) is not None
            and (len(word) > 3 or any(c.isdigit() for c in word))
            and not _FIGURE_BEFORE.search(before))


# a capital inside a word, after a letter or a digit: not after a hyphen, as a prefix
# writes a name's adjective ("pre-Columbian", "anti-British", "mid-July" are no names)
_INNER_CAPITAL = re.compile(r"[^\W_][A-Z]")
_FIGURE_BEFORE = re.compile(r"\d[\d.,]*\s?$")


def _join_ok(a: str, b: str, joinable) -> bool:
    if a.isupper() or b.isupper() or " " in a and joinable is None \
            or a[0].islower() or b[0].islower():  # "mRNA nRF52840" are two
        return False
    return joinable(a, b) if joinable is not None else True


class Name(str):
    """A name with the other ways a text may write it: "US" is also "U.S.", and
    "United States" in a collection that names it (`Vocabulary.aliases`). `mentions`
    of a Name looks for each of them."""

    aliases: tuple[str, ...] = ()

    def __new__(cls, name: str, aliases: Iterable[str] = ()) -> Name:
        self = super().__new__(cls, name)
        self.aliases = tuple(dict.fromkeys(a for a in aliases if a != name))
        return self


_ACRONYM = re.compile(r"[A-Z]{2,6}|(?:[A-Z]\.\s?){2,6}")


def acronym(name: str) -> str | None:
    """The letters of an acronym, dotted or not ("U.S." and "US": "US"); else None."""
    return re.sub(r"[.\s]", "", name) if _ACRONYM.fullmatch(name) else None


def dotted(name: str) -> str | None:
    """The other spelling of an acronym: "US" -> "U.S.", "U.S." -> "US"."""
    letters = acronym(name)
    if not letters:
        return None
    return ".".join(letters) + "." if letters == name else letters


def mentions(text: str, name: str) -> bool:
    """Whether text names `name` as a word of its own (not inside a hyphenated compound).
    A name typed without its accents matches the accented spelling ("Herve", "Hervé").
    An acronym that is also a common word ("US", "IT", "WHO") must be in capitals.
    A `Name` is also found by its aliases.

    >>> mentions("Hervé served Byzantium.", "Herve"), mentions("Kraków", "Krak")
    (True, False)
    >>> mentions("Tell us more.", "US"), mentions("the U.S. Navy", Name("US", ["U.S."]))
    (False, True)
    """
    names = (name, *getattr(name, "aliases", ()))
    pattern = _name_pattern(names)
    if pattern.search(text):
        return True
    return (not text.isascii() and any(n.isascii() for n in names)
            and pattern.search(unaccented(text)) is not None)


# a parenthesis after a long form or a short form: "Distinguished Encoding Rules (DER)",
# "Abstract Syntax Notation One (ASN.1, as specified by ...)", "DER (Distinguished ...)"
_PAREN = re.compile(r"\(([^()]{1,120})\)")


def expansions(text: str, short: str) -> list[tuple[int, int]]:
    """Where `text` spells out the abbreviation `short`: the spans of its long forms,
    written "Long Form (SHORT)", "SHORT (Long Form)" or "SHORT stands for Long Form".
    A long form's words open with the short form's letters (small words such as "of"
    skipped); for "Long Form (SHORT)", failing that, its letters are found right to left
    in the words before the parenthesis, the first opening a word, as Schwartz and
    Hearst do (PSB 2003), with at most min(n + 5, 2n) words for n letters.

    >>> t = "It reads Distinguished Encoding Rules (DER) and BER (Basic Encoding Rules)."
    >>> [t[a:b] for a, b in expansions(t, "DER") + expansions(t, "BER")]
    ['Distinguished Encoding Rules', 'Basic Encoding Rules']
    >>> t = "Abstract Syntax Notation One (ASN.1, as specified by X.680)"
    >>> [t[a:b] for a, b in expansions(t, "ASN.1")], expansions("the DER (see below)", "DER")
    (['Abstract Syntax Notation One'], [])
    >>> t = "The Ministry of Emergency Management (MEM) met. NATO stands for North Atlantic Treaty Organization."
    >>> [t[a:b] for a, b in expansions(t, "MEM") + expansions(t, "NATO")]
    ['Ministry of Emergency Management', 'North Atlantic Treaty Organization']
    >>> t = 'it yields an "Internal Compiler Error" (or ICE). A time-to-live (TTL for short)'
    >>> [t[a:b] for a, b in expansions(t, "ICE") + expansions(t, "TTL")]
    ['Internal Compiler Error', 'time-to-live']
    >>> [expansions(t, s) for t, s in [("bytes of DER (der[0]..der[n-1])", "DER"),
    ...  ("a report by the UN (under new rules)", "UN"), ("the first quarter (Q1)", "Q1")]]
    [[], [], []]
    """
    out = []
    key = short.casefold()
    for m in _PAREN.finditer(text):
        inside = _ALSO.sub("", re.split(r"[,;]", m.group(1))[0].strip())
        if inside.casefold() == key:  # Long Form (SHORT), "Long Form" (or SHORT)
            base = max(0, m.start() - 200)
            before = text[base : m.start()].rstrip().rstrip(_QUOTES)
            start = _long_form_start(short, before)
            if start is not None:
                out.append((base + start, base + len(before)))
        elif len(inside.split()) > 1 and text[max(0, m.start() - len(short) - 3) : m.start()
                                              ].rstrip().casefold().endswith(key):
            at = text.rfind(short, max(0, m.start() - len(short) - 3), m.start())
            if (at >= 0 and (at == 0 or not text[at - 1].isalnum())  # SHORT (Long Form)
                    and _long_form_start(short, inside, initials_only=True) == 0):
                lo = m.start(1) + m.group(1).index(inside)
                out.append((lo, lo + len(inside)))
    said = rf"(?<![\w.]){re.escape(short)}\s+(?:stands|stood|is short) for\s+(?:the\s+)?([^.,;:()]+)"
    for m in re.finditer(said, text):  # SHORT stands for Long Form
        words = list(re.finditer(r"\S+", m.group(1)))
        for n in range(2, min(len(words), 2 * len(short) + 5) + 1):
            phrase = m.group(1)[: words[n - 1].end()]
            if _long_form_start(short, phrase, initials_only=True) == 0:
                out.append((m.start(1), m.start(1) + len(phrase)))
                break
    return out


# what may stand around a short form in its parenthesis ("(or ICE)", "(TTL for short)"),
# and the quotes around a long form
_ALSO = re.compile(r"^(?:or|i\.e\.,?|aka|a\.k\.a\.,?|also|short)\s+|\s+for short$", re.I)
_QUOTES = "\"'“”‘’«»"

_SMALL_WORDS = frozenset("of and the for on in to at by with de du des la le von van &".split())


def _long_form_start(short: str, before: str, initials_only: bool = False) -> int | None:
    """Where in `before` the long form of `short` that ends it starts, or None."""
    letters = [c.casefold() for c in short if c.isalnum()]
    if not 2 <= len(letters) <= 10 or not any(c.isalpha() for c in letters):
        return None
    spans = [m.span() for m in re.finditer(r"\S+", before)]
    spans = spans[-min(len(letters) + 5, 2 * len(letters)) :]
    if not spans:
        return None
    # first the words' initials, small words skipped ("Ministry of Emergency Management")
    initials = [c for c in letters if c.isalpha()]
    if len(initials) >= 2:
        for a, b in reversed(spans):
            w = before[a:b].lstrip(_QUOTES) or before[a:b]
            a = b - len(w)
            if initials and w[0].casefold() == initials[-1]:
                initials.pop()
                if not initials:
                    return a if _plausible(before[a:], short) else None
            elif w.casefold() not in _SMALL_WORDS:
                break
    if initials_only:
        return None
    base = spans[0][0]
    window = before[base:]
    i = len(window) - 1
    for k in range(len(letters) - 1, -1, -1):
        c, j = letters[k], i
        while j >= 0 and (window[j].casefold() != c
                          or k == 0 and j > 0 and window[j - 1].isalnum()):
            j -= 1
        if j < 0 and c.isdigit() and k > 0:  # "ASN.1": a number may be spelled ("One")
            continue
        if j < 0:
            return None
        i = j - 1
    start = i + 1
    while start > 0 and not window[start - 1].isspace():
        start -= 1
    return base + start if _plausible(window[start:], short) else None


def _plausible(long: str, short: str) -> bool:
    """A long form is words (two or more, each opening with a letter but for small
    words; "time-to-live" is three) and does not hold its short form ("DER
    (der[0]..der[n-1])")."""
    words = [w for w in re.split(r"[\s-]+", long) if w]
    return (len(words) >= 2
            and not re.search(rf"(?<![^\W\d_]){re.escape(short.casefold())}(?![^\W\d_])",
                              long.casefold())
            and all(w[0].isalpha() or w.casefold() in _SMALL_WORDS for w in words))


def without_names(text: str, names: list[str]) -> str:
    """`text` with each of `names` (and their aliases) taken out, and the article or
    possessive that went with it.

    >>> without_names("What is a Contributor under the Mozilla Public License?", ["Mozilla Public License"])
    'What is a Contributor under?'
    """
    for name in names:
        pattern = _name_pattern((name, *getattr(name, "aliases", ())))
        text = re.sub(rf"(?i:\s*\bthe\s+)?{pattern.pattern}(?:'s)?", "", text)
    return re.sub(r"\s+([?.!,;:])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()


@functools.lru_cache(maxsize=4096)
def _name_pattern(names: tuple[str, ...]) -> re.Pattern:
    """One pattern for a name and its aliases, each a word of its own ("Ge Weiwei是广州"
    too), in any case but an acronym that is also a common word."""
    parts = [re.escape(n) if n.isupper() and n.lower() in stop_words()
             else f"(?i:{re.escape(n)})" for n in names]
    # "-MF" after a space is an option, not part of a compound as in "Anglo-Norman"
    return re.compile(rf"(?<!{_LATIN})(?<!{_LATIN}-)(?:{'|'.join(parts)})(?!{_LATIN}|-)")


@functools.lru_cache(maxsize=512)
def unaccented(text: str) -> str:
    """text without its combining accents ("Hervé" -> "Herve", "São" -> "Sao"); other
    letters kept, so the length may differ only where accents were."""
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


# --- sentences ------------------------------------------------------------------------

# a break at each line end (except after a colon), and after each CJK full stop, which
# no abbreviation uses (spaCy's English tokenizer does not cut unspaced CJK text)
_LINE = re.compile(r"(?<!:)\n+|(?<=[。！？])[”’」』]*")
_OPENING = "\"“‘'(["
# an abbreviation that a number or a bracket follows ("Royal Decree No. (M/19)", "Art. 35",
# "Fig. 3", "Sec. 4.2"): no sentence ends there, though spaCy's tokenizer knows none of them.
# Lower case, only those that are no English word ("modern art. 35 pieces" ends a sentence)
_NUMBERED_BY = re.compile(r"(?<![\w.])(?:No|Nos|Nr|Art|Arts|Fig|Figs|Sec|Secs|Eq|Eqs|Ch|Chap|"
                          r"Vol|Vols|Para|Paras|para|paras|Tab|Ref|Refs|Reg|Ex|Op|Pt|"
                          r"approx|ca|cf)\.\s*\Z")
_NUMBER_NEXT = re.compile(r"\s*[\d(#]")
PIECE = 100_000  # spaCy refuses texts over 1,000,000 characters; lines that long are cut


@functools.cache
def _segmenter():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Offsets of the sentences of text[start:end], whitespace trimmed.

    >>> t = "The U.S. Army came c. 1945. Dr. Lee left!\\nNew line"
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['The U.S. Army came c. 1945.', 'Dr. Lee left!', 'New line']
    >>> t = "Issued by Decree No. (M/19). See Art. 35 and Fig. 3. The answer is No. Then go."
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['Issued by Decree No. (M/19).', 'See Art. 35 and Fig. 3.', 'The answer is No.', 'Then go.']
    >>> t = "It holds modern art. 35 pieces are on loan."
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['It holds modern art.', '35 pieces are on loan.']
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in [*_LINE.finditer(text, start, end), None]:
        lo, hi = pos, (m.end() if m and not m.group().startswith("\n") else
                       m.start() if m else end)
        if text[lo:hi].strip():
            cuts = [c for a, b in pieces(text, lo, hi)
                    for c in [a + s.start_char for s in _segmenter()(text[a:b]).sents][1:]
                    + [b]][:-1]
            # the sentencizer leaves an opening quote or bracket at the end of the
            # sentence before it ('repaired. "Reconstruction ...'): it opens the next
            cuts = [c - 1 if text[c - 1] in _OPENING and text[c - 2 : c - 1].isspace() else c
                    for c in cuts]
            cuts = [c for c in cuts if not (_NUMBERED_BY.search(text, max(lo, c - 12), c)
                                            and _NUMBER_NEXT.match(text, c))]
            for a, b in zip([lo, *cuts], [*cuts, hi], strict=True):
                _add(text, a, b, spans)
        if m:
            pos = m.end()
    return spans


def pieces(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """text[lo:hi] in pieces of at most about PIECE characters, cut after a full stop
    and a space where there is one (else anywhere)."""
    out = []
    while hi - lo > PIECE:
        cut = text.rfind(". ", lo, lo + PIECE)
        cut = cut + 2 if cut > lo else lo + PIECE
        out.append((lo, cut))
        lo = cut
    return [*out, (lo, hi)]


def _add(text: str, s: int, e: int, out: list) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


# --- clauses --------------------------------------------------------------------------

def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] cut at the semicolons outside brackets, each part trimmed of
    spaces and a final stop.

    >>> t = "The Normans (Norman: Nourmands; Latin: Normanni) came; Rollo led them."
    >>> [t[a:b] for a, b in clause_spans(t, 0, len(t))]
    ['The Normans (Norman: Nourmands; Latin: Normanni) came', 'Rollo led them']
    """
    cuts, depth = [], 0
    for i in range(start, end):
        ch = text[i]
        if ch in "([{（":
            depth += 1
        elif ch in ")]}）" and depth:
            depth -= 1
        elif ch == ";" and not depth:
            cuts.append(i)
    out = []
    for a, b in zip([start, *(c + 1 for c in cuts)], [*cuts, end], strict=True):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1] in " .":
            b -= 1
        if b > a:
            out.append((a, b))
    return out
