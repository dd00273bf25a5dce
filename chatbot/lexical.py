"""BM25 over chunk texts, with precomputed term weights in a sparse matrix.

Owns lexical scoring only; fusing it with dense scores is `retrieval`'s job.
Scoring a query is one column slice and a sum, so it stays fast at 100,000 chunks.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .text import stems


@dataclass
class BM25Index:
    vocabulary: dict[str, int]  # stem -> column
    weights: sparse.csc_matrix  # (documents, vocabulary): BM25 weight of each term in each document
    document_frequency: np.ndarray

    @classmethod
    def build(cls, texts: list[str], k1: float = 1.2, b: float = 0.75) -> "BM25Index":
        counts = [Counter(stems(t)) for t in texts]
        vocabulary: dict[str, int] = {}
        rows, cols, tfs = [], [], []
        for row, counter in enumerate(counts):
            for term, tf in counter.items():
                rows.append(row)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
                tfs.append(tf)
        n_docs = len(texts)
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        avg = float(lengths.mean()) if n_docs else 1.0
        tf = np.array(tfs, dtype=np.float32)
        df = np.bincount(np.array(cols, dtype=np.int64), minlength=len(vocabulary)).astype(np.float32)
        idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
        row_len = lengths[np.array(rows, dtype=np.int64)] if rows else np.zeros(0, np.float32)
        weight = idf[np.array(cols, dtype=np.int64)] * tf * (k1 + 1) / (tf + k1 * (1 - b + b * row_len / max(avg, 1e-9)))
        matrix = sparse.csc_matrix((weight, (rows, cols)), shape=(n_docs, len(vocabulary)), dtype=np.float32)
        return cls(vocabulary, matrix, df)

    def idf(self, term_stem: str) -> float:
        """How rare a stem is across chunks (0 for stems no chunk has)."""
        column = self.vocabulary.get(term_stem)
        if column is None:
            return 0.0
        n = self.weights.shape[0]
        df = float(self.document_frequency[column])
        return float(np.log(1.0 + (n - df + 0.5) / (df + 0.5)))

    def score(self, query: str) -> np.ndarray:
        """BM25 score of every document for `query` (zeros when no term is known)."""
        ids = [self.vocabulary[t] for t in set(stems(query)) if t in self.vocabulary]
        if not ids:
            return np.zeros(self.weights.shape[0], dtype=np.float32)
        return np.asarray(self.weights[:, ids].sum(axis=1)).ravel()
