"""Scores answer candidates (`passages`) for a question: features from MiniLM and BM25, learned weights.

Owns the feature vector of a (question, passage) pair and the logistic-regression weights that
`python -m chatbot train` fits on the labelled questions in `data/questions/`. The features reuse
what retrieval already computed (the query vector, the fused chunk ranks, the stored sentence
vectors): no second model runs at query time.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .answer import LIST_REQUEST
from .answer_sentences import AnswerSentences
from .passages import Passage
from .question_bank import QuestionBank
from .retrieval import Retrieval, Retriever
from .text import expand_lay_terms, stems

WEIGHTS_PATH = Path(__file__).resolve().parent / "weights" / "passage_scorer.json"
NEIGHBOURS = 8
NEIGHBOUR_TEMPERATURE = 0.03  # cosine points: a neighbour 0.03 less close weighs e times less
KINDS = ("section", "unit", "item", "window", "contents")
FEATURES = ("max_cosine", "mean_cosine", "centroid_cosine", "max_cosine_gap", "chunk_fused", "chunk_dense",
            "words_shared", "heading_shared", "log_words", "sentences", *(f"kind_{k}" for k in KINDS),
            "has_list", "questions", "lead_in", "opens_section", "bank_cosine", "bank_gap", "neighbour_utility", "nearest_utility", "sentence_shared", "sentence_shared_gap",
            "holds_best_sentence", "list_wanted", "list_wanted_item", "answer_model_sum", "answer_model_max", "answer_model_sum_gap",
            "answer_model_max_gap")
ANSWER_MODEL_CANDIDATES = 3  # passages holding the sentences the answer model finds likeliest are candidates too


@dataclass(frozen=True)
class QueryEvidence:
    """What retrieval found for one query, in the form the features need."""
    vector: np.ndarray
    weights: dict[str, float]  # query stem -> IDF
    fused: dict[int, float]  # chunk id -> fused score / best fused score
    dense: dict[int, float]  # chunk id -> cosine
    best_sentence: float
    bank: np.ndarray  # cosine of the query with each bank question
    wants_list: bool  # the question asks for steps, kinds, ways...
    answer_probabilities: np.ndarray  # per sentence row: the answer model's probability that it answers


@dataclass(frozen=True)
class PassageTable:
    """Every answer candidate with what its features need that does not depend on the query."""
    passages: list[Passage]
    bank_rows: list[tuple[np.ndarray, np.ndarray]]  # per passage: bank questions it answers, how well
    section_starts: frozenset[int]  # offsets of each section's first sentence
    stems: list[tuple[frozenset[str], frozenset[str], tuple[frozenset[str], ...]]]  # passage, heading, sentences
    holding_row: dict[int, tuple[int, ...]]  # sentence row -> the passages holding it
    in_chunk: dict[int, tuple[int, ...]]  # chunk id -> the passages with a sentence in it
    answering: dict[int, tuple[int, ...]]  # bank question row -> the passages answering it

    @classmethod
    def build(cls, passages: list[Passage], bank: QuestionBank) -> "PassageTable":
        starts = {}
        for p in passages:
            key = (p.doc_id, p.section)
            starts[key] = min(starts.get(key, p.sentences[0].start), p.sentences[0].start)
        word_stems = [(frozenset(stems(" ".join(s.text for s in p.sentences))), frozenset(stems(" ".join(p.section))),
                       tuple(frozenset(stems(s.text)) for s in p.sentences)) for p in passages]
        bank_rows = [bank.rows_answered_by(p) for p in passages]
        return cls(passages, bank_rows, frozenset(starts.values()), word_stems,
                   inverted(p.rows for p in passages), inverted(p.chunk_ids for p in passages),
                   inverted(rows.tolist() for rows, _ in bank_rows))


def inverted(keys_per_passage) -> dict[int, tuple[int, ...]]:
    """key -> the passages (in order) listing it: `inverted([(1, 2), (2,)]) -> {1: (0,), 2: (0, 1)}`."""
    found: dict[int, list[int]] = {}
    for i, keys in enumerate(keys_per_passage):
        for key in dict.fromkeys(keys):
            found.setdefault(key, []).append(i)
    return {key: tuple(passages) for key, passages in found.items()}


def query_evidence(retrieval: Retrieval, retriever: Retriever, focus: str, bank: QuestionBank,
                   answer_sentences: AnswerSentences | None = None) -> QueryEvidence:
    weights = {t: retriever.bm25.idf(t) for t in set(stems(expand_lay_terms(retrieval.query)))}
    weights.update({t: 1.3 * retriever.bm25.idf(t) for t in set(stems(expand_lay_terms(focus)))})
    top = max((h.fused for h in retrieval.hits), default=1.0) or 1.0
    fused = {h.chunk_id: h.fused / top for h in retrieval.hits}
    dense = {h.chunk_id: h.dense for h in retrieval.hits}
    best = max((float(retriever.sentence_similarities(h.chunk_id, retrieval.query_vector).max())
                for h in retrieval.hits), default=0.0)
    similarities = bank.vectors @ retrieval.query_vector if len(bank.doc_ids) else np.zeros(0, dtype=np.float32)
    answer_probabilities = answer_sentences.probabilities(retrieval.query_vector) if answer_sentences else \
        np.zeros(len(retriever.stored.sentence_vectors), dtype=np.float32)
    return QueryEvidence(retrieval.query_vector, weights, fused, dense, best, similarities,
                         bool(LIST_REQUEST.search(focus)), answer_probabilities)


def candidates_for(evidence: QueryEvidence, table: PassageTable, extra: int = 3) -> list[int]:
    """Passages with a sentence in one of the retrieved chunks, the passages answering the `extra`
    bank questions closest to the query, and those holding the sentences the answer model finds
    likeliest (wherever retrieval ranked them)."""
    found = sorted({i for chunk in evidence.fused for i in table.in_chunk.get(chunk, ())})
    seen = set(found)
    if evidence.bank.size:
        closest = np.argsort(-evidence.bank)[:extra].tolist()
        found += sorted({i for row in closest for i in table.answering.get(row, ())} - seen)
        seen = set(found)
    if evidence.answer_probabilities.any():
        for row in np.argsort(-evidence.answer_probabilities)[:ANSWER_MODEL_CANDIDATES].tolist():
            for i in table.holding_row.get(row, ()):
                if i not in seen:
                    seen.add(i)
                    found.append(i)
    return found


def bank_neighbours(evidence: QueryEvidence) -> dict[int, float]:
    """The NEIGHBOURS bank questions closest to the query, weighted by closeness (summing to 1)."""
    if not evidence.bank.size:
        return {}
    top = np.argsort(-evidence.bank)[:NEIGHBOURS]
    weights = np.exp((evidence.bank[top] - evidence.bank[top[0]]) / NEIGHBOUR_TEMPERATURE)
    return dict(zip(top.tolist(), (weights / weights.sum()).tolist()))


def feature_row(passage: Passage, bank_rows: tuple[np.ndarray, np.ndarray], evidence: QueryEvidence,
                sentence_vectors: np.ndarray, section_starts: frozenset[int], neighbours: dict[int, float],
                own: frozenset[str], heading: frozenset[str]) -> list[float]:
    vectors = sentence_vectors[list(passage.rows)]
    cosines = vectors @ evidence.vector
    centroid = vectors.sum(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    total = sum(evidence.weights.values()) or 1.0
    rows, utilities = bank_rows
    whole = rows[utilities >= 0.9] if rows.size else rows
    bank_cosine = float(evidence.bank[whole].max()) if whole.size and evidence.bank.size else 0.0
    # What the closest labelled questions say: how well this passage answered each of them.
    utility_of = dict(zip(rows.tolist(), utilities.tolist()))
    neighbour_utility = sum(w * utility_of.get(row, 0.0) for row, w in neighbours.items())
    nearest = max(neighbours, key=neighbours.get) if neighbours else None
    nearest_utility = utility_of.get(nearest, 0.0) if nearest is not None else 0.0
    return [float(cosines.max()), float(cosines.mean()), float(centroid @ evidence.vector),
            float(cosines.max()) - evidence.best_sentence,
            max(evidence.fused.get(c, 0.0) for c in passage.chunk_ids),
            max(evidence.dense.get(c, 0.0) for c in passage.chunk_ids),
            sum(w for t, w in evidence.weights.items() if t in own) / total,
            sum(w for t, w in evidence.weights.items() if t in heading) / total,
            math.log1p(passage.words) / 5, len(passage.sentences) / 10,
            *(1.0 if passage.kind == k else 0.0 for k in KINDS),
            float(any(s.in_list for s in passage.sentences)),
            sum(s.text.rstrip().endswith("?") for s in passage.sentences) / len(passage.sentences),
            float(any(s.lead_in for s in passage.sentences)),
            float(passage.sentences[0].start in section_starts),
            bank_cosine, bank_cosine - (float(evidence.bank.max()) if evidence.bank.size else 0.0),
            neighbour_utility, nearest_utility]


def feature_matrix(candidates: list[int], evidence: QueryEvidence, table: PassageTable,
                   sentence_vectors: np.ndarray) -> np.ndarray:
    neighbours = bank_neighbours(evidence)
    rows = [feature_row(table.passages[i], table.bank_rows[i], evidence, sentence_vectors, table.section_starts,
                        neighbours, table.stems[i][0], table.stems[i][1]) for i in candidates]
    # Per sentence: the query words it holds; a passage holding the one sentence that holds most
    # of them is likely the answer (what the earlier hand-weighted sentence picker relied on).
    total = sum(evidence.weights.values()) or 1.0
    shared = [max(sum(w for t, w in evidence.weights.items() if t in sentence) / total
                  for sentence in table.stems[i][2]) for i in candidates]
    best_shared = max(shared, default=0.0)
    # The answer model's probabilities of the passage's sentences: together, and its likeliest one.
    answered = [evidence.answer_probabilities[list(table.passages[i].rows)] for i in candidates]
    model_sum = [min(1.0, float(p.sum())) for p in answered]
    model_max = [float(p.max()) for p in answered]
    best_sum, best_max = max(model_sum, default=0.0), max(model_max, default=0.0)
    for row, value, total_p, top_p in zip(rows, shared, model_sum, model_max):
        row += [value, value - best_shared, float(row[0] >= evidence.best_sentence - 1e-6),
                float(evidence.wants_list) * row[FEATURES.index("has_list")],
                float(evidence.wants_list) * row[FEATURES.index("kind_item")],  # one item where the list was asked for
                total_p, top_p, total_p - best_sum, top_p - best_max]
    return np.array(rows, dtype=np.float32).reshape(len(candidates), len(FEATURES))


@dataclass(frozen=True)
class PassageScorer:
    weights: np.ndarray
    intercept: float
    second_passage_min: float  # a second passage joins only at this probability or above
    meta: dict

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(features @ self.weights + self.intercept)))


def save_scorer(scorer: PassageScorer, path: Path = WEIGHTS_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = dict(scorer.meta, features=list(FEATURES), weights=[round(float(w), 6) for w in scorer.weights],
                intercept=round(scorer.intercept, 6), second_passage_min=scorer.second_passage_min)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


@lru_cache(maxsize=2)
def load_scorer(path: Path = WEIGHTS_PATH) -> PassageScorer:
    from .urgent_model import ModelMissingError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelMissingError(f"the passage scorer weights {path} are missing or unreadable ({err}); "
                                "run: python -m chatbot train") from None
    if data.get("features") != list(FEATURES):
        raise ModelMissingError(f"{path} was trained on other features; run: python -m chatbot train")
    meta = {k: v for k, v in data.items() if k not in ("features", "weights", "intercept", "second_passage_min")}
    return PassageScorer(np.array(data["weights"], dtype=np.float32), float(data["intercept"]),
                         float(data["second_passage_min"]), meta)
