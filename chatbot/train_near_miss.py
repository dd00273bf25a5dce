"""Training the near-miss model on `data/near_miss/*.jsonl`.

Each row is a question the articles do not answer, with the one article sentence a helper chose as
what they say about its subject (`doc`, `sentence`), or none (both null). The model is a softmax
regression from the question's vector to that sentence or NONE (`answer_sentences.fit_model`). The
threshold is chosen out of fold: a sentence shown for a question labelled none, or from another
section than the labelled sentence's, costs WRONG_COST times a sentence not shown. Deterministic.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from .answer_sentences import fit_model, save_model
from .labelled_rows import labelled_rows
from .near_miss import NAME, NONE, WEIGHTS_DIR, NearMissModel, SentenceTable
from .text import expand_lay_terms

FOLDS = 5
WRONG_COST = 2.0  # a misleading or unrelated sentence shown is worse than none
# Out of fold at the chosen threshold, right sentences shown less twice the wrong ones:
# 42 / 48 / 23 at C = 3 / 10 / 30 (823 questions).
REGULARISATION_C = 10.0


@dataclass(frozen=True)
class NearMissExample:
    question: str
    doc_id: str | None
    sentence: str | None
    source: str  # file:line


def data_paths(root: Path) -> list[Path]:
    return sorted((root / "data" / "near_miss").glob("*.jsonl"))


def read_examples(root: Path, document_texts: dict[str, str]) -> list[NearMissExample]:
    """The labelled rows; a sentence that is not exact text of its article is an error."""
    examples = []
    for where, row in labelled_rows(data_paths(root)):
        doc_id, sentence = row.get("doc"), row.get("sentence")
        if (doc_id is None) != (sentence is None):
            raise ValueError(f"{where}: 'doc' and 'sentence' are both given or both null")
        if sentence is not None and sentence not in document_texts.get(doc_id, ""):
            raise ValueError(f"{where}: the sentence is not text of {doc_id}")
        examples.append(NearMissExample(row["question"], doc_id, sentence, where))
    return examples


def class_of(example: NearMissExample, table: SentenceTable) -> tuple[str, str]:
    """The example's class: its sentence's first indexed sentence, or NONE."""
    if example.sentence is None:
        return NONE
    found = table.entries_of(example.doc_id, example.sentence)
    if not found:
        raise ValueError(f"{example.source}: the sentence is not in the index; run: python -m chatbot index")
    entry = table.entries[found[0]]
    return entry.doc_id, entry.sentence.text


def choose_threshold(shown: list[tuple[float, bool]], has_sentence: list[bool]) -> tuple[float, dict]:
    """The threshold on a question's likeliest sentence (`shown`: its probability, and whether it is
    from the labelled sentence's section; probability 0 when the likeliest class is NONE) that
    maximises right sentences shown less WRONG_COST times wrong ones."""
    best = (1.0, {"value": 0.0})
    for threshold in np.round(np.arange(0.05, 0.96, 0.01), 2):  # as stored, so the figures are the model's
        right = int(sum(p >= threshold and ok for (p, ok), has in zip(shown, has_sentence) if has))
        wrong = int(sum(p >= threshold and not (ok and has) for (p, ok), has in zip(shown, has_sentence)))
        value = right - WRONG_COST * wrong
        if value > best[1]["value"]:
            best = (float(threshold), {"value": value, "right_shown": right, "wrong_shown": wrong,
                                                 "with_sentence": sum(has_sentence),
                                                 "none": len(has_sentence) - sum(has_sentence)})
    return best


def train_near_miss(root: Path, table: SentenceTable, encode: Callable[[list[str]], np.ndarray],
                    document_texts: dict[str, str], say: Callable[[str], None] = print,
                    directory: Path | None = None) -> NearMissModel | None:
    examples = read_examples(root, document_texts)
    if not examples:
        say("near miss: no labelled questions in data/near_miss/; declined questions get the plain reply")
        return None
    vectors = encode([expand_lay_terms(e.question) for e in examples])
    classes = [class_of(e, table) for e in examples]
    sections = [table.entries[table.by_key[c]].section if c != NONE else None for c in classes]
    folds = np.array([int(hashlib.sha256(e.question.lower().encode()).hexdigest(), 16) % FOLDS for e in examples])
    shown: list[tuple[float, bool]] = [(0.0, False)] * len(examples)
    for fold in range(FOLDS):
        held = np.flatnonzero(folds == fold)
        kept = np.flatnonzero(folds != fold)
        model = NearMissModel(fit_model(vectors[kept], [[classes[i]] for i in kept], REGULARISATION_C), 0.0)
        for i in held:
            found = model.nearest(table, vectors[i])
            if found is not None:
                shown[i] = (found[1], table.entries[found[0]].section == sections[i])
    threshold, figures = choose_threshold(shown, [c != NONE for c in classes])
    say(f"near miss: {len(examples)} labelled questions; out of fold at threshold {threshold:.2f}: "
        + ", ".join(f"{k} {v}" for k, v in figures.items()))
    fitted = fit_model(vectors, [[c] for c in classes], REGULARISATION_C)
    meta = {"format": 1, "threshold": threshold, "out_of_fold": figures, "questions": len(examples),
            "data_sha256": hashlib.sha256(b"".join(p.read_bytes() for p in data_paths(root))).hexdigest()}
    save_model(fitted, meta, directory or WEIGHTS_DIR, name=NAME)
    return NearMissModel(fitted, threshold)
