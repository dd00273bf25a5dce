"""Does a message continue the earlier question, or start a topic of its own? A learned decision.

Owns the feature vector of a (message, earlier question) pair and the logistic-regression weights
that `python -m chatbot train` fits on labelled conversations (`data/conversations/` and
`data/questions/`: `followup` rows continue their turns; `new_topic` rows, and standalone questions
placed after another question, do not). Features are lexical, so no model runs for them: the conversational cues of `followup`
(as evidence, not as the decision), how many topic words the message brings, whether they name a
section of the articles, how many it shares with the earlier question, and hashed words and word
pairs of the message, from which the data teaches which wordings lean on the conversation
("where do my feet go?") and which name their own topic ("how do I do the bird dog?").
"""

from __future__ import annotations

import json
import math
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

from .followup import conversational_cues, topic_words
from .text import fold, stem, words

WEIGHTS_PATH = Path(__file__).resolve().parent / "weights" / "continuation.json"
HASHED = 2048  # buckets for the message's words and word pairs
NAMED_FEATURES = ("opens_with_cue", "starts_with_reference", "doing_it", "reference_word", "ordinal",
                  "topic_words", "no_topic_words", "names_a_section", "shares_earlier_topic", "message_words")


@dataclass(frozen=True)
class SectionNames:
    """The stems of every section heading of the articles: a message naming one brings its own topic."""
    stems: frozenset[str]

    @classmethod
    def of(cls, sections: list[tuple[str, ...]]) -> "SectionNames":
        return cls(frozenset(stem(w) for section in sections for heading in section for w in topic_words(heading)))


def bucket(token: str) -> int:
    return zlib.crc32(token.encode("utf-8")) % HASHED


def feature_vector(message: str, earlier: str, sections: SectionNames) -> np.ndarray:
    """Features of `message` read after the user's `earlier` question."""
    own = [stem(w) for w in topic_words(message)]
    before = {stem(w) for w in topic_words(earlier)}
    named = sum(s in sections.stems for s in own) / len(own) if own else 0.0
    shared = sum(s in before for s in own) / len(own) if own else 0.0
    tokens = ["<s>", *words(fold(message).replace("'", ""))]
    values = [*conversational_cues(message), math.log1p(len(own)) / 2, float(not own), named, shared,
              math.log1p(len(tokens) - 1) / 3]
    hashed = np.zeros(HASHED, dtype=np.float32)
    for token in tokens[1:]:
        hashed[bucket(token)] += 1.0
    for first, second in zip(tokens, tokens[1:]):
        hashed[bucket(f"{first} {second}")] += 1.0
    hashed /= math.sqrt(max(1.0, float(hashed.sum())))
    return np.concatenate([np.array(values, dtype=np.float32), hashed])


def logistic(score: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


@dataclass(frozen=True)
class OffTopicModel:
    """Is a message off the articles' subject whatever came before ("tell me a joke")? A logistic
    regression over the message's own MiniLM vector: a short request like that reads as a
    follow-up by its words alone, and must not borrow the earlier topic."""
    weights: np.ndarray
    intercept: float
    threshold: float

    def off_topic(self, vector: np.ndarray) -> bool:
        return logistic(float(vector @ self.weights + self.intercept)) >= self.threshold


@dataclass(frozen=True)
class ContinuationModel:
    weights: np.ndarray
    intercept: float
    threshold: float
    sections: SectionNames
    meta: dict
    off_topic: OffTopicModel

    def probability(self, message: str, earlier: str) -> float:
        return logistic(float(feature_vector(message, earlier, self.sections) @ self.weights + self.intercept))

    def continues(self, message: str, earlier: str, message_vector: Callable[[], np.ndarray]) -> bool:
        """`message_vector` embeds the message alone; called only when its words read as continuing."""
        return self.probability(message, earlier) >= self.threshold and \
            not self.off_topic.off_topic(message_vector())


def save_model(model: ContinuationModel, path: Path = WEIGHTS_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = dict(model.meta, features=list(NAMED_FEATURES), hashed=HASHED,
                weights=[round(float(w), 5) for w in model.weights], intercept=round(model.intercept, 6),
                threshold=model.threshold, off_topic={
                    "weights": [round(float(w), 5) for w in model.off_topic.weights],
                    "intercept": round(model.off_topic.intercept, 6), "threshold": model.off_topic.threshold})
    path.write_text(json.dumps(data) + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def load_model(sections: SectionNames, path: Path = WEIGHTS_PATH) -> ContinuationModel:
    from .urgent_model import ModelMissingError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelMissingError(f"the continuation weights {path} are missing or unreadable ({err}); "
                                "run: python -m chatbot train") from None
    if data.get("features") != list(NAMED_FEATURES) or data.get("hashed") != HASHED:
        raise ModelMissingError(f"{path} was trained on other features; run: python -m chatbot train")
    if "off_topic" not in data:
        raise ModelMissingError(f"{path} has no off-topic weights; run: python -m chatbot train")
    meta = {k: v for k, v in data.items()
            if k not in ("features", "hashed", "weights", "intercept", "threshold", "off_topic")}
    off = data["off_topic"]
    return ContinuationModel(np.array(data["weights"], dtype=np.float32), float(data["intercept"]),
                             float(data["threshold"]), sections, meta,
                             OffTopicModel(np.array(off["weights"], dtype=np.float32), float(off["intercept"]),
                                           float(off["threshold"])))
