"""The continuation decision: its features, its training examples and its weights file."""

import json

import numpy as np
import pytest

from chatbot.continuation import (NAMED_FEATURES, ContinuationModel, OffTopicModel, SectionNames, feature_vector, load_model,
                                  save_model)
from chatbot.train_continuation import read_examples
from chatbot.urgent_model import ModelMissingError

SECTIONS = SectionNames.of([("9 SI Joint Pain Exercises", "Bird Dog"), ("Stretches", "Knee to Chest Stretch")])


def named(message, earlier=""):
    return dict(zip(NAMED_FEATURES, feature_vector(message, earlier, SECTIONS)))


def test_a_message_naming_a_section_brings_its_own_topic():
    assert named("how do I do the bird dog?")["names_a_section"] == 1.0
    assert named("where do my feet go?")["names_a_section"] == 0.0


def test_words_shared_with_the_earlier_question_are_counted():
    assert named("is the bird dog hard?", "how do I do the bird dog")["shares_earlier_topic"] == 1.0
    assert named("is massage good?", "how do I do the bird dog")["shares_earlier_topic"] == 0.0


def test_labelled_rows_become_examples(tmp_path):
    folder = tmp_path / "data" / "questions"
    folder.mkdir(parents=True)
    rows = [{"question": "how long do I hold it?", "turns": ["knee to chest stretch?"], "kind": "followup"},
            {"question": "ok, is ice good?", "turns": ["what is a dead bug?"], "kind": "new_topic"},
            {"question": "does massage help?", "turns": [], "kind": "direct", "doc": "a.md"},
            {"question": "what causes it?", "turns": [], "kind": "direct", "doc": "b.md"}]
    (folder / "q.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    examples = {(e.message, e.kind): e for e in read_examples(tmp_path)}
    assert examples[("how long do I hold it?", "followup")].continues
    assert not examples[("ok, is ice good?", "new_topic")].continues
    standalone = examples[("does massage help?", "standalone")]
    assert not standalone.continues and standalone.earlier == "what causes it?"  # from another article


def test_weights_round_trip_and_stale_weights_are_named(tmp_path):
    size = len(feature_vector("x", "y", SECTIONS))
    off_topic = OffTopicModel(np.full(4, 0.5, dtype=np.float32), -0.1, 0.6)
    model = ContinuationModel(np.linspace(-1, 1, size).astype(np.float32), 0.25, 0.4, SECTIONS, {"format": 1}, off_topic)
    path = tmp_path / "continuation.json"
    save_model(model, path)
    loaded = load_model(SECTIONS, path)
    assert loaded.threshold == 0.4 and loaded.off_topic.threshold == 0.6
    assert loaded.probability("and the next one?", "stretches?") == pytest.approx(
        model.probability("and the next one?", "stretches?"), abs=1e-4)
    data = json.loads(path.read_text())
    data["features"] = data["features"][:-1]
    path.write_text(json.dumps(data))
    load_model.cache_clear()
    with pytest.raises(ModelMissingError, match="python -m chatbot train"):
        load_model(SECTIONS, path)


def test_an_off_topic_message_never_borrows_the_earlier_topic():
    model = ContinuationModel(np.zeros(len(feature_vector("x", "y", SECTIONS)), dtype=np.float32), 5.0, 0.5, SECTIONS, {},
                              OffTopicModel(np.array([1.0, 0.0], dtype=np.float32), 0.0, 0.6))
    assert model.continues("tell me a joke", "bird dog?", lambda: np.array([-3.0, 0.0]))
    assert not model.continues("tell me a joke", "bird dog?", lambda: np.array([3.0, 0.0]))


@pytest.mark.parametrize("message", ["tell me a joke", "who won the game?", "write me a poem about spring"])
def test_the_trained_decision_never_continues_off_topic_requests(real_bot, message):
    assert not real_bot.continues(message, "how do I do the dead bug exercise?")
