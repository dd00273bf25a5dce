"""Hybrid retrieval: dense (FAISS), lexical (BM25) and best-sentence rankings fused by reciprocal rank.

Owns turning a query into ranked chunks with their scores, and scoring the
sentences of those chunks against the query. Choosing which sentences make an
answer is `answer`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .chunks import Chunk
from .embeddings import Embedder
from .lexical import BM25Index
from .store import StoredIndex
from .text import expand_lay_terms

# The chunks of this many best-matching sentences, over every sentence, always join the hits:
# a chunk that holds the one sentence asked about can rank low on its other sentences.
SENTENCE_LED = 3
# Every sentence is compared with the query up to this many sentences; beyond it only the
# sentences of the fused candidates are (see docs/scaling.md).
GLOBAL_SENTENCE_SEARCH_UP_TO = 50_000
RRF_K = 60  # the usual constant: dampens the head of each ranking


@dataclass(frozen=True)
class Hit:
    chunk_id: int
    chunk: Chunk
    dense: float  # cosine similarity of query and chunk
    lexical: float  # BM25 score
    fused: float  # reciprocal-rank fusion score
    sentence_led: bool = False  # joined the hits for one sentence of it, whatever its fused rank


@dataclass(frozen=True)
class Retrieval:
    query: str
    query_vector: np.ndarray
    hits: list[Hit]  # best first


def reciprocal_rank_fusion(rankings: list[list[int]], k: int = RRF_K) -> dict[int, float]:
    """`reciprocal_rank_fusion([[7, 3], [3]]) -> {7: 1/61, 3: 1/62 + 1/61}`"""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank + 1)
    return fused


class Retriever:
    def __init__(self, stored: StoredIndex, embedder: Embedder):
        self.stored = stored
        self.embedder = embedder
        self.bm25 = BM25Index.build([c.embedding_text() for c in stored.chunks])
        self.sentence_chunk = np.zeros(len(stored.sentence_vectors), dtype=np.int64)  # sentence row -> chunk id
        for chunk_id, rows in enumerate(stored.sentence_rows):
            self.sentence_chunk[rows.start:rows.stop] = chunk_id

    @property
    def chunks(self) -> list[Chunk]:
        return self.stored.chunks

    def embed(self, query: str) -> np.ndarray:
        return self.embedder.encode([query])[0]

    def search(self, query: str, top_k: int = 6, depth: int = 50, query_vector: np.ndarray | None = None) -> Retrieval:
        """The `top_k` best chunks for `query` by fused dense and BM25 rank."""
        # Lay words are embedded with the article words they stand for ("bum" -> "buttock glutes").
        vector = self.embed(expand_lay_terms(query)) if query_vector is None else query_vector
        n = len(self.stored.chunks)
        depth = min(depth, n)
        if depth == 0:
            return Retrieval(query, vector, [])
        dense_scores, dense_ids = self.stored.vectors.search(vector.reshape(1, -1).astype(np.float32), depth)
        dense = {int(i): float(s) for i, s in zip(dense_ids[0], dense_scores[0]) if i >= 0}
        lexical_all = self.bm25.score(expand_lay_terms(query))
        lexical_ids = [int(i) for i in np.argsort(-lexical_all)[:depth] if lexical_all[i] > 0]
        # Third ranking: each candidate chunk by its best-matching sentence, so a chunk that holds
        # the one sentence asked about is not buried by its other sentences (measured: recall@5
        # 0.93 -> 0.96 over the four question sets).
        candidates = list(dict.fromkeys(list(dense) + lexical_ids))
        by_sentence = sorted(candidates, key=lambda i: -float(self.sentence_similarities(i, vector).max()))
        fused = reciprocal_rank_fusion([list(dense), lexical_ids, by_sentence])
        best = sorted(fused, key=lambda i: -fused[i])[:top_k]
        led = [i for i in self.chunks_of_best_sentences(vector, SENTENCE_LED) if i not in best]
        hits = []
        for i in best + led:
            cosine = dense[i] if i in dense else float(self.stored.chunk_vectors([i])[0] @ vector)
            hits.append(Hit(i, self.stored.chunks[i], cosine, float(lexical_all[i]), fused.get(i, 0.0), i in led))
        return Retrieval(query, vector, hits)

    def chunks_of_best_sentences(self, query_vector: np.ndarray, count: int) -> list[int]:
        """Chunks holding the `count` sentences most similar to the query, over every sentence."""
        if not 0 < self.sentence_chunk.size <= GLOBAL_SENTENCE_SEARCH_UP_TO:
            return []
        similarities = self.stored.sentence_vectors @ query_vector
        best = np.argpartition(-similarities, min(count, similarities.size - 1))[:count]
        return list(dict.fromkeys(int(self.sentence_chunk[row]) for row in best[np.argsort(-similarities[best])]))

    def sentence_similarities(self, chunk_id: int, query_vector: np.ndarray) -> np.ndarray:
        """Cosine of the query with each sentence of a chunk, in the chunk's order."""
        rows = self.stored.sentence_rows[chunk_id]
        return self.stored.sentence_vectors[rows.start:rows.stop] @ query_vector
