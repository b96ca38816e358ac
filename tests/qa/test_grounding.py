from qa.grounding import Question, clean_answer, coverage_gap, select_evidence, verify


def _evidence(pipeline, q):
    res = pipeline.retriever.search(q, 5)
    return select_evidence(pipeline.index, res, Question.parse(q), 3)


def test_question_parse():
    q = Question.parse("What was Shanghai's GDP in 2023?")
    assert q.places == ["Shanghai"] and q.names == ["GDP"]
    zh = Question.parse("天津在汛期前计划完成多少个水毁修复工程？")
    assert zh.chinese and zh.places == ["Tianjin"]


def test_coverage_gap_needs_place_and_attribute_together(pipeline):
    q = Question.parse("What was Shanghai's GDP in 2023?")
    ev = _evidence(pipeline, q.text)
    assert coverage_gap(q, ev)
    q2 = Question.parse("What was Shandong's GDP in 2023?")
    assert coverage_gap(q2, _evidence(pipeline, q2.text)) == []


def test_verify_accepts_supported_answer(pipeline):
    qtext = "What did Tianjin plan for flood season?"
    ev = _evidence(pipeline, qtext)
    v = verify("Tianjin aims to complete 43 water damage repair projects before the flood season.",
               Question.parse(qtext), ev, pipeline.index)
    assert v.ok, v.reasons
    e, s = v.spans[0]
    assert "43 water damage repair projects" in e.doc.text[s.start:s.end]


def test_verify_rejects_invented_number_and_name(pipeline):
    qtext = "What did Tianjin plan for flood season?"
    ev = _evidence(pipeline, qtext)
    q = Question.parse(qtext)
    bad = verify("Tianjin aims to complete 44 water damage repair projects before the flood season.",
                 q, ev, pipeline.index)
    assert not bad.ok and any("44" in r for r in bad.reasons)
    bad = verify("Governor Li Qiang aims to complete 43 water damage repair projects.",
                 q, ev, pipeline.index)
    assert not bad.ok


def test_verify_rejects_unrelated_sentence(pipeline):
    qtext = "What did Tianjin plan for flood season?"
    v = verify("The moon is made of green cheese.", Question.parse(qtext),
               _evidence(pipeline, qtext), pipeline.index)
    assert not v.ok


def test_clean_answer():
    assert clean_answer("Answer: 43 projects [1][2].") == "43 projects."
