"""The request types of chatbot/knowledge/request_types.toml: every example fires or stays quiet as written."""

import pytest

from chatbot.request_types import RequestTypesError, load_request_types, phrase_words, request_type

TYPES = load_request_types()


@pytest.mark.parametrize("kind", TYPES, ids=lambda t: t.id)
def test_every_type_recognises_its_examples_and_leaves_its_quiet_ones(kind):
    assert kind.fires and kind.quiet
    assert [m for m in kind.fires if request_type(m) != kind.id] == []
    assert [m for m in kind.quiet if kind.matches(phrase_words(m))] == []


def test_within_bounds_how_far_the_ask_may_follow_the_subject():
    diagnosis = next(t for t in TYPES if t.id == "diagnosis")
    assert diagnosis.within is not None
    assert diagnosis.matches(phrase_words("is it a herniated disc"))
    assert not diagnosis.matches(phrase_words("is it safe to foam roll with a herniated disc"))


def test_a_malformed_file_names_the_type_and_the_field(tmp_path):
    path = tmp_path / "types.toml"
    path.write_text('[[types]]\nid = "cost"\nmeaning = "x"\ncues = ["price"]\nfires = []\n', encoding="utf-8")
    with pytest.raises(RequestTypesError, match="'cost' has no 'quiet'"):
        load_request_types(path)


def test_unless_keeps_a_type_quiet_whatever_else_the_message_holds():
    diagnosis = next(t for t in TYPES if t.id == "diagnosis")
    assert diagnosis.matches(phrase_words("diagnose my back pain"))
    assert not diagnosis.matches(phrase_words("who should diagnose my back pain"))
