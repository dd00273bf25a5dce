"""The records of an answer (`Answer`, `Citation`) and the sentence evidence the scope gate reads.

Owns scoring the sentences of the retrieved chunks against the question (similarity, shared
rare words, chunk rank) for `best_sentence_similarity`, which the scope thresholds were measured
on, and the list-request pattern. Choosing and writing the answer's passages is
`passage_scorer` and `passage_answer`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chunks import Sentence
from .retrieval import Retrieval, Retriever
from .text import expand_lay_terms, stem_set, stems

CONTEXT_WEIGHT = 0.7
# A sentence's score: its similarity to the question, the question's rare words it shares, its chunk's rank.
SIMILARITY_WEIGHT, SHARED_WORDS_WEIGHT, CHUNK_RANK_WEIGHT = 0.5, 0.35, 0.15
CANDIDATE_CHUNKS = 5
LIST_REQUEST = re.compile(
    r"\b(?:list|lists|what are|types|kinds|ways|causes|symptoms|signs|exercises|stretches|steps|"
    r"techniques|tools|options|benefits|moves|how (?:do|to|should|can) (?:i |you )?(?:do|perform)|"
    r"how is (?:it|that) done|instructions|when (?:should|to|do) (?:i |you )?(?:see|go|get))\b", re.I)


@dataclass(frozen=True)
class Selected:
    chunk_id: int
    index: int  # the sentence's position in its chunk
    sentence: Sentence
    score: float
    similarity: float = 0.0  # cosine of the question and the sentence
    label: str = ""  # a subsection's heading, when the sentence stands for that subsection in a list
    sentence_led: bool = False  # from a chunk that joined the hits for its one best sentence


@dataclass(frozen=True)
class Citation:
    n: int
    title: str
    source: str  # corpus file name
    url: str
    publisher: str
    section: str
    text: str  # the passage the answer quotes from (its chunk), so a reader can check the claim
    score: float
    quoted: tuple[str, ...] = ()  # the sentences of `text` that the answer quotes
    spans: tuple[tuple[int, int], ...] = ()  # where each quoted sentence is in its article's text


@dataclass(frozen=True)
class AnswerLine:
    """One line of an answer as typed data, so each front end renders its own markers:
    a passage's `heading`, a `paragraph` of the article's sentences, a list `item`, a `gap`, or
    what the bot `said` in its own words around them (no source)."""
    kind: str  # heading | paragraph | item | gap | said
    text: str  # the article's own words, raw (each renderer escapes them)
    n: int  # the number of the source it is quoted from


@dataclass(frozen=True)
class Answer:
    text: str  # Markdown, each sentence followed by its [n]
    citations: list[Citation]
    words: int
    list_items: tuple[str, ...] = ()  # the list items as shown (an item may hold several sentences), in order
    lines: tuple[AnswerLine, ...] = ()  # the same answer as typed lines, blocks split by a `gap`


def word_count(text: str) -> int:
    return len(text.split())


def score_sentences(retrieval: Retrieval, retriever: Retriever, focus: str) -> list[Selected]:
    """Every sentence of the best chunks, scored: similarity to the question, the rare question
    words it shares (IDF-weighted, so "bony" counts more than "pain"; words borrowed from earlier
    turns count a little less than the message's own), and its chunk's rank."""
    hits = retrieval.hits[:CANDIDATE_CHUNKS] + [h for h in retrieval.hits[CANDIDATE_CHUNKS:] if h.sentence_led]
    if not hits:
        return []
    weights = {t: CONTEXT_WEIGHT * retriever.bm25.idf(t) for t in set(stems(expand_lay_terms(retrieval.query)))}
    weights.update({t: retriever.bm25.idf(t) for t in set(stems(expand_lay_terms(focus)))})
    total = sum(weights.values()) or 1.0
    top_fused = max(h.fused for h in hits)
    scored = []
    for hit in hits:
        similarities = retriever.sentence_similarities(hit.chunk_id, retrieval.query_vector)
        heading_stems = stem_set(" ".join(hit.chunk.section))
        for i, sentence in enumerate(hit.chunk.sentences):
            own = stem_set(sentence.text)
            shared = sum(w for t, w in weights.items() if t in own) + \
                0.5 * sum(w for t, w in weights.items() if t in heading_stems and t not in own)
            score = SIMILARITY_WEIGHT * float(similarities[i]) + SHARED_WORDS_WEIGHT * shared / total + \
                CHUNK_RANK_WEIGHT * hit.fused / top_fused
            if word_count(sentence.text) < 4 and not sentence.in_list:
                score -= 0.1
            if sentence.text.rstrip().endswith("?"):
                score -= 0.1  # the article asking the question is not its answer
            if sentence.lead_in:
                score -= 0.05  # "How to do it:" introduces an answer; it is not one
            scored.append(Selected(hit.chunk_id, i, sentence, score, float(similarities[i]),
                                   sentence_led=hit.sentence_led))
    return sorted(scored, key=lambda s: -s.score)


def best_sentence_similarity(scored: list[Selected]) -> float:
    """Cosine of the question with the closest sentence of the best fused chunks (the statistic the
    scope thresholds were measured on, so sentence-led chunks do not count)."""
    return max((s.similarity for s in scored if not s.sentence_led), default=0.0)
