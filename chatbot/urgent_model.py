"""The learned part of the urgent-symptom screen: clause -> probability of each red-flag category.

Owns the clause features (the clause's MiniLM vector, pooled from the message's tokens, and the
presence of known words and word pairs), loading the weights that `python -m chatbot train`
writes into `weights/`, and scoring. A multinomial logistic regression: small, exact to
reproduce, and readable as numbers. Which
taxonomy condition a clause is closest to is found by cosine similarity to the taxonomy's
embedded lay signs. Rules for negated, imagined or past symptoms live in `reading_rules`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from .text import stem

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
NONE = "none"
# 2: a clause's vector is mean-pooled from one pass of the model over its message
# (`token_pooling`); format 1 embedded each clause on its own.
FORMAT = 2


class ModelMissingError(RuntimeError):
    """The trained weights are absent or do not fit the embedder; the message names the fix."""


def word_features(words: Sequence[str]) -> list[str]:
    """Words, adjacent pairs and word stems (so "numbness" meets "numb"):
    `word_features(["no", "fevers"]) -> ["no", "fevers", "no fevers", "~no", "~fever"]`."""
    return list(words) + [f"{a} {b}" for a, b in zip(words, words[1:])] + [f"~{stem(w)}" for w in words]


def feature_matrix(vectors: np.ndarray, word_lists: Sequence[Sequence[str]], vocabulary: dict[str, int]):
    """[clause vector | one column per known word, pair or stem, 1 when present], as a sparse matrix
    (tens of thousands of columns, a few dozen set per clause)."""
    from scipy import sparse

    rows, columns = [], []
    for row, words in enumerate(word_lists):
        for column in sorted({vocabulary[f] for f in word_features(words) if f in vocabulary}):
            rows.append(row)
            columns.append(column)
    lexical = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, columns)),
                                shape=(len(word_lists), len(vocabulary)))
    return sparse.hstack([sparse.csr_matrix(vectors.astype(np.float32)), lexical], format="csr")


@dataclass(frozen=True)
class ClauseScore:
    category: str  # the most likely red-flag category (never NONE)
    urgent_probability: float  # 1 - P(none)
    condition_id: str  # the nearest taxonomy condition of that category


@dataclass(frozen=True)
class UrgentModel:
    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    coefficients: np.ndarray  # classes x features
    intercepts: np.ndarray
    threshold: float  # urgent when 1 - P(none) reaches this
    sign_vectors: np.ndarray  # taxonomy signs x dimension
    sign_conditions: tuple[str, ...]  # the condition id of each sign row
    sign_categories: tuple[str, ...]
    meta: dict

    def probabilities(self, vectors: np.ndarray, word_lists: Sequence[Sequence[str]]) -> np.ndarray:
        logits = np.asarray(feature_matrix(vectors, word_lists, self.vocabulary) @ self.coefficients.T) + \
            self.intercepts
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def score(self, vectors: np.ndarray, word_lists: Sequence[Sequence[str]]) -> list[ClauseScore]:
        if len(word_lists) == 0:
            return []
        probabilities = self.probabilities(vectors, word_lists)
        none = self.classes.index(NONE)
        scores = []
        for row, p in enumerate(probabilities):
            ranked = [i for i in np.argsort(-p) if i != none]
            category = self.classes[ranked[0]]
            scores.append(ClauseScore(category, float(1.0 - p[none]), self.nearest_condition(vectors[row], category)))
        return scores

    def nearest_condition(self, vector: np.ndarray, category: str) -> str:
        rows = [i for i, c in enumerate(self.sign_categories) if c == category]
        similarities = self.sign_vectors[rows] @ vector  # unit vectors: inner product is cosine similarity
        return self.sign_conditions[rows[int(np.argmax(similarities))]]


def save_model(model: UrgentModel, directory: Path = WEIGHTS_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    np.save(directory / "urgent_coefficients.npy", np.hstack([model.coefficients, model.intercepts[:, None]]))
    np.save(directory / "urgent_signs.npy", model.sign_vectors.astype(np.float32))
    words = sorted(model.vocabulary, key=model.vocabulary.get)
    meta = dict(model.meta, classes=list(model.classes), vocabulary=words, threshold=model.threshold,
                sign_conditions=list(model.sign_conditions), sign_categories=list(model.sign_categories))
    (directory / "urgent_model.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n",
                                                 encoding="utf-8")


@lru_cache(maxsize=2)
def load_model(directory: Path = WEIGHTS_DIR, dimension: int = 384) -> UrgentModel:
    try:
        meta = json.loads((directory / "urgent_model.json").read_text(encoding="utf-8"))
        weights = np.load(directory / "urgent_coefficients.npy", allow_pickle=False)
        signs = np.load(directory / "urgent_signs.npy", allow_pickle=False)
    except (OSError, ValueError) as err:
        raise ModelMissingError(f"the urgent-symptom weights in {directory} are missing or unreadable ({err}); "
                                "run: python -m chatbot train") from None
    if meta.get("format") != FORMAT:
        raise ModelMissingError(f"the urgent-symptom weights in {directory} are format {meta.get('format')}, "
                                f"this screen reads format {FORMAT}; run: python -m chatbot train --only urgent")
    vocabulary = {w: i for i, w in enumerate(meta.pop("vocabulary"))}
    if weights.shape[1] != dimension + len(vocabulary) + 1 or signs.shape[1] != dimension:
        raise ModelMissingError(f"the urgent-symptom weights in {directory} were trained for another embedder; "
                                "run: python -m chatbot train")
    return UrgentModel(tuple(meta.pop("classes")), vocabulary, weights[:, :-1], weights[:, -1],
                       float(meta.pop("threshold")), signs, tuple(meta.pop("sign_conditions")),
                       tuple(meta.pop("sign_categories")), meta)
