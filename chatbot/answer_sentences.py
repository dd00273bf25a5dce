"""Which article sentences answer a question: a softmax regression from the question's MiniLM vector.

Owns the model that `python -m chatbot train` fits on the labelled questions (each question's
vector -> the sentences of its labelled answer) and its weights in `weights/`. Where the bank's
nearest questions only vote by closeness, this model learns which directions of the vector space
point to which sentence: "butt cheek", "fuzzy yellow ball" and "the blue tube at my gym" land
near the sentences people asked about that way. A sentence is known by its article and its
text, so an edit elsewhere in an article does not unlearn it; a sentence no labelled question
was answered by (a new article) gets probability 0 and competes on the scorer's other features.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .chunks import Chunk

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
REGULARISATION_C = 100.0  # development sets cited 653 / 658 / 665 / 666 at C = 10 / 30 / 100 / 300 (held out: 0.615 / 0.628 / 0.625 / 0.628)


@dataclass(frozen=True)
class AnswerSentenceModel:
    coefficients: np.ndarray  # classes x dimension
    intercepts: np.ndarray  # classes
    classes: tuple[tuple[str, str], ...]  # (article, sentence text) per class

    def class_probabilities(self, vector: np.ndarray) -> np.ndarray:
        logits = self.coefficients @ vector + self.intercepts
        logits -= logits.max()
        weights = np.exp(logits)
        return weights / weights.sum()


EMPTY_MODEL = AnswerSentenceModel(np.zeros((0, 1), dtype=np.float32), np.zeros(0, dtype=np.float32), ())


def sentence_keys(chunks: list[Chunk], sentence_rows: list[range]) -> list[tuple[str, str]]:
    """(article, sentence text) of every row of the index's sentence vectors."""
    keys: list[tuple[str, str]] = [("", "")] * (sentence_rows[-1].stop if sentence_rows else 0)
    for chunk, rows in zip(chunks, sentence_rows):
        for sentence, row in zip(chunk.sentences, rows):
            keys[row] = (chunk.doc_id, sentence.text)
    return keys


@dataclass(frozen=True)
class AnswerSentences:
    """The model laid over one index: the probability of each sentence row answering a question."""
    model: AnswerSentenceModel
    class_of_row: np.ndarray  # row -> class, -1 for a sentence the model never saw answer a question

    @classmethod
    def over(cls, model: AnswerSentenceModel, keys: list[tuple[str, str]]) -> "AnswerSentences":
        index = {key: i for i, key in enumerate(model.classes)}
        return cls(model, np.array([index.get(key, -1) for key in keys], dtype=np.int64))

    def probabilities(self, vector: np.ndarray) -> np.ndarray:
        """Per sentence row; a text found in several places (a repeated "Hold for 30 seconds")
        has the same probability at each."""
        if not len(self.model.classes):
            return np.zeros(len(self.class_of_row), dtype=np.float32)
        by_class = np.append(self.model.class_probabilities(vector), 0.0).astype(np.float32)
        return by_class[self.class_of_row]


def fit_model(vectors: np.ndarray, answers: list[list[tuple[str, str]]], c: float = REGULARISATION_C) -> AnswerSentenceModel:
    """One training example per (question, answer sentence); deterministic (lbfgs from zeros)."""
    from sklearn.linear_model import LogisticRegression

    classes = sorted({key for keys in answers for key in keys})
    index = {key: i for i, key in enumerate(classes)}
    rows = [(i, index[key]) for i, keys in enumerate(answers) for key in keys]
    if len(classes) < 2:
        return EMPTY_MODEL
    x = vectors[[i for i, _ in rows]]
    y = np.array([k for _, k in rows])
    fitted = LogisticRegression(C=c, max_iter=3000).fit(x, y)
    coefficients = np.zeros((len(classes), vectors.shape[1]), dtype=np.float32)
    intercepts = np.zeros(len(classes), dtype=np.float32)
    if len(classes) == 2:  # one logit, for the second class: softmax of (0, logit) is its sigmoid
        coefficients[1], intercepts[1] = fitted.coef_[0], fitted.intercept_[0]
    else:
        coefficients[:], intercepts[:] = fitted.coef_, fitted.intercept_
    return AnswerSentenceModel(coefficients, intercepts, tuple(classes))


def save_model(model: AnswerSentenceModel, meta: dict, directory: Path = WEIGHTS_DIR, name: str = "answer_sentences"
               ) -> None:
    """`name`.npy (coefficients and intercepts) and `name`.json (the classes and `meta`)."""
    directory.mkdir(parents=True, exist_ok=True)
    np.save(directory / f"{name}.npy", np.hstack([model.coefficients, model.intercepts[:, None]]).astype(np.float32))
    data = dict(meta, classes=[list(key) for key in model.classes])
    (directory / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


@lru_cache(maxsize=2)
def load_model(directory: Path = WEIGHTS_DIR, dimension: int = 384, name: str = "answer_sentences"
               ) -> AnswerSentenceModel:
    """The trained model, or an empty one when there is none (every sentence then scores 0)."""
    try:
        weights = np.load(directory / f"{name}.npy", allow_pickle=False)
        classes = tuple(tuple(key) for key in json.loads((directory / f"{name}.json").read_text("utf-8"))["classes"])
    except (OSError, ValueError, KeyError, TypeError):
        return EMPTY_MODEL
    if weights.ndim != 2 or weights.shape != (len(classes), dimension + 1):
        return EMPTY_MODEL
    return AnswerSentenceModel(np.ascontiguousarray(weights[:, :-1]), np.ascontiguousarray(weights[:, -1]), classes)
