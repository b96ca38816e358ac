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
