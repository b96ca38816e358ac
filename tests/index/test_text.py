"""The text primitives (index/text.py): script, words, numbers, names, sentences, clauses."""

from hypothesis import given
from hypothesis import strategies as st

from index.text import (
    clause_spans,
    content_terms,
    entities,
    is_chinese,
    mentions,
    number_phrases,
    numbers,
    recall_of,
    sentence_spans,
    stem,
    stop_words,
    terms,
    words,
)


def test_script():
    assert is_chinese("天津汛期") and is_chinese("What about 天津?")
    assert is_chinese("㐀")  # CJK extension A
    assert not is_chinese("Kraków, São Paulo, Töregene Khatun")


def test_stop_list_keeps_words_that_carry_meaning_and_drops_framing():
    stop = stop_words()
    assert {"the", "of", "which"} <= stop
    assert not {"first", "before", "three", "most", "few"} & stop  # order, time, number
    assert {"according", "text", "passage", "mentioned"} <= stop  # "according to the text"


def test_bm25_terms_stem_split_compounds_and_leave_out_cjk():
    assert terms("The first floods, according to the text") == ["first", "flood"]
    assert terms("Tianjin-Hebei roads") == ["tianjin-hebei", "tianjin", "hebei", "road"]
    assert terms("flood flood 天津 floods") == ["flood", "flood", "flood"]
    assert terms("Kraków's U.S. projects") == ["kraków", "u.s", "project"]
    assert [stem(w) for w in ("rebuilding", "counties", "houses", "is")] == [
        "rebuild", "counti", "hous", "is"]
    # singular and plural meet (the old suffix stripper gave "engin" and "engine")
    assert stem("engines") == stem("engine") and stem("valves") == stem("Valve's")


def test_content_terms_keep_compounds_whole_and_drop_repeats():
    assert words("天津 planned 43") == ["天", "津", "planned", "43"]
    assert content_terms("Beijing-Tianjin-Hebei plans, plans and a plan") == [
        "beijing-tianjin-hebei", "plan"]
    assert content_terms("天津 a b") == ["天", "津"]  # single letters are dropped, CJK kept
    assert recall_of("Tianjin repair projects", "Tianjin repaired 43 projects") == 1.0
    assert recall_of("Tianjin flood projects", "Tianjin repaired 43 projects") == 2 / 3
    assert recall_of("the of", "anything") == 0.0


def test_numbers_normalised():
    assert numbers("12.82 trillion, 5,529 houses, 1.22 landslide, in 2023.") == {
        "12.82", "5529", "1.22", "2023"}
    assert numbers("12.820 yuan, 5.8%") == {"12.82", "5.8"}
    # glued to letters, a number is a name or a rank, not a figure
    assert numbers("the 3rd G20 summit, 10km") == set()


def test_number_phrases():
    assert number_phrases("Jilin rebuilt 5,529 houses and three bridges in 2023") == [
        ("5529", ["hous"]), ("3", ["bridg"]), ("2023", [])]
    assert number_phrases('43 "water damage" repair projects', wide=True) == [
        ("43", ["water", "damag", "repair", "project"])]


def test_entities():
    assert entities("What did Tianjin plan for flood season?") == ["Tianjin"]
    assert entities("Who is Fu Zhibin of the Beijing CPPCC?") == ["Fu Zhibin", "Beijing", "CPPCC"]
    assert entities("How many houses were rebuilt?") == []
    # a collection that knows two places keeps them apart
    assert entities("Did Jilin Qinghai plan?", joinable=lambda a, b: False) == ["Jilin", "Qinghai"]


def test_mentions_ignores_hyphenated_compounds():
    assert not mentions("the Beijing-Tianjin-Hebei region", "Hebei")
    assert mentions("Hebei Provincial CPPCC", "Hebei")
    assert mentions("hebei's plan", "Hebei") and not mentions("Hebeiese", "Hebei")
    # a command-line option is no compound: "-MF" and "--MF" name MF
    assert mentions("gcc -MD -MF $out.d", "MF") and mentions("pass --MF to it", "MF")
    assert not mentions("an Anglo-MF link", "MF")


def test_sentences_keep_quotes_and_decimals():
    t = 'He said "go now." Then the "1.22" landslide. Next one!'
    assert [t[s:e] for s, e in sentence_spans(t)] == [
        'He said "go now."', 'Then the "1.22" landslide.', "Next one!"]
    # a part of the text, in its own offsets
    assert [t[s:e] for s, e in sentence_spans(t, 18, len(t))] == [
        'Then the "1.22" landslide.', "Next one!"]


@given(st.text(max_size=300))
def test_sentence_spans_never_break_offsets(text):
    for s, e in sentence_spans(text):
        assert 0 <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()


def test_clauses_cut_at_semicolons_outside_brackets():
    t = "Intro. Beijing repaired 167 roads; Jilin (a province; in the north) rebuilt houses; ."
    assert [t[a:b] for a, b in clause_spans(t, 7, len(t))] == [
        "Beijing repaired 167 roads", "Jilin (a province; in the north) rebuilt houses"]
    assert clause_spans("No semicolon here.", 0, 18) == [(0, 17)]


def test_a_number_word_meets_its_digits_but_one_stays_a_pronoun():
    assert recall_of("What does a timeout of 0 mean?", "A timeout of zero means never.") == 1.0
    assert recall_of("Which one of the disks holds backups?", "Disk 1 holds backups.") < 1.0
