"""answer(question, history) -> Answer: the whole question-answering flow.

    question (+ history) -> standalone question -> hybrid retrieval
    -> sentence evidence -> coverage check -> generate from the evidence only
    -> verify every sentence, number and name -> cite the supporting spans
    -> else quote the best evidence sentence (extractive) -> else abstain

In code: `prepare` finds the evidence (a `Work`), `route` decides what answers it
(one `Route`: abstain, compare, quote or generate), and `answer()` and `stream()`
run the same `_run`, which generates and `finish`es what the route left to the model.
The retriever and the generator are given (qa/factory.py builds them).

Not handled: answers that need more than `evidence_k` sentences (long lists
spread over many paragraphs come back partial, each part cited).
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Literal

from index.chunking import Chunk
from index.embedding import Embedder
from index.gloss import explained, trimmed_terms
from index.loaders import Document, heading_of
from index.store import Index, Sentence
from index.text import (
    content_terms,
    denied,
    expansions,
    is_chinese,
    mentions,
    negated,
    numbers,
    sentence_spans,
    share_in,
    terms,
    without_names,
)

from . import answerability, prompt
from .answers import (
    Answer,
    Citation,
    Found,
    Work,
    abstained,
    answered,
    citation,
    cited_context,
    cited_evidence,
    ms,
)
from .checks import (
    clean_answer,
    early_failure,
    passage_gap,
    unbound_places,
    unquotable,
    verify,
)
from .compare import compare
from .errors import GenerationCancelled, GenerationTimeout, ModelUnavailable
from .evidence import (
    Evidence,
    Labels,
    about,
    asked_label,
    best_clause,
    coverage_gap,
    dated_heading,
    defines,
    focus_share,
    headed_names,
    heading_span,
    items_after,
    past_question,
    relevance,
    select_evidence,
    unnamed,
    window,
    written,
)
from .followup import standalone
from .generators import Generator
from .limits import Limits
from .overview import MAX_DOCUMENTS, Overviews, author_asked, byline, names_this_document, opening
from .places import Descriptions
from .prompt import SYSTEM_PROMPT
from .question import (
    Question,
    asked_head,
    asks_version_of_word,
    asks_why,
    explains_other,
    gives_answer_type,
    gives_reason,
    is_stamp,
    names_head,
    writes_versions,
)
from .retrieval import Hit, HybridRetriever, Retriever, SearchResult
from .short_answer import ShortAnswer, short_answer, stamp_answer

# The quote is the clause that states what is asked, more than the one that names whom
# it is asked about most fully ("Mozilla Foundation is the license steward." over "This
# Source Code Form is subject to the terms of the Mozilla Public License"): on the
# squad2-wiki dev split 0.3 and 0.6 each gave 3 right answers more and none fewer.
FOCUS_WEIGHT = 0.5
# and what naming the noun "which" asks for adds ("PR #428 increases the limit" for "Which
# pull request raised the limit?"): set on the users' dev sets (it moved one quote of 120,
# the right way), checked on the squad2-wiki dev split
HEAD_WEIGHT = 0.15
WHY_SENTENCES = 2  # a "why" quote goes on at most so many sentences to find the reason
MAX_QUOTE_CHARS = 600  # nor further than makes it this long
# for a typed question that no evidence sentence answers with its type: how many of the
# retrieved chunks' sentences are searched for one that does, and how far below the best
# evidence it may rank (`_typed_beyond`)
TYPED_SEARCH = 12
TYPED_MARGIN = 0.3
# how many such sentences are taken, the quote then chosen among them as among the
# evidence (by rank and how well each matches the question: "On what date was the home
# hit by a firebomb?" by "On January 31, 1926, ... the house was firebombed", not by the
# better-ranked "two sons (b. June 29, 1921)")
TYPED_CHOICES = 3
DEEPER_CHUNKS = 10  # how many chunks past those retrieved are read for a typed answer
SECTION_CHUNKS = 12  # how far into a section the question names it is searched
HEADING_WORDS = 6  # a heading a question names has at most so many words
LABELLED_CHUNKS = 2  # items a question names by their label, added to what it retrieved

# Questions whose answer is one typed fact (a count, a date, a person, a place, the name
# of a meeting or organisation): when an evidence clause states it about what was
# asked, that quote is the answer and the model is not run. With direct_quotes="all"
# (the product's default) every English question is answered so when a quote
# qualifies: on both dev splits the quote was right more often than the 0.5B
# model's own wording of the same passage (squad2-wiki 0.838 against 0.746, the
# article 0.952 against 0.929, docs/EVALUATION.md); the model then writes the answers
# to Chinese questions and to questions no quote answers.
# what a section's heading may give for what it heads: a timeline's times, a diary's or
# minutes' dates, a changelog's versions
HEADED_TYPES = frozenset({"when", "date", "year", "version"})
STAMPED_SECTIONS = 3  # so many sections headed by a time make a timeline
DIRECT_TYPES = frozenset({"count", "number", "percent", "date", "year", "when", "duration",
                          "person", "place", "name", "nationality", "default", "version",
                          "phone", "email", "url"})
NOT_FOUND = ("not found", "i don't know", "i do not know", "no information", "does not contain",
             "doesn't contain", "not mentioned", "not provided", "not specified", "cannot answer")


@dataclass(frozen=True)
class Route:
    """What answers a question: "abstain", "compare" and "quote" carry their finished
    `answer`; "generate" leaves it to the model (`answer` is None), writing from
    `work.evidence`."""
    name: Literal["abstain", "compare", "quote", "generate"]
    work: Work
    answer: Answer | None = None


class Pipeline:
    def __init__(self, index: Index, retriever: Retriever | Embedder,
                 generator: Generator | None, xling: Embedder | None = None, top_k: int = 5,
                 evidence_k: int = 3, min_score: float = 0.55, max_new_tokens: int = 80,
                 generation_timeout_s: float = 30.0, limits: Limits | None = None,
                 direct_quotes: bool | str = "typed", answerability: str = "off",
                 prompt_trim: tuple[float, int] | tuple[float, int, float] = (3.0, 0)):
        """`retriever`: the retrieval role (qa/factory.py passes a HybridRetriever); an
        Embedder instead is shorthand (tests, scripts) for a HybridRetriever over
        `index` with it and `xling`. `generator`: None answers extractively only.
        `direct_quotes`: "all" answers every English question with the evidence clause
        that answers it when one qualifies, "typed" only typed ones (DIRECT_TYPES), "off"
        never (True and False mean "typed" and "off"). `answerability`: "on" abstains
        when the calibrated judgement says the cited passage does not answer
        (qa/answerability.py); "record" only records its signals (for calibrating it);
        "off" skips it. `prompt_trim`: (margin, clause chars[, margin for questions in
        another language]) of `prompt.trimmed`, what of the evidence the model reads (3.0
        and 0: all of it, uncut)."""
        if top_k < 1 or evidence_k < 1:
            raise ValueError("top_k and evidence_k must be >= 1")
        if max_new_tokens < 1:
            raise ValueError("max_new_tokens must be >= 1")
        self.index = index
        self.retriever: Retriever = (retriever if hasattr(retriever, "search")
                                     else HybridRetriever(index, retriever, xling))
        self.generator = generator
        self.top_k = top_k
        self.evidence_k = evidence_k
        self.min_score = min_score
        self.max_new_tokens = max_new_tokens
        self.generation_timeout_s = generation_timeout_s
        self.limits = limits or Limits()
        self.direct_quotes = {True: "typed", False: "off"}.get(direct_quotes, direct_quotes)
        if self.direct_quotes not in ("all", "typed", "off"):
            raise ValueError("direct_quotes must be all, typed or off")
        if answerability not in ("on", "off", "record"):
            raise ValueError("answerability must be on, off or record")
        self.answerability = answerability
        self.prompt_trim = prompt_trim
        self.vocabulary = index.vocabulary
        self.glossary = self.retriever.glossary  # the domain pack's, read once
        self.descriptions = Descriptions(self.vocabulary.pack)
        self._labels = Labels()  # each document's `item_labels`, read on first use
        self._stamps: dict[str, bool] = {}  # whether a document is a timeline (`_stamped`)
        self._versions: dict[str, bool] = {}  # whether one writes versions (`_versioned`)

    @functools.cached_property
    def places(self) -> set[str]:
        """The places of the domain pack's regions that the collection mentions: read
        once, on the first question that describes a place, not at start-up."""
        return self.descriptions.places_in(d.text for d in self.index.documents.values())

    # -- public -------------------------------------------------------------
    def answer(self, question: str, history: list[dict] | None = None, *,
               cancel: threading.Event | None = None) -> Answer:
        """`cancel`, once set (the client went away), stops generation: GenerationCancelled."""
        *_, last = self._run(question, history, cancel, streaming=False)
        return last["data"]

    def stream(self, question: str, history: list[dict] | None = None, *,
               cancel: threading.Event | None = None) -> Iterator[dict]:
        """Yield {"event": "token", "data": str} while generating, then
        {"event": "answer", "data": Answer} once verified (the final text may differ
        from the streamed tokens when verification falls back)."""
        return self._run(question, history, cancel, streaming=True)

    def _run(self, question, history, cancel, streaming: bool) -> Iterator[dict]:
        """The one path of a question: route it; when the model is to answer, run it
        (token events only when `streaming`) and finish; then the answer event."""
        route = self.route(self.prepare(question, history))
        answer = route.answer
        if answer is None:
            text = None
            if self.generator is not None:
                text = yield from self._generate(route.work, cancel, streaming)
            answer = self.finish(route.work, text)
        yield {"event": "answer", "data": answer}

    def _generate(self, w: Work, cancel: threading.Event | None, streaming: bool):
        """Run the generator on the evidence (yielding token events when `streaming`);
        return its text, or None when it gave nothing: it timed out or was unavailable
        (a remote server down) before any text, and the answer is quoted instead."""
        if cancel is not None and cancel.is_set():
            raise GenerationCancelled("the client went away before generation started")
        args = (self.messages(w), self.max_new_tokens, self.generation_timeout_s)
        kw = {"cancel": cancel, "stop_when": self._refused(w)}
        parts: list[str] = []
        done = False
        t = time.perf_counter()
        try:
            if streaming:
                for piece in self.generator.stream(*args, **kw):
                    if not parts:
                        w.timings["first_token"] = ms(t)
                    parts.append(piece)
                    yield {"event": "token", "data": piece}
            else:
                res = self.generator.generate(*args, **kw)
                parts.append(res.text)
                w.timings.update(prompt_tokens=res.prompt_tokens, new_tokens=res.new_tokens,
                                 first_token=round(res.first_token_ms, 1))
            done = True
        except GenerationTimeout:  # what was streamed before it is still checked
            w.reasons.append("generator: generation ran past its time budget")
        except ModelUnavailable as e:
            w.reasons.append(f"generator: unavailable: {e}")
            parts = []
        w.timings["generate"] = ms(t)
        if streaming and done:  # the counts generate() returns, for the streamed text
            w.timings["prompt_tokens"], w.timings["new_tokens"] = \
                self.generator.count_tokens(args[0], "".join(parts))
        return "".join(parts) if done or parts else None

    # -- steps --------------------------------------------------------------
    def prepare(self, question: str, history: list[dict] | None) -> Work:
        """The question checked and made standalone, and its evidence found."""
        t_all = time.perf_counter()
        q_text = self.limits.check(question, history)
        t = time.perf_counter()
        standalone_q = standalone(q_text, history or [])
        timings = {"rewrite": ms(t)}
        options = (self.descriptions.candidates(standalone_q, self.places)  # "the capital"
                   if self.descriptions.describes(standalone_q) else [])
        if len(options) > 1:  # keep the place whose evidence best matches the question
            found = max((self._gather(c) for _, c in options), key=self._place_support)
        else:
            found = self._gather(options[0][1] if options else standalone_q)
        return Work(q_text, found.standalone, found.q, found.evidence, found.result,
                    timings | found.timings, t_all)

    def route(self, w: Work) -> Route:
        """Quote the opening of a document or section the question names, abstain
        (nothing relevant, a gap in coverage, a low score, no passage about a place
        asked about), compare two figures, quote the clause that answers, or leave it
        to the generator."""
        if not w.q.chinese and (told := self._overview(w) or self._byline(w)) is not None:
            return Route("quote", w, told)
        gap = coverage_gap(w.q, w.evidence, self.vocabulary)
        best = w.confidence
        if not w.evidence:
            return Route("abstain", w, abstained(w, "retrieval: nothing relevant was found"))
        if gap:
            return Route("abstain", w,
                         abstained(w, "coverage: no passage covers " + ", ".join(gap)))
        if w.q.term and not w.q.chinese and (glossed := self._glossed(w)) is not None:
            return Route("quote", w, glossed)
        if best < self.min_score:
            return Route("abstain", w, abstained(
                w, f"score: best evidence scored {best:.2f} < {self.min_score:.2f}"))
        if w.q.expects == "choice" and not w.q.chinese:
            compared = self._compare(w)
            if compared is not None:
                return Route("compare", w, compared)
        if not w.q.chinese and (self.direct_quotes == "all" or self.direct_quotes == "typed"
                                and w.q.expects in DIRECT_TYPES):
            t = time.perf_counter()
            typed = [e for e in w.evidence if gives_answer_type(w.q, e.context)]
            if w.q.expects:  # and those whose paragraph goes on to give it
                typed += self._typed_further(w, typed)
            if w.q.expects in HEADED_TYPES:  # a timeline's entry by the time its heading
                # gives, beside the sentences that give one themselves: "07:18 — The chart
                # is updated to v0.6" over "This bug had been fixed weeks ago in the chart"
                typed += [x for x in self._headed(w) if all(
                    (x.doc.doc_id, x.sentence.start) != (y.doc.doc_id, y.sentence.start)
                    for y in typed)]
            headed = bool(typed) and all(x.heading for x in typed)
            if w.q.expects and not typed:  # the next best sentences of the chunks found
                typed = self._typed_beyond(w)
            if w.q.expects and not typed:
                # no evidence sentence holds an answer of the type asked (no count for "how
                # many", no time for "when"): on the dev splits what the model wrote for
                # such a question was refused afterwards or wrong, so refuse now, without it
                w.timings.setdefault("verify", ms(t))
                return Route("abstain", w, abstained(w, self._no_quote_reason(w)))
            quoted = self._quote(w, t, typed)
            if quoted is None and headed:  # the heading's entry may not be quoted: no
                # other evidence gives the type, so the model would have nothing either
                return Route("abstain", w, abstained(w, self._no_quote_reason(w)))
            if quoted is not None:
                if quoted.abstained:  # the answerability judgement refused the quote
                    return Route("abstain", w, quoted)
                quoted.reasons.append(f"a {w.q.expects or 'direct'} question: the evidence "
                                      "clause that answers it is quoted")
                return Route("quote", w, quoted)
        if w.q.chinese and w.q.expects and not any(gives_answer_type(w.q, e.context)
                                                   for e in w.evidence):
            # "北京有多少个项目？" (how many projects) over passages with no count: the model
            # would make one up, and the quote it falls back to would not answer either
            return Route("abstain", w, abstained(w, self._no_quote_reason(w)))
        # no passage is about a place asked about: whatever the model wrote would fail
        # the `subject` check, and no quote qualifies either, so don't run it
        unbound = unbound_places(w.q, [(e, e.sentence) for e in w.evidence])
        if unbound:
            return Route("abstain", w, abstained(
                w, f"subject: no evidence passage is about {unbound[0]}"))
        return Route("generate", w)

    def _gather(self, question: str) -> Found:
        """Retrieve for one standalone question and select its evidence sentences."""
        result = self.retriever.search(question, self.top_k, leaders=True)
        timings = dict(result.timings_ms)
        t = time.perf_counter()
        q = Question.parse(question, self.vocabulary, self.glossary)
        result = self._past_subject(question, q, result, timings)
        result = self._spelled_out(q, result)
        result = self._labelled(q, result)
        if q.expects == "version" and asks_version_of_word(q.text) and not any(
                self._versioned(self.index.documents[h.chunk.doc_id]) for h in result.hits):
            q = replace(q, expects=None)  # "Which manga version ...?" of a novel's article
        evidence = select_evidence(self.index, result, q, self.evidence_k,
                                   labels_of=self._labels.of)
        timings["evidence"] = ms(t)
        return Found(question, q, evidence, result, timings)

    def _past_subject(self, question: str, q: Question, result: SearchResult,
                      timings: dict) -> SearchResult:
        """The retrieved chunks, and those that the question without the name of a
        document's own subject finds in that document (`headed_names`). A licence names
        itself in its boilerplate ("subject to the terms of the Mozilla Public
        License") and says "this License" everywhere else, so "What is a Contributor
        under the Mozilla Public License?" retrieves the boilerplate and misses the
        definition; "What is a Contributor under?" finds it. Its chunks come after the
        first search's, and the evidence order weighs them all."""
        asked = q.places + q.names
        if not asked or q.chinese:
            return result
        seen = {h.chunk.chunk_id for h in result.hits}
        headed: dict[str, list[str]] = {}
        for h in result.hits:
            doc = self.index.documents[h.chunk.doc_id]
            if doc.doc_id not in headed:
                headed[doc.doc_id] = headed_names(doc, asked)
        names = sorted({n for ns in headed.values() for n in ns}, key=len, reverse=True)
        rest = without_names(question, names) if names else ""
        if not terms(rest):
            return result
        t = time.perf_counter()
        more = self.retriever.search(rest, self.top_k * 4).hits
        extra = [h for h in more if headed.get(h.chunk.doc_id) and h.chunk.chunk_id not in seen]
        timings["subject_search"] = ms(t)
        return _after(result, [h.chunk for h in extra[: self.top_k]])

    def _spelled_out(self, q: Question, result: SearchResult) -> SearchResult:
        """The retrieved chunks, and those of their documents that spell out the
        abbreviation the question asks about ("Distinguished Encoding Rules (DER)" for
        "What does DER stand for?"), or give the term asked about another name: a manual
        that uses "DER" on every page spells it out once, in a passage the search need
        not rank high."""
        if not q.abbreviation and not q.term:
            return result
        seen = {h.chunk.chunk_id for h in result.hits}
        extra: list[Chunk] = []
        for doc_id in dict.fromkeys(h.chunk.doc_id for h in result.hits):
            doc = self.index.documents[doc_id]
            found = (expansions(doc.text, q.abbreviation) if q.abbreviation
                     else explained(doc.text, q.term or ""))
            for lo, _ in found[:2]:
                chunk = self.index.chunk_at(doc_id, lo)
                if chunk is not None and chunk.chunk_id not in seen:
                    seen.add(chunk.chunk_id)
                    extra.append(chunk)
        return _after(result, extra)

    def _labelled(self, q: Question, result: SearchResult) -> SearchResult:
        """The retrieved chunks, and the items of their documents' definition lists whose
        label the question names ("What is the old-versions option?", "old-versions: The
        set of interpreter names ..."): among a manual's items about versions, a search
        of the whole question can rank the one asked about low. At most LABELLED_CHUNKS,
        the longest labels first; a label that heads many items names a kind of item, not
        a term (`asked_label`)."""
        asked = set(q.terms)
        if q.chinese or not asked:
            return result
        seen = {h.chunk.chunk_id for h in result.hits}
        found: list[tuple[int, Chunk]] = []
        for doc_id in dict.fromkeys(h.chunk.doc_id for h in result.hits):
            labels = self._labels.of(self.index.documents[doc_id])
            for label, starts in labels.items():
                if not asked_label(asked, label, labels):
                    continue
                for start in starts:
                    chunk = self.index.chunk_at(doc_id, start)
                    if chunk is not None and chunk.chunk_id not in seen:
                        seen.add(chunk.chunk_id)
                        found.append((len(label), chunk))
        found.sort(key=lambda f: -f[0])
        return _after(result, [c for _, c in found[:LABELLED_CHUNKS]])

    def _place_support(self, found: Found) -> float:
        """How well the best evidence clause naming the question's place matches the
        question (cosine of their embeddings): the clause, not the whole sentence,
        since one sentence often lists several places ("Beijing ...; Jilin ...")."""
        qv = found.result.query_vector
        clauses = [c.strip() for e in found.evidence for c in e.text.split(";")
                   if all(mentions(c, p) for p in found.q.places)]
        if not clauses or qv is None:
            return -1.0
        return float((self.retriever.embedder.embed_documents(clauses) @ qv).max())

    def messages(self, w: Work) -> list[dict]:
        margin, chars, *xling = self.prompt_trim
        if w.q.chinese and xling:  # its evidence is scored by the multilingual cosine
            margin = xling[0]
        read = prompt.trimmed(w.evidence, w.q, margin, chars)
        return prompt.messages(w.standalone, read, w.q.chinese)

    def _refused(self, w: Work):
        """For the generator: whether the answer written so far is already refused
        (it says it found nothing, or a finished sentence fails verification), so
        that generating the rest would be wasted; `finish` then falls back exactly
        as it would on the whole answer."""
        def refused(text: str) -> bool:
            text = clean_answer(text)
            return (any(p in text.lower() for p in NOT_FOUND)
                    or early_failure(text, w.q, w.evidence, self.index) is not None)
        return refused

    def finish(self, w: Work, generated: str | None) -> Answer:
        t = time.perf_counter()
        if generated is not None:
            text = clean_answer(generated)
            if not text or any(p in text.lower() for p in NOT_FOUND):
                w.reasons.append("model: found no answer in the evidence")
            else:
                v = verify(text, w.q, w.evidence, self.index, self.glossary)
                w.timings["verify"] = ms(t)
                if v.ok:
                    cites = [citation(i, e, s) for i, (e, s) in enumerate(v.spans, 1)]
                    return self._answer(w, text, "generated", cites)
                w.reasons += v.reasons
            if w.q.chinese:  # the fallback quote would be an English clause shown as the
                # answer to a question its words were never matched against ("北京有多少个
                # 项目？" quoted Beijing's plans): the passages are listed as the closest
                return abstained(w, w.reasons.pop())
        return self._quote(w, t) or abstained(w, self._no_quote_reason(w))

    def _quote(self, w: Work, t: float, typed: list[Evidence] | None = None) -> Answer | None:
        """The extractive answer: the best evidence clause about what was asked, quoted
        and cited; None when no evidence sentence is about it or gives its answer type
        (`typed`: the evidence that does, when the caller has it already)."""
        if typed is None:
            typed = [x for x in w.evidence if gives_answer_type(w.q, x.context)]
        eligible = [x for x in typed if (any if w.q.expects == "choice" else all)(
            about(x, x.sentence, p) for p in w.q.places) and not unquotable(w.q, x.context)
            and (w.q.expects == "choice" or not unnamed(w.q, [x.doc], self.vocabulary))]
        if w.q.term:  # "What does Destruction mean?": its definition, not a sentence
            # that uses it ("the right to request a Destruction of their data")
            eligible = [x for x in eligible if defines(x.doc.text[x.sentence.start:
                                                                  x.sentence.end], w.q.term)
                        or defines(x.context, w.q.term)] or eligible
        if options := [n for n in w.q.names if n.startswith("-")
                       and not _UNLESS.search(w.q.text.split(n)[0])]:
            # an option is written as it is spelt, never by a pronoun: the passage that
            # names it ("-q, --quiet: ...") answers "What does -q do?", not a sentence
            # about another option that has more of the question's words; named before it
            # in its section will do ("#### Placeholder syntax / The -x and -X options take
            # a command template ... / If you do not include a placeholder, fd adds {}");
            # not one the question sets aside ("Unless I pass --glob, ...")
            eligible = [x for x in eligible if all(re.search(  # in its case: -s is not -S
                rf"(?<![\w-]){re.escape(o)}(?![\w-])", self._section_to(x))
                for o in options)] or eligible
        if asks_why(w.q.text):  # a sentence that gives a reason answers "why" before one
            # that does not, when it has as many of the question's words as the best; none
            # that gives what is asked only as the cause of something else
            eligible = [x for x in eligible if not explains_other(x.context, w.q.text)] \
                or eligible
            top = max((relevance(w.q, x.context) for x in eligible), default=0.0)
            eligible = [x for x in eligible if gives_reason(x.context, w.q.text)
                        and relevance(w.q, x.context) >= top] or eligible
        # the noun "which" asks for, where no answer type stands for it ("Which year"
        # asks a year, which the type checks read)
        head = asked_head(w.q.text) if not w.q.chinese and not w.q.expects else ()
        e = max(eligible, key=lambda x: x.rank + self._matches(w.q, x)
                + HEAD_WEIGHT * names_head(head, x.context), default=None)
        w.timings.setdefault("verify", ms(t))
        if e is None:
            return None
        lo, hi = best_clause(w.q, e.doc.text, e.context_start, e.context_end)
        lo = past_question(e.doc.text, lo, hi)  # "Why ...? - Because ...": the answer
        if asks_why(w.q.text) and not gives_reason(e.doc.text[lo:hi], w.q.text):
            hi = self._going_on(e, lo, hi, lambda s: gives_reason(s, w.q.text))
        elif w.q.expects and not gives_answer_type(w.q, e.doc.text[lo:hi]):
            hi = self._going_on(e, lo, hi, lambda s: is_note(w.q, s))
        if ((asked := denied(w.q.text)) and not asked & denied(e.doc.text[lo:hi])
                and not negated(e.doc.text[lo:hi], wide=True)):
            # "Which flag should not be used?": on to the sentence that denies what the
            # question denies ("You should specifically not use -funroll-loops."), as the
            # `negation` check asks; not to one that denies something else
            hi = self._going_on(e, lo, hi, lambda s: bool(asked & denied(s)))
        if w.q.expects and w.q.focus and is_note(w.q, e.doc.text[lo:hi]):
            lo = self._saying_what(w.q, e, lo, hi)
        if hi > e.context_end or lo < e.context_start:  # the window the quote was chosen
            e = _widened(w, e, lo, hi)  # in, for the checks
        cite = citation(1, e, Sentence(-1, e.chunk.chunk_id, lo, hi))
        if e.heading and not gives_answer_type(w.q, e.doc.text[lo:hi]):
            # the time the heading gives (after the day a heading before it gives, "Feb
            # 22, 07:13 … 07:18"), then what its section says happened, each cited
            heads = [sp for sp in (e.dated, e.heading) if sp]
            cites = [citation(i, e, Sentence(-1, e.chunk.chunk_id, a, b))
                     for i, (a, b) in enumerate(heads, 1)]
            h = " … ".join(e.doc.text[a:b] for a, b in heads)
            own = e.doc.text[e.heading[0]:e.heading[1]]
            # a heading that is a time or a version, or the time a heading of words gives
            # ("EIP 1344 Status: Last Call (30 April 2019)")
            short = stamp_answer(w.q, h) if is_stamp(own) else short_answer(w.q, h)
            if e.dated and gives_answer_type(w.q, own):  # the time asked is the section's
                # own ("07:18", its day before it in the answer), not the day's first
                mine = stamp_answer(w.q, own)
                short = ShortAnswer(mine.text, mine.start + len(h) - len(own),
                                    mine.end + len(h) - len(own))
            return self._answer(w, f"{h} — {e.doc.text[lo:hi]}", "extractive",
                                [*cites, replace(cite, id=len(cites) + 1)], short=short)
        return self._answer(w, e.doc.text[lo:hi], "extractive", [cite])

    def _matches(self, q: Question, e: Evidence) -> float:
        """How well a candidate's window matches the question (its words, and those of
        what is asked, at FOCUS_WEIGHT). For a typed question whose window holds several
        sentences, half of it is read in the sentence that gives the answer type: a
        window that names the subject in one sentence and gives a figure about something
        else in the next ("... Short Term and Long Term Disability policies ... The Short
        Term policy may replace ... up to 12 weeks") matches "How long must an employee
        wait before Long Term Disability benefits start?" less than the one sentence that
        says it ("There's a 90 day waiting period for Long Term Disability.")."""
        # the document's title heads every sentence in it: its words are found in each
        # ("Who moderated this core devs call?" is answered by "Moderator: Hudson Jameson"
        # in "Ethereum Core Devs Meeting 60 Notes", not by a sentence that says "Core Devs
        # meetup"); the section's heading already counts in the evidence's rank
        def match(text: str) -> float:
            text = f"{e.doc.title}\n{text}"
            return relevance(q, text) + FOCUS_WEIGHT * focus_share(q, text)

        whole = match(e.context)
        if not q.expects:
            return whole
        spans = [(a, b) for a, b in self.index.paragraph_spans(e.chunk)
                 if a >= e.context_start and b <= e.context_end]
        if len(spans) < 2:
            return whole
        typed = [match(e.doc.text[a:b]) for a, b in spans
                 if gives_answer_type(q, e.doc.text[a:b])]
        return (whole + max(typed)) / 2 if typed else whole

    def _section_first(self, chunk: Chunk) -> int:
        """The id of the first chunk of `chunk`'s section, at most SECTION_CHUNKS back."""
        first = chunk.chunk_id
        while (first > 0 and chunk.chunk_id - first < SECTION_CHUNKS
               and _same_section(self.index.chunks[first - 1], chunk)):
            first -= 1
        return first

    def _section_to(self, e: Evidence) -> str:
        """The text of e's section from its heading (at most SECTION_CHUNKS chunks back)
        to the end of e's window."""
        start = min(self.index.chunks[self._section_first(e.chunk)].start, e.context_start)
        return heading_of(e.chunk.section) + "\n" + e.doc.text[start:e.context_end]

    def _glossed(self, w: Work) -> Answer | None:
        """The evidence sentence that gives the term asked about another name or says
        what it means ("isobaric (constant pressure)" for "What does isobaric mean?"),
        quoted; None when no evidence window glosses it, or the passage checks refuse
        each that does. Such a sentence states what is asked in so many words, however
        short the term is (and so however low the evidence scores): the passage checks
        hold it, the answerability judgement does not."""
        term = w.q.term or ""
        for e in w.evidence:
            # its paragraph: a definition's verb may open a line after the term's own
            # ("“Source Code Form”" / "means the form ..."), past the window
            para = e.doc.paragraphs[e.chunk.paragraph]
            text = e.doc.text[para.start:para.end]
            found = [(a, b) for a, b in explained(text, term)
                     if para.start + a >= e.context_start - MAX_QUOTE_CHARS
                     and para.start + a < e.context_end + MAX_QUOTE_CHARS]
            if not found:
                continue
            at = found[0][0]
            spans = sentence_spans(text)
            i = next((i for i, (a, b) in enumerate(spans) if a <= at < b), None)
            if i is None:
                continue
            # the line before, where it names the term this one only defines
            a = spans[i - 1][0] if i and not _says(text[spans[i][0]:spans[i][1]], term) \
                and _says(text[spans[i - 1][0]:spans[i - 1][1]], term) \
                and not text[spans[i - 1][1]:spans[i][0]].strip() else spans[i][0]
            lo = para.start + a
            hi = items_after(e.doc, e.chunk.paragraph, lo, para.start + spans[i][1])
            cite = citation(1, e, Sentence(-1, e.chunk.chunk_id, lo, hi))
            told = self._answer(w, e.doc.text[lo:hi], "extractive", [cite], judge=False)
            if not told.abstained:  # else on, as for any question
                told.reasons.append(f"a question for another name or a meaning: the "
                                    f"sentence that glosses or defines {term!r} is quoted")
                return told
        return None

    def _going_on(self, e: Evidence, start: int, end: int, gives: Callable[[str], bool]) -> int:
        """Where a quote from `start` to `end` that does not answer ends once it goes on
        with its paragraph to the next sentence that `gives` the answer: for "why", a
        sentence in the words English gives reasons with ("because", "so that", "as it
        has": "The library does not support lossless JPEG." states what is asked, "It is
        left out because ..." answers it); for a typed question, its time, version or
        count (a release note's "chmod -R no longer exits with error status ... [bug
        introduced in coreutils-9.0]"). At most WHY_SENTENCES sentences on, never past a
        sentence left out of the index (one addressed to a model) nor beyond
        MAX_QUOTE_CHARS; `end` when no such sentence follows."""
        text, last = e.doc.text, end
        for a, b in [(a, b) for a, b in self.index.paragraph_spans(e.chunk)
                     if a >= end][:WHY_SENTENCES]:
            if text[last:a].strip() or b - start > MAX_QUOTE_CHARS:
                break  # a left-out sentence between, or too long a quote
            if gives(text[a:b]):
                return b
            last = b
        return end

    def _saying_what(self, q: Question, e: Evidence, start: int, end: int) -> int:
        """Where a quote that is a note (`is_note`) starts once it takes in the sentence
        of its paragraph before it that has more of the words of what is asked than the
        quote has ("chmod -R no longer exits with error status ..." before "[bug
        introduced in coreutils-9.0]"): the one with the most (up to WHY_SENTENCES back,
        the earliest on a tie, none past a left-out sentence nor beyond MAX_QUOTE_CHARS);
        `start` when none before it has more."""
        text, best = e.doc.text, start
        share = focus_share(q, text[start:end])
        before = [(a, b) for a, b in self.index.paragraph_spans(e.chunk) if b <= start]
        nearest = start
        for a, b in reversed(before[-WHY_SENTENCES:]):
            if text[b:nearest].strip() or end - a > MAX_QUOTE_CHARS:
                break
            if (got := focus_share(q, text[a:b])) > share or got == share and best < start:
                best, share = a, got
            nearest = a
        return best

    def _typed_beyond(self, w: Work) -> list[Evidence]:
        """The best sentences (TYPED_CHOICES at most) of the retrieved chunks past the
        evidence that give the answer type asked, when they rank within TYPED_MARGIN of
        the best evidence, added to the evidence: "How much does GitHub bill per account
        ...?" ranks three sentences about accounts above the price list's "... for more
        than 5 accounts: $20 per account"; [] when none does."""
        if not w.evidence:
            return []
        top = w.evidence[0].rank
        held = {(e.doc.doc_id, e.sentence.start) for e in w.evidence}
        found = []
        for e in select_evidence(self.index, w.result, w.q, TYPED_SEARCH,
                                 per_chunk=TYPED_SEARCH, labels_of=self._labels.of):
            if e.rank < top - TYPED_MARGIN or len(found) == TYPED_CHOICES:
                break
            if (e.doc.doc_id, e.sentence.start) not in held and gives_answer_type(w.q,
                                                                                  e.context):
                found.append(e)
        if found:
            w.evidence.extend(found)
            return found
        return self._typed_in_section(w, held) or self._typed_deeper(w, held)

    def _headed(self, w: Work) -> list[Evidence]:
        """The best evidence, within TYPED_MARGIN of the best, whose section's heading
        is a time, a date or a version (`is_stamp`) of the type asked (`HEADED_TYPES`),
        in a document with at least STAMPED_SECTIONS such headings (a timeline, minutes,
        a changelog): "14:55" over "Autoscaling increases node count to 4 from 3" for
        "When did autoscaling add a fourth node?", "## 1.4.0" over "Added the
        --pre-glob flag" for "In which version was --pre-glob added?". It must name
        what is asked about (`_says_asked`); it is put in its place in the evidence with
        the heading's span, quoted and cited with it; [] when none is. In any document,
        a heading that names everything the question names gives what it asks too
        ("### EIP 1344 Status: Last Call (30 April 2019)" for "When does the Last Call
        for EIP 1344 close?", over the sentences under it)."""
        top = max(e.rank for e in w.evidence) if w.evidence else 0.0
        for e in sorted(w.evidence, key=lambda x: -x.rank):
            if e.rank < top - TYPED_MARGIN:
                continue
            span = heading_span(e.doc, e.sentence.start)
            if not span:
                continue
            heading = e.doc.text[span[0]:span[1]]
            if not (self._stamped(e.doc) and is_stamp(heading) and _says_asked(w.q, e.context)
                    or _names_all_asked(w.q, heading)):
                continue
            dated = dated_heading(e.doc, e.sentence.start)  # "## Feb 22" over "### 07:18"
            if gives_answer_type(w.q, _stamp_of(e.doc, dated, span)):
                headed = replace(e, heading=span, dated=dated)
                w.evidence = [headed if x is e else x for x in w.evidence]
                return [headed]
        return []

    def _versioned(self, doc: Document) -> bool:
        """Whether a document writes software versions (`writes_versions`): then "Which
        rclone version ...?" asks for one of them."""
        if doc.doc_id not in self._versions:
            self._versions[doc.doc_id] = writes_versions(doc.text)
        return self._versions[doc.doc_id]

    def _stamped(self, doc: Document) -> bool:
        """Whether at least STAMPED_SECTIONS of a document's sections are headed by a
        time, a date or a version (`is_stamp`): a timeline, minutes, a changelog."""
        if doc.doc_id not in self._stamps:
            headings = {heading_of(p.section) for p in doc.paragraphs}
            self._stamps[doc.doc_id] = sum(map(is_stamp, headings - {""})) >= STAMPED_SECTIONS
        return self._stamps[doc.doc_id]

    def _typed_deeper(self, w: Work, held: set[tuple[str, int]]) -> list[Evidence]:
        """The best sentence of the next DEEPER_CHUNKS chunks the search ranks that gives
        the answer type asked, when it ranks within TYPED_MARGIN of the best evidence,
        added to the evidence; [] when none does. The words of a paraphrase ("get the
        name Cambridge" for "the settlement's name was changed to Cambridge") rank a
        passage that names the subject and the relation above the one that answers,
        and the chunks the search found first then hold no answer of that type. The
        sentence must name what is asked about (`_says_asked`), not only give a figure or
        a date ("Defaults ... as of MkDocs 1.6" answers no "In which version was !ENV
        added?")."""
        t = time.perf_counter()
        seen = {h.chunk.chunk_id for h in w.result.hits}
        more = self.retriever.search(w.standalone, len(seen) + DEEPER_CHUNKS).hits
        extra = [h.chunk for h in more if h.chunk.chunk_id not in seen][:DEEPER_CHUNKS]
        w.timings["deeper_search"] = ms(t)
        if not extra:
            return []
        top = w.evidence[0].rank
        # only the new chunks' sentences, ranked after those retrieved
        found = replace(w.result, hits=[Hit(c, 0.0, len(seen) + i) for i, c in enumerate(extra)])
        for e in select_evidence(self.index, found, w.q, TYPED_SEARCH,
                                 per_chunk=TYPED_SEARCH, labels_of=self._labels.of):
            if e.rank < top - TYPED_MARGIN:
                break
            if ((e.doc.doc_id, e.sentence.start) not in held
                    and _says_asked(w.q, e.context) and gives_answer_type(w.q, e.context)):
                w.evidence.append(e)
                return [e]
        return []

    def _typed_in_section(self, w: Work, held: set[tuple[str, int]]) -> list[Evidence]:
        """The sentence that gives the answer type asked under a heading the question
        names (a reference manual's "### exclude_docs", then "New in version 1.5.", for
        "In which MkDocs release was exclude_docs added?"), of the sections of the
        passages retrieved (not the document's title), at most SECTION_CHUNKS chunks in,
        the one with the most of the question's words (the first on a tie); added to the
        evidence at the score of the weakest evidence, or [] when no heading is named or
        none gives it."""
        seen: set[tuple[str, str]] = set()
        score = min(e.score for e in w.evidence)
        for hit in [e.chunk for e in w.evidence] + [h.chunk for h in w.result.hits]:
            heading = heading_of(hit.section)
            doc = self.index.documents[hit.doc_id]
            if ((hit.doc_id, heading) in seen or heading == doc.title
                    or not _names_heading(w.q, heading)):
                continue  # a document's title heads all of it, not one section
            seen.add((hit.doc_id, heading))
            first = self._section_first(hit)
            typed = []
            for cid in range(first, min(first + SECTION_CHUNKS, len(self.index.chunks))):
                chunk = self.index.chunks[cid]
                if not _same_section(chunk, hit):
                    break
                typed += [(s, chunk) for s in self.index.chunk_sentences(cid)
                          if (doc.doc_id, s.start) not in held
                          and gives_answer_type(w.q, doc.text[s.start:s.end])]
            if typed:  # the one with the most of the question's words, the first on a tie
                s, chunk = max(typed, key=lambda x: share_in(w.q.terms,
                                                             doc.text[x[0].start:x[0].end]))
                found = Evidence(s, chunk, doc, score, s.start, s.end)
                w.evidence.append(found)
                return [found]
        return []

    def _typed_further(self, w: Work, typed: list[Evidence]) -> list[Evidence]:
        """The evidence besides `typed` whose paragraph goes on, past its window, to a
        sentence that gives the answer type asked (`_going_on`), each widened to it and
        put in place of the evidence it widens: the quote is chosen among them and
        `typed` ("chmod -R no longer exits ...", widened to its "[bug introduced in
        coreutils-9.0]", over another note's "[bug introduced in coreutils-8.25]")."""
        out = []
        given = {id(x) for x in typed}
        for e in [x for x in w.evidence if id(x) not in given]:
            hi = self._going_on(e, e.context_start, e.context_end, lambda s: is_note(w.q, s))
            if hi > e.context_end:
                out.append(_widened(w, e, e.context_start, hi))
        return out

    @functools.cached_property
    def overviews(self) -> Overviews:
        """The collection's titles and headings (qa/overview.py): read once, on the first
        question, or before it by whoever loads the pipeline (the server does, while
        /ready says it is loading)."""
        return Overviews(self.index.documents.values())

    def _overview(self, w: Work) -> Answer | None:
        """"What is <a document's title> about?", "What does <title> say about <a
        heading>?": the opening of what it names, quoted and cited (qa/overview.py);
        None when the question names no title or heading of the collection. Of several
        (one heading in two documents), the one the search ranked highest, after its
        document's name; when the search found none of them, None (retrieval answers).
        A question that is a section's heading ("How do I reset my password?") is
        answered so too, and "What is this document about?" with the opening of each
        document (MAX_DOCUMENTS of them, those the search ranked highest first), each
        after its name when there are several."""
        targets, whole = self.overviews.find(w.standalone)
        if not targets:  # a follow-up made standalone names the conversation's subject:
            # "What are these documents about (Memcheck)?" still asks about them all
            targets, whole = self.overviews.find(w.question)
            if not whole:
                return None
            w.standalone = w.question
        hits = [(h.chunk.doc_id, h.chunk.paragraph) for h in w.result.hits]

        def found_at(t) -> int:
            return next((i for i, (d, p) in enumerate(hits)
                         if d == t.doc_id and t.first <= p < t.last), len(hits))

        ranked = sorted(targets, key=found_at)  # stable: the collection's order on ties
        if whole:
            chosen = ranked[:MAX_DOCUMENTS]
        elif len(targets) > 1 and found_at(ranked[0]) == len(hits):
            return None  # "Tell me about history" over many histories, none retrieved
        else:
            chosen = ranked[:1]
        # each quote after its document's name when it could be another document's
        named = len(self.overviews.documents) > 1 and (
            whole or len({t.doc_id for t in targets}) > 1)
        parts, cites = [], []
        for target in chosen:
            doc = self.index.documents[target.doc_id]
            para = doc.paragraphs[target.opening_paragraph(doc)]
            chunk = self.index.chunk_at(doc.doc_id, para.start)
            spans = [] if chunk is None else [
                (a, b) for a, b in self.index.paragraph_spans(chunk)
                if para.start <= a and b <= para.end]
            if not spans:
                continue
            lo, hi = opening(doc.text, spans)
            e = Evidence(Sentence(-1, chunk.chunk_id, lo, hi), chunk, doc, w.confidence, lo, hi)
            cites.append(citation(len(cites) + 1, e, e.sentence))
            quote = doc.text[lo:hi] + (" …" if hi < spans[0][1] else "")
            parts.append(f"{self.overviews.name(doc)}: {quote}" if named else quote)
        if not parts:
            return None
        text = "\n\n".join(parts)
        if whole:
            more = len(targets) - len(chosen)
            if more:
                text += f"\n\n(and {more} more document{'s' if more > 1 else ''})"
            what = f"the collection; the opening of {len(parts)} of its documents is quoted"
        else:
            target = chosen[0]
            what = (f"the section {target.heading!r} of {target.title!r}" if target.heading
                    else f"the document {target.title!r}") + "; its opening is quoted"
        w.reasons.append(f"overview: the question asks about {what}")
        return answered(w, text, "extractive", cites)

    def _byline(self, w: Work) -> Answer | None:
        """"Who wrote this postmortem?": the byline of the document asked about (one
        the question names by its title, else, for "this ...", the collection's one
        document or the one the search ranked first), quoted and cited; None when the
        question asks no author of a document, or that document has no byline (then
        retrieval answers, or refuses)."""
        asked_of = author_asked(w.standalone)
        if asked_of is None or not w.result.hits:
            return None
        if names_this_document(asked_of):
            ids = ([self.overviews.documents[0].doc_id] if len(self.overviews.documents) == 1
                   else [w.result.hits[0].chunk.doc_id])
        else:
            targets, _ = self.overviews.find(f"What is {asked_of} about?")
            ids = list(dict.fromkeys(t.doc_id for t in targets if not t.heading))[:1]
        for doc_id in ids:
            doc = self.index.documents[doc_id]
            span = byline(doc)
            chunk = None if span is None else self.index.chunk_at(doc_id, span[0])
            if chunk is None:
                continue
            lo, hi = span
            e = Evidence(Sentence(-1, chunk.chunk_id, lo, hi), chunk, doc, w.confidence, lo, hi)
            w.reasons.append(f"byline: the question asks who wrote {doc.title!r}; its byline "
                             "is quoted")
            return answered(w, doc.text[lo:hi].strip(), "extractive",
                            [citation(1, e, e.sentence)])
        return None

    def _compare(self, w: Work) -> Answer | None:
        """"Which had the larger X, A or B?": the two figures compared in code."""
        pool = list(w.evidence)
        for hit in w.result.hits:  # every sentence of the retrieved chunks, after the evidence
            doc = self.index.documents[hit.chunk.doc_id]
            pool += [Evidence(s, hit.chunk, doc, 0.0, s.start, s.end)
                     for s in self.index.chunk_sentences(hit.chunk.chunk_id)]

        def spans(place: str):  # each sentence with its neighbours when they name the place
            out = []
            for e in pool:
                lo, hi = window(e.doc.text, self.index.paragraph_spans(e.chunk),
                                e.sentence, [place])
                out.append((e.doc.text, [(min(lo, e.context_start), max(hi, e.context_end))],
                            e.doc.doc_id))
            return out

        found = compare(w.q.text, _options(w.q), spans)
        if found is None:
            return None
        win, lose, sign = found
        cites = []
        for i, f in enumerate((win, lose), start=1):
            e = next(x for x in pool if x.doc.doc_id == f.doc
                     and x.chunk.start <= f.end and f.start <= x.chunk.end)
            cites.append(citation(i, e, Sentence(-1, e.chunk.chunk_id, f.start, f.end)))
        word = "larger" if sign > 0 else "smaller"
        text = f"{win.place} ({win.number}) is {word} than {lose.place} ({lose.number})."
        w.reasons.append(f"compared the quoted figures: {win.number} and {lose.number}")
        return self._answer(w, text, "compared", cites)

    @staticmethod
    def _no_quote_reason(w: Work) -> str:
        what = (f"the {w.q.expects} asked for" if w.q.expects
                else "an answer about " + ", ".join(w.q.places))
        return f"answer-type: no evidence sentence gives {what}"

    # -- helpers --------------------------------------------------------------
    def _answer(self, w: Work, text: str, mode: str, cites: list[Citation],
                judge: bool = True, short: ShortAnswer | None = None) -> Answer:
        """The answer, unless the passage checks (for a quote) or the answerability
        judgement (unless `judge` is False) refuse it (then abstain); `short`: its short
        answer, when the caller knows it (else read from a quote, `short_answer`)."""
        if mode == "extractive":  # a generated answer met these among the checks
            cited = [e for c in cites if (e := cited_evidence(w.evidence, c))]
            if why := passage_gap(w.q, cited):
                return abstained(w, why)
        judged = self._judge(w, text, mode, cites) if judge else None
        if judged is not None and not judged[0]:
            return abstained(w, f"answerability: the cited passage does not seem to "
                                f"answer the question (p={judged[1]:.2f})")
        if short is None and mode == "extractive":
            short = short_answer(w.q, text)
        return answered(w, text, mode, cites, judged[1] if judged else None, short)

    def _judge(self, w: Work, text: str, mode: str, cites) -> tuple[bool, float] | None:
        """The answerability judgement of an answer (qa/answerability.py): (answer it,
        probability), or None when it is off, not calibrated, or not for this answer
        (comparisons are computed; Chinese questions are not judged)."""
        if self.answerability == "off" or mode == "compared" or w.q.chinese or not cites:
            return None
        t = time.perf_counter()
        passage = " ".join(dict.fromkeys(cited_context(w.evidence, c) for c in cites))
        verdict = e5 = None
        if self.generator is not None and answerability.wants("judge", self.answerability):
            verdict = self.generator.judge(
                answerability.judge_messages(w.standalone, passage, text))
        xling = self.retriever.xling
        if xling is not None and answerability.wants("e5", self.answerability):
            qv = w.result.xling_vector  # the search's, for the same standalone question
            if qv is None:
                qv = xling.embed_query(w.standalone)
            e5 = float(qv @ xling.embed_documents([passage])[0])
        w.timings["judge"] = ms(t)
        w.signals = answerability.signals(w.q, passage, w.confidence,
                                          mode == "generated", verdict, e5)
        if self.answerability != "on":
            return None
        return answerability.decide(w.signals)


def _says(text: str, term: str) -> bool:
    """Whether text writes the term (or its head, `trimmed_terms`), in any case."""
    return any(re.search(r"(?<![\w-])" + r"\s+".join(map(re.escape, t.split())) + r"(?![\w-])",
                         text, re.I) for t in trimmed_terms(term))


def _widened(w: Work, e: Evidence, start: int, end: int) -> Evidence:
    """`e` with its window widened to take in `start` to `end`, in its place in
    `w.evidence` (the checks read the window the quote was chosen in)."""
    wider = replace(e, context_start=min(start, e.context_start),
                    context_end=max(end, e.context_end))
    w.evidence = [wider if x is e else x for x in w.evidence]
    return wider


NOTE_WORDS = 6  # a sentence of so many words at most is a note on the one before it


def is_note(q: Question, sentence: str) -> bool:
    """Whether a sentence is a note about the one before it that gives what `q` asks
    for: in brackets ("[bug introduced in coreutils-9.0]") or short ("Available since
    Ninja 1.11."), with a word of the question ("introduced", "available") and its
    answer type. A typed question's quote goes on to such a note for its answer; a
    sentence of its own that gives a year or a name ("It was superseded by the turbine
    in 1920.") may be about something else, and near misses are written to find one
    there; so may a caption ("(Photo taken in 2004.)" for "When was the mill painted?").

    >>> q = Question.parse("In which release was the chmod bug introduced?")
    >>> is_note(q, "[bug introduced in coreutils-9.0]"), is_note(q, "(Photo taken in 2004.)")
    (True, False)
    >>> is_note(q, "In the 1990s, a bug was introduced in release 2.1 of the program.")
    False
    """
    s = sentence.strip()
    return (bool(re.fullmatch(r"[\[(][^\[\]()]*[\])]\.?", s)) or len(s.split()) <= NOTE_WORDS) \
        and share_in(q.terms, s) > 0 and gives_answer_type(q, s)


def _stamp_of(doc: Document, dated: tuple[int, int] | None, own: tuple[int, int]) -> str:
    """What a timeline's heading says, after the day a heading before it gives: "Feb
    22, 07:13 07:18" for "### 07:18" under "## Feb 22, 07:13"."""
    return " ".join(doc.text[sp[0]:sp[1]] for sp in (dated, own) if sp)


def _names_heading(q: Question, heading: str) -> bool:
    """Whether the question names a short heading: as written ("exclude_docs"), or by
    all of its content words ("Sick leave" in "How much sick leave ...?").

    >>> q = Question.parse("In which MkDocs release was exclude_docs added?")
    >>> _names_heading(q, "exclude_docs"), _names_heading(q, "not_in_nav")
    (True, False)
    >>> _names_heading(Question.parse("How much paid sick time do I get?"), "Paid Sick Time")
    True
    """
    words = content_terms(heading)
    if not heading or not words or len(heading.split()) > HEADING_WORDS:
        return False
    return re.search(rf"(?<![\w-]){re.escape(heading)}(?![\w-])", q.text, re.I) is not None \
        or set(words) <= set(q.terms)


# what sets an option of the question aside: "Unless I pass --glob, how does fd read
# the pattern?" asks about the pattern, not about --glob
_UNLESS = re.compile(r"\b(?:unless|without|instead of|rather than|other than)\b[^,;?]*$", re.I)


def _same_section(a: Chunk, b: Chunk) -> bool:
    return a.doc_id == b.doc_id and heading_of(a.section) == heading_of(b.section)


def _says_asked(q: Question, text: str) -> bool:
    """Whether text names every place and name the question asks about, or, when it asks
    about none, holds a word of what it asks (`focus_share`; never when the question
    has no such word)."""
    asked = q.places + q.names
    return all(mentions(text, n) for n in asked) if asked else focus_share(q, text) > 0


def _names_all_asked(q: Question, text: str) -> bool:
    """Whether text names every place and name the question asks about, and at least
    one, with each number the question writes, and holds a word of what it asks besides
    them, or, with a number of the question's, a word besides its names, numbers and
    times ("EIP 1344 Status: Last Call (30 April 2019)" for "When does the Last Call for
    EIP 1344 close?"; not "## Acme Corp results 2021" for "When did Acme Corp go
    public?", nor "Windows 10 (2015)" for "When did Windows 10 support end?"). Not for a
    question asked of what comes next or came before ("When is the next meeting?"): the
    heading's time is its own section's."""
    asked = q.places + q.names
    figures = numbers(q.text)
    if not asked or _RELATIVE.search(q.text) or not all(mentions(text, n) for n in asked) \
            or not all(written(n, text) for n in figures):
        return False
    if share_in([t for t in q.focus if not any(c.isdigit() for c in t)], text) > 0:
        return True
    rest = re.sub(r"\d+", " ", text)
    for n in asked:
        rest = re.sub(rf"\b{re.escape(n)}\b", " ", rest)
    return bool(figures) and any(not is_stamp(w) for w in terms(rest))


# a question about what comes next or came before another
_RELATIVE = re.compile(r"\b(?:next|previous|preceding|following|upcoming|last|prior)\b")


def _after(result: SearchResult, chunks: list[Chunk]) -> SearchResult:
    """The search's hits, then `chunks`, ranked after them (with no fused score: the
    evidence order weighs them with the rest)."""
    n = len(result.hits)
    return replace(result, hits=result.hits + [Hit(c, 0.0, n + i) for i, c in enumerate(chunks)])


def _options(q: Question) -> list[str]:
    """The two subjects of "Which had the larger X, A or B?": its places, else its names."""
    return q.places if len(q.places) == 2 else (q.places + q.names)[-2:]


__all__ = ["Answer", "Citation", "Limits", "Pipeline", "Route", "SYSTEM_PROMPT", "Work",
           "is_chinese"]
