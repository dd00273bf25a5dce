"""Span vectors pooled from one pass of the model: windows, the window each token is read in,
which tokens a clause's span takes, and (with the real model) that one pass serves retrieval too."""

import numpy as np
import pytest

from chatbot.message import read_message
from chatbot.token_pooling import TokenVectors, batches_by_length, best_windows, pool_spans, stitch, windows
from chatbot.urgent import plan_screen, screened_units, unit_vectors


def one_hot_tokens(text: str, offsets: list[tuple[int, int]]) -> TokenVectors:
    """Token i's vector is the i-th unit vector, so a pooled vector shows which tokens it took."""
    vectors = np.eye(len(offsets), dtype=np.float32)
    return TokenVectors(text, np.array(offsets), vectors, np.zeros(len(offsets), dtype=np.float32), len(text))


def test_windows_cover_every_token_and_overlap_by_the_stride():
    assert windows(3, 4, 2) == [(0, 3)]
    assert windows(10, 4, 2) == [(0, 4), (2, 6), (4, 8), (6, 10)]
    assert windows(11, 4, 2)[-1] == (7, 11)
    assert windows(0, 4, 2) == [(0, 0)]


def test_each_token_is_taken_from_the_window_that_gives_it_most_context():
    assert best_windows(10, windows(10, 4, 2)).tolist() == [0, 0, 0, 1, 1, 2, 2, 3, 3, 3]
    ranges = windows(10, 4, 2)
    states = [np.full((b - a, 2), w, dtype=np.float32) for w, (a, b) in enumerate(ranges)]
    assert stitch(10, ranges, states)[:, 0].tolist() == [0, 0, 0, 1, 1, 2, 2, 3, 3, 3]


def test_a_clause_span_pools_exactly_its_own_tokens():
    text = "No fever. But I can't feel my legs"
    # the tokenizer's pieces: no | fever | . | but | i | can | ' | t | feel | my | legs
    offsets = [(0, 2), (3, 8), (8, 9), (10, 13), (14, 15), (16, 19), (19, 20), (20, 21), (22, 26), (27, 29),
               (30, 34)]
    tokens = one_hot_tokens(text, offsets)
    message = read_message(text)
    first, second = unit_vectors(message.clauses, tokens)
    assert np.flatnonzero(first).tolist() == [0, 1]  # "No fever", not its full stop
    assert np.flatnonzero(second).tolist() == list(range(3, 11))
    assert np.linalg.norm(second) == pytest.approx(1.0)
    assert np.allclose(second[3:], 1 / np.sqrt(8))


def test_a_span_without_tokens_pools_to_zero_and_no_spans_to_no_rows():
    tokens = one_hot_tokens("ab  cd", [(0, 2), (4, 6)])
    assert not pool_spans(tokens, [(2, 4)]).any()
    assert pool_spans(tokens, []).shape == (0, 2)


def test_batches_keep_similar_lengths_together():
    assert batches_by_length([3, 3, 400], short=300) == [[0, 1], [2]]
    assert batches_by_length([10, 250, 40], short=64) == [[0, 2], [1]]


@pytest.fixture(scope="module")
def model():
    from chatbot.embeddings import default_embedder

    return default_embedder().load()


@pytest.mark.integration
def test_one_pass_gives_the_retrieval_vector_encode_gives(model):
    from chatbot.embeddings import read_texts

    texts = ["My SI joint aches after sitting. How long should I hold the knee to chest stretch?", "",
             "pain " * 400]
    read, sentences = read_texts(model, texts[:1], texts[1:])
    expected = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    assert np.allclose(np.vstack([read[0].sentence, sentences]), expected, atol=1e-5)


@pytest.mark.integration
def test_a_long_message_is_read_in_windows_and_every_clause_gets_a_vector(model):
    from chatbot.embeddings import read_texts

    calm = "I stretch every morning and it helps a little. " * 60  # about 660 tokens: several windows
    text = calm + "Since yesterday I cannot feel my legs."
    plan = plan_screen(text, 50_000)
    (tokens,), _ = read_texts(model, [plan.text])
    assert len(tokens.offsets) > model.max_seq_length and len(tokens.vectors) == len(tokens.offsets)
    vectors = unit_vectors(plan.units, tokens)
    assert len(vectors) == len(plan.units) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # The last tokens come from the last window: the same as reading that window's text alone.
    size = model.max_seq_length - 2
    window_start = int(tokens.offsets[len(tokens.offsets) - size][0])
    (tail,), _ = read_texts(model, [plan.text[window_start:]])
    assert len(tail.offsets) == size and np.allclose(tokens.vectors[-5:], tail.vectors[-5:], atol=1e-4)
    first_of_tail = len(tokens.offsets) - size  # at the last window's cut edge: taken from an earlier window
    assert not np.allclose(tokens.vectors[first_of_tail:first_of_tail + 5], tail.vectors[:5], atol=1e-2)
    # The last clause is pooled from its own tokens: nearer its words read alone than the calm clauses.
    last = "Since yesterday I cannot feel my legs."
    alone = unit_vectors(screened_units(read_message(last)), read_texts(model, [last])[0][0])
    assert float(vectors[-1] @ alone[0]) > float(vectors[-1] @ vectors[0])


@pytest.mark.integration
def test_a_text_read_token_by_token_and_as_a_query_is_one_pass(model, monkeypatch):
    from chatbot.embeddings import read_texts

    transformer = model[0].auto_model
    shapes = []
    forward = transformer.forward
    monkeypatch.setattr(transformer, "forward", lambda **kw: shapes.append(tuple(kw["input_ids"].shape)) or
                        forward(**kw))
    text = "How long should I hold the knee to chest stretch? sacroiliac"
    (tokens,), (sentence,) = read_texts(model, [text], [text])
    assert shapes == [(1, len(tokens.offsets) + 2)] and np.array_equal(sentence, tokens.sentence)
