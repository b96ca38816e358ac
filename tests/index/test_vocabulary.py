"""Sentences split once at build time, and the collection's own names stored with the index."""

from __future__ import annotations

import json

import pytest

from index.build import build_index
from index.loaders import parse_text
from index.store import open_index
from index.text import sentence_spans
from index.vocabulary import FILE, Vocabulary, collect, read_pack

CITY = """Kraków and Warsaw

Kraków was the capital of Poland until 1596, when King Sigismund III Vasa moved the court to Warsaw. The U.S. Army never reached it; c. 1,300,000 people visited Dr. Nowak's museum there in 2019.

Töregene Khatun ruled the Mongol Empire as regent. São Paulo has a Polish community of about 60,000 people.
"""


@pytest.mark.parametrize("text,expected", [
    ("The U.S. Army came. It left.", ["The U.S. Army came.", "It left."]),
    ("It had c. 1,300,000 people in 1900. Then it grew.",
     ["It had c. 1,300,000 people in 1900.", "Then it grew."]),
    ("Dr. Smith met Mr. Jones at 5 p.m. on Monday. They talked.",
     ["Dr. Smith met Mr. Jones at 5 p.m. on Monday.", "They talked."]),
    ('Roads were repaired. "Rebuild now." Zhang said so.',
     ["Roads were repaired.", '"Rebuild now."', "Zhang said so."]),
    ("天津完成了43个项目。吉林重建了房屋。", ["天津完成了43个项目。", "吉林重建了房屋。"]),
    ("Source:\nMinistry of Emergency Management", ["Source:\nMinistry of Emergency Management"]),
])
def test_sentence_boundaries_keep_abbreviations_whole(text, expected):
    assert [text[a:b] for a, b in sentence_spans(text)] == expected


def test_names_are_collected_whole_in_any_script():
    doc = parse_text(CITY, "city.txt")
    v = collect([doc])
    for name in ("Kraków", "Warsaw", "Poland", "São Paulo", "Töregene Khatun"):
        assert v.knows(name), (name, sorted(v.names))
    assert v.kind("Warsaw") in {"GPE", "LOC"} and v.kind("kraków") in {"GPE", "LOC", "PERSON"}
    assert not v.knows("Krak")  # never cut at the first non-ASCII letter


def test_vocabulary_and_pack_are_stored_with_the_index(tmp_path, fake_embedder):
    doc = parse_text(CITY, "city.txt")
    pack = {"places": {"华沙": "Warsaw"}, "examples": ["Who moved the court to Warsaw?"]}
    build_index([doc], tmp_path, fake_embedder, domain_pack=pack)
    ix = open_index(tmp_path, fake_embedder.name, fake_embedder.dim)
    assert ix.vocabulary.knows("Kraków") and ix.vocabulary.pack == pack
    assert FILE in ix.manifest["files"]  # checksummed like every other file
    stored = json.loads((ix.path / FILE).read_text(encoding="utf-8"))
    assert Vocabulary.from_json(stored).names == ix.vocabulary.names
    # every sentence the index stores was split at build time, never cut mid-abbreviation
    texts = [doc.text[s.start:s.end] for s in ix.sentences]
    assert any(t.startswith("The U.S. Army never reached it") for t in texts)


def test_the_domain_pack_is_read_from_beside_the_documents(tmp_path):
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    assert read_pack([tmp_path]) == {}
    (tmp_path / "domain-pack.json").write_text('{"capital": "Warsaw"}', encoding="utf-8")
    assert read_pack([tmp_path]) == {"capital": "Warsaw"}
    assert read_pack([tmp_path / "a.txt"]) == {"capital": "Warsaw"}


@pytest.mark.parametrize("content,why", [
    ("{not json", "not valid JSON"),
    ('{"places": ["Warsaw"]}', "'places' must be"),
    ('{"examples": "What?"}', "'examples' must be"),
    ('{"colour": "red"}', "unknown key"),
])
def test_a_broken_domain_pack_is_named_with_what_is_wrong(tmp_path, content, why):
    from index.errors import DocumentError

    (tmp_path / "domain-pack.json").write_text(content, encoding="utf-8")
    with pytest.raises(DocumentError, match=why):
        read_pack([tmp_path])


def test_very_long_lines_are_split_in_pieces_spacy_accepts():
    text = "Warsaw is big. " * 80_000  # 1.2 million characters on one line
    spans = sentence_spans(text)
    assert len(spans) == 80_000 and all(text[a:b] == "Warsaw is big." for a, b in spans)
