"""The one error hierarchy: what callers catch, and what they must not catch by accident."""

from index.errors import DocQAError, IndexCorrupt, IndexError_, ModelUnavailable
from qa.errors import BadQuestion, GenerationCancelled, GenerationTimeout, QAError


def test_every_error_has_the_one_root():
    for kind in (IndexError_, IndexCorrupt, ModelUnavailable, QAError, BadQuestion,
                 GenerationTimeout, GenerationCancelled):
        assert issubclass(kind, DocQAError)


def test_a_missing_model_is_not_an_index_error():
    # the CLI and /ready tell the two apart: exit 4 (model) against 3 (index)
    assert not issubclass(ModelUnavailable, IndexError_)
    assert not issubclass(QAError, IndexError_)
    try:
        raise ModelUnavailable("pip install it")
    except IndexError_:
        raise AssertionError("caught as an index error") from None
    except DocQAError as e:
        assert "pip install" in str(e)
