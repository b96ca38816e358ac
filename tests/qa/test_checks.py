import pytest

from qa.checks import clean_answer, verify
from qa.evidence import coverage_gap, select_evidence
from qa.question import Question


def _evidence(pipeline, q):
    res = pipeline.retriever.search(q, 5)
    return select_evidence(pipeline.index, res, Question.parse(q, pipeline.vocabulary, pipeline.glossary), 3)


def test_question_parse(pipeline):
    parse = lambda t: Question.parse(t, pipeline.vocabulary, pipeline.glossary)  # noqa: E731
    q = parse("What was Shanghai's GDP in 2023?")
    assert q.places == ["Shanghai"] and q.names == ["GDP"]
    zh = parse("天津在汛期前计划完成多少个水毁修复工程？")
    assert zh.chinese and zh.places == ["Tianjin"]
    # without the article's domain pack, a Chinese question names no place
    assert Question.parse("天津在汛期前计划完成多少个水毁修复工程？").places == []


def test_coverage_gap_needs_place_and_attribute_together(pipeline):
    q = Question.parse("What was Shanghai's GDP in 2023?", pipeline.vocabulary)
    ev = _evidence(pipeline, q.text)
    assert coverage_gap(q, ev)
    q2 = Question.parse("What was Shandong's GDP in 2023?", pipeline.vocabulary)
    assert coverage_gap(q2, _evidence(pipeline, q2.text)) == []


def test_verify_accepts_supported_answer(pipeline):
    qtext = "What did Tianjin plan for flood season?"
    ev = _evidence(pipeline, qtext)
    v = verify("Tianjin aims to complete 43 water damage repair projects before the flood season.",
               Question.parse(qtext, pipeline.vocabulary), ev, pipeline.index)
    assert v.ok, v.reasons
    e, s = v.spans[0]
    assert "43 water damage repair projects" in e.doc.text[s.start:s.end]


def test_verify_rejects_invented_number_and_name(pipeline):
    qtext = "What did Tianjin plan for flood season?"
    ev = _evidence(pipeline, qtext)
    q = Question.parse(qtext, pipeline.vocabulary)
    bad = verify("Tianjin aims to complete 44 water damage repair projects before the flood season.",
                 q, ev, pipeline.index)
    assert not bad.ok and any("44" in r for r in bad.reasons)
    bad = verify("Governor Li Qiang aims to complete 43 water damage repair projects.",
                 q, ev, pipeline.index)
    assert not bad.ok


def test_verify_rejects_unrelated_sentence(pipeline):
    qtext = "What did Tianjin plan for flood season?"
    v = verify("The moon is made of green cheese.", Question.parse(qtext, pipeline.vocabulary),
               _evidence(pipeline, qtext), pipeline.index)
    assert not v.ok


def test_clean_answer():
    assert clean_answer("Answer: 43 projects [1][2].") == "43 projects."
    assert clean_answer("Evidence: The Central Economic Work Conference.") == (
        "The Central Economic Work Conference.")


def test_answer_types(pipeline):
    from qa.question import answer_type, gives_answer_type

    cases = {
        "How many people were killed in the Jishishan earthquake?": ("count", False,
            "In December last year, a 6.2-magnitude earthquake occurred in Jishishan, Gansu."),
        "How many houses did Jilin rebuild?": ("count", True,
            "Jilin rebuilt and repaired 5,529 houses damaged by floods"),
        "What budget did Beijing allocate for resilient cities?": ("number", False,
            "Beijing clearly proposed accelerating the construction of resilient cities"),
        "What was Shandong's GDP growth rate in 2023?": ("percent", False,
            "In 2023, Shandong's regional GDP reached 9.2 trillion yuan"),
        "On what exact date did the power outage begin?": ("date", False,
            "a large-scale power outage occurred in Yuanqu County, Shanxi, last December."),
        "Who is the Governor of Shandong?": ("person", False,
            "In 2023, Shandong's regional GDP reached 9.2 trillion yuan"),
        "Who is the Governor of Jiangsu?": ("person", True,
            "Jiangsu Governor Xu Kunlin stated during the review of the Changzhou delegation"),
    }
    for question, (kind, ok, text) in cases.items():
        q = Question.parse(question, pipeline.vocabulary)
        assert answer_type(question) == kind
        assert gives_answer_type(q, text) is ok, question


def test_a_month_name_is_a_time_only_where_it_names_a_month(pipeline):
    """"may" and "march" are verbs besides: "The Foundation may publish new versions"
    gives no time for a "when" question."""
    from qa.question import gives_answer_type

    q = Question.parse("When did the Foundation publish the licence?", pipeline.vocabulary)
    assert not gives_answer_type(q, "The Foundation may publish revised versions of it.")
    assert not gives_answer_type(q, "Members march to the square to hear it read.")
    assert not gives_answer_type(q, "Theresa May read it to the members.")
    for text in ("The Foundation published it in May.", "It was published on 29 June.",
                 "May 2007 saw it published.", "It was published in March.",
                 "It is published every May.", "It came out in mid-May."):
        assert gives_answer_type(q, text), text


def test_count_is_read_from_the_clause_about_the_place(pipeline):
    from qa.question import gives_answer_type

    text = ("Beijing properly resettled 344,000 affected people, all 759 affected schools opened; "
            "Jilin rebuilt and repaired 5,529 houses damaged by floods, ensuring all affected "
            "people had a warm winter")
    def parse(t):
        return Question.parse(t, pipeline.vocabulary)

    assert not gives_answer_type(parse("How many affected people did Jilin resettle?"), text)
    assert gives_answer_type(parse("How many affected people did Beijing resettle?"), text)


def test_figure_from_another_province_is_rejected(pipeline):
    qtext = "What was Shandong's GDP growth rate in 2023?"
    ev = _evidence(pipeline, qtext)
    v = verify("Shandong's regional GDP growth rate in 2023 was 5.8%.", Question.parse(qtext, pipeline.vocabulary), ev,
               pipeline.index)
    assert not v.ok


def test_window_takes_the_quotation_its_speaker_follows():
    from index.store import Sentence
    from index.text import sentence_spans
    from qa.evidence import window

    text = ('Roads were repaired. "Reconstruction should integrate with rural revitalization." '
            "Zhang Yong, a member of the CPPCC, believes that roads are key.")
    spans = sentence_spans(text, 0, len(text))
    s = Sentence(2, 0, *spans[2])
    lo, hi = window(text, spans, s, [])
    assert text[lo:hi].startswith('"Reconstruction') and hi == spans[2][1]
    first = Sentence(1, 0, *spans[1])  # a sentence after a plain one keeps to itself
    assert window(text, spans, first, [])[0] == spans[1][0]


def test_window_takes_the_next_sentence_that_gives_the_reason():
    from index.store import Sentence
    from index.text import sentence_spans
    from qa.evidence import window

    text = ("We use feof() rather than counting the bytes read. The reason is that a file "
            "may be an exact multiple of the buffer. That would lose the end. Buffers are small.")
    spans = sentence_spans(text, 0, len(text))
    lo, hi = window(text, spans, Sentence(0, 0, *spans[0]), [])
    assert (lo, hi) == (spans[0][0], spans[1][1])  # "The reason is ..." goes with it
    # a sentence opening with a demonstrative ("That would ...") is read with the one before
    assert window(text, spans, Sentence(2, 0, *spans[2]), [])[0] == spans[1][0]
    assert window(text, spans, Sentence(3, 0, *spans[3]), []) == spans[3]


def test_window_takes_the_next_sentence_that_says_what_it_is_for():
    """"... introduced for this purpose" answers what the sentence before it asks for,
    wherever in it the reference stands."""
    from index.store import Sentence
    from index.text import sentence_spans
    from qa.evidence import window

    text = ("Traditional MIME types apply to files. It is often useful to classify the content "
            "of mountable volumes too. The x-content type has been introduced for this purpose. "
            "Typical examples are x-content/audio-dvd and x-content/blank-cd.")
    spans = sentence_spans(text, 0, len(text))
    assert window(text, spans, Sentence(1, 0, *spans[1]), []) == (spans[0][0], spans[2][1])
    assert window(text, spans, Sentence(2, 0, *spans[2]), [])[0] == spans[1][0]
    assert window(text, spans, Sentence(3, 0, *spans[3]), []) == spans[3]
    # "in such a way that" points ahead, not back
    text = "The cache lives in ~/.cache. Entries are sorted in such a way that the newest is first."
    spans = sentence_spans(text, 0, len(text))
    assert window(text, spans, Sentence(0, 0, *spans[0]), []) == spans[0]


def test_window_takes_the_label_and_value_after_it():
    """A reference writes a setting's default after what the setting is: the two are
    read together ("Default: 'SIGTERM'" alone says nothing of a signal)."""
    from index.store import Sentence
    from index.text import sentence_spans
    from qa.evidence import window

    text = ("signal <string> Name of the kill signal to send to the worker process. Default: "
            "'SIGTERM'. Workers are forked by the primary. Ports are shared by the workers.")
    spans = sentence_spans(text, 0, len(text))
    assert text[slice(*spans[1])].startswith("Default:")
    assert window(text, spans, Sentence(0, 0, *spans[0]), []) == (spans[0][0], spans[1][1])
    # a sentence of its own after it is not taken
    assert window(text, spans, Sentence(2, 0, *spans[2]), []) == spans[2]
    text = "The king died in 1066. The court said: never again. See also: Hastings."
    spans = sentence_spans(text, 0, len(text))
    assert window(text, spans, Sentence(0, 0, *spans[0]), []) == spans[0]


def test_window_takes_the_label_of_a_definition_lists_item():
    """"This is the default sort metric." is about the item's label ("Total (blocks):"),
    which the quote then carries; a paragraph that opens with a sentence, or an item too
    long to quote whole, keeps to the sentence."""
    from index.store import Sentence
    from index.text import sentence_spans
    from qa.evidence import window

    text = ("Total (blocks): The total number of blocks allocated. Highly useful for "
            "evaluating heap churn. This is the default sort metric.")
    spans = sentence_spans(text, 0, len(text))
    assert window(text, spans, Sentence(2, 0, *spans[2]), []) == (0, len(text))
    assert window(text, spans, Sentence(1, 0, *spans[1]), [])[0] == 0
    plain = ("Blocks are counted once. Highly useful for evaluating heap churn. "
             "This is the default sort metric.")
    spans = sentence_spans(plain, 0, len(plain))
    assert window(plain, spans, Sentence(2, 0, *spans[2]), [])[0] == spans[1][0]
    aside = ("For example: say you made a change. Measure it first. This is the way to "
             "know.")
    spans = sentence_spans(aside, 0, len(aside))  # "For example:" labels nothing
    assert window(aside, spans, Sentence(2, 0, *spans[2]), [])[0] == spans[1][0]
    for other in ("He said: The plan fails. Critics agreed. It was shelved in May.",
                  "Name: Alice. Role: Admin. It is the shell of Zsh."):  # no item's label
        spans = sentence_spans(other, 0, len(other))
        assert window(other, spans, Sentence(2, 0, *spans[2]), [])[0] == spans[1][0], other
    long = text.replace("allocated.", "allocated, " + "and more of them " * 30 + ".")
    spans = sentence_spans(long, 0, len(long))
    assert window(long, spans, Sentence(2, 0, *spans[2]), [])[0] == spans[1][0]


def test_window_takes_what_its_last_sentence_introduces():
    """A sentence ending in a colon is read with the paragraph it introduces (a command
    set apart below it), when the two are short; a paragraph that follows a full stop,
    one too long, or a long one not set apart, is not."""
    from index.store import Sentence
    from index.text import sentence_spans
    from qa.evidence import LIST_WINDOW_CHARS, window

    intro = "To process pending triggers, dpkg will run the postinst script as:"
    text = f'{intro}\n\n   postinst triggered "<name> <name> ..."\n\nThis runs at the end.'
    spans = sentence_spans(text, 0, len(intro))
    lo, hi = window(text, spans, Sentence(0, 0, *spans[0]), [])
    assert text[lo:hi].endswith('postinst triggered "<name> <name> ..."')
    plain = text.replace("script as:", "script.")
    assert window(plain, spans, Sentence(0, 0, *spans[0]), []) == spans[0]
    long = text.replace("postinst triggered", "x " * LIST_WINDOW_CHARS)
    assert window(long, spans, Sentence(0, 0, *spans[0]), []) == spans[0]
    # Windows line ends; a blank line with spaces on it still ends the command
    crlf = text.replace("\n", "\r\n").replace("\r\n\r\nThis", "\r\n  \r\nThis")
    lo, hi = window(crlf, spans, Sentence(0, 0, *spans[0]), [])
    assert crlf[lo:hi].endswith('"<name> <name> ..."')
    # a long paragraph after the colon, not set apart, is other text (a quotation left out)
    prose = f"{intro}\n\n" + "Other evidence of the weavers survives in the town. " * 5
    assert window(prose, spans, Sentence(0, 0, *spans[0]), []) == spans[0]


def test_no_answer_type_from_agents_paths_or_one_of_many():
    """"by the GNU Project" is no time, "triggers/Unincorp" no organisation, and "one of
    the triggers" no count of triggers."""
    from qa.question import gives_answer_type

    when = Question.parse("When was the gcc-snapshot package first released?")
    assert not gives_answer_type(when, "Bugs in snapshots of GCC not issued by the GNU Project.")
    assert gives_answer_type(when, "It was released by the time GCC 4 came out.")
    who = Question.parse("Who designed the dpkg triggers facility?")
    assert not gives_answer_type(who, "dpkg creates triggers/File and triggers/Unincorp.")
    many = Question.parse("How many pending triggers can a package have at most?")
    assert not gives_answer_type(many, "When one of the triggers is activated, the package "
                                       "has the trigger added to its list of pending triggers.")
    assert gives_answer_type(many, "A package may have up to 32 pending triggers.")
    # a path is no organisation, but it says where a file is
    where = Question.parse("Where can the set of supported Python 3 versions be found?")
    assert gives_answer_type(where, "The set of supported Python 3 versions can be found in "
                                    "/usr/share/python3/debian_defaults.")
    assert not gives_answer_type(where, "The set of supported Python 3 versions is short.")
    assert not gives_answer_type(Question.parse("Where is /usr/share/omf read?"),
                                 "The files in /usr/share/omf are read at once.")
    # so does a directory named in words, not one the question names
    kept = Question.parse("Where is the log file kept?")
    assert gives_answer_type(kept, "The log file is kept in the build root.")
    assert gives_answer_type(kept, "It is kept under your home directory.")
    assert not gives_answer_type(kept, "The log file is kept for a week.")
    for prose in ("It is kept in the drive for independence.", "It is kept in the root of "
                  "the plant.", "It is kept in the registry of deeds."):
        assert not gives_answer_type(kept, prose), prose
    assert not gives_answer_type(Question.parse("Where in the build root is the log kept?"),
                                 "The log is kept in the build root.")
    # software is dated by its releases; "The release of gas" dates nothing
    dropped = Question.parse("When is the Python 2 stack to be dropped?")
    assert gives_answer_type(dropped, "Python 2 is dropped for the Bullseye release.")
    assert gives_answer_type(dropped, "Python 2 was dropped in v3.0.")
    assert gives_answer_type(dropped, "Python 2 is kept until the Debian 12 release.")
    for prose in ("The release of Python 2 was slow.", "The DVD release sold well.",
                  "The North American release came later.", "See section 4.2.1."):
        assert not gives_answer_type(dropped, prose), prose
    # the question's numbered name ("Python 2") and its like ("Python 3") count nothing
    remain = Question.parse("How many Python 2 packages remain in Bullseye?")
    assert not gives_answer_type(remain, "If any Python 2 packages remain, they must go.")
    assert not gives_answer_type(remain, "Python 2 packages may stay until Python 3 packages "
                                         "replace them.")
    assert gives_answer_type(remain, "Twelve Python 2 packages remain.")
    windows = Question.parse("How many WINDOWS 10 devices are there?")
    assert not gives_answer_type(windows, "Windows10 ran on devices.")
    # a name spaCy tags in lower case is no name: "info metadata" as a person
    assert not gives_answer_type(Question.parse("Who wrote PEP 427?"),
                                 "PEP 427 defines a format with a *.dist-info metadata directory.")


def test_a_habitual_when_question_is_answered_by_its_condition():
    """"When are the hooks called?" asks on what condition, where "When was it built?"
    asks for a time; the condition must be stated of the verb asked about."""
    from qa.question import gives_answer_type

    text = "These hooks are called when a runtime is removed or stops being supported."
    assert gives_answer_type(Question.parse("When are the rtremove hooks called?"), text)
    assert gives_answer_type(Question.parse("When should the hooks be called?"), text)
    assert not gives_answer_type(Question.parse("When were the hooks called?"), text)
    assert not gives_answer_type(Question.parse("When are the hooks removed?"), text)
    assert not gives_answer_type(Question.parse("When are the hooks written?"), text)
    text = "If your project is small, the speed impact is unnoticeable. Small is fine."
    assert gives_answer_type(Question.parse("When is the speed impact unnoticeable?"), text)
    assert not gives_answer_type(Question.parse("When is a project small?"), text)
    for question, text in [  # a condition word by chance, or of another sentence
            ("When are the hooks called?", "The hooks are called once."),
            ("When is the deadline?", "There is no deadline unless the editor sets one."),
            ("When is Easter?", "Easter eggs are hidden until the children arrive."),
            ("When are the hooks called?", "They are called by dpkg. If it fails, stop.")]:
        assert not gives_answer_type(Question.parse(question), text), (question, text)


def test_early_failure_judges_only_finished_sentences(pipeline):
    from qa.checks import early_failure

    qtext = "What did Tianjin plan for flood season?"
    ev, q = _evidence(pipeline, qtext), Question.parse(qtext, pipeline.vocabulary)
    good = "Tianjin aims to complete 43 water damage repair projects before the flood season. "
    junk = "Shenzhen launched a fleet of orbital weather balloons last spring. "
    assert early_failure(good + "It also", q, ev, pipeline.index) is None
    assert early_failure(junk, q, ev, pipeline.index) is None  # not known to be finished
    assert "unsupported" in early_failure(junk + "It", q, ev, pipeline.index)
    bad_number = good.replace("43", "4317") + "It"
    assert "4317" in early_failure(bad_number, q, ev, pipeline.index)
    # what early_failure refuses, verify refuses too, whatever follows
    assert not verify(junk + good, q, ev, pipeline.index).ok


@pytest.mark.parametrize("question, abbreviation, expects", [
    ("What does DER stand for?", "DER", "expansion"),
    ("What does DER stand for in the manual?", "DER", "expansion"),
    ("What is TCP/IP short for?", "TCP/IP", "expansion"),
    ("What does the acronym NSF mean?", "NSF", "expansion"),
    ("What is ASN.1?", "ASN.1", None),
    # they name an abbreviation but ask for something else
    ("What is the full name of the CEO?", None, None),
    ("How did NATO expand after 1990?", None, None),
    ("How do I expand a ZIP file?", None, None),
    ("What does GDPR mean for startups?", None, None),
    ("What does the MPL mean by Covered Software?", None, None),
    ("What values does the EFF stand for?", None, None),
    ("What is JavaScript?", None, None),
])
def test_a_question_asks_for_an_abbreviation_spelled_out_only_in_so_many_words(
        question, abbreviation, expects):
    q = Question.parse(question)
    assert (q.abbreviation, q.expects if q.expects == "expansion" else None) == (
        abbreviation, expects)


def test_a_default_is_answered_only_by_a_passage_that_states_one():
    """"What is the default weight?" asks what a setting is when nobody sets it: a passage
    that names the setting without saying so ("an optional weight attribute") does not
    answer it, whatever else it shares with the question."""
    from qa.question import answer_type, gives_answer_type

    q = Question.parse("What is the default weight of a glob element?")
    assert q.expects == "default"
    assert gives_answer_type(q, "The default weight value is 50, and the maximum is 100.")
    assert gives_answer_type(q, "The weight is 50 unless the element sets it.")
    assert gives_answer_type(q, "Each glob defaults to a weight of 50.")
    # stated of another attribute, a default answers nothing about the weight
    assert not gives_answer_type(q, "The weight is optional; the default priority is 50.")
    assert gives_answer_type(Question.parse("What is the default value of CACHE_PATH?"),
                             "The default is ~/.cache.")
    assert not gives_answer_type(q, "There is also an optional weight attribute, used when "
                                    "resolving conflicts with other glob matches.")
    assert answer_type("Which option is on by default?") == "default"
    assert answer_type("What does --with-universal-archs default to?") == "default"
    # "default" that only qualifies what is asked for asks no default
    assert answer_type("What name should scripts that require the default version use?") is None
    assert not gives_answer_type(q, "It builds with mostly default weights to keep things simple.")
    # a type its wording names first still wins: a count, a place
    assert answer_type("How many jobs run by default?") == "count"
    assert answer_type("Where does it install by default?") == "place"


def test_the_ways_manuals_state_a_default():
    """A default stated as a manual states it, of the attribute asked; not a default that
    is only named, nor one of another attribute."""
    from qa.question import _default_heads, gives_answer_type

    port = Question.parse("What is the default port?")
    for text in ("Port 80 is the default.", "80 is the default port.",
                 "The port, unless set, is 80.", "Default port: 80", "--port PORT (default 80)",
                 "DEFAULT_PORT=80", "The server listens on port 80 by default."):
        assert gives_answer_type(port, text), text
    for text in ("Ports are chosen by the administrator.", "The port matters unless two "
                 "hosts share it.", "Loan defaults were rising on the port's books."):
        assert not gives_answer_type(port, text), text
    assert _default_heads("What is the default HTTP port of the proxy?") == {"port"}
    priority = _default_heads("What is the default priority?")
    assert priority and _default_heads("What is the default priority value of magic?") == priority
    assert _default_heads("What does the port default to?") == _default_heads("default port")
    assert _default_heads("Which option is on by default?") == set()
    # before "default to", the noun asked for or the subject: a passage names either
    spec = Question.parse("What ISA spec version does the RISC-V port default to in GCC 12?")
    assert gives_answer_type(spec, "Default ISA spec version was bump to 20191213.")
    assert gives_answer_type(spec, "The port for RISC-V now defaults to ISA spec 20191213.")
    assert not gives_answer_type(spec, "The default heap size is 64 MB.")
    server = Question.parse("What port does the web server default to?")
    assert gives_answer_type(server, "The web server defaults to 8080 unless it is set.")
    assert gives_answer_type(server, "The default port is 8080.")
    # a word that names no attribute leaves the subject to be the head
    assert _default_heads("What value does the timeout default to?") == _default_heads(
        "the default timeout")


def test_a_version_is_answered_only_by_a_passage_that_gives_one():
    """"In which version was X added?" asks for a release: a passage about X that gives
    none ("A timer is an internal construct ...") does not answer it."""
    from qa.question import answer_type, gives_answer_type
    from qa.short_answer import short_answer

    q = Question.parse("In which Node.js version was timeout.refresh() added?")
    assert q.expects == "version"
    for text in ("Added in: v10.2.0", "The refresh() method came with 2.30.1.",
                 "It came with release 4 of the library.", "Node.js v18 added it.",
                 "Available since Ninja 1.11.", "It works as of CMake 2.8 only."):
        assert gives_answer_type(q, text), text
    for text in ("A timer in Node.js is an internal construct.", "It is 2.5 times faster.",
                 "The dam held 1.5 million tonnes.", "It opened at 10.30 on 12.03.2020.",
                 "It has grown 2.5 times since 2003.", "It has grown since 2.5 km."):
        assert not gives_answer_type(q, text), text
    assert short_answer(q, "timeout.refresh() Added in: v10.2.0").text == "v10.2.0"
    # a package's release as release notes write it; "which release" asks for one too
    assert gives_answer_type(q, "[bug introduced in coreutils-9.0]")
    assert not gives_answer_type(q, "The walk is 1-2.5 km long. See Table-1.1.")
    for asked in ("Which release added the b2sum program?", "What release fixed it?",
                  "Which Ninja release first supported pools?"):
        assert answer_type(asked) == "version", asked
    for asked in ("Which release date was set?", "What release of the album sold best?",
                  "Which release notes mention it?", "Which Beatles release was banned?",
                  "Which release had the highest chart position?"):
        assert answer_type(asked) != "version", asked
    # the product asked about, with a number; not the version the question names
    python = Question.parse("What Python version is required?")
    assert short_answer(python, "Python 3 or later is required.").text == "Python 3"
    assert not gives_answer_type(Question.parse("Which version came after 2.0?"),
                                 "Since version 2.0 it works.")
    for question in ("Since which release is the inputs tool available?",
                     "What version of Python is required?", "Which version of OpenSSL is used?",
                     "In which X11 release was the extension first introduced?"):
        assert answer_type(question) == "version", question
    for question in ("Which version control system does it use?", "What changed in version 1.11?",
                     "Which version of the story is older?", "What caused the release of gas?",
                     "Which press release announced the merger?", "What was the release year?",
                     "In which release notes is the change listed?",
                     "In which Netflix release did she star?"):
        assert answer_type(question) != "version", question
    # a default version is a default and a version
    default = Question.parse("Which version of OpenSSL does it download by default?")
    assert default.expects == "default"
    assert gives_answer_type(default, "By default it downloads OpenSSL 3.0.13.")
    assert not gives_answer_type(default, "The default is openssl3 openssl.")


def test_the_number_of_is_a_count():
    from qa.question import answer_type, quantity_head

    q = Question.parse("What is the maximum number of workers the cluster module lets you fork?")
    assert (q.expects, q.quantity) == ("count", quantity_head("How many workers are there?"))
    assert quantity_head("What is the number of access keys allowed per user?") == \
        quantity_head("How many keys are there?")
    assert quantity_head("In a number of cases, how many patients died?") == \
        quantity_head("How many patients?")
    assert answer_type("What number of people died?") == "count"
    for question in ("What is the default number of parallel jobs?",
                     "What was the jersey number of Michael Jordan?",
                     "What are produced from a large number of genes?"):
        assert answer_type(question) != "count", question


def test_what_holds_unless_something_is_so_answers_what_holds_without_it():
    from qa.checks import negation_gap

    passage = ("If so, a transition is vulnerable to a 33% attack unless there is a "
               "checkpoint.")
    q = Question.parse("Without a checkpoint, what attack would a transition be exposed to?")
    assert negation_gap(q, passage, passage) is None
    # "unless" answers "without", not every question about what is not so, and only an
    # "unless" of what the question says is missing
    assert negation_gap(Question.parse("Which attack is not possible?"), passage, passage)
    assert negation_gap(Question.parse("Which plans work without an internet connection?"),
                        "All plans sync files every hour unless sync is paused.", "")


def test_a_denial_in_the_questions_condition_is_answered_by_a_default():
    """"What does kill() send if I don't specify one?" asks what holds when nothing is
    given, which a passage that states a default says; "What is not ...?" still needs a
    passage that denies."""
    from qa.checks import negation_gap

    passage = "signal <string> Name of the kill signal to send. Default: 'SIGTERM'."
    q = Question.parse("What signal does worker.kill() send if I don't specify one?")
    assert negation_gap(q, passage, passage) is None
    assert negation_gap(Question.parse("When no count is passed, how many colors are checked?"),
                        "count The number of colors. Default: 16.", "") is None
    # a condition that leaves out no value, a passage with no default, a question that denies
    assert negation_gap(Question.parse("What does the server do if the client doesn't "
                                       "respond?"), "By default, the server logs requests.", "")
    assert negation_gap(Question.parse("What occurs when antibodies will not bind?"),
                        "Antibodies bind to antigens.", "")
    assert negation_gap(Question.parse("Which signal is not sent by default?"), passage, passage)


def test_a_word_that_denies_its_own_stem_answers_only_a_question_about_that_stem():
    """"pistonless" denies pistons: it answers "without pistons", not "What immune
    response is not antigen-specific?" beside a passage about "non-self"."""
    from qa.checks import negation_gap

    engine = "It is possible to use a pistonless rotary engine such as the Wankel engine."
    assert negation_gap(Question.parse("What is an example of a rotary engine without "
                                       "pistons?"), engine, engine) is None
    cells = "Immune cells distinguish self from non-self molecules."
    assert negation_gap(Question.parse("What immune response is not antigen-specific?"),
                        cells, cells)
    assert negation_gap(Question.parse("What is not a self molecule?"), cells, cells) is None
    # a refusal denies too
    crown = "The crown's refusal to allow non-Catholics to settle in New France ..."
    assert negation_gap(Question.parse("What persons were not allowed to settle in New "
                                       "France?"), crown, crown) is None


def test_a_passage_that_sets_something_aside_answers_what_is_not_so():
    """"every member except the chair" answers who does not vote; a question that says
    "other than" still asks what is so, and a passage that denies its word refuses it."""
    from qa.checks import negation_gap

    votes = "Every member of the board votes, except the chair."
    assert negation_gap(Question.parse("Which member does not vote?"), votes, votes) is None
    stored = "Files other than logs are not stored on the server."
    assert negation_gap(Question.parse("Which files other than logs are stored on the "
                                       "server?"), stored, stored)


@pytest.mark.parametrize("question,passage,refused", [
    ("What is fully understood about these cells?", "They are not fully understood.", True),
    ("Which flag deletes the input files?", "-k keeps the input files: it does not delete "
     "them.", True),
    # a yes/no question is answered "no" by the denial; a question that already sets
    # something aside; a limit stated with a figure; a denial lifted by a condition
    ("Does the GPL require me to accept it?", "You are not required to accept it.", False),
    ("Which flag keeps the files instead of deleting them?", "Keep (don't delete) files.",
     False),
    ("How large a file could it handle?", "It could not handle files over 512 MB.", False),
    ("What must be broken to tamper with it?", "You may not tamper with it unless the seal "
     "is broken.", False),
    # the word written again, affirmed
    ("Which files are deleted?", "Temporary files are deleted; logs are not deleted.", False),
    # a verb that keeps it from being done, or says it is not done, denies it too
    ("What drugs help T cells respond to signals?", "Immunosuppressive drugs prevent T "
     "cells from responding to signals.", True),
    ("Which service starts at boot?", "The mail service fails to start at boot.", True),
    ("Which service starts at boot?", "The mail service starts at boot; it seldom fails to "
     "start.", False),
    # not when the question asks what keeps it from being done, names it as a thing, or
    # the passage denies the failure
    ("What prevents steel from rusting?", "A zinc coating prevents steel from rusting.",
     False),
    ("How is overheating avoided?", "A fan keeps the engine from overheating.", False),
    ("Which pump always starts in cold weather?", "The diesel pump never fails to start "
     "in cold weather.", False),
])
def test_a_passage_that_writes_the_question_word_only_to_deny_it(question, passage, refused):
    from qa.checks import negation_gap

    assert bool(negation_gap(Question.parse(question), passage, passage)) is refused


@pytest.mark.parametrize("question,passage,refused", [
    # "unable", "fail to", "lack" ask what is not so, as "not" does
    ("What are bacteria unable to secrete?", "Bacteria secrete enzymes that digest it.", True),
    ("What do simple unicellular organisms lack?", "Even simple organisms possess a "
     "rudimentary immune system.", True),
    ("What are bacteria unable to secrete?", "Bacteria cannot secrete toxins.", False),
    ("Plants lack what kind of immune cells?", "Unlike animals, plants lack phagocytic "
     "cells.", False),
    ("What is impossible to recover after deletion?", "It is impossible to recover deleted "
     "snapshots.", False),
    # a reason or cause for a failure is stated without a denial
    ("Why might a file fetched over FTP fail to decompress?", "It was transferred in ASCII "
     "mode, which corrupts binary files.", False),
    ("For what reason does the server fail to start?", "The port is taken.", False),
    # nor is the word what is asked in an error message, a condition, a clause that
    # describes, or as a noun
    ("How do I fix the error 'Unable to locate package'?", "Run apt update first.", False),
    ("What should I do if the pump fails to start?", "Check the fuse.", False),
    ("What seals the rotors of an engine that lacks pistons?", "Wear makes sealing hard.",
     False),
    ("What are the symptoms of a lack of vitamin D?", "Vitamin D deficiency causes rickets.",
     False),
])
def test_a_question_that_says_something_cannot_be_needs_a_passage_that_denies(
        question, passage, refused):
    from qa.checks import negation_gap

    assert bool(negation_gap(Question.parse(question), passage, passage)) is refused


def test_a_label_is_stripped_only_from_a_task_title():
    """'Canberra: the capital of Australia.' says more than the question, and a "Yes:"
    answer is no restatement; 'APPENDIX: How to apply the licence.' is a title."""
    from qa.checks import restates, unquotable
    capital = Question.parse("What is the capital of Australia?")
    assert not restates(capital, "Canberra: the capital of Australia.")
    assert not unquotable(capital, "Canberra: the capital of Australia.")
    use = Question.parse("Does the licence allow commercial use?")
    assert not restates(use, "Yes: the licence allows commercial use.")
    apply = Question.parse("How is the licence applied to my work?")
    assert unquotable(apply, "APPENDIX: How to apply the licence to your work.")
    assert not unquotable(apply, "How to apply the licence: attach a notice to each file.")


def test_window_reads_a_question_with_its_answer():
    """An FAQ's or a list of whys' question line is read with the answer after it, on its
    line or in the paragraph after: alone it restates the question and answers nothing."""
    from index.store import Sentence
    from index.text import sentence_spans
    from qa.evidence import past_question, window

    text = ("Why was the backup not tested? - Because there was no ownership. "
            "Tests were planned.")
    spans = sentence_spans(text, 0, len(text))
    lo, hi = window(text, spans, Sentence(0, 0, *spans[0]), [])
    assert text[lo:hi].endswith("no ownership.")
    faq = "Can I run it offline?\n\nYes: every model ships in a package.\n\nMore below."
    spans = sentence_spans(faq, 0, 21)
    lo, hi = window(faq, spans, Sentence(0, 0, *spans[0]), [])
    assert faq[lo:hi].endswith("ships in a package.")
    plain = "The backup was not tested. Nobody owned it."
    spans = sentence_spans(plain, 0, len(plain))
    assert window(plain, spans, Sentence(0, 0, *spans[0]), []) == spans[0]
    # a question in prose, not set apart, is rhetorical: what follows is no answer to it
    prose = "How long does the battery last? Charge it before first use."
    spans = sentence_spans(prose, 0, len(prose))
    assert window(prose, spans, Sentence(0, 0, *spans[0]), []) == spans[0]
    # what is quoted of a question read with its answer is the answer
    assert text[past_question(text, 0, len(text)):].startswith("Because there was")
    assert past_question(plain, 0, len(plain)) == 0


def test_answer_types_read_as_reports_write_them():
    """An ordinal day is a date, "a few years afterwards" a point in time and no span, a
    count question whose verb follows "how many" counts what its verb does, a possessive
    plural is what is counted; a physical measure asks for a figure; an abbreviation the
    text gives the question's own term is no answer to "who"."""
    from qa.question import gives_answer_type

    date = Question.parse("On what date was the battle fought?")
    assert date.expects == "date"
    assert gives_answer_type(date, "It was fought on the 18th July, 364.")
    assert gives_answer_type(date, "It was fought on July 18th.")
    span = Question.parse("For how long did the Senones besiege Clusium?")
    assert not gives_answer_type(span, "A few years afterwards the Senones crossed.")
    assert gives_answer_type(span, "The siege lasted seven months.")
    assert Question.parse("By how much were sequences incremented during recovery?").quantity \
        == "increment"
    # an amount of a deed is typed by any amount (whether it is of that deed is for the
    # relevance and the answerability judgement), by no bare count
    assert not gives_answer_type(Question.parse("How much did Forbes donate in 2009?"),
                                 "Forbes had 12 staff in 2009.")
    assert Question.parse("Roughly how many users' data was lost?").quantity == "user"
    assert Question.parse("What was the peak number of viewers?").expects == "count"
    assert Question.parse("How much does the ticket cost?").quantity == "cost"
    dense = Question.parse("What is the average density of the inner core?")
    assert dense.expects == "number"
    assert not gives_answer_type(dense, "The inner core is solid because the pressure is high.")
    assert gives_answer_type(dense, "Its density is about 13 g/cm3.")
    assert Question.parse("How hot is the inner core?").expects == "number"
    assert Question.parse("How large a role did it play?").expects is None
    assert Question.parse("What is the default weight of a glob?").expects == "default"
    who = Question.parse("Who discovered the core-mantle boundary?")
    assert not gives_answer_type(who, "The core-mantle boundary (CMB) is marked by a change.")
    assert gives_answer_type(who, "Beno Gutenberg found the core-mantle boundary (CMB).")
    late = Question.parse("How long after the merger did the firm fail?")
    assert gives_answer_type(late, "Three years later the firm went bankrupt.")


def test_a_date_in_figures_has_a_day_a_month_and_a_year_of_four_digits():
    """3/1/2024 and 13.1.2024 are dates; a version ("3.10.12") and a fraction ("1/2/10")
    are not, nor a month thirteen."""
    from qa.question import gives_answer_type

    q = Question.parse("On what date was the law published?")
    assert q.expects == "date"
    for text in ("It was published on 3/1/2024.", "It was published on 13.1.2024.",
                 "It was published on 2024/3/1."):
        assert gives_answer_type(q, text), text
    for text in ("Python 3.10.12 was published.", "Mix 1/2/10 of it.",
                 "It was published on 2024/13/1.", "It was published on 14/14/2020."):
        assert not gives_answer_type(q, text), text
