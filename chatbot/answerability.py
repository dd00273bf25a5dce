"""Can the articles answer this question? A calibrated classifier over the retrieval evidence.

Owns the feature vector of one query and the logistic-regression weights that
`python -m chatbot train` fits on the labelled questions (`data/questions/`, answerable, not
covered, off topic; `data/answerability/`): how closely the best article sentence and chunk
match, how close the query is to the labelled questions the articles answer and to those they do not
(both kept as the model's bank of query vectors, stored beside the weights),
how many of the query's key words the articles use at all, and the query vector itself (what
kind of thing is asked). The operating point is chosen by
cross-validation at training time and stored with the weights.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .answer import Selected, best_sentence_similarity
from .retrieval import Retrieval
from .scope import Vocabulary, key_terms

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
WEIGHTS_PATH = WEIGHTS_DIR / "answerability.json"
BANK_PATH = WEIGHTS_DIR / "answerability_bank.npy"
NEIGHBOURS = 10
NEIGHBOUR_TEMPERATURE = 0.03
FEATURES = ("best_sentence", "top_chunk", "answerable_nearest", "declined_nearest", "nearest_gap",
            "neighbour_vote", "unknown_share", "key_terms")
# For an article no labelled question is about yet (added after training), the bank and the query
# vector know nothing of its topic: such questions are judged on how well the article matches alone.
EVIDENCE_FEATURES = ("best_sentence", "top_chunk", "unknown_share", "key_terms")
EVIDENCE_COLUMNS = [FEATURES.index(name) for name in EVIDENCE_FEATURES]


@dataclass(frozen=True)
class QueryFacts:
    """What one query's retrieval found, in the form the features need."""
    vector: np.ndarray
    best_sentence: float  # cosine of the closest article sentence
    top_chunk: float  # cosine of the closest chunk
    unknown_share: float  # share of the key words the articles never use
    key_terms: int


def query_facts(asked: str, retrieval: Retrieval, scored: list[Selected], vocabulary: Vocabulary) -> QueryFacts:
    """The facts of one query: `asked` is the question as the person put it (resolved when it
    continues the conversation), `retrieval` and `scored` what retrieval and sentence scoring found."""
    terms = key_terms(asked)
    unknown = sum(not vocabulary.knows(t) for t in terms) / len(terms) if terms else 1.0
    return QueryFacts(retrieval.query_vector, best_sentence_similarity(scored),
                      max((h.dense for h in retrieval.hits), default=0.0), unknown, len(terms))


def neighbour_vote(answerable: np.ndarray, declined: np.ndarray) -> float:
    """Share of the closest labelled questions (both banks) that the articles answer, weighted by closeness."""
    if not answerable.size and not declined.size:
        return 0.5
    similarities = np.concatenate([answerable, declined])
    labels = np.concatenate([np.ones(answerable.size), np.zeros(declined.size)])
    top = np.argsort(-similarities)[:NEIGHBOURS]
    weights = np.exp((similarities[top] - similarities[top[0]]) / NEIGHBOUR_TEMPERATURE)
    return float((weights * labels[top]).sum() / weights.sum())


def feature_vector(facts: QueryFacts, answerable: np.ndarray, declined: np.ndarray) -> np.ndarray:
    """`answerable` / `declined`: the query's cosine with each question of the two banks."""
    nearest_yes = float(answerable.max()) if answerable.size else 0.0
    nearest_no = float(declined.max()) if declined.size else 0.0
    evidence = np.array([facts.best_sentence, facts.top_chunk, nearest_yes, nearest_no, nearest_yes - nearest_no,
                         neighbour_vote(answerable, declined), facts.unknown_share,
                         math.log1p(facts.key_terms) / 3], dtype=np.float32)
    # The query vector itself, after the evidence: what kind of thing is asked ("how many times",
    # "which brand") is in it, and the labelled questions teach which kinds the articles never answer.
    return np.concatenate([evidence, facts.vector.astype(np.float32)])


@dataclass(frozen=True)
class LinearDecision:
    """A standardised logistic regression and its operating point."""
    weights: np.ndarray
    intercept: float
    threshold: float  # answerable at this probability or above
    mean: np.ndarray
    scale: np.ndarray

    def probability(self, features: np.ndarray) -> float:
        z = (features - self.mean) / self.scale
        return float(1.0 / (1.0 + math.exp(-(float(z @ self.weights) + self.intercept))))

    def to_json(self) -> dict:
        return {"weights": [round(float(w), 6) for w in self.weights], "intercept": round(self.intercept, 6),
                "threshold": round(self.threshold, 4), "mean": [round(float(m), 6) for m in self.mean],
                "scale": [round(float(s), 6) for s in self.scale]}

    @classmethod
    def from_json(cls, data: dict) -> "LinearDecision":
        return cls(np.array(data["weights"], dtype=np.float32), float(data["intercept"]), float(data["threshold"]),
                   np.array(data["mean"], dtype=np.float32), np.array(data["scale"], dtype=np.float32))


@dataclass(frozen=True)
class AnswerabilityModel:
    weights: np.ndarray
    intercept: float
    threshold: float  # answerable at this probability or above
    mean: np.ndarray  # feature standardisation
    scale: np.ndarray
    bank: np.ndarray  # query vectors of the labelled training questions
    answered: np.ndarray  # per bank row: True when the articles answer it
    meta: dict
    evidence_only: LinearDecision | None = None  # for questions about an article with no labelled questions
    on_topic: LinearDecision | None = None  # is a declined question about the articles' topics at all?

    def features(self, facts: QueryFacts) -> np.ndarray:
        similarities = self.bank @ facts.vector
        return feature_vector(facts, similarities[self.answered], similarities[~self.answered])

    def probability(self, features: np.ndarray) -> float:
        z = (features - self.mean) / self.scale
        return float(1.0 / (1.0 + math.exp(-(float(z @ self.weights) + self.intercept))))

    def decide(self, facts: QueryFacts, article_has_questions: bool) -> tuple[float, float]:
        """(probability, threshold) of the full model, or of the evidence-only one when the best
        matching article has no labelled questions."""
        features = self.features(facts)
        if article_has_questions or self.evidence_only is None:
            return self.probability(features), self.threshold
        return self.evidence_only.probability(features[EVIDENCE_COLUMNS]), self.evidence_only.threshold

    def about_the_articles(self, facts: QueryFacts) -> bool:
        """Is the question about what the articles discuss (SI joint pain, its exercises, massage), even
        when they do not answer it, rather than off their topic? False without a trained decision."""
        if self.on_topic is None:
            return False
        return self.on_topic.probability(self.features(facts)) >= self.on_topic.threshold


def save_model(model: AnswerabilityModel, directory: Path = WEIGHTS_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    np.save(directory / BANK_PATH.name, model.bank.astype(np.float32))
    data = dict(model.meta, features=list(FEATURES), answered=[int(a) for a in model.answered],
                weights=[round(float(w), 6) for w in model.weights],
                intercept=round(model.intercept, 6), threshold=round(model.threshold, 4),
                mean=[round(float(m), 6) for m in model.mean], scale=[round(float(s), 6) for s in model.scale])
    if model.evidence_only is not None:
        data["evidence_only"] = dict(model.evidence_only.to_json(), features=list(EVIDENCE_FEATURES))
    if model.on_topic is not None:
        data["on_topic"] = dict(model.on_topic.to_json(), features=list(FEATURES))
    (directory / WEIGHTS_PATH.name).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


@lru_cache(maxsize=2)
def load_answerability(directory: Path = WEIGHTS_DIR, dimension: int = 384) -> AnswerabilityModel:
    from .urgent_model import ModelMissingError

    try:
        data = json.loads((directory / WEIGHTS_PATH.name).read_text(encoding="utf-8"))
        bank = np.load(directory / BANK_PATH.name, allow_pickle=False)
    except (OSError, ValueError) as err:
        raise ModelMissingError(f"the answerability weights in {directory} are missing or unreadable ({err}); "
                                "run: python -m chatbot train") from None
    answered = np.array(data.get("answered", []), dtype=bool)
    if data.get("features") != list(FEATURES) or bank.ndim != 2 or bank.shape != (answered.size, dimension) or \
            len(data.get("weights", [])) != len(FEATURES) + dimension:
        raise ModelMissingError(f"{directory / WEIGHTS_PATH.name} was trained on other features; "
                                "run: python -m chatbot train")
    evidence_only = data.get("evidence_only")
    evidence_only = LinearDecision.from_json(evidence_only) if evidence_only and \
        evidence_only.get("features") == list(EVIDENCE_FEATURES) else None
    on_topic = data.get("on_topic")
    on_topic = LinearDecision.from_json(on_topic) if on_topic and on_topic.get("features") == list(FEATURES) and \
        len(on_topic.get("weights", [])) == len(FEATURES) + dimension else None
    meta = {k: v for k, v in data.items() if k not in ("features", "weights", "intercept", "threshold", "mean",
                                                       "scale", "answered", "evidence_only", "on_topic")}
    return AnswerabilityModel(np.array(data["weights"], dtype=np.float32), float(data["intercept"]),
                              float(data["threshold"]), np.array(data["mean"], dtype=np.float32),
                              np.array(data["scale"], dtype=np.float32), bank, answered, meta, evidence_only, on_topic)
