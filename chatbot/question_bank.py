"""The question bank: labelled questions people ask, each tied to the article text that answers it.

Owns the bank's vectors and answer spans (written by `python -m chatbot train` into `weights/`)
and which bank questions a passage answers. A passage is found through the questions asked
about it (doc2query-style): "the one on all fours where you lift opposite arm and leg" is far
from the article's wording but close to a bank question about the bird dog. A passage with no
bank question still competes on its own features.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .passages import Passage

BANK_DIR = Path(__file__).resolve().parent / "weights"
# Words an answer may run before it loses utility: past them a one-detail answer is padding.
# A whole step list may run longer (its allowance grows with the labelled answer).
TARGET_WORDS = 60
LENGTH_PENALTY = 0.004  # utility lost per word beyond what the answer needs


def answer_utility(passage: Passage, doc_id: str | None, spans: tuple[tuple[int, int], ...], answer_words: int) -> float:
    """How well a passage answers a question whose labelled answer is `spans` of `doc_id`: the share
    of the answer it holds, less a little for every word past what the answer needs (TARGET_WORDS,
    or half again the answer's own length for a long list). A span found twice in the document (a
    repeated "Hold for 30 seconds") counts once."""
    if passage.doc_id != doc_id or not spans:
        return 0.0
    unique = set(spans)
    covered = sum(any(s.start < e and s.end > b for s in passage.sentences) for b, e in unique)
    distinct = len({e - b for b, e in unique}) if len(unique) > 1 else 1
    allowance = max(TARGET_WORDS, 1.5 * answer_words)
    return min(1.0, covered / distinct) - LENGTH_PENALTY * max(0, passage.words - allowance)


@dataclass(frozen=True)
class QuestionBank:
    vectors: np.ndarray  # questions x dimension, unit length
    doc_ids: tuple[str, ...]
    spans: tuple[tuple[tuple[int, int], ...], ...]  # per question: character spans of its answer
    answer_words: tuple[int, ...]

    def rows_answered_by(self, passage: Passage) -> tuple[np.ndarray, np.ndarray]:
        """Bank rows the passage answers at least in part, with its `answer_utility` for each."""
        rows, utilities = [], []
        for i, (doc_id, spans) in enumerate(zip(self.doc_ids, self.spans)):
            if doc_id == passage.doc_id:
                utility = answer_utility(passage, doc_id, spans, self.answer_words[i])
                if utility > 0:
                    rows.append(i)
                    utilities.append(utility)
        return np.array(rows, dtype=np.int64), np.array(utilities, dtype=np.float32)


EMPTY_BANK = QuestionBank(np.zeros((0, 1), dtype=np.float32), (), (), ())


def save_bank(bank: QuestionBank, texts: list[str], directory: Path = BANK_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    np.save(directory / "question_bank.npy", bank.vectors.astype(np.float32))
    rows = [{"question": t, "doc": d, "spans": [list(s) for s in spans], "answer_words": n}
            for t, d, spans, n in zip(texts, bank.doc_ids, bank.spans, bank.answer_words)]
    (directory / "question_bank.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                                    encoding="utf-8")


@lru_cache(maxsize=2)
def load_bank(directory: Path = BANK_DIR, dimension: int = 384) -> QuestionBank:
    """The trained bank, or an empty one when there is none (every passage then competes on its own)."""
    try:
        vectors = np.load(directory / "question_bank.npy", allow_pickle=False)
        rows = [json.loads(line) for line in (directory / "question_bank.jsonl").read_text("utf-8").splitlines()
                if line.strip()]
    except (OSError, ValueError):
        return EMPTY_BANK
    if vectors.ndim != 2 or vectors.shape != (len(rows), dimension):
        return EMPTY_BANK
    return QuestionBank(vectors, tuple(r["doc"] for r in rows),
                        tuple(tuple(tuple(s) for s in r["spans"]) for r in rows),
                        tuple(r.get("answer_words", 0) for r in rows))
