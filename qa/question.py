"""Question analysis: what a question asks about and what kind of answer it needs.

`Question.parse` finds the question's subjects (the names in it, and which of them
are places, from the collection's own vocabulary collected at index time), its
content words, and the answer type it expects from its wording ("when" needs a
time, "who" a person or organisation, "how many" a count, "where" a place, "what is
the default" a passage that says what the default is).
`gives_answer_type` tells whether a text holds an answer of that type: through
spaCy's entity kinds (index/nlp.py), or through the surface forms of dates, counts
and percentages.

Not handled: questions whose type shows only in their meaning ("What did X
propose?" asks for anything), and Chinese questions (typed by nothing: they are
answered through the multilingual index and verified by their numbers and names).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from index.nlp import entities as ner
from index.nlp import tokens as ner_tokens
from index.text import (
    CLOCK,
    MONTHS_SHORT,
    ORDINAL_WORDS,
    WORD_NUMBERS,
    Name,
    clause_spans,
    content_terms,
    entities,
    expansions,
    is_chinese,
    mentions,
    number_phrases,
    numbered_names,
    numbers,
    same_word,
    sentence_spans,
    stem,
    stop_words,
    terms,
)
from index.units import figures_in, symbol_names
from index.vocabulary import PLACE_KINDS, Vocabulary
from index.wordnet import common_word, names_place, personal_role, physical

from .lexicon import Glossary

_MEASURES = (r"\b(budget|cost|costs|funding|funds|amount|population|magnitude|death toll|"
             r"casualties|gdp)\b")
_PHYSICAL = (r"(?:density|temperature|depth|thickness|speed|velocity|mass|weight|height|"
             r"diameter|radius|width|area|volume|pressure|distance|age|elevation|altitude|"
             r"salinity|frequency|wavelength|voltage|capacity)")
# a limit set on something, as the noun asked for and ending its phrase: "the (current
# size) limit of the committee", "the credit limit?", "the (weekly) cap on payments",
# "the (monthly) maximum paid"; in lower case (not "the CAP", "the Threshold Test Ban
# Treaty"), and not a thing so called ("the cap of the mushroom", "the glass ceiling",
# "the limit switch")
_LIMIT = (r"\b(?:what|which) (?:is|was|are|were) (?:the|its|their|his|her|this|that) "
          r"(?:[\w-]+ ){0,2}(?-i:(?:limit|quota|threshold|maximum|minimum)(?= (?:for|on|of|"
          r"under|per|paid|allowed|set|that|in|applied)\b|\W*$)|cap(?= (?:on|for|per)\b))")
# a software version: "In which Node.js version was refresh() added?", "Which version of
# OpenSSL ...?", "Since which release ...?", "Which release added b2sum?" (a change to a
# program; not "Which release date ...", "Which Beatles release was banned?"); the word
# before "version" is a product's name (capitalised): not "which version control system",
# "what version of the story", "what changed in version 2", "the release of the prisoners"
_VERSION_ASKED = re.compile(
    r"\b(which|what) ((?-i:[A-Z])[\w.+-]* )?versions?\b(?! (control|date|notes|history|"
    r"number)\b)(?! of (the|a|an|his|her|its|their|this|that|these|those)\b)|\b(in|since|"
    r"from|until|before|after|with) (which|what) ((?-i:[A-Z][\w+-]*[A-Z.\d][\w.+-]*) )?release\b"
    r"(?! notes?\b)|"
    r"^\W*(which|what) ((?-i:[A-Z][\w.+-]*) )?release (?=(first )?(added|fixed|introduced|"
    r"removed|dropped|deprecated|changed|supported|brought|made)\b)", re.I)
# or a word no English dictionary has, as a program's name is written in lower case:
# "In which rclone version ...?", "Starting with which ripgrep version ...?" (`_VersionAsked`;
# not "which story version", nor "which this version")
_LOWER_PRODUCT_VERSION = re.compile(
    r"\b(?:which|what) (?!(?:the|a|an|this|that|these|those|its|their|his|her|our|your|my)\b)"
    r"((?-i:[a-z])[\w.+-]*[a-z\d]) versions?\b(?! (?:control|date|notes|history|number)\b)",
    re.I)


# or a release named by a lower-case word before it: "In which beta release ...?",
# "Starting with which stable release ...?" (a film's release is one too: `writes_versions`
# decides; not "In which Netflix release ...?")
_WORD_RELEASE = re.compile(r"\b(?:in|since|from|until|before|after|with) (?:which|what) "
                           r"(?!(?:press|news|theatrical|limited|wide|studio|DVD|home|film|album) )"
                           r"(?-i:[a-z][\w.+-]*) releases?\b(?! notes?\b)", re.I)


class _VersionAsked:
    """Whether, and where, a question asks for a software version (`_VERSION_ASKED`, or a
    version of a lower-case name no dictionary has: `_LOWER_PRODUCT_VERSION`, or a release
    named by a word: `_WORD_RELEASE`)."""

    @staticmethod
    def search(question: str) -> re.Match | None:
        if m := _VERSION_ASKED.search(question):
            return m
        return next((m for m in _LOWER_PRODUCT_VERSION.finditer(question)
                     if not common_word(m.group(1)) and not _DERIVED.search(m.group(1))),
                    None) or _WORD_RELEASE.search(question)


# a word made of others, which a dictionary need not list: "re-recorded", "remastered",
# "unrated" are no program's names
_DERIVED = re.compile(r"-|(?<=\w{3})(?:ed|ing|ly)$", re.I)


def asks_version_of_word(question: str) -> bool:
    """Whether a question asks a version only as `_LOWER_PRODUCT_VERSION` or
    `_WORD_RELEASE` reads one ("Which rclone version ...?", "In which beta release
    ...?"): the pipeline keeps that for documents that write versions (`writes_versions`)."""
    return _VERSION_ASKED.search(question) is None and _VERSION_ASKS.search(question) is not None


def writes_versions(text: str, least: int = 3) -> bool:
    """Whether a text writes `least` different software versions or more ("v0.6",
    "0.10.0", "version 4"): a manual, a changelog, an incident report about a program.

    >>> writes_versions("Fixed in v0.6; 0.10.0 and version 4 too."), writes_versions("Vol. 2.")
    (True, False)
    """
    return len(set(VERSION.findall(text))) >= least


_VERSION_ASKS = _VersionAsked()
# the noun a question asks for is not a possessive ("the website's purpose"); nor may a
# noun follow it ("Which website features ...?": `_names_compound`)
_PHRASE_ENDS = r"\b(?!['’]s\b)"
_TYPES = [
    ("choice", re.compile(r"^\s*which\b[^?]*\b\w+,? or \w+", re.I)),
    # "What is the maximum number of workers?" asks a count as "how many" does; not "the
    # jersey number of"
    ("count", re.compile(r"\bhow (many|much)\b|\b(what|which) (is|was|are|were) the ((total|"
                         r"maximum|minimum|average|exact|approximate|overall|combined|estimated|"
                         r"largest|smallest|highest|lowest|greatest|peak|median|typical) )?number of\b|"
                         r"^\s*what number of\b", re.I)),
    # "How long must the offer remain valid?", "How long is the Rhine?": a span of time,
    # or a length (not "how long ago", which asks when)
    # "How quickly after a disclosure should the team be formed?" asks how long after
    # "Within what time frame must reviewers respond?" asks how long too
    ("duration", re.compile(r"\bhow long\b(?! ago\b)|\bhow (quickly|soon)\b|\bwithin (what|which) "
                            r"(time ?frame|timeframe|period|time)\b|\b(what|which) (is |was )?"
                            r"(the )?(time ?frame|timeframe|length of time|amount of time)\b",
                            re.I)),
    # "What is Garvin's date of birth?", "What start date is recorded?", "What is the
    # release date of ...?" ask a date as "what date" does; not "What date format ...?",
    # "What is a birthday attack?", "What is the date command used for?", "What is the
    # significance of the date?", "Which day-to-day tasks ...?"
    ("date", re.compile(r"\b(exact date|what date|which date|on (what|which) day|(what|which) "
                        r"day)\b(?!-)(?! (formats?|ranges?|fields?|types?|columns?|strings?|"
                        r"pickers?|stamps?|palms?|fruits?|headers?|commands?)\b)|"
                        r"^\W*(what|which) (is |was |are |were )?(the |its |their |his |her |this "
                        r"|that )?((?-i:[A-Z])[\w.'’-]* )*([\w.'’-]+['’]s )?((exact|start|starting|"
                        r"end|ending|release|launch|opening|closing|due|effective|expiry|"
                        r"expiration|publication|founding|completion|delivery|original|official|"
                        r"approximate|planned|scheduled|target|final|first|last|next|birth|"
                        r"death) )?(dates?( of (birth|death))?|birthday)(?=\s*\?|\s+(of|for|is|"
                        r"was|are|were|did|does|do|has|had|on|when|that|given|recorded|listed|"
                        r"set|stated)\b)", re.I)),
    ("year", re.compile(r"\b(which|what) (year|century|decade)\b|\bin what (year|century)\b",
                        re.I)),
    # "When a pathogen is eaten, what ...?" asks the "what", not a time
    ("when", re.compile(r"^\s*(by |since |until )?when\b(?!.*\b(what|which|who|whom|where|how)\b)"
                        r"|\bwhen (did|was|were|is|does|do|will)\b"
                        # "What time is recommended ...?", "In which month ...?" (not "What
                        # time zone ...?")
                        r"|^\W*(at |by |from |until )?what time\b(?! (zone|signature|complexity|"
                        r"scale|step|series|limit)s?\b)|\b(which|what) (month|season)\b", re.I)),
    ("percent", re.compile(r"\b(percentage|percent|growth rate|rate of growth|proportion|"
                           r"fraction)\b|\bwhat share of\b", re.I)),
    ("person", re.compile(r"^\s*(who|whom|whose)\b|\b(by|to|from|with) whom\b|\b(which|what) "
                          r"(person|official|expert|governor|member|deputy|director|scholar|"
                          r"king|queen|emperor|president|leader|ruler|pope|bishop|duke|"
                          r"scientist|inventor|engineer|author|writer|philosopher|architect|"
                          r"composer|physician)\b", re.I)),
    ("nationality", re.compile(r"\bnationality\b", re.I)),
    ("place", re.compile(r"^\s*where\b(?!.*\brank)|\bwhich (\w+ ){0,2}(cities|city|provinces|"
                         r"province|regions|region|counties|county|districts|places|country|"
                         r"countries|state|states|town|towns)\b|\bin which (\w+ )?(city|"
                         r"province|region|county|district|country|state|town)\b"
                         # "what" asks for a place only with a noun that names one:
                         # "what state is the fluid in" asks for a state of matter
                         r"|\bwhat (\w+ )?(country|countries|city|cities|town|towns|village|"
                         r"continent|island|islands|river|rivers|province|county|capital)\b",
                         re.I)),
    ("number", re.compile(_MEASURES, re.I)),
    # "What is the default weight?", "Which option is on by default?", "What does it
    # default to?": a manual's setting as it is when nobody sets it; only a passage that
    # says what that is answers ("scripts that require the default version" asks no default)
    # "What is the default port?", "What is ripgrep's default value for --max-columns?"
    ("default", re.compile(r"^(?!\s*why\b).*(\b(is|are|was|were) (the |its |their )?default\b|"
                           r"\b(is|are|was|were) [\w.+-]+['’]s default (?!(on|in|of|by|at|and|"
                           r"was|is|were|are|rate|risk|caused)\b)[\w-]+|\bdefaults? "
                           r"to\b|\bby default\b|\bout of the box\b|\bunless (told|set|"
                           r"specified|configured|instructed) otherwise\b)", re.I)),
    ("version", _VERSION_ASKS),  # after "default": "Which version is on by default?"
    # where to reach someone: "What phone number should officers call?", "Which email
    # address takes courtesy copies?", "What is the project's website?"
    ("phone", re.compile(r"\b(what|which) (is |are )?(the |a |an |its |their |his |her )?"
                         r"([\w'’-]+ ){0,2}(((tele)?phone|fax|contact|mobile) numbers?|hotline|"
                         r"helpline)" + _PHRASE_ENDS + r"|\bwhat number (should|do|does|can|"
                         r"could|must|to) ([\w'’-]+ ){0,2}(call|dial|ring|phone)\b", re.I)),
    ("email", re.compile(r"\b(what|which) (is |are )?(the |a |an |its |their |his |her )?"
                         r"([\w'’-]+ ){0,2}e-?mail address(es)?" + _PHRASE_ENDS, re.I)),
    ("url", re.compile(r"\b(what|which) (is |are )?(the |a |an |its |their |his |her )?"
                       r"([\w'’-]+ ){0,2}(url|website|web site|web address|web page|homepage)s?"
                       + _PHRASE_ENDS, re.I)),
    ("name", re.compile(r"\b(which|what) (meeting|conference|congress|report|document|"
                        r"organi[sz]ation|committee|society|party|company|institute|agency|"
                        r"department|ministry|newspaper|publication|university|church|"
                        r"dynasty|battle|war|treaty|language|religion|body(?! parts?\b)|regulator|"
                        r"authority|court|council|board|commission|federation|association|"
                        r"union|alliance|consortium|forum|foundation|firm)\b", re.I)),
    # a physical measure: "How deep is the crust?", "What is the density of the core?": a
    # figure answers (not "How large a role ...?"; "At what pressure ...?" is answered "at
    # a high pressure" as often); last, so that "What is the default weight?" asks a default
    # So is a limit: "What is the current size limit of the committee?" ("capped at 10
    # members"), "What is the credit limit on the card?", "What is the monthly maximum
    # paid?" (not "What is the maximum penalty?", "What are the limits of the method?")
    ("number", re.compile(r"^\W*how (?:deep|fast|far|thick|hot|cold|warm|old|high|tall|heavy|"
                          r"wide|dense)\b(?! (?:a|an)\b)|\b(?:what|which) (?:is|was|are|were) "
                          r"the (?:\w+ )?" + _PHYSICAL + r" of\b|" + _LIMIT, re.I)),
]
# what a Chinese question asks for, from its interrogatives (grammar words, not a
# collection's vocabulary): "哪一年" which year, "什么时候" when, "多少"/"几个" how many;
# a figure or a time only, which English passages write as English does ("谁" who and
# "哪里" where would need names the multilingual index matches, not words)
_CHINESE_TYPES = [
    ("percent", re.compile(r"百分之(?:几|多少)|百分比|占比|比例是多少|增长率|增幅")),
    ("year", re.compile(r"哪(?:一)?年|什么年份|何年|哪个年份")),
    ("when", re.compile(r"什么时候|何时|几时|哪天|哪一天|什么时间|几月|哪个月")),
    ("duration", re.compile(r"多长时间|多久|多少天|多少年|多少个月|多少小时")),
    ("count", re.compile(r"多少|几(?:个|项|次|条|座|所|名|位|人|家|处|种|台|辆|户|倍)")),
]


_CN_NUMERAL = r"[0-9零〇一二两三四五六七八九十百千万亿半]"
_CHINESE_GIVES = {
    "count": re.compile(_CN_NUMERAL),
    "percent": re.compile(r"\d|百分之|%|％|成"),
    "year": re.compile(r"\d{3,4}|世纪|年代|" + _CN_NUMERAL + r"+年"),
    "when": re.compile(r"\d|" + _CN_NUMERAL + r"+\s*[年月日号点时]|世纪|年代|[春夏秋冬]|季|"
                       r"上午|下午|凌晨|中午|晚上|星期|周[一二三四五六日末]|今年|去年|明年"),
    "duration": re.compile(_CN_NUMERAL + r"+\s*(?:个)?\s*(?:秒|分钟|分|小时|钟头|天|日|周|"
                           r"星期|月|年|世纪)|\d"),
}


def _gives_chinese(expects: str, text: str) -> bool:
    """Whether a Chinese answer gives what a typed question asks: a figure for a count
    or a percentage, a year, a time, a span of time ("马苏理工学院搬到剑桥" gives no
    time for "什么时候"). Other types pass: names in Chinese cannot be matched here."""
    pattern = _CHINESE_GIVES.get(expects)
    return pattern is None or pattern.search(text) is not None


def chinese_answer_type(question: str) -> str | None:
    """What kind of answer a Chinese question asks for, when its interrogative tells.

    >>> chinese_answer_type("北京有多少个项目？"), chinese_answer_type("文章说哪一年灾害频发？")
    ('count', 'year')
    >>> [chinese_answer_type(q) for q in ("滑坡发生在哪里？", "几十年来发生了什么变化？",
    ...                                   "百分之多少的房屋受损？")]
    [None, None, 'percent']
    """
    for name, pattern in _CHINESE_TYPES:
        if pattern.search(question):
            return name
    return None


# the spaCy entity kinds of names, which English capitalises
_NAMED_KINDS = frozenset({"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART",
                          "LAW", "PRODUCT", "LANGUAGE"})
# the spaCy entity kinds that hold an answer of each type (an exact date, a year, a
# percentage and a measured figure are recognised by their written form only)
ENTITY_KINDS: dict[str, frozenset[str]] = {
    "count": frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}),
    "when": frozenset({"DATE", "TIME", "EVENT"}),
    "person": frozenset({"PERSON", "ORG", "NORP", "GPE"}),
    "place": frozenset({"GPE", "LOC", "FAC", "ORG"}),
    "nationality": frozenset({"NORP", "GPE"}),
    "name": frozenset({"ORG", "EVENT", "WORK_OF_ART", "LAW", "FAC", "PRODUCT", "NORP",
                       "LANGUAGE", "PERSON", "GPE"}),
}
# a month is written with its capital; "May" only by a date or after "in", "of", "by"
# ..., since "may", "march" and "August" are words besides ("may publish")
_MONTHS = r"(?-i:January|February|March|April|May|June|July|August|September|October|" \
          r"November|December)"
# a month shortened, as logs, timelines and tables write it: a date only with its day
# beside it ("Feb 22", "3 Sept. 2019"), never alone ("Mar", "Jan" are names too)
_MONTHS_SHORT = MONTHS_SHORT
_MONTH_WORDS = _MONTHS.replace("|May", "") + r"|(?-i:May)(?=,? \d)|(?<=\d )(?-i:May)|" \
    r"(?:in|of|by|since|until|from|through|during|early|late|every|each|last|next|this) " \
    r"(?-i:May)|mid-(?-i:May)"
# a year: 1000-2099, an earlier one after "in", "by", "AD" ... or before "AD"/"BC", a
# century in digits or words, or a year named relatively
_YEAR = re.compile(r"\b(1\d|20)\d{2}s?\b|\b(in|by|from|until|since|c\.|circa|"
                   r"AD|CE) \d{2,3}s?\b|\b\d{1,4} (AD|BC|BCE|CE)\b|\b(\d{1,2}(st|nd|rd|th)|"
                   + "|".join([*ORDINAL_WORDS, "twenty-first"]) + r") century\b|\b(anniversary|"
                   r"end of (the )?year|this year|next year|last year)\b", re.I)
# a number of things, not a year: only after a word that gives an amount ("up to 1000
# domains", "handles 1500 requests", "some 1200 workers"); a year stays a year wherever
# else it stands ("1999 elections were held", "After 1945 refugees ...", "June 1944")
_COUNTED = re.compile(r"(?:\b(?:up to|at least|at most|more than|fewer than|less than|over|under|"
                      r"some|about|around|nearly|almost|approximately|roughly|handles?|handled|"
                      r"supports?|supported)\s+)((?:1\d|20)\d{2})\s+(?!years?\b)"
                      r"(?-i:[a-z]{2,}[^s\W]s)\b", re.I)


def states_year(text: str) -> bool:
    """Whether text gives a year (`_YEAR`), not a count of things that looks like one.

    >>> states_year("It can handle up to 1000 domains."), states_year("in the 2008 elections")
    (False, True)
    >>> states_year("Some 1500 workers and in 1888 a strike."), states_year("1999 elections")
    (True, True)
    >>> [states_year(t) for t in ("After 1945 refugees came.", "In June 1944 troops landed.",
    ...                           "1989 marks the end.", "about 1900 people in 1901")]
    [True, True, True, True]
    """
    counted = {m.start(1) for m in _COUNTED.finditer(text)}
    return any(m.start() not in counted for m in _YEAR.finditer(text))


# "When are the hooks called?", "When should I use it?": what happens every time is
# answered by the condition it happens on ("called when a runtime is removed"), where
# "When was it built?" asks for a time
_HABITUAL = re.compile(r"\s*when (is|are|does|do|should|shall|must|can|may)\b", re.I)
_BARE_VERB_ASKED = re.compile(r"\s*when (does|do|should|shall|must|can|may)\b", re.I)
_CONDITION = re.compile(r"\b(when|whenever|as soon as|if)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?;](\s|$)")


@functools.lru_cache(maxsize=256)
def _asked_verb(question: str) -> str | None:
    """The stem of a habitual when-question's last word when it is a verb or an adjective
    ("called", "unnoticeable"), not the subject itself ("When is the deadline?"). Cached:
    the question is tagged once, not once for each evidence sentence it is checked on."""
    words = [t for t in ner_tokens(question) if t.pos not in ("PUNCT", "PRON", "DET", "PART")]
    if not words:
        return None
    # after "does" or a modal, the last word is the verb, whatever the tagger says: it
    # tags "terminate" in "When does the license terminate?" as a noun
    bare = _BARE_VERB_ASKED.match(question) and words[-1].pos not in ("PROPN", "NUM")
    if words[-1].pos not in ("VERB", "ADJ") and not bare:
        return None
    found = content_terms(words[-1].text)
    return found[0] if found else None


def _condition_on(question: str, text: str) -> bool:
    """Whether text states a condition of the question's last word, its verb: right after
    it, in the same sentence ("These are called when a runtime is removed" for "When are
    the hooks called?"), or opening the sentence that has it ("If your project is small,
    the speed impact is unnoticeable" for "When is the speed impact unnoticeable?")."""
    verb = _asked_verb(question) if _CONDITION.search(text) else None
    if verb is None:
        return False
    for m in _CONDITION.finditer(text):
        before = text[max(0, m.start() - 60):m.start()]
        before = re.split(r"[.!?;]\s", before)[-1]  # this sentence only
        if any(same_word(verb, w) for w in content_terms(before)[-3:]):
            return True
        comma = text.find(",", m.end())
        end = _SENTENCE_END.search(text, m.end())
        stop = end.start() if end else len(text)
        opens = text[: m.start()].rstrip(" \t\n\"'“‘([")
        if (not opens or opens[-1] in ".!?:;") and 0 <= comma < stop and any(
                same_word(verb, w) for w in content_terms(text[comma:stop])):
            return True  # the main clause after "If ...," has the verb
    return False


# "by the time", not "by the GNU Project": "by the" names who did it more often than when;
# a year, not a size ("3700 kbytes", "900,000 bytes", "900 paintings"; "in 589" is a
# year by `_YEAR`)
_WHEN = re.compile(r"\b(" + _MONTH_WORDS + r"|end of|beginning of|before the|after the|by the time|"
                   r"season|anniversary|spring|summer|autumn|winter|century|centuries|decade|"
                   r"(?<![\d,.])(?:1\d{3}s?|20\d\ds?|\d{3}s)(?![,.]\d))\b", re.I)
# a time as software gives one: a release ("for the Bullseye release", "until the Debian 12
# release"; not "The DVD release sold well") or a version ("in v10.2", "since Ninja 1.11",
# "as of version 3"; not "see section 4.2.1")
_RELEASED = re.compile(r"\b(?:for|in|with|until|since|before|after|from|by) the (?:(?-i:[A-Z])"
                       r"[\w.+-]*|\d+(?:\.\d+)*)(?: \d+(?:\.\d+)*)? release\b|"
                       r"\b(?-i:v)\d+(?:\.\d+)*\b|\b(?:version|release)\s+\d+(?:\.\d+)*\b|"
                       r"\b(?:since|as of) (?-i:[A-Z])[\w.+-]*\s+v?\d+(?:\.\d+)+\b", re.I)


# what answers "how long": a figure of a unit of time or length ("at least three years",
# "a 30-day period", "over a century", "255 characters", "6,650 km"), or two years it
# runs between ("from 1271 to 1368", "1939–1945")
_SPAN_UNITS = (r"(?:milli|micro|nano)?seconds?|secs?|(?-i:ms)|minutes?|mins?|hours?|hrs?|days?|nights?|"
               r"weeks?|fortnights?|months?|years?|decades?|centur(?:y|ies)|millenni(?:um|a)|"
               r"generations?|(?:kilo|centi|milli)?met(?:re|er)s?|km|cm|mm|miles?|feet|foot|ft|"
               r"inch(?:es)?|yards?|characters?|bytes?|lines?|pages?")
_SPAN_COUNT = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-)?(?:one|two|three|"
               r"four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
               r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
               r"eighty|ninety|hundred|thousand|dozen|several|many|few|some|numerous|couple of)"
               r"(?: and a half)?")
# "a" or "an" only before a unit of time that is no ordinal ("a second term", "a page")
_SPAN_ONE = (r"an?(?:\s+|-)(?:minute|hour|day|night|week|fortnight|month|year|decade|century|"
             r"millennium|generation)")
_SPAN_ABOUT = (r"(?:(?:at least|at most|more than|less than|fewer than|up to|over|under|about|"
               r"around|nearly|almost|roughly|approximately|some) )?")
_YEAR_NUMBER = r"(?:1\d|20)\d\d"
_DURATION = re.compile(
    rf"\b{_SPAN_ABOUT}(?:(?:(?<![\w.])\d(?:[\d,.]*\d)?(?:\s*|-)|{_SPAN_COUNT}(?:\s+|-))"
    rf"(?:{_SPAN_UNITS})|{_SPAN_ONE})\b|"
    rf"\b(?:from {_YEAR_NUMBER} (?:to|until|through)|between {_YEAR_NUMBER} and) {_YEAR_NUMBER}\b|"
    rf"\b{_YEAR_NUMBER}\s*[–—-]\s*(?:1\d|20)?\d\d\b(?![–—/-]?\d)|"
    # a figure with its unit's symbol, as configurations write one, after a word that
    # introduces a span or a value: "cached for 1s", "a TTL of 300s", "timeout=30s" (not a
    # decade or an age, "in his 20s", "mid-80s", nor "10s of thousands", "iPhone 5s")
    r"(?:(?<=\bfor )|(?<=\bafter )|(?<=\bevery )|(?<=\bwithin )|(?<=\bof )|(?<=\bto )|"
    r"(?<=\bthan )|(?<=\btakes )|(?<=\btook )|(?<=[=:])|(?<=[=:] ))"
    r"(?!(?:1\d|20)\d0s\b)\d{1,4}(?:\.\d+)?(?-i:ms|s|h|min)\b(?!\s+of\b)", re.I)  # not "of 1950s"
# or a span stated without a figure, or by when it ended: "for as long as your account is
# active", "valid as long as you offer spare parts" (not a condition: "not a strict
# bound, as long as reviewers are prompt"),
# "indefinitely", "it stays valid until ...", "continued to use French names well
# into the nineteenth century" (not any "until": "the longest bridge until 1964")
_LASTS = re.compile(r"\b(?:indefinitely|permanently|forever|for life|overnight|for as long as)\b|"
                    r"\b(?:last\w*|remain\w*|valid|continu\w*|runs?|ran|stay\w*|"
                    r"serv(?:e|es|ed|ing)|retain\w*|keeps?|stor(?:e|es|ed|ing)|appl(?:y|ies)|"
                    r"rul\w*|reign\w*|held|kept|lived?|survived?)\b[^.;]{0,100}?(?:\b(?:until|"
                    r"till|as long as)\b|\b(?:into|through|throughout)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
                    r"(?:centur(?:y|ies)|decades?|years?|era|\d{3,4}s?)\b)", re.I)


def lasts(question: str, text: str) -> list[tuple[int, int]]:
    """Where text gives a span of time or a length that answers "how long" (`_DURATION`),
    not written in the question itself ("the Seven Years' War" names the war asked about).

    >>> q = "How long did the Seven Years' War last?"
    >>> [m for m in lasts(q, "The Seven Years' War ended in 1763.")]
    []
    >>> t = "It lasted from 1756 to 1763, some seven years, not thirty-five years."
    >>> [t[a:b] for a, b in lasts(q, t)]
    ['from 1756 to 1763', 'some seven years', 'thirty-five years']
    >>> [lasts(q, t) for t in ("He won a second term.", "It was signed on 1945-05-08.",
    ...                        "A few years afterwards the city fell.")]
    [[], [], []]
    >>> t = "5XX responses are cached for 1s, in the 90s for 300 ms, a TTL of 3600s."
    >>> [t[a:b] for a, b in lasts("How long are they cached?", t)]
    ['1s', '300 ms', '3600s']
    >>> [lasts("How long?", t) for t in ("He moved in his 20s.", "It sold 10s of thousands.",
    ...                                  "The iPhone 5s came out.", "He hit 12 4s.",
    ...                                  "the music of 1950s America")]
    [[], [], [], [], []]
    >>> t = "Three years later the company went bankrupt."
    >>> [t[a:b] for a, b in lasts("How long after the merger did it go bankrupt?", t)]
    ['Three years']
    """
    asked = question.lower()
    between = _HOW_LONG_BETWEEN.search(question) is not None  # "How long after X ...?":
    # "three years later" answers it
    return [m.span() for m in _DURATION.finditer(text) if m.group(0).lower() not in asked
            and (between or not _POINT_AFTER.match(text, m.end()))]


# after a span, a point in time: "a few years afterwards", "two days later", "ten years
# ago" (not "40 minutes later than scheduled", a span between two times)
_POINT_AFTER = re.compile(r"\s+(?:afterwards?|later(?! than)|ago|earlier(?! than)|"
                          r"previously)\b", re.I)
_HOW_LONG_BETWEEN = re.compile(r"\bhow long (?:after|before|since|until|ago)\b", re.I)


# a question about when a version itself came out, which another version does not answer
_RELEASE_ASKED = re.compile(r"\b(released|published|issued|launched|shipped|tagged|"
                            r"(?:came|come|comes|coming) out|made available|dated|announced|"
                            r"adopted)\b", re.I)


def release_asked(q: Question) -> list[tuple[str, str]]:
    """The numbered names whose own release a time question asks for ("When was Node.js
    1.0 released?": ("Node.js", "1.0")); a quote about another release does not answer.

    >>> release_asked(Question.parse("When was Node.js 1.0 released?"))
    [('Node.js', '1.0')]
    >>> release_asked(Question.parse("When was the API of Python 2 removed?"))
    []
    """
    if q.expects not in ("when", "year", "date") or not _RELEASE_ASKED.search(q.text):
        return []
    return numbered_names(q.text)


# "2017-01-31", "July 18", "July 18th", "18 July", "the 18th of July", "27/03/2023",
# "2023/03/27", "27.03.2023"
_DAY, _MONTH = r"(?:0?[1-9]|[12]\d|3[01])", r"(?:0?[1-9]|1[0-2])"
# a date in figures: 2024-03-01, 2024/3/1, 3/1/2024 or 13.1.2024 (a day and a month, either
# way round, and a year of four digits: not a version, "3.10.12", nor a fraction, "1/2/10")
_FULL_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|(?<![\d/.])(?:" + _MONTH + r"([/.])" + _DAY
                        + r"\1|(?:1[3-9]|2\d|3[01])([/.])" + _MONTH + r"\2)\d{4}"
                        r"(?![\d/]|\.\d)|\b\d{4}/" + _MONTH + "/" + _DAY + r"\b|\b(?:("
                        + _MONTHS + r")\s+|(" + _MONTHS_SHORT + r")[ \t]*)\d{1,2}(?:st|nd|rd|th)?\b|"
                        r"(?<![\d.,])\b(?:\d{1,2}|the \d{1,2}(?:st|nd|rd|th)?(?:\s+of)?|"
                        r"\d{1,2}(?:st|nd|rd|th)"
                        r"(?:\s+of)?)\s+(" + _MONTHS + "|" + _MONTHS_SHORT + r")(?!\w)", re.I)
_HOW_MANY = re.compile(
    r"\bhow (?:many|much)\s+(.+?)(?=\s+(?:did|does|do|were|was|will|are|is|has|have|had|in|"
    r"of|could|can|would|should|for|on|at|by|to|that|which|across|after|before|during|"
    r"while|until|since)\b|[?？,]|$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Question:
    """What the checks need to know about a question."""

    text: str
    chinese: bool
    places: list[str]
    names: list[str]  # other proper names and acronyms (GDP, CPPCC, people)
    terms: list[str]  # stemmed content words, English (glossary terms for Chinese)
    quantity: str | None = None  # "How many old districts ..." -> "district"
    expects: str | None = None  # answer type: count, number, percent, year, date, person, ...
    focus: list[str] = field(default_factory=list)  # content words besides the names
    # the abbreviation asked to be spelled out ("What does DER stand for?", expects
    # "expansion"), or asked about alone ("What is ASN.1?"): a passage that spells it
    # out comes first in the evidence
    abbreviation: str | None = None
    # the term whose other name or meaning is asked ("What does isobaric mean?"): a
    # passage that glosses it ("isobaric (constant pressure)") answers
    term: str | None = None

    @classmethod
    def parse(cls, text: str, vocabulary: Vocabulary | None = None,
              glossary: Glossary | None = None) -> Question:
        vocab = vocabulary or Vocabulary()
        if is_chinese(text):
            places, gloss = (glossary or Glossary()).english_terms(text)
            acr = re.findall(r"[A-Z]{2,}", text)
            return cls(text, True, places, acr, content_terms(" ".join(places + gloss)),
                       expects=chinese_answer_type(text))
        ents = entities(text, joinable=lambda a, b: not (_is_place(a, vocab)
                                                         or _is_place(b, vocab)))
        ents = [Name(e, vocab.aliases(e)) for e in _with_entities_of(text, ents)
                if not _opening_word(e, text, vocab) and not _unit_symbol(e, text)]
        places = [e for e in ents if _is_place(e, vocab)]
        names = [e for e in ents if e not in places]
        kind = answer_type(text)
        if kind == "choice" and len(places) + len(names) < 2:
            # "Which countries publish estimates of when deaths occurred or were
            # registered?": the "or" joins two verbs, not two things to choose between
            kind = answer_type(text, skip="choice")
        if kind in _CONTACT and _names_compound(text):
            kind = None  # "Which website features were removed?" asks for features
        if kind == "choice" or len(places) > 1 and re.search(r"\bor\b", text):
            kind = "choice"
        head = quantity_head(text) if kind == "count" else measure_word(text)
        name_terms = set(content_terms(" ".join(ents)))
        all_terms = content_terms(text)
        short, spelled = abbreviation_asked(text)
        if spelled and kind is None:
            kind = "expansion"
        term = None if spelled else gloss_asked(text)
        focus = [t for t in all_terms if t not in name_terms]
        if term:  # "What does Destruction mean?": the term is asked about, "mean" is not
            # ("the means used" is no answer), however the term is written
            frame = set(content_terms(_GLOSS_FRAME))
            all_terms = [t for t in all_terms if t not in frame]
            focus = list(dict.fromkeys(content_terms(term) + [t for t in focus
                                                              if t not in frame]))
        return cls(text, False, places, names, all_terms, head, kind, focus, short, term)


def _unit_symbol(name: str, text: str) -> bool:
    """Whether a name is only a unit's symbol set after a figure ("the +12V rail", "a
    100Hz tone"): no name of anything the documents must write.

    >>> _unit_symbol("V", "the +12V rail"), _unit_symbol("Hz", "a 100 Hz tone")
    (True, True)
    >>> _unit_symbol("V", "Henry V died"), _unit_symbol("Paris", "in 2 Paris shops")
    (False, False)
    """
    return bool(symbol_names(name)) and all(
        re.search(r"\d\s?$", text[max(0, m.start() - 2):m.start()]) is not None
        for m in re.finditer(rf"(?<![^\W\d_]){re.escape(name)}(?!\w)", text))


# an abbreviation: mostly capitals, two or more ("DER", "ASN.1", "TCP/IP", "U.S.", "PhD")
_ABBREVIATION = r"(?-i:(?P<a>(?:[A-Z]\.){2,}|[A-Z][A-Za-z0-9&/-]*[A-Z][A-Za-z0-9&/-]*(?:\.\d+)?))"
_OF_KIND = r"(?:(?:abbreviation|acronym|initialism|term) )?"
_ASKED_END = r"(?: in [^?]*)?\s*[?？.]?\s*$"  # "... stand for in the manual?"
# questions that ask for an abbreviation spelled out, and only that
_SPELLED = [re.compile(p, re.I) for p in (
    rf"^\s*what (?:does|do|did) (?:the )?{_OF_KIND}{_ABBREVIATION} stands? for{_ASKED_END}",
    rf"^\s*what (?:is|was) (?:the )?{_OF_KIND}{_ABBREVIATION} (?:short|an abbreviation|an "
    rf"acronym) for{_ASKED_END}",
    # not "the full name of": "the full name of the CEO" asks for a person
    rf"^\s*what (?:is|was) the (?:full form|long form|expansion|meaning) of (?:the )?"
    rf"{_OF_KIND}{_ABBREVIATION}{_ASKED_END}",
    rf"^\s*what does (?:the )?{_OF_KIND}{_ABBREVIATION} mean{_ASKED_END}")]
# or that ask about one alone: "What is ASN.1?", "What are DERs?"
_ABOUT_ONE = re.compile(rf"^\s*what (?:is|are|was|were) (?:an? |the )?{_ABBREVIATION}\s*[?？]?\s*$",
                        re.I)


# the term whose other name, or meaning, a question asks for ("What does isobaric
# mean?", "What is another term for excessive compression?", "What is a term that means
# constant temperature?", "What is the firebox also called?")
_TERM = (r"(?:(?:the|a|an)\s+)?(?:(?:term|word|phrase|name|expression)\s+)?[\"“'‘]?"
         r"(?P<t>[^?\"”'’]+?)[\"”'’]?")
_END = r"\s*\??\s*$"
# what a question for a term's meaning says besides the term; not the words of one for
# its name ("What are the stages called?" is answered by "These stages were called
# expansions": "called" links them)
_GLOSS_FRAME = "mean means meant meaning meanings definition definitions define defined"
# where the question says the term is used: "... mean under the law?", "in this manual"
_USED_IN = (r"(?:\s+(?:under|in|within|according\s+to|for\s+the\s+purposes?\s+of)\s+"
            r"(?:the|this|these|that|its|our|your)\s+[^?]{1,60}?)?")
_ALSO = r"(?:also|otherwise|sometimes|commonly|often|usually|more commonly)"
_GLOSS_ASKED = [re.compile(p, re.I) for p in (
    rf"^\s*what\s+(?:does|do|did)\s+{_TERM}\s+(?:mean|refer\s+to){_USED_IN}{_END}",
    rf"^\s*what\s+is\s+(?:meant\s+by|the\s+(?:meaning|definition)\s+of)\s+{_TERM}{_USED_IN}"
    rf"{_END}",
    rf"^\s*how\s+(?:does|do|did)\s+(?:the|this|these|that|its|our)\s+[\w\s-]{{1,40}}?\s+"
    rf"define\s+{_TERM}{_END}",
    rf"^\s*how\s+(?:is|are)\s+{_TERM}\s+defined{_USED_IN}{_END}",
    rf"\b(?:another|other|an?\s+alternative|a\s+different|alternate)\s+(?:term|name|word|"
    rf"phrase|expression)s?\s+(?:for|of)\s+{_TERM}{_END}",
    rf"\bsynonyms?\s+(?:for|of)\s+{_TERM}{_END}",
    rf"\banother\s+way\s+(?:of|to)\s+(?:refer(?:ring)?\s+to|say(?:ing)?|call(?:ing)?|"
    rf"describ(?:e|ing))\s+{_TERM}{_END}",
    rf"^\s*(?:what|which)\s+(?:is\s+(?:a|the|an?\s+other)\s+)?(?:term|word|name|phrase)\s+"
    rf"(?:(?:that|which)\s+)?means?\s+{_TERM}{_END}",
    rf"^\s*what\s+(?:is|are|was|were)\s+{_TERM}\s+(?:(?:{_ALSO}\s+)?(?:called|known\s+as|"
    rf"referred\s+to\s+as|termed)){_END}",
    rf"^\s*what\s+(?:do|does|did)\s+(?:we|you|people|[a-z]+(?:ists|ians|ers))\s+call\s+"
    rf"{_TERM}{_END}",
    rf"^\s*what\s+else\s+(?:is|are|was|were)\s+{_TERM}\s+(?:called|known\s+as){_END}",
    rf"^\s*{_TERM}\s+(?:is|are|was|were)\s+{_ALSO}\s+(?:called|known\s+as|referred\s+to\s+as|"
    rf"termed)\s+what{_END}",
)]
# the kind of thing a term is, said before it: "the process of vaccination" is glossed as
# "vaccination (also called immunization)"
_KIND_OF = re.compile(r"^(?:the\s+)?(?:process|practice|act|concept|idea|notion|method|"
                      r"technique|phenomenon)\s+of\s+(?=[^\W\d_]+(?:ion|ing|ism|sis)$)", re.I)
# what no term is: words that end on a preposition or open a clause ("What do customers
# call to report an outage?", "What do engineers call the API with?")
_NO_TERM = re.compile(r"^(?:to|when|if|whether|for)\b|\b(?:for|with|about|to|from|on|in|at|"
                      r"by|of|into)$", re.I)
# a term that only points at something the asker sees ("What does this error mean?")
_POINTING = re.compile(r"^(?:it|this|that|these|those|they|he|she|we|you|my|your|our|its)\b",
                       re.I)


def gloss_asked(question: str) -> str | None:
    """The term whose other name or meaning the question asks for, or None.

    >>> [gloss_asked(q) for q in ("What does isobaric mean?", "What is another term for "
    ...  "excessive compression?", "What is a term that means constant temperature?",
    ...  "What is another way of referring to stators?", "What is the firebox also called?",
    ...  "What's the definition of isobaric?", "The firebox is also known as what?")]
    ['isobaric', 'excessive compression', 'constant temperature', 'stators', 'firebox', 'isobaric', 'firebox']
    >>> [gloss_asked(q) for q in ("What is the ideal cycle called?", "What do engineers call "
    ...  "the static discs?", "What do you call it?", "What did the Normans call the castle?")]
    ['ideal cycle', 'static discs', None, None]
    >>> gloss_asked("What is the process of vaccination also known as?")
    'vaccination'
    >>> [gloss_asked(q) for q in ("What do customers call to report an outage?", "What is "
    ...  "the state of emergency called?", "What do engineers call the API with?")]
    [None, 'state of emergency', None]
    >>> [gloss_asked(q) for q in ("What does Destruction of personal data mean under the law?",
    ...  "How does the policy define open source?", "How is a Controller defined in this Law?")]
    ['Destruction of personal data', 'open source', 'Controller']
    >>> [gloss_asked(q) for q in ("What does the pump do?", "What is the term for the hottest "
    ...  "part?", "What does this error mean?", "What does it mean when the fan is loud?")]
    [None, None, None, None]
    """
    question = re.sub(r"^\s*what[’']s\b", "what is", question, flags=re.I)
    for pattern in _GLOSS_ASKED:
        if (m := pattern.search(question)) and (term := m.group("t").strip()):
            return None if _POINTING.match(term) or _NO_TERM.search(term) \
                else _KIND_OF.sub("", term)
    return None


def abbreviation_asked(question: str) -> tuple[str | None, bool]:
    """The abbreviation a question asks about, and whether it asks for it spelled out
    (else it asks about the abbreviation alone).

    >>> abbreviation_asked("What does DER stand for?"), abbreviation_asked("What is ASN.1?")
    (('DER', True), ('ASN.1', False))
    >>> abbreviation_asked("What is the full form of the NSF?")
    ('NSF', True)
    >>> [abbreviation_asked(q)[0] for q in ("How did NATO expand?", "What is JavaScript?",
    ...                                    "What does GDPR mean for startups?", "What are DERs?")]
    [None, None, None, 'DER']
    """
    for spelled, pattern in [(True, p) for p in _SPELLED] + [(False, _ABOUT_ONE)]:
        m = pattern.match(question)
        if m:
            a = m.group("a")
            if a.endswith("s") and a[:-1].isupper():  # "DERs"
                a = a[:-1]
            letters = [c for c in a if c.isalpha()]
            if sum(c.isupper() for c in letters) * 2 >= len(letters):
                return a, spelled
    return None, False


def _is_place(name: str, vocab: Vocabulary) -> bool:
    return vocab.kind(name) in PLACE_KINDS


def _opening_word(name: str, text: str, vocab: Vocabulary) -> bool:
    """A single capitalised word that opens the question ("Aside from ...", "Along with
    ...") is a name only when the collection knows it as one."""
    return (" " not in name and not name.isupper() and text.lstrip().startswith(name)
            and not vocab.knows(name))


# a command-line option spelled out ("ls --zero", "--kill-after=..."): it names one thing
# as a proper name does, so a question about an option no document has is not answered
# from another option of the same command
_LONG_OPTION = re.compile(r"(?<![\w-])--[A-Za-z][\w-]*[A-Za-z0-9]")
# and a short one ("bc -q", "the -x option", "What does -q do?"): one letter after a dash,
# a word of its own, not followed by its argument ("ninja -t compdb" asks about compdb)
_SHORT_OPTION = re.compile(r"(?<![\w-])-[A-Za-z](?![\w-])(?=\s*(?:$|[^\w\s]|(?:options?|flags?|"
                           r"switch(?:es)?|do|does|did|mean|means|stand|stands|set|sets|"
                           r"control|controls|change|changes|enable|enables|disable|disables|"
                           r"print|prints|show|shows|turn|turns|specify|specifies|is|in|on|"
                           r"of|for|with|and|or|to|the|a|an|rather|than|instead|versus|vs|"
                           r"mode|used|use|work|works|affect|affects|have|has)\b))")


def _with_entities_of(text: str, names: list[str]) -> list[str]:
    """The capitalised names and options ("--zero-width", "-q"), plus the lower-case-led
    names spaCy finds ("the Norse" stays "Norse"); a name inside a longer one is
    dropped."""
    out = list(names) + [o for o in (*_LONG_OPTION.findall(text), *_SHORT_OPTION.findall(text))
                         if o not in names]
    for e in ner(text):
        if e.label in PLACE_KINDS | {"PERSON", "ORG", "NORP", "EVENT", "WORK_OF_ART", "LAW",
                                     "FAC", "PRODUCT"}:
            name = re.sub(r"^(the|a|an)\s+", "", e.text, flags=re.I).removesuffix("'s")
            last = name.split()[-1] if name.split() else ""
            if name and name[0].isupper() and last[:1].isupper() and mentions(text, name) \
                    and not any(mentions(n, name) for n in out):  # not "Chinese" of "Chinese-style"
                out.append(name)
    return [n for n in out if not any(n != m and mentions(m, n) for m in out)]


_WHICH = frozenset({"which", "what"})


def _after_clause(toks, at: int) -> bool:
    """Whether the "which" or "what" at `at` opens the question after a clause set
    before it with a comma, and asks to its end: not a clause set between commas ("Is
    the board, which runs Zephyr firmware, supported?"), nor one whose "which" a verb
    follows ("the product, which uses lithium cells")."""
    return (at > 0 and toks[at - 1].text == "," and at + 1 < len(toks)
            and toks[at + 1].pos not in ("VERB", "AUX")
            and not any(t.text == "," for t in toks[at + 1:]))


@functools.lru_cache(maxsize=1024)
def asked_head(question: str) -> tuple[str, ...]:
    """The noun, with the nouns before it, that "which" or "what" asks for: ("pull",
    "request") of "Which pull request raised the limit?", ("registrar",) of "Which
    registrar was the domain registered with?"; () when none does ("What is ...?", "Which
    of the ...", "What kind of ...?"). The answer to it is often written beside that noun
    ("PR #428 increases the limit", "the registrar NameSilo").

    >>> asked_head("Which pull request raised the per-repo limit to 500?")
    ('pull', 'request')
    >>> asked_head("Through which channel does ripgrep pass the contents?")
    ('channel',)
    >>> asked_head("What is the capital of Poland?"), asked_head("What kind of engine is it?")
    ((), ())
    >>> asked_head("Who founded the company which makes iPhones?"), asked_head("Which user ID?")
    ((), ('user', 'ID'))
    >>> asked_head("When testing it over USB, what behavior should be used?")
    ('behavior',)
    >>> asked_head("Why was the product, which uses lithium cells, recalled?"), asked_head(
    ...     "Who owns Acme, which sells widgets?")
    ((), ())
    """
    toks = ner_tokens(question)
    at = next((i for i, t in enumerate(toks) if t.text.lower() in _WHICH), None)
    if at is None or any(t.pos != "ADP" for t in toks[:at]) and not _after_clause(toks, at):
        return ()  # "the company which makes iPhones" asks nothing: "which" opens the
        # question, follows its preposition ("Through which channel ...?") or a clause
        # set before it ("When testing over USB, what behavior should be used?")
    run: list = []
    for i in range(at + 1, len(toks)):
        t, nxt = toks[i], toks[i + 1] if i + 1 < len(toks) else None
        joined = t.text == "-" or i > at + 1 and toks[i - 1].text == "-"  # "look-alike"
        compound = t.pos == "VERB" and nxt is not None and (nxt.pos in ("NOUN", "PROPN")
                                                            or nxt.text == "-")
        if t.pos in ("NOUN", "PROPN", "ADJ") or joined or compound:
            run.append(t)
        else:
            if t.text.lower() == "of":
                return ()  # "Which kind of ...", "What part of ...": the noun after it
            break
    nouns: list[str] = []
    for t in reversed(run):  # the last noun, and the nouns just before it
        if t.text.isalpha() and (t.pos in ("NOUN", "VERB") and t.text.islower()
                                 or t.pos in ("NOUN", "PROPN") and t.text.isupper()):
            # "ID" too; not a name ("PyPI")
            nouns.insert(0, t.text)
        elif nouns:
            break
    return tuple(nouns)


def names_head(head: tuple[str, ...], text: str) -> bool:
    """Whether text names the noun a question asks for (`asked_head`): by its last word
    ("registrar"), or by its initials in capitals ("PR" for "pull request").

    >>> names_head(("pull", "request"), "PR #428 increases the per-repo limit to 500.")
    True
    >>> names_head(("registrar",), "The domain registrar NameSilo acted."), names_head(
    ...     ("registrar",), "The domain has been taken down.")
    (True, False)
    """
    if not head:
        return False
    if stem(head[-1].lower()) in content_terms(text):
        return True
    return _written_as_initials(head, text)


def _written_as_initials(words, text: str) -> bool:
    """Whether text writes the initials of two words or more in capitals ("PR" for
    "pull request", "TTL" for time-to-live), a plural's "s" allowed."""
    initials = "".join(w[0] for w in words if w).upper()
    return len(words) > 1 and re.search(rf"(?<![\w-]){initials}s?(?![\w-])", text) is not None


def measure_word(question: str) -> str | None:
    """The measured quantity a question asks for ("magnitude", "gdp"), stemmed."""
    m = re.search(_MEASURES, question, re.I)
    if not m:
        return None
    found = content_terms(m.group(1))  # "amount" is a stop word: its stem stands in
    return found[-1] if found else stem(m.group(1).split()[-1].lower())


# a question that asks for a reason, and the words with which English gives one
_WHY = re.compile(r"^\W*(?:(?:please\s+)?explain\s+why\b|why\b|how come\b|for what reasons?\b|"
                  r"what (?:is|was|are|were) the reasons? (?:for|why)\b)", re.I)
_REASON = re.compile(r"\b(?:because|since(?!\s+(?:\d|the\s+\d|then\b|(?:early|late|mid)\b|"
                     + _MONTH_WORDS + r"))|due to|owing to|thanks to|as a result|in order to|"
                     r"so that|so as to|so (?:they|it|we|you|he|she|one) (?:can|could|may|"
                     r"might|will|would)|therefore|hence|thus|the reasons? (?:is|was|are|were|"
                     r"for|why)|caus(?:e|es|ed|ing)|leads? to|led to|leading to|result(?:s|ed|ing)? in|"
                     r"as (?:it|they|there|we|"
                     r"he|she|this|these) (?:is|are|was|were|has|have|had|do|does|did|can|"
                     r"cannot|could|would|will|must))\b", re.I)


def asks_why(question: str) -> bool:
    """Whether the question asks for a reason ("Why ...?", "For what reason ...?")."""
    return _WHY.search(question) is not None


def gives_reason(text: str, question: str | None = None) -> bool:
    """Whether text gives a reason in the words English gives one with ("because", "so
    that", "due to", "as it has ...", "resulting in"); with the question, not a reason
    whose cause is what the question asks to explain ("Why were the emails rejected?":
    "because of the emails being rejected there was no warning" explains the warning).

    >>> gives_reason("It cannot be wrapped as it has variable arity."), gives_reason("It failed.")
    (True, False)
    >>> gives_reason("The team has used Rust since 2019."), gives_reason("It stopped, since it had to.")
    (False, True)
    >>> q = "Why were the emails rejected?"
    >>> gives_reason("Because of the emails being rejected there was no warning.", q)
    False
    >>> gives_reason("DMARC was off, resulting in them being rejected.", q)
    True
    """
    found = list(_REASON.finditer(text))
    return any(not (question and _caused_by_asked(text, m, question)) for m in found)


def explains_other(text: str, question: str) -> bool:
    """Whether text gives what a "why" question asks about only as the cause of something
    else ("because of the emails being rejected there was no warning"): it answers why
    there was no warning, not why they were rejected.

    >>> q = "Why were the emails rejected?"
    >>> explains_other("Because of the emails being rejected there was no warning.", q)
    True
    >>> explains_other("The emails were rejected because DMARC was off.", q)
    False
    >>> explains_other("The mail was rejected because earlier mail was rejected.", q)
    False
    """
    found = list(_REASON.finditer(text))
    return bool(found) and all(_caused_by_asked(text, m, question) for m in found)


def _caused_by_asked(text: str, m: re.Match, question: str) -> bool:
    """Whether the reason marker `m` opens a cause ("because", "due to") whose clause
    holds a verb of the question while the rest of the sentence does not ("The company
    failed because its banks failed" explains the failure)."""
    if not _CAUSE.fullmatch(m.group(0)) or not (verbs := _verbs(question)):
        return False
    clause = re.split(r"[,;:.]", text[m.end():], maxsplit=1)[0]
    rest = text[:m.start()] + text[m.end() + len(clause):]

    def holds(part: str) -> bool:
        return any(same_word(v, t) for v in verbs for t in content_terms(part))

    return holds(clause) and not holds(rest)


_CAUSE = re.compile(r"because|since|due to|owing to|thanks to", re.I)


@functools.lru_cache(maxsize=256)
def _verbs(question: str) -> frozenset[str]:
    """The stems of a question's verbs ("Why were the emails rejected?": "reject")."""
    return frozenset(t for tok in ner_tokens(question) if tok.pos == "VERB"
                     for t in content_terms(tok.text))


def answer_type(question: str, skip: str | None = None) -> str | None:
    """What kind of answer the question asks for, when its wording tells.

    >>> answer_type("How many houses did Jilin rebuild?"), answer_type("Who is the Governor?")
    ('count', 'person')
    >>> answer_type("What did Tianjin plan for flood season?") is None
    True
    """
    for name, pattern in _TYPES:
        if name != skip and pattern.search(question):
            return name
    return None


# "the number of access keys allowed per user": the noun phrase after it, to a function word
_NUMBER_OF = re.compile(
    r"\bnumber of\s+(.+?)(?=\s+(?:the|a|an|that|which|who|you|we|they|i|he|she|it|is|are|was|"
    r"were|did|does|do|will|can|could|would|should|has|have|had|in|on|at|by|for|to|from|with|"
    r"per)\b|[?？,]|$)", re.IGNORECASE)


# English plurals not ending in "s": "How many people lived there?" counts people
_PLURALS_WITHOUT_S = frozenset("people children men women feet teeth mice geese "
                               "criteria phenomena staff personnel police cattle".split())


def quantity_head(question: str) -> str | None:
    """The thing counted by a "how many/much" (or "what is the number of") question,
    stemmed: after "how many", the last plural among the words before the verb (the thing
    counted is plural there).

    >>> quantity_head("How many old districts will Shandong renew?")
    'district'
    >>> quantity_head("How many piston strokes occur in an engine cycle?")
    'stroke'
    >>> quantity_head("What is the maximum number of access keys allowed per user?")
    'key'
    >>> quantity_head("What did Tianjin plan?") is None
    True
    >>> quantity_head("Roughly how many users' data was lost?")
    'user'
    >>> quantity_head("How many people lived in Cambridge in 2020?")
    'peopl'
    >>> [quantity_head(q) for q in ("By how much were the sequences incremented during "
    ...  "recovery?", "How much did Forbes donate to charity?", "How many were killed?")]
    ['increment', 'donat', 'kill']
    >>> quantity_head("How much has the weekly volume of pull requests grown?")
    'request'
    >>> quantity_head("How much of the start of a file does it read?") is None
    True
    """
    m = _HOW_MANY.search(question) or _NUMBER_OF.search(question)
    if not m:
        return None
    if m.group(0).lower().startswith("how much") and m.group(1).lower().startswith("of "):
        return None  # "How much of the file does it read?": a part, in any measure
    found = content_terms(m.group(1))
    if (m.group(0).lower().startswith("how much") and found and found[-1] in _MEASURED_OF
            and re.match(r"\s+of\s", question[m.end(1):])):
        # "how much has the weekly volume of pull requests grown?" counts pull requests:
        # the plural noun that ends the phrase after "of" (not a mass: "the level of the
        # sea", "the amount of money" keep their measure)
        if counted := _counted_after(question, m.end(1)):
            return counted
    if not m.group(0).lower().startswith("how much"):
        plurals = content_terms(" ".join(w for w in m.group(1).split() if len(w) > 3
                                         and w.lower().rstrip("'’").endswith("s")
                                         or w.lower() in _PLURALS_WITHOUT_S))
        found = plurals or found
    return found[-1] if found else None


def _counted_after(question: str, at: int) -> str | None:
    """The stemmed plural noun that ends the noun phrase after the "of" at `at` ("pull
    requests" in "... volume of pull requests grown?"), or None when it ends with
    another word (a mass noun, "the sea rise")."""
    words = [t for t in ner_tokens(question) if t.start > at]
    last = None
    for t in words[1:]:  # past "of"
        if t.pos in ("NOUN", "PROPN"):
            last = t
        elif t.pos not in ("DET", "ADJ", "NUM", "PART") or last is not None:
            break
    return stem(last.text.lower()) if last is not None and last.tag in ("NNS", "NNPS") \
        else None


# what a "how much" question measures things by: "the volume of pull requests" is counted
# in pull requests
_MEASURED_OF = frozenset(content_terms("volume amount quantity level number total count"))
# a figure written without digits: "half as much coal", "twice the speed"
_QUANTITY_WORDS = re.compile(r"\b(half|twice|double|triple|thirds?|quarters?|dozens?|hundreds|"
                             r"thousands|millions|billions|single)\b", re.I)
_YEAR_ONLY = re.compile(r"^(1\d|20)\d\d$")
_MONTH_ASKED = re.compile(r"\b(?:which|what) month\b", re.I)
# "At what time ...?" asks the time of day ("14:17", "in the morning"), not "the day" or a
# year; "at what time of year / in history ..." asks a period
_CLOCK_ASKED = re.compile(r"\bwhat time\b(?!\s+(?:period|frame|span|zone|limit|scale|window|"
                          r"slot|horizon|line)s?\b)(?!\s+(?:of|in)\s+(?:the\s+)?(?:year|season|"
                          r"life|history|period|era|century|month|week)\b)", re.I)


def asks_clock(question: str) -> bool:
    """Whether a question asks the time of day ("At what time did it go live?").

    >>> asks_clock("At what time did the post go live?"), asks_clock("At what time of year?")
    (True, False)
    """
    return _CLOCK_ASKED.search(question) is not None


# a part of the day as a time: "in the morning", "at night", "that evening" (not "the night
# shift", "the evening news")
_DAYPART = re.compile(r"\b(?:in the|at|that|this|each|every|during the|late at|early in the|"
                      r"by|until|before|after)\s+(?:morning|afternoon|evening|night|dawn|dusk|"
                      r"sunrise|sunset)\b(?!\s+(?:shift|news|class|session|service|flight|train|"
                      r"bus)s?\b)|\bovernight\b", re.I)
_DAY_ASKED = re.compile(r"\b(?:which|what) day\b(?! of the (?:month|year)\b)", re.I)
_WEEKDAY = re.compile(r"\b(?-i:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?\b")
# a share written as a fraction: "1/2", "two-thirds", "a quarter", "half of" (not a date
# "7/19/2023" nor "24/7")
_FRACTION = re.compile(r"(?<![\d/.])[1-9]/(?:[2-9]|10)(?![\d/])|\b(?:one|two|three)[ -](?:half|"
                       r"thirds?|quarters?|fifths?|tenths?)\b|\b(?:a|one) (?:half|third|quarter|"
                       r"fifth|tenth)\b|\bhalf (?:of|the)\b", re.I)
_ONE_OF = re.compile(r"(?<![\w-])one of\b", re.I)  # not "twenty-one of"
# a figure and the word after it, in digits or in words: "one hour", "300 pods"
_FIGURE_AND_WORD = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*|" + "|".join(WORD_NUMBERS)
                              + r")\s+([^\W\d_]+)", re.I)
_BRACKETED = re.compile(r"\(\s*[~≈]?\s*([\w.,]{1,12})\s*\)")  # "(three)", "(~7000)"
# where a clause ends, for `counts`; in a table's row ("Year: 2022 | Passengers: 1.5
# million", index/loaders/document.py `table_row`) a cell is a clause, its label and
# figure together
# a clause ends at a comma, a bracket, a colon or a semicolon (and at a sentence's end:
# `_clauses`)
_CLAUSE = re.compile(r"[;:,()]")
_CELL = re.compile(r" \| |[;,()]|:(?!\s*\d)")


# the units a measure is given in, for "how much" of it: "How much memory does it need?"
# is answered by "about 3700 kbytes", "How much time ...?" by "20 minutes"
_UNITS = {
    "memory space storage disk RAM size": "bytes kbytes kilobytes KB KiB megabytes MB MiB "
                                          "gigabytes GB GiB terabytes TB bits",
    "time duration delay latency notice warning wait leave vacation last": "seconds milliseconds ms "
                                                                    "minutes hours days weeks "
                                                                    "months years",
    "money cost price funding budget": "dollars euros pounds yuan yen rupees",
    "energy power electricity": "watts kilowatts megawatts gigawatts kW MW GW kWh MWh GWh "
                                "joules calories horsepower",
    "weight weigh mass": "grams kilograms kg tonnes tons pounds lbs ounces",
    "distance length height depth width": "metres meters kilometres kilometers km miles feet "
                                          "inches yards",
}
_UNIT_OF = {m: frozenset(content_terms(units)) for ms, units in _UNITS.items()
            for m in content_terms(ms)}
# an amount of money by its currency's sign or code: "$13.13 million", "EUR 40", "40 USD";
# not a code before a year ("USD 2020 prices", "the EUR 2019 report")
_CURRENCIES = "USD|EUR|GBP|CHF|JPY|CNY|RMB|AUD|CAD|INR|HKD|SGD|SEK|NOK|DKK"
_CURRENCY = re.compile(rf"[$€£¥₹₩]\s?\d|\b(?:{_CURRENCIES})\s?(?!(?:1[89]|20)\d\d(?![\d,.]))\d|"
                       rf"\d\s?(?:{_CURRENCIES})\b")
# a number that is part of a code's name, an acronym's: "RFC 2689", "PEP 8", "CVE-2021-44228"
# (not an amount of money: "USD 40"; nor a spec sheet's figure, `_measures`: "RAM 16 GB")
_CODE_NUMBER = re.compile(rf"\b(?!(?:{_CURRENCIES})\b)((?-i:[A-Z]{{2,}}))[- ]?\d[\d.-]*\b"
                          r"(\W{0,2}[^\W\d_]*)")


def _measures(after: str, quantity: str | None) -> bool:
    """Whether the word after a figure says what it measures: a unit ("16 GB", "2 GHz")
    or the thing counted ("8 cores" for cores)."""
    word = after.strip(" \t-")
    return bool(word) and (stem(word.lower()) in _ANY_UNIT
                           or (quantity is not None and _same_count(quantity, stem(word.lower())))
                           or bool(re.fullmatch(r"(?-i:[KMGTP]?(?:B|Hz|W|bps)|[km]?m|kg|mA|V)",
                                                word)))
# a figure relative to another ("twice as many", "three times more"), which answers how
# much something grew or how it compares, not how many there are
_RELATIVE_FIGURE = re.compile(r"\b(?:twice|thrice|half|double|triple|(?:\w+|\d+(?:\.\d+)?) times|"
                              r"\d+-fold|\w+fold)\s+(?:as (?:many|much)|more|fewer|less)\b", re.I)
_COMPARISON_ASKED = re.compile(r"\b(?:times|compared?|comparison|relative|than|grow|grew|grown|"
                               r"increas\w*|decreas\w*|rose|risen|rise|fell|fallen|drop\w*|"
                               r"declin\w*|chang\w*|doubl\w*|expand\w*|shr[aiu]nk\w*)\b", re.I)


# people counted by any of their names: "How many people lived there?" by "118,403
# residents" or "a population of 118,403"
_PEOPLE = frozenset(content_terms("people persons residents inhabitants population citizens"))


def _same_count(head: str, word: str) -> bool:
    return same_word(head, word) or head in _PEOPLE and word in _PEOPLE


def counted_in(head: str, word: str, measure: bool = False) -> bool:
    """Whether a word after a figure says what it counts: the thing asked for ("5,529
    houses", "nearly 120,000 residents" for people), or, when `measure` ("how much"), one
    of its units ("3700 kbytes" of memory, "at least 7 days" of notice; "How many times
    ...?" is no measure of time)."""
    return _same_count(head, word) or measure and word in _UNIT_OF.get(head, ())


def measured(question: str) -> bool:
    """Whether a question asks how much of something there is, which a unit answers."""
    return bool(re.search(r"\bhow much\b", question, re.I))


_ANY_UNIT = frozenset().union(*_UNIT_OF.values())


def amount(text: str) -> bool:
    """Whether text gives an amount: of money ("$287.65", "EUR 40"), a share ("5%"), or
    a figure with a unit ("one day", "3700 kbytes").

    >>> amount("Employee-family coverage: $287.65"), amount("We subtracted one day.")
    (True, True)
    >>> amount("It has 12 members."), amount("In 2017, it moved.")
    (False, False)
    """
    return (_CURRENCY.search(text) is not None or re.search(r"\d\s?%", text) is not None
            or any(after[:1] and after[0] in _ANY_UNIT for _, after in number_phrases(text)))


@functools.lru_cache(maxsize=4096)
def _amount_of_deed(question: str, head: str) -> bool:
    """Whether a "how much" question asks the amount of what is done, its counted word a
    verb ("How much is taken out of each paycheck?", "By how much was the series
    shifted?"): any amount answers its type, the passage's words the deed (the
    relevance and the answerability judgement weigh those); not of a thing it names
    ("How much coal ...?"), which the figure must count."""
    if not measured(question) or head in _UNIT_OF:  # "How much does it cost / weigh?"
        return False  # is a measure, its units only
    return any(t.pos == "VERB" and stem(t.text.lower()) == head for t in ner_tokens(question))


def counts(text: str, head: str, measure: bool = False) -> bool:
    """Whether text gives a figure for `head`: a number followed, within five words, by
    it ("5,529 houses", "a four-valve engine"), or a figure in the same clause as it
    ("only 1% to 3% of the turbine power", "half as much coal"); a year is no count.

    >>> counts("It uses half as much coal as before.", "coal")
    True
    >>> counts("The engine, patented in 1849, has valves.", "valv")
    False
    >>> counts("Year: 2022 | Passengers: 1.5 million | Staff: 150", "passeng")
    True
    >>> counts("Passengers rose sharply in 2021: 8,400 crossings were made.", "passeng")
    False
    >>> counts("When one of the triggers is activated, it is added to a list.", "trigger")
    False
    >>> counts("It will require about 3700 kbytes; bunzip2 allocates enough memory.", "memori",
    ...        measure=True)
    True
    >>> counts("bunzip2 then allocates itself just enough memory.", "memori")
    False
    >>> counts("The lake is 2,500 m deep.", "metr"), counts("It ran 3 h, at 40 °C.", "degre")
    (True, True)
    >>> counts("It spent $13.13 million on books.", "money", True), counts("€40", "cost", True)
    (True, True)
    >>> counts("EUR 40 in all", "money", True), counts("in EUR 2020 prices", "money", True)
    (True, False)
    >>> counts("The number of its members shall not be less than (three), and one", "member")
    True
    >>> counts("the total thread count gets high enough (~7000) that CPU usage is high", "thread")
    True
    >>> counts("They must finish 2FA enrollment. These user accounts were safe.", "user")
    False
    >>> counts("In total 241 U.S. Marines were killed.", "marin")
    True
    """
    text = _ONE_OF.sub("of", text)  # "one of the triggers" picks one, it counts none
    # a figure in brackets, as contracts write one, is in its clause: "members shall not
    # be less than (three)"
    text = _BRACKETED.sub(lambda m: f" {m[1]} " if number_phrases(m[1]) else m[0], text)
    if any(any(counted_in(head, w, measure) for w in after)
           for _, after in number_phrases(text, wide=True)) or figures_in(text, head, measure):
        return True  # or a unit's symbol: "How many metres ...?" by "2,500 m"
    if measure and _UNIT_OF.get(head) == _UNIT_OF["money"] and _CURRENCY.search(text):
        return True  # "How much money ...?" by "$13.13 million"
    for clause in _clauses(text):
        if not any(_same_count(head, t) for t in content_terms(clause)):
            continue
        figures = [n for n, _ in number_phrases(clause) if not _YEAR_ONLY.match(n)]
        if figures or _QUANTITY_WORDS.search(clause):
            return True
    return False


def _clauses(text: str) -> list[str]:
    """The clauses of text, each within its sentence (`sentence_spans`, which knows "U.S."
    and "Dr."): "... and 2FA enrollment. These user accounts ..." gives no count of users;
    a table's cells (" | ") are clauses of their own."""
    if " | " in text:
        return _CELL.split(text)
    sentences = ([text[a:b] for a, b in sentence_spans(text)]
                 if re.search(r"[.!?]\s+\S", text) else [text])
    return [c for s in sentences for c in _CLAUSE.split(s)]


def gives_answer_type(q: Question, text: str) -> bool:
    """Whether text holds the kind of answer the question asks for, besides what the
    question itself names.

    With places in the question, only the clauses (`clause_spans`) naming them count
    when any does: a sentence listing three places' figures gives one place's count
    only in its clause. A Chinese answer is read for its digits and numerals only
    (`_gives_chinese`): a figure, a year, a time or a span of time.
    """
    if q.chinese and is_chinese(text):  # an answer the model wrote in Chinese: its
        # figures and times, which Chinese writes in digits or numerals (not its words)
        return not q.expects or q.expects == "choice" or _gives_chinese(q.expects, text)
    if not q.expects or q.expects == "choice":
        return True
    if q.expects == "expansion":
        return bool(q.abbreviation and expansions(text, q.abbreviation))
    parts = [text[a:b] for a, b in clause_spans(text, 0, len(text))]
    clauses = [c for c in parts if any(mentions(c, p) for p in q.places)]
    text = " ".join(clauses) if len(parts) > 1 and clauses else text
    if q.expects == "person" and (label := _LABEL.match(text)) and not any(
            e.label in ENTITY_KINDS["person"] and e.start < label.end()
            for e in _entities_of(text)):
        text = text[label.end():]  # "Next Meeting: March 17, 17:00 UTC" names no one
    if q.expects in ("when", "year", "date"):  # "When does the Last Call for EIP 1884
        # end?": "EIP 1884 is now merged into EIP 1679" gives no year
        text = _own_coded(q.text, text)
    if q.expects == "when" and (_MONTH_ASKED.search(q.text) or _CLOCK_ASKED.search(q.text)):
        # a month by its name, a time by the clock: a year or "the day" alone will not do
        return _surface_type(q, text)
    if q.expects == "person" and (role := _ROLE.search(q.text)) \
            and personal_role(role.group(1)) \
            and any(e.label == "PERSON" for e in _entities_of(text)):
        # "Who was the commanding officer ...?": a person's name, where the text names
        # people (in one that names none, spaCy may have missed it, "Ng Eng Hen", or a
        # country leads: "China is the world leader in ...")
        return _names_person(q, text)
    return _surface_type(q, text) or _entity_type(q, text)


# "Who was the commanding officer of ...?", "Who is the current mayor?": the noun a "who"
# question asks about, which may name an office only a person holds (`personal_role`)
_ROLE = re.compile(r"^\W*who\s+(?:is|was|are|were|has been|had been|will be|became|becomes)\s+"
                   r"(?:the|a|an|its|their|his|her)\s+(?:[\w-]+\s+){0,3}?([a-z]+)(?=\s+(?:of|for|"
                   r"at|in|on|to|from|behind|under|with|during|that|who|whom)\b|\s*\?|$)", re.I)


def _names_person(q: Question, text: str) -> bool:
    """Whether text names a person (spaCy's PERSON) the question does not."""
    names = entities(q.text)
    return any(e.label == "PERSON" and _LETTER.search(e.text) and not e.text.islower()
               and not any(mentions(e.text, n) for n in names)
               for e in _entities_of(text))


_DOTTED = re.compile(r"v?\d+(?:\.\d+)+[a-z\d]*")
_LETTER = re.compile(r"[^\W\d_]")
_LETTERS_AND_DIGITS = re.compile(r"\b(?=\w*[^\W\d_])(?=\w*\d)\w+")
# a place set before a clause as where it happens ("In Cambridge Highlands, the company
# ..."): no one who does it ("The games were held in Rio" may answer who hosted them)
_SETTING = re.compile(r"(?:^|[.;:!?]\s+)(?:in|at|near|inside|within|across|throughout|around)"
                      r"\s+(?:the\s+)?$", re.I)
_WHERE_KINDS = frozenset({"GPE", "LOC", "FAC"})
# a time zone after a clock time ("17:00 UTC", "12:18 EDT"), which spaCy may tag as an
# organisation
_ZONE_AFTER_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?:\s?[ap]\.?m\.?)? ?\(?$", re.I)
_ZONE = re.compile(r"UTC|GMT|Z|CES?T|BST|IST|JST|AEST|[ECMPA][SD]T")


# a label a passage opens with ("Next Meeting: ", "Moderator: "), as a heading that
# states a value has one (`index.loaders.document.states_value`): five words at most
_LABEL = re.compile(r"^[^\W\d_][^\s:]*(?: [^\s:]+){0,4}:\s")


@functools.lru_cache(maxsize=2048)
def _entities_of(text: str) -> tuple:
    """spaCy's entities of text, kept for the next check of the same passage."""
    return tuple(ner(text))


def _entity_type(q: Question, text: str) -> bool:
    """An entity of a kind that answers the question, not named in the question."""
    kinds = ENTITY_KINDS.get(q.expects or "")
    if not kinds or q.expects in ("count", "number") and q.quantity:
        return False  # a count of a named thing is read from its number phrase only
    asked = {w.lower() for w in re.findall(r"\w+", q.text)}
    names = entities(q.text)
    for e in _entities_of(text):
        if e.label in _NAMED_KINDS and (e.text.islower() or not _LETTER.search(e.text)):
            continue  # English capitalises a name: "suffix" tagged as a place is none,
            # and a name has letters: "~10" tagged as an organisation is none
        if e.label in ("DATE", "TIME") and _DOTTED.fullmatch(e.text):
            continue  # "1.0.3", "0.1pl2": spaCy takes a version for a date
        if q.expects == "person" and e.label in _WHERE_KINDS \
                and _SETTING.search(text, 0, e.start):
            continue  # "In Cambridge Highlands, the company ...": where, not who
        if _ZONE.fullmatch(e.text) and _ZONE_AFTER_CLOCK.search(text, 0, e.start):
            continue  # "17:00 UTC", "12:18 EDT": a time zone, no organisation
        if e.label in kinds and {w.lower() for w in re.findall(r"\w+", e.text)} - asked \
                and not any(mentions(e.text, n) for n in names) \
                and not _in_path(text, e.start, e.end) \
                and not _abbreviates_asked(text, e.text, asked):  # "Jiangsu Province"
            return True
    return False


# where something is: a verb of being somewhere, a preposition, a noun ("located in the
# thymus", "normally found in the bloodstream", "buried at sea"; not a verb of keeping:
# "kept in the drive for independence")
_SITUATED = re.compile(r"\b(?:located|found|situated|based|lives?|lived|living|resides?|"
                       r"resided|occurs?|occurred|grows?|grew|housed|buried|born|sits?|lies|lay)\s+(?:[a-z]+ly\s+)?(?:in|at|on|near|inside|within|"
                       r"under|beneath|along|throughout|across)\s+(?:the\s+|a\s+|an\s+|its\s+|"
                       r"their\s+)?(?!(?:general|particular|total|fact|part|short|turn|"
                       r"place|time|case|order|addition|response|contrast|practice|effect)\b)"
                       r"([a-z][\w-]+)\b(?!\s+(?:to|with)\b)", re.I)  # ("in addition to")
_OPENS = re.compile(r"(?:^|[.!?:;]\s+|\n\s*(?:[-*+•]\s+|\d+[.)]\s+)?)$")


def _opens_only(text: str, name: str) -> bool:
    """Whether `name` is one common word that text capitalises only where a sentence or
    an item opens ("Contributors with try permissions ..."): no name."""
    if " " in name or name.isupper() or not common_word(name):
        return False
    return all(_OPENS.search(text, max(0, m.start() - 12), m.start())
               for m in re.finditer(rf"\b{re.escape(name)}\b", text))


# what spaCy may call a name that is no place: a person's, a people's ("African-American"),
# a work's, an event's, a law's or a language's (not a product's: "hosted on GitHub")
_NO_PLACE_KINDS = frozenset({"PERSON", "NORP", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"})
# a title before a person's name ("Dr. Garvin"), which spaCy leaves out of it
_TITLE = re.compile(r"(?:Dr|Mr|Mrs|Ms|Mx|Prof|Sir|Dame|Lady|Lord|Rev|Fr|Gen|Col|Capt|Lt|Sgt|"
                    r"Maj|Adm|Gov|Sen|Rep|Hon|Judge|Justice|President|King|Queen|Prince|"
                    r"Princess|Saint)\.?")
# where a place is put: "relocated to Madison", "born in Pärnu" (spaCy may call it a person)
_PUT_AT = re.compile(r"\b(?:in|at|to|from|into|near|on|via|toward|towards)\s+(?:the\s+)?$", re.I)


def _named_otherwise(text: str, name: str) -> bool:
    """Whether every mention of `name` in text is a name spaCy tags as no place
    (`_NO_PLACE_KINDS`: "his son, Harry"), or a title before a person's (`_TITLE`: "Dr.
    Garvin"); not a part of one ("Santé Publique France", which spaCy takes for a
    person), nor one put where a place is ("relocated to Madison") or that WordNet knows
    as a place; one that describes what follows is none ("in the African-American
    magazine"). A people's name (NORP) counts only so, describing: spaCy also calls "the
    Adriatic" one."""
    found = [(e.start, e.end, e.label) for e in _entities_of(text) if e.label in _NO_PLACE_KINDS]
    spans = [m.span() for m in re.finditer(rf"\b{re.escape(name)}\b", text)]
    if not (found and spans) or names_place(name):
        return False
    def describes(t: int) -> bool:  # "the African-American magazine", "Byzantine hands"
        return re.match(r"\s+[a-z]", text[t:]) is not None

    return all(not (_PUT_AT.search(text, max(0, s - 20), s)  # "to Pärnu", not "in the
                    and not describes(t)) and any(  # African-American magazine"
        (a, b) == (s, t) and (label != "NORP" or describes(t))  # "of the Adriatic" may be
        or label == "PERSON" and t <= a and _TITLE.fullmatch(name)  # a place spaCy
        and re.fullmatch(r"\.?\s{1,2}", text[t:a]) for a, b, label in found)  # calls NORP
        for s, t in spans)


def _abbreviates_asked(text: str, name: str, asked: set[str]) -> bool:
    """Whether `name` is the abbreviation text gives for words of the question ("The
    core-mantle boundary (CMB)" for "Who discovered the core-mantle boundary?"): the
    thing asked about, by another name, not an answer."""
    if not name.isupper():
        return False
    return any({w.lower() for w in re.findall(r"\w+", text[a:b])} <= asked
               for a, b in expansions(text, name))


# where a program keeps something, in words: "in the build root", "under your home
# directory", "into that folder" (a root is a directory only with a word before it: not
# "in the root of the plant")
_STORED_IN = re.compile(r"\b(?:in|into|under|inside|within)\s+(?:the|a|an|your|its|their|that|"
                        r"this|each|every)\s+(?:(?:[\w.-]+\s+){0,3}?(?:directory|directories|"
                        r"folders?|repository|cache)|(?:[\w.-]+\s+){1,3}?root)\b", re.I)
# where a file or page is: a path of two parts at least ("/usr/share/omf", "~/.config/x",
# "C:\\Program Files" as far as its first space) or a web address, ending on a letter, digit
# or slash (not on the full stop after it), or a file named with its extension; it answers
# "Where ...?" as a place name does
_LOCATION = re.compile(r"(?<![\w/])(?:~|\.{1,2})?/[\w.-]+/(?:[\w./-]*[\w/])?|"
                       r"\b[A-Za-z]:\\[\w\\.-]*\w|\bhttps?://[^\s<>\"')]*[\w/]|"
                       # or a document or settings file: "see BUILDING.md", "in config.toml"
                       r"(?<![\w./-])(?:[\w.-]+/)*[\w-]+\.(?i:md|txt|rst|html?|pdf|json|ya?ml|"
                       r"toml|cfg|conf|ini|xml|csv)\b")


# how a text states what a default is, not only that there is one ("the default
# parallelism"): "the default weight is", "80 is the default", "defaults to", "by default",
# "Default timeout: 30 s", "(default 80)", "900,000 bytes (the default)",
# "DEFAULT_WEIGHT=50", "default ... 50", or the condition that brings it ("unless set",
# "if omitted"); not that one may be set ("allows a custom default to be set")
DEFAULT_STATED = re.compile(
    r"\bdefaults? to\b(?! be\b)|\bdefault( [\w-]+){0,3} (is|are|was|were)\b|\b(is|are|was|were) the "
    r"default\b|\bby default\b|\bdefault(?:[ _-][\w-]+){0,3}\s*[:=]|[(\[](the )?default\b|"
    r"\bdefault\b[^.;]*\d|\bunless\b( [\w-]+){0,3} (set|sets|given|specified|overridden|"
    r"configured|changed|provided|passed)\b|\b(if|when)( it is| they are)? (not (set|given|"
    r"specified|present)|unset|omitted|absent|empty)\b", re.I)
# the words that end the attribute a default is asked of ("the default port used by ...")
_ATTRIBUTE_ENDS = frozenset({"of", "for", "in", "on", "at", "by", "to", "from", "with", "that",
                             "which", "when", "is", "are", "was", "were", "does", "do", "used",
                             "one", "value", "values", "setting", "settings"})


# "applied", "assigned" (not "speed"), and the common irregular ones
_PARTICIPLE = re.compile(r"^(?:\w{3,}[^e\W]ed|set|given|chosen|taken|shown|made|kept|built|sent|"
                         r"written|known)$", re.I)


def _names_compound_or_initials(parts: list[str], text: str) -> bool:
    """Whether text writes a hyphenated compound ("time-to-live") whole, or its initials
    in capitals ("TTL"); its last word alone ("go live") is another thing.

    >>> [_names_compound_or_initials(["time", "to", "live"], t) for t in (
    ...     "a default TTL of 300s", "the time to live is 5", "sites go live by default")]
    [True, True, False]
    """
    whole = r"[\s-]+".join(re.escape(p) for p in parts)
    return bool(re.search(rf"(?<![\w-]){whole}(?![\w-])", text, re.I)
                or _written_as_initials(parts, text))


def _default_heads(question: str) -> frozenset[str]:
    """What a default is asked of, stemmed: the last word of the noun after "default"
    ("the default HTTP port of ..." gives "port", "the default priority value" gives
    "priority"); else, before "default to", the noun asked for and the subject, either
    of which a passage may name with the default ("What port does the server default
    to?" is answered by "The server defaults to 8080", "What spec version does the port
    default to?" by "Default ISA spec version was bump to 20191213"); none for "by
    default", "the default value" or "the default for": those name no attribute.

    >>> sorted(_default_heads("What port does the web server default to?"))
    ['port', 'server']
    """
    return frozenset(t for w in _default_words(question) for t in content_terms(w)[:1])


def _default_words(question: str) -> list[str]:
    """`_default_heads` as the question writes them.

    >>> _default_words("What is the default time-to-live applied to objects?")
    ['time-to-live']
    """
    m = re.search(r"\bdefault\s+(.*)", question, re.I)
    nouns: list[str] = []
    for w in re.findall(r"[^\W\d_][\w-]*", m.group(1)) if m else []:
        if w.lower() in _ATTRIBUTE_ENDS or nouns and _PARTICIPLE.search(w):
            break  # "the default time-to-live applied to ...": a participle ends the noun
        nouns.append(w)
    words = nouns[:3][-1:]
    if not words and (m := re.search(r"([^\W\d_][\w-]*)\s+defaults?\s+to\b", question, re.I)):
        words = [m.group(1)]
        if asked := re.search(  # the noun asked for: "What spec version does ..."
                r"^\W*(?:what|which)\s+(?:[^\W\d_][\w-]*\s+){0,3}?([^\W\d_][\w-]*)\s+(?:does|"
                r"do|did|will|would|should|can|is|are|was|were)\b", question, re.I):
            words.append(asked.group(1))
    return [w for w in words if w.lower() not in _ATTRIBUTE_ENDS]


# a software version as a text writes it: "v10.2.0", "v18", "2.30.1", "1.1.1w", "version
# 3", "release 2.4", a package's "coreutils-9.0" (not "Table-1.1"), or what is available since or as of one ("since Ninja 1.11", "as of
# CMake 2.8"); a decimal alone ("1.5 million", "2.5 times", "since 2.5 km") or a date
# ("12.03.2020") is none
VERSION = re.compile(r"\b(?-i:v)\d+(?:\.\d+)*[a-z]?\b|(?<![\w.])\d+\.\d+(?:\.\d{1,3}){1,2}[a-z]?"
                     r"(?![\w.]?\d)|\b(?-i:[a-z][a-z\d+]*)-\d+\.\d+(?:\.\d+)*[a-z]?(?![\w.]?\d)|\b(?:version|release)\s+\d+(?:\.\d+)*[a-z]?\b|"
                     r"(?:(?<=\bsince )|(?<=\bas of ))(?-i:[A-Z])[\w.+-]*\s+\d+\.\d+[a-z]?\b"
                     r"(?![\w.]?\d)", re.I)
VERSION_NUMBER = re.compile(r"\d+(?:\.\d+)*")


# what a heading that is a time or a version may hold besides: a zone, a weekday, a word
# that says what the figure is ("Version 1.4.0", "Release 2", "Week of")
_STAMP_WORDS = re.compile(r"\b(?:UTC|GMT|CES?T|[ECMP][SD]T|Z|version|release|v|at|on|of|week|"
                          r"day|(?-i:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b", re.I)


def has_day(text: str) -> bool:
    """Whether a text gives a day of a month ("Feb 22", "22 February", "2018-02-20").

    >>> has_day("## Feb 22, 07:13"), has_day("07:18"), has_day("0.10.0 (2018-09-07)")
    (True, False, True)
    """
    return bool(day_spans(text))


def day_spans(text: str) -> list[tuple[int, int]]:
    """Where a text gives a day of a month.

    >>> day_spans("Feb 22, 07:13 … 07:18")
    [(0, 6)]
    """
    return [m.span() for m in _FULL_DATE.finditer(text)]


def is_stamp(heading: str) -> bool:
    """Whether a heading is a time, a date or a version and nothing else (a note in
    brackets aside), as a timeline's, minutes' or changelog's headings are.

    >>> [is_stamp(h) for h in ("Feb 20 2018 14:17", "22:52 (maybe earlier?)", "17:00-18:00",
    ...  "2025-07-26 Saturday", "## [1.4.0] - 2024-03-01", "Version 2.1", "2019")]
    [True, True, True, True, True, True, True]
    >>> [is_stamp(h) for h in ("Summary", "Plans for 2025", "Installing on Windows Server 2019",
    ...  "Step 2: after the restart", "Summer school", "2X:XX (not sure exact time)")]
    [False, False, False, False, False, False]
    """
    rest = re.sub(r"\([^)]*\)", " ", heading)
    found = False
    for rx in (_FULL_DATE, CLOCK, VERSION, _DOTTED, _YEAR_ALONE):
        rest, n = rx.subn(" ", rest)
        found = found or n > 0
    rest = _STAMP_WORDS.sub(" ", rest)
    return found and not re.search(r"[^\W_]", rest)


_YEAR_ALONE = re.compile(r"(?<![\w.])(?:1\d|20)\d\d(?![\w.]?\d)")


def _versioned(question: str) -> str | None:
    """The product a version question asks about: "Which Node.js version ..." gives
    "Node.js", "Which version of OpenSSL ..." gives "OpenSSL"."""
    m = (re.search(r"\b(?:which|what) ((?-i:[A-Z])[\w.+-]*) versions?\b", question, re.I)
         or re.search(r"\bversions? of ([\w.+-]+)", question, re.I))
    if m is None and (v := _VERSION_ASKS.search(question)) and v.re is _LOWER_PRODUCT_VERSION:
        return v.group(1)  # "Which rclone version ...?"
    return m.group(1) if m else None


def versions(question: str, text: str) -> list[tuple[int, int]]:
    """The spans of text that give a version the question does not name itself: as
    `VERSION` reads one, or the product asked about with a number ("Python 3", "OpenSSL
    1.1.1"); "Since 2.0" gives none to "Which version came after 2.0?"."""
    named = set(VERSION_NUMBER.findall(question))
    spans = [m.span() for m in VERSION.finditer(text)]
    product = _versioned(question)
    if product:
        spans += [m.span() for m in re.finditer(
            rf"(?<![\w.]){re.escape(product)}\s+v?\d+(?:\.\d+)*[a-z]?\b", text, re.I)]
    return sorted(sp for sp in set(spans) if VERSION_NUMBER.search(text, *sp).group(0) not in named)


def _in_path(text: str, start: int, end: int) -> bool:
    """Whether a span is part of a file path or an identifier ("triggers/Unincorp",
    "lib_Foo"), which names no person, place or organisation whatever spaCy tags it."""
    before, after = text[max(0, start - 2) : start], text[end : end + 2]
    return (before[-1:] in ("/", "\\") or after[:1] in ("/", "\\")
            or before[-1:] == "_" and before[:1].isalnum()  # "lib_Foo", not "_Linus_"
            or after[:1] == "_" and after[1:].isalnum())


# a rate asked for: "How many megabytes per second ...?" is answered by "about 8 MB per
# second", "30 MB/s", "400 a day", not by "a 4 megabyte machine"
_PER = re.compile(r"\bper (?!cent\b|the\b|a\b|an\b)([^\W\d_]+)", re.I)
# a rate in one word ("hourly"), and what else a rate is said per ("per person" for
# "per capita")
_RATE_WORDS = {"hour": "hourly", "day": "daily", "week": "weekly", "month": "monthly",
               "year": "yearly annually annual"}
_PER_ALSO = {"capita": "person head resident inhabitant citizen"}


def _gives_rate(question: str, text: str) -> bool:
    m = _PER.search(question)
    if not m:
        return True
    unit = stem(m.group(1))
    per = {unit, *(stem(w) for w in _PER_ALSO.get(unit, "").split())}
    rate = {stem(w) for w in _RATE_WORDS.get(unit, "").split()}
    # "per year", "a year", "each year", "$3,300/year"
    written = [w for pair in re.findall(r"\b(?:per|a|an|each|every) ([^\W\d_]+)|(?<=\d)/"
                                        r"([^\W\d_]+)", text, re.I) for w in pair if w]
    said = [stem(w) for w in written]
    return (bool(re.search(r"\d\s*[^\W\d_]{1,3}/[^\W\d_]{1,3}\b", text))  # "30 MB/s"
            or any(same_word(p, w) for p in per for w in said)
            or any(stem(w) in rate for w in re.findall(r"[^\W\d_]+", text))
            # a unit's symbol: "per kWh" for "per kilowatt hour"
            or any(n.split("_")[0] == unit for w in written for n in symbol_names(w)))


# how a phone number (seven digits or more, grouped as people write them), an email
# address and a web address are written
_CONTACT = {
    # a number after a word for one ("Tel: 020 7946 0958", "call 911"), or written with
    # its country code ("+1 415 448 6673"); not a date, a range of years or an address
    "phone": re.compile(r"\b(?:call|dial|ring|phone|telephone|tel\.?|fax|mobile|hotline|"
                        r"helpline|number)\b\W{0,3}(?:is\s+|at\s+|on\s+)?(\+?\(?\d[\d\s().-]{1,20}"
                        r"\d)|(?<![\w.+])(\+\d[\d\s().-]{6,20}\d)", re.I),
    "email": re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "url": re.compile(r"\bhttps?://\S+|\bwww\.[\w-]+\.\S+|(?<![\w.-])(?=[\w-]*[a-z])(?:[\w-]+\.)+"
                      r"(?:com|org|net|gov|edu|int|io|dev|info)\b(?:/\S*)?", re.I),
}


_CONTACT_NOUNS = frozenset("number numbers hotline helpline address addresses url urls "
                           "website websites site sites page pages homepage".split())


def _names_compound(question: str) -> bool:
    """Whether the question's word for a phone number, an email or a web address is
    followed by a noun it modifies ("Which website features ...?", "the mobile number
    portability rule").

    >>> _names_compound("Which website features were removed?")
    True
    >>> _names_compound("Which email address takes courtesy copies?")
    False
    """
    toks = ner_tokens(question)
    at = [i for i, t in enumerate(toks) if t.text.lower() in _CONTACT_NOUNS]
    return bool(at) and at[-1] + 1 < len(toks) and toks[at[-1] + 1].pos in ("NOUN", "PROPN")


def _contacts(kind: str, text: str) -> list[str]:
    """The phone numbers (three digits or more, none a year alone), email addresses or
    web addresses text gives."""
    found = [m.group(m.lastindex or 0) for m in _CONTACT[kind].finditer(text)]
    if kind == "phone":
        found = [f for f in found if sum(c.isdigit() for c in f) >= 3
                 and not _YEAR_ONLY.match(f.strip())]
    return found


# a capitalised name with a number ("EIP 1884", "Windows 2000", "Meeting 60"), not a month
# or a day with its year or date ("May 2019"), nor an era ("AD 1066")
_CODED = re.compile(r"(?<![\w.-])([A-Z][\w+]*)[ -](\d{1,4})(?![\w.,]\d|\w)")
_ERAS = frozenset({"AD", "BC", "BCE", "CE"})
_ADDRESS = re.compile(r"\bhttps?://\S+|\bwww\.\S+")
_CALENDAR_WORD = re.compile(rf"(?:{_MONTHS}|{MONTHS_SHORT}|(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|"
                            r"Fri|Sat(?:ur)?|Sun)(?:day)?)\.?", re.I)


def _own_coded(question: str, text: str) -> str:
    """text without web addresses and without the numbers of the series that the
    question numbers a name of ("EIP 1884"): the number of the thing asked about, or of
    another of its series ("merged into EIP 1679"), is no time, nor is a page's address.

    >>> _own_coded("When does the Last Call for EIP 1884 end?", "EIP 1884 is now merged "
    ...            "into EIP 1679, see https://eips.example.org/EIPS/eip-1844 .")
    ' is now merged into , see   .'
    >>> _own_coded("When was Windows 2000 released?", "Windows 2000 came out in February 2000.")
    ' came out in February 2000.'
    >>> _own_coded("What happened in May 2019?", "In May 2019 it closed.")
    'In May 2019 it closed.'
    """
    text = _ADDRESS.sub(" ", text)
    for m in _CODED.finditer(question):
        word = m[1]
        if word in _ERAS or _CALENDAR_WORD.fullmatch(word):
            continue
        text = re.sub(rf"(?<![\w.-]){re.escape(word)}[ -]\d+(?![\w.,]\d|\w)", "", text)
    return text


def _surface_type(q: Question, text: str) -> bool:
    if q.expects in ("count", "number") and not _gives_rate(q.text, text):
        return False
    if q.expects == "count":  # numbered names as the question's count nothing: "How many
        for name, _ in numbered_names(q.text):  # Python 2 packages remain?", "Python 3"
            text = re.sub(rf"\b{re.escape(name)}\s*\d+(?:\.\d+)*\b", name, text, flags=re.I)
        text = _CODE_NUMBER.sub(lambda m: m[0] if _measures(m[2], q.quantity) else m[1],
                                text)  # nor does a code's: "RFC 2689" ("RAM 16 GB" does)
        if not _COMPARISON_ASKED.search(q.text):  # "twice as many pull requests" compares,
            text = _RELATIVE_FIGURE.sub(" ", text)  # it counts none
        for m in _FIGURE_AND_WORD.finditer(q.text):  # a figure the question states itself
            # ("... deleted for being older than one hour?") counts nothing in the text
            same = {m[1].lower(), *(k for k, v in WORD_NUMBERS.items() if m[1] in (k, v)),
                    WORD_NUMBERS.get(m[1].lower(), m[1])}  # "one hour" is "1 hour"
            written = "|".join(re.escape(x) for x in sorted(same))
            text = re.sub(rf"(?<![\w.,])(?:{written})\s+{re.escape(m[2])}\b", m[2], text,
                          flags=re.I)
        if q.quantity:
            return counts(text, q.quantity, measured(q.text)) or (
                _amount_of_deed(q.text, q.quantity) and amount(text))
        return bool(numbers(text) or q.chinese and number_phrases(text))
    if q.expects == "number":  # a figure in the same clause as the measure asked for, in
        # digits or words ("two days after everywhere else" for "How far behind ...?"), not
        # one of the question's own words of letters and digits ("the 37signals Visa
        # card"; a figure alone may be the answer: "the speed limit on Route 50" is 50)
        asked = {w.casefold() for w in _LETTERS_AND_DIGITS.findall(q.text)}
        text = _LETTERS_AND_DIGITS.sub(lambda m: "" if m[0].casefold() in asked else m[0], text)
        return any((re.search(r"\d", c) or any(n != "1" for n, _ in number_phrases(c)))
                   and (not q.quantity or q.quantity in terms(c))
                   for c in re.split(r"[,;]", text))
    if q.expects == "percent":  # or a fraction: "a 1/2 maximal representation", "a third"
        return "%" in text or "percent" in text.lower() or _FRACTION.search(text) is not None
    if q.expects == "duration":
        return bool(lasts(q.text, text)) or _LASTS.search(text) is not None
    if q.expects == "year":
        return states_year(text)
    if q.expects == "date":  # or a day of the week for "On which day (of the week) ...?"
        return bool(_FULL_DATE.search(text) or _DAY_ASKED.search(q.text)
                    and _WEEKDAY.search(text))
    if q.expects == "when" and _CLOCK_ASKED.search(q.text):
        return bool(CLOCK.search(text) or _DAYPART.search(text))
    if q.expects == "when" and _MONTH_ASKED.search(q.text):  # "In which month ...?": a month
        return bool(re.search(rf"\b(?:{_MONTH_WORDS})\b", text, re.I) or _FULL_DATE.search(text))
    if q.expects == "when":
        # a version answers "When was --foo added?", not "When was 1.0.3 released?", nor
        # the version the question names ("When was the chart updated to v0.6?")
        named = {VERSION_NUMBER.search(m[0])[0] for m in VERSION.finditer(q.text)}
        return bool(states_year(text) or _WHEN.search(text) or CLOCK.search(text)
                    or not (VERSION.search(q.text) and _RELEASE_ASKED.search(q.text))
                    and any((n := VERSION_NUMBER.search(m[0])) is None or n[0] not in named
                            for m in _RELEASED.finditer(text))
                    or _HABITUAL.match(q.text) and _condition_on(q.text, text))
    asked = entities(q.text)

    def new(e: str) -> bool:  # not a name of the question, nor one built on it ("X Province")
        return not e.isupper() and not any(mentions(e, a) for a in asked)

    if q.expects == "place":  # a named place (not a person's name), where a file or page
        # is, a web address ("hosted on static.rust-lang.org"), or a physical thing where
        # something is found ("located in the thymus", "found in the bloodstream")
        return any(new(e) and not _named_otherwise(text, e) and not _opens_only(text, e)
                   for e in entities(text)) or any(
            f.lower() not in q.text.lower() for f in _contacts("url", text)) or any(
            stem(m[1].lower()) not in q.terms and m[1].lower() not in stop_words()
            and physical(m[1]) for m in _SITUATED.finditer(text)) or any(
            m.group(0) not in q.text for m in _LOCATION.finditer(text)) or any(
            m.group(0).lower() not in q.text.lower() for m in _STORED_IN.finditer(text))
    if q.expects == "name":  # a capitalised word the question does not have
        words = {w.lower() for w in re.findall(r"\w+", q.text)}
        return any(w.lower() not in words
                   for w in re.findall(r"(?<=[a-z,] )[^\W\d_][\w'’-]*", text) if w[0].isupper())
    if q.expects == "person":  # a name of two words or more, not a place set as where
        where = [e.text for e in _entities_of(text) if e.label in _WHERE_KINDS
                 and _SETTING.search(text, 0, e.start)]  # ("Cambridge Highlands")
        return any(" " in e and new(e) and not any(e.startswith(w) for w in where)
                   for e in entities(text))
    if q.expects in _CONTACT:  # a number to call, an address to write to, a page to open
        return any(f not in q.text for f in _contacts(q.expects, text))
    if q.expects == "version":  # a version the question does not name
        return bool(versions(q.text, text))
    if q.expects == "default":  # stated of what is asked: "the default weight", not priority
        heads = _default_heads(q.text)  # and a default version is a version; a compound
        compounds = [w.split("-") for w in _default_words(q.text) if "-" in w]  # or its TTL
        return any(DEFAULT_STATED.search(c) and (not heads or any(
            same_word(h, t) for h in heads for t in content_terms(c))
            or any(_names_compound_or_initials(w, c) for w in compounds))
            for c in re.split(r";", text)) \
            and (not _VERSION_ASKS.search(q.text) or bool(versions(q.text, text)))
    if q.expects == "nationality":  # a people's or a country's name: spaCy's entities only
        return False
    return True
