"""Training the continuation decision (`continuation`) on labelled conversations.

Reads `data/conversations/`, `data/questions/` and `data/answerability/` (`*.jsonl`). A row with earlier `turns` continues
them unless its kind says it starts a new topic (`new_topic`, `new_topic_not_covered`); a row
without turns is a standalone question, and is also placed after the question of another row
(chosen by a fixed hash, from another article section when it has one) as one more example of a
message that brings its own topic. Fits a logistic regression, reports 5-fold out-of-fold accuracy
per kind, and keeps the threshold with the best balanced accuracy out of fold. Also fits the
off-topic check over the messages' vectors (`off_topic` rows against all others). Deterministic.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from .continuation import ContinuationModel, OffTopicModel, SectionNames, feature_vector, save_model
from .text import expand_lay_terms
from .train_answerability import FOLDS, classifier, data_paths, out_of_fold_probabilities

NEW_TOPIC_KINDS = ("new_topic", "new_topic_not_covered")
REGULARISATION = 1.0  # logistic regression C (chosen out of fold: 0.3 / 1 / 3 within a point)
OFF_TOPIC_FLAGGED_MAX = 0.01  # at most this share of other messages, out of fold, read as off topic


@dataclass(frozen=True)
class ContinuationExample:
    message: str
    earlier: str  # the user's question just before it
    continues: bool
    kind: str
    off_topic: bool = False  # the message is off the articles' subject whatever came before


def read_examples(root: Path) -> list[ContinuationExample]:
    rows = []
    for path in data_paths(root):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    standalone = [r for r in rows if not r.get("turns")]
    examples = []
    for row in rows:
        kind = str(row.get("kind") or row.get("label") or "")
        if row.get("turns"):
            examples.append(ContinuationExample(row["question"], row["turns"][-1], kind not in NEW_TOPIC_KINDS,
                                                "new_topic" if kind in NEW_TOPIC_KINDS else "followup"))
    for row in standalone:
        # Another standalone question, from a different article when possible, as the earlier turn.
        start = zlib.crc32(row["question"].encode("utf-8")) % len(standalone)
        for step in range(len(standalone)):
            other = standalone[(start + step) % len(standalone)]
            if other is not row and other.get("doc") != row.get("doc"):
                break
        off_topic = (row.get("label") or row.get("kind")) == "off_topic"
        examples.append(ContinuationExample(row["question"], other["question"], False, "standalone", off_topic))
    return examples


def best_threshold(probabilities: np.ndarray, labels: np.ndarray) -> float:
    candidates = np.round(np.arange(0.2, 0.81, 0.02), 2)
    balanced = [(np.mean(probabilities[labels] >= t) + np.mean(probabilities[~labels] < t)) / 2 for t in candidates]
    return float(candidates[int(np.argmax(balanced))])


def train_off_topic(examples: list[ContinuationExample], folds: np.ndarray, encode: Callable[[list[str]], np.ndarray],
                    say: Callable[[str], None]) -> OffTopicModel:
    """Off-topic messages against every other message, over their MiniLM vectors; the threshold
    flags at most OFF_TOPIC_FLAGGED_MAX of the others out of fold."""
    x = encode([expand_lay_terms(e.message) for e in examples])  # as the bot embeds a message
    y = np.array([e.off_topic for e in examples])
    out_of_fold = out_of_fold_probabilities(x, y, folds, REGULARISATION, balanced=False)
    threshold = float(np.quantile(out_of_fold[~y], 1 - OFF_TOPIC_FLAGGED_MAX))
    follow_ups = np.array([e.kind == "followup" and e.continues for e in examples])
    say(f"off topic: {int(y.sum())} of {len(examples)} messages; out of fold at threshold {threshold:.3f}: "
        f"off-topic flagged {np.mean(out_of_fold[y] >= threshold):.3f}, follow-ups flagged "
        f"{np.mean(out_of_fold[follow_ups] >= threshold):.3f}")
    fitted = classifier(REGULARISATION, balanced=False).fit(x, y)
    return OffTopicModel(fitted.coef_[0].astype(np.float32), float(fitted.intercept_[0]), round(threshold, 4))


def train_continuation(root: Path, sections: list[tuple[str, ...]], encode: Callable[[list[str]], np.ndarray],
                       say: Callable[[str], None] = print) -> ContinuationModel:
    names = SectionNames.of(sections)
    examples = read_examples(root)
    x = np.stack([feature_vector(e.message, e.earlier, names) for e in examples])
    y = np.array([e.continues for e in examples])
    folds = np.array([zlib.crc32(e.message.encode("utf-8")) % FOLDS for e in examples])
    out_of_fold = out_of_fold_probabilities(x, y, folds, REGULARISATION)
    threshold = best_threshold(out_of_fold, y)
    right = (out_of_fold >= threshold) == y
    by_kind = {k: (float(np.mean(right[[e.kind == k for e in examples]])), sum(e.kind == k for e in examples))
               for k in sorted({e.kind for e in examples})}
    say(f"continuation: {len(examples)} examples; out of fold at threshold {threshold}: " + ", ".join(
        f"{k} {share:.3f} ({n})" for k, (share, n) in by_kind.items()))
    fitted = classifier(REGULARISATION).fit(x, y)
    meta = {"format": 1, "examples": len(examples),
            "data_sha256": hashlib.sha256(b"".join(p.read_bytes() for p in data_paths(root))).hexdigest(),
            "out_of_fold": {k: round(share, 4) for k, (share, _) in by_kind.items()}}
    off_topic = train_off_topic(examples, folds, encode, say)
    model = ContinuationModel(fitted.coef_[0].astype(np.float32), float(fitted.intercept_[0]), threshold, names, meta,
                              off_topic)
    save_model(model)
    return model
