"""Training the urgent-symptom model from labelled messages and the taxonomy's lay signs.

Owns turning `data/urgent/*.jsonl` and `knowledge/red_flags.toml` into clause examples,
fitting the logistic regression, and choosing its operating point on the development sets
(`eval/redflags*.jsonl`, which also join the training data): the threshold with the highest
cross-validated recall whose specificity stays at or above SPECIFICITY_FLOOR. Deterministic: same data, same weights. Never reads the new
evaluation sets of an issue (`eval/urgent_*.jsonl`), whose figures must stay first-contact honest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from .message import read_message
from .reading_rules import load_rules
from .followup import likely_query
from .message import Clause
from .settings import Settings
from .taxonomy import CATEGORIES, load_taxonomy
from .token_pooling import TokenVectors
from .urgent import detections_from, read_clauses, screen_reading, screened_units, unit_vectors
from .urgent_model import FORMAT, NONE, UrgentModel, feature_matrix, save_model, word_features

SPECIFICITY_FLOOR = 0.95  # the target; recall is what a miss costs
MIN_FEATURE_COUNT = 3  # a word or pair seen in fewer training clauses is not a feature
REGULARISATION = 4.0  # measured: 1.0 and 4.0 with and without class weights; 4.0 unweighted ranked best
FOLDS = 5
TEXTS_PER_READ = 256  # texts whose token vectors are held at once while pooling their examples
# Earlier sets named the cardiac category "chest_pain".
CATEGORY_ALIASES = {"chest_pain": "cardiac"}


@dataclass(frozen=True)
class ClauseExample:
    """A unit as the screen reads it: its words, and its span in the text the model reads whole."""
    words: tuple[str, ...]
    source: str  # the whole message, read by the model once
    start: int
    end: int
    label: str  # a category or NONE

    @property
    def key(self) -> tuple[str, int, int]:
        return self.source, self.start, self.end


def example(unit: Clause, source: str, label: str) -> ClauseExample:
    return ClauseExample(unit.words, source, unit.start, unit.end, label)


def whole_example(text: str, label: str) -> list[ClauseExample]:
    """The whole text as one unit (a lay sign, a development message labelled as a whole)."""
    message = read_message(text)
    stripped = text.strip()
    start = text.find(stripped)
    return [ClauseExample(message.words, text, start, start + len(stripped), label)] if message.words else []


def whole_message_example(message, label: str) -> list[ClauseExample]:
    """The message as one unit, as the screen also reads a short message (see `screened_units`)."""
    units = screened_units(message)
    if len(units) > len(message.clauses):
        return [example(units[-1], message.text, label)]
    return []


def examples_from_message(row: dict) -> list[ClauseExample]:
    """Clauses overlapping the evidence of an urgent message carry its category; the other clauses
    of an urgent message are left out (they may be anything); every clause of a calm one is NONE.
    A short message also counts as one whole unit with the message's label."""
    message = read_message(row["text"])
    label = row["category"] if row["urgent"] else NONE
    if not row["urgent"]:
        return [example(c, message.text, NONE) for c in message.clauses] + whole_message_example(message, label)
    start = row["text"].find(row["evidence"]) if row.get("evidence") else -1
    if start < 0:
        return []
    end = start + len(row["evidence"])
    return [example(c, message.text, label) for c in message.clauses if c.start < end and c.end > start] + \
        whole_message_example(message, label)


def examples_from_taxonomy(taxonomy) -> list[ClauseExample]:
    """Each lay sign is one urgent clause of its category; look-alikes and hard negatives are NONE."""
    out = []
    for condition in taxonomy.conditions:
        for sign in condition.signs + condition.signs_other:
            out += whole_example(sign, condition.category)
        for calm in condition.not_this:
            out += [example(c, calm, NONE) for c in read_message(calm).clauses]
    for calm in taxonomy.hard_negatives:
        out += [example(c, calm, NONE) for c in read_message(calm).clauses]
    return out


def read_jsonl_files(paths: list[Path]) -> list[dict]:
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh if line.strip()]
    return rows


def validate_training_rows(rows: list[dict]) -> None:
    for i, row in enumerate(rows):
        if not isinstance(row.get("text"), str) or not isinstance(row.get("urgent"), bool):
            raise ValueError(f"training row {i}: needs a string 'text' and a boolean 'urgent'")
        if row["urgent"] and row.get("category") not in CATEGORIES:
            raise ValueError(f"training row {i}: category {row.get('category')!r} is not one of {CATEGORIES}")


def reading_of(text: str) -> str:
    """What the model reads to screen `text` sent as a first message (`Chatbot.reply`): most
    often its retrieval query, the message with lay words added (`urgent.screen_reading`)."""
    query = likely_query(text, [], lambda message, earlier: False, Settings.max_message_chars)  # no earlier turns
    return screen_reading(text, [] if query is None else [query])


def pooled_vectors(read_tokens: Callable[[list[str]], list[TokenVectors]], examples: list[ClauseExample]
                   ) -> dict[tuple[str, int, int], np.ndarray]:
    """Each example's vector pooled from one pass of the model over its source, read as the
    screen reads a message (`reading_of`), as the screen pools a clause (`urgent.unit_vectors`)."""
    by_source: dict[str, list[ClauseExample]] = {}
    for e in examples:
        by_source.setdefault(e.source, []).append(e)
    sources = list(by_source)
    out: dict[tuple[str, int, int], np.ndarray] = {}
    for first in range(0, len(sources), TEXTS_PER_READ):
        chunk = sources[first:first + TEXTS_PER_READ]
        for source, tokens in zip(chunk, read_tokens([reading_of(c) for c in chunk])):
            units = by_source[source]
            out.update(zip([e.key for e in units], unit_vectors([Clause("", e.start, e.end, e.words) for e in units],
                                                                tokens)))
    return out


def vectors_per_message(read_tokens: Callable[[list[str]], list[TokenVectors]], messages: list[str]
                        ) -> list[np.ndarray]:
    """Each message's unit vectors (`screened_units`), pooled as the screen pools them."""
    units = [[example(u, m, NONE) for u in screened_units(read_message(m))] for m in messages]
    vector_of = pooled_vectors(read_tokens, [e for message in units for e in message])
    return [np.array([vector_of[e.key] for e in message], dtype=np.float32).reshape(len(message), -1)
            for message in units]


def reported_red_flags(path: Path) -> set[str]:
    """First 50 characters of the labelled questions that also report a possible red flag."""
    if not path.exists():
        return set()
    return {line[:50].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and
            not line.startswith("#")}


def build_vocabulary(examples: list[ClauseExample]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for example in examples:
        for feature in set(word_features(example.words)):
            counts[feature] = counts.get(feature, 0) + 1
    kept = sorted(f for f, n in counts.items() if n >= MIN_FEATURE_COUNT)
    return {f: i for i, f in enumerate(kept)}


def message_flags(model: UrgentModel, rows: list[dict], vectors: list[np.ndarray], taxonomy,
                  thresholds: np.ndarray) -> np.ndarray:
    """messages x thresholds: is the message flagged at each threshold?"""
    rules = load_rules()
    flags = np.zeros((len(rows), len(thresholds)), dtype=bool)
    for i, (row, clause_vectors) in enumerate(zip(rows, vectors)):
        readings = read_clauses(screened_units(read_message(row["message"])), clause_vectors, model, rules)
        for j, threshold in enumerate(thresholds):
            flags[i, j] = bool(detections_from(readings, float(threshold), taxonomy))
    return flags


def rates(flags: np.ndarray, urgent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(recall, specificity) per threshold column."""
    return flags[urgent].mean(axis=0), (~flags[~urgent]).mean(axis=0)


def choose_threshold(thresholds: np.ndarray, recall: np.ndarray, specificity: np.ndarray) -> int:
    """Index of the threshold with the best recall at specificity >= SPECIFICITY_FLOOR; if none
    reaches the floor, the one with the best recall + specificity."""
    meets = np.flatnonzero(specificity >= SPECIFICITY_FLOOR)
    if meets.size:
        return int(meets[np.lexsort((specificity[meets], recall[meets]))[-1]])
    return int(np.argmax(recall + specificity))


def fit(examples: list[ClauseExample], vectors: np.ndarray, sign_rows, sign_vectors) -> UrgentModel:
    from sklearn.linear_model import LogisticRegression

    vocabulary = build_vocabulary(examples)
    features = feature_matrix(vectors, [e.words for e in examples], vocabulary)
    fitted = LogisticRegression(C=REGULARISATION, max_iter=4000).fit(features, np.array([e.label for e in examples]))
    return UrgentModel(tuple(fitted.classes_), vocabulary, fitted.coef_.astype(np.float32),
                       fitted.intercept_.astype(np.float32), 0.5, sign_vectors,
                       tuple(i for i, _, _ in sign_rows), tuple(c for _, c, _ in sign_rows), {})


def examples_from_development(row: dict) -> list[ClauseExample]:
    """A development message has no evidence span: an urgent one is one example as a whole,
    every clause of a calm one is NONE."""
    if row["red_flag"]:
        return whole_example(row["message"], row["category"])
    message = read_message(row["message"])
    return [example(c, message.text, NONE) for c in message.clauses] + whole_message_example(message, NONE)


def train_urgent(root: Path, read_tokens: Callable[[list[str]], list[TokenVectors]], embedder_name: str,
                 say: Callable[[str], None] = print) -> UrgentModel:
    """Fit on the labelled messages, the taxonomy and the development sets; the threshold comes
    from FOLDS-fold cross-validation over the development sets (each fold scored by a model that
    never saw it); then the final fit uses everything."""
    taxonomy = load_taxonomy()
    data_paths = sorted((root / "data" / "urgent").glob("*.jsonl"))
    dev_paths = sorted((root / "eval").glob("redflags*.jsonl"))
    rows = read_jsonl_files(data_paths)
    validate_training_rows(rows)
    base = [e for e in [e for row in rows for e in examples_from_message(row)] + examples_from_taxonomy(taxonomy)
            if e.words]
    dev_rows = [dict(r, category=CATEGORY_ALIASES.get(r.get("category"), r.get("category")))
                for r in read_jsonl_files(dev_paths)]
    # Ordinary questions about the articles ("lie on your back with your arms pointing at the
    # ceiling...") are what the screen meets most: the labelled questions train as calm messages,
    # except the few that also report a possible red flag.
    question_paths = sorted((root / "data" / "questions").glob("*.jsonl"))
    reports = reported_red_flags(root / "data" / "questions" / "reports_not_calm.txt")
    base += [e for row in read_jsonl_files(question_paths) if row["question"][:50].strip() not in reports
             for e in examples_from_message({"text": row["question"], "urgent": False}) if e.words]
    dev_examples = [examples_from_development(r) for r in dev_rows]
    say(f"urgent: {len(rows)} labelled messages, {len(taxonomy.conditions)} taxonomy conditions, "
        f"{len(question_paths)} files of labelled questions, {len(dev_rows)} development messages")
    vector_of = pooled_vectors(read_tokens, base + [e for ex in dev_examples for e in ex])
    dev_vectors = vectors_per_message(read_tokens, [r["message"] for r in dev_rows])
    sign_rows = [(c.id, c.category, s) for c in taxonomy.conditions for s in c.signs + c.signs_other]
    signs_read = [whole_example(s, NONE)[0] for _, _, s in sign_rows]  # a sign is read whole
    sign_vector_of = pooled_vectors(read_tokens, signs_read)
    sign_vectors = np.array([sign_vector_of[e.key] for e in signs_read], dtype=np.float32)

    def vectors_of(examples):
        return np.array([vector_of[e.key] for e in examples], dtype=np.float32)

    thresholds = np.round(np.arange(0.10, 0.99, 0.02), 3)
    flags = np.zeros((len(dev_rows), len(thresholds)), dtype=bool)
    for fold in range(FOLDS):
        held = [i for i in range(len(dev_rows)) if i % FOLDS == fold]
        kept = [e for i, ex in enumerate(dev_examples) if i % FOLDS != fold for e in ex]
        model = fit(base + kept, vectors_of(base + kept), sign_rows, sign_vectors)
        flags[held] = message_flags(model, [dev_rows[i] for i in held], [dev_vectors[i] for i in held], taxonomy,
                                    thresholds)
    urgent = np.array([r["red_flag"] for r in dev_rows])
    recall, specificity = rates(flags, urgent)
    best = choose_threshold(thresholds, recall, specificity)
    for j in range(0, len(thresholds), 5):
        say(f"urgent: cross-validated threshold {thresholds[j]:.2f}: recall {recall[j]:.3f}, "
            f"specificity {specificity[j]:.3f}")
    everything = base + [e for ex in dev_examples for e in ex]
    model = fit(everything, vectors_of(everything), sign_rows, sign_vectors)
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in data_paths + question_paths + dev_paths)).hexdigest()
    meta = {"format": FORMAT, "features": "clause vectors mean-pooled from one pass over the message as retrieval reads it",
            "embedder": embedder_name, "regularisation": REGULARISATION, "data_sha256": digest,
            "taxonomy_sha256": taxonomy.sha256, "training_messages": len(rows), "clause_examples": len(everything),
            "cross_validated": {"folds": FOLDS, "messages": len(dev_rows), "recall": round(float(recall[best]), 4),
                                "specificity": round(float(specificity[best]), 4),
                                "specificity_floor": SPECIFICITY_FLOOR}}
    chosen = UrgentModel(model.classes, model.vocabulary, model.coefficients, model.intercepts,
                         float(thresholds[best]), model.sign_vectors, model.sign_conditions, model.sign_categories,
                         meta)
    save_model(chosen)
    say(f"urgent: threshold {thresholds[best]:.2f} (cross-validated recall {recall[best]:.3f}, "
        f"specificity {specificity[best]:.3f}); {len(everything)} clause examples, "
        f"{len(model.vocabulary)} word features")
    return chosen
