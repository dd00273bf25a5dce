"""The answer-sentence model: which article sentences answer a question, learned from labelled questions."""

import numpy as np

from chatbot.answer_sentences import AnswerSentences, fit_model, load_model, save_model, sentence_keys
from chatbot.chunks import Chunk, Sentence
from chatbot.passage_scorer import candidates_for, query_evidence


def unit(*values):
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def toy_model():
    """Questions pointing one way are answered by sentence A, the other way by sentence B."""
    vectors = np.stack([unit(1, 0.1, 0), unit(1, -0.1, 0), unit(0, 0.1, 1), unit(0, -0.1, 1)])
    answers = [[("a.md", "Sentence A.")]] * 2 + [[("a.md", "Sentence B.")]] * 2
    return fit_model(vectors, answers)


def test_each_index_row_gets_its_sentences_probability_and_unseen_sentences_get_none():
    keys = [("a.md", "Sentence B."), ("a.md", "Never asked about."), ("a.md", "Sentence A."), ("a.md", "Sentence A.")]
    over = AnswerSentences.over(toy_model(), keys)
    probabilities = over.probabilities(unit(1, 0, 0))
    assert probabilities[1] == 0.0
    assert probabilities[2] == probabilities[3] > 0.5 > probabilities[0]  # a repeated text scores alike
    assert over.probabilities(unit(0, 0, 1)).argmax() == 0


def test_a_sentence_is_known_by_its_article_and_text_not_its_offsets():
    chunk = Chunk("a.md", "A", ("S",), 0, 40, "x", (Sentence(100, 111, "Sentence A."), Sentence(112, 123, "Sentence B.")))
    keys = sentence_keys([chunk], [range(0, 2)])
    assert keys == [("a.md", "Sentence A."), ("a.md", "Sentence B.")]
    assert AnswerSentences.over(toy_model(), keys).probabilities(unit(0, 0, 1)).argmax() == 1


def test_weights_survive_saving_and_a_missing_file_gives_an_empty_model(tmp_path):
    model = toy_model()
    save_model(model, {"format": 1}, tmp_path)
    loaded = load_model(tmp_path, dimension=3)
    assert loaded.classes == model.classes
    np.testing.assert_allclose(loaded.class_probabilities(unit(1, 0, 0)), model.class_probabilities(unit(1, 0, 0)),
                               rtol=1e-5)
    empty = load_model(tmp_path / "none", dimension=3)
    assert AnswerSentences.over(empty, [("a.md", "Sentence A.")]).probabilities(unit(1, 0, 0)).tolist() == [0.0]
    assert load_model(tmp_path, dimension=384).classes == ()  # weights of another model's size are not used


def test_a_lay_description_reaches_the_sentence_people_asked_about_that_way(real_bot):
    """No word of the question is in the answer ("Tools like a Lacrosse ball, Tennis ball…"); the
    model learned the way from labelled questions, and its passage becomes a candidate."""
    question = "could I use one of the fuzzy yellow things my dog chases to dig into my sore butt cheek?"
    retrieval = real_bot.retriever.search(question)
    evidence = query_evidence(retrieval, real_bot.retriever, question, real_bot.bank, real_bot.answer_sentences)
    keys = sentence_keys(real_bot.retriever.chunks, real_bot.retriever.stored.sentence_rows)
    best = keys[int(evidence.answer_probabilities.argmax())]
    assert best[0] == "massage.md" and "tennis ball" in best[1].lower()
    candidates = candidates_for(evidence, real_bot.passages)
    assert any(best[1] == s.text for i in candidates for s in real_bot.passages.passages[i].sentences)
