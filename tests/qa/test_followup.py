import pytest

from qa.followup import standalone

ZJ = [{"role": "user", "content": "What three-year plan did Zhejiang propose against typhoons?"},
      {"role": "assistant", "content": "A three-year action plan."}]


@pytest.mark.parametrize("question,history,expected", [
    ("And Guangdong?", ZJ, "What three-year plan did Guangdong propose against typhoons?"),
    ("What about Guangdong?", ZJ, "What three-year plan did Guangdong propose against typhoons?"),
    ("What was its growth rate?", [{"role": "user", "content": "What was Jiangsu's GDP?"}],
     "What was Jiangsu's growth rate?"),
    ("What did Jilin rebuild?", ZJ, "What did Jilin rebuild?"),
    ("What did Jilin rebuild?", [], "What did Jilin rebuild?"),
    ("它的增长率是多少？", ZJ, "它的增长率是多少？"),
    ("And Jiangxi?", ZJ + [{"role": "user", "content": "And Guangdong?"},
                           {"role": "assistant", "content": "A campaign."}],
     "What three-year plan did Jiangxi propose against typhoons?"),
])
def test_standalone(question, history, expected):
    assert standalone(question, history) == expected


SP = [{"role": "user", "content": "Who designed the Scottish Parliament building?"},
      {"role": "assistant", "content": "Enric Miralles designed it."}]
NORMANS = [{"role": "user", "content": "Where did the Normans settle?"},
           {"role": "assistant", "content": "In Normandy, a region in France."}]


@pytest.mark.parametrize("question,history,expected", [
    # the subject is what the user asked about, not the name the answer gave
    ("When was it opened?", SP, "When was the Scottish Parliament building opened?"),
    ("Who paid for it?", SP, "Who paid for the Scottish Parliament building?"),
    ("What language did they speak?", NORMANS, "What language did the Normans speak?"),
    ("Who was their leader?", NORMANS, "Who was the Normans' leader?"),
    ("When did they convert to Christianity?", NORMANS + [
        {"role": "user", "content": "What language did the Normans speak?"},
        {"role": "assistant", "content": "Norman French."}],
     "When did the Normans convert to Christianity?"),
    ("When was Kraków founded?", SP, "When was Kraków founded?"),
    # "he" is the person the conversation named, even when only the answer named him
    ("What did he design in Barcelona?", SP, "What did Enric Miralles design in Barcelona?"),
])
def test_follow_ups_on_another_collection(question, history, expected):
    assert standalone(question, history) == expected
