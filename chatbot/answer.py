"""Builds an answer from the articles' own sentences, with numbered citations.

Owns choosing sentences (within the best chunks, by similarity to the question,
its key terms and the chunk's rank), keeping a list with its lead-in when a list
is asked for, ordering them for reading, and numbering their sources. Never
writes a sentence of its own: every answer sentence is a corpus sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chunks import Chunk, Sentence
from .retrieval import Retrieval, Retriever
from .text import expand_lay_terms, stems

MAX_ANSWER_WORDS = 110
MAX_LIST_WORDS = 220
MAX_SENTENCES = 5
MAX_SOURCES = 3
UNNAMED_HEADING = re.compile(r"^Exercise \d+$")  # headings the corpus restored without a name
CONTEXT_WEIGHT = 0.7
# A sentence's score: its similarity to the question, the question's rare words it shares, its chunk's rank.
SIMILARITY_WEIGHT, SHARED_WORDS_WEIGHT, CHUNK_RANK_WEIGHT = 0.5, 0.35, 0.15
SCORE_MARGIN = 0.25  # sentences scoring within this of the best may join the answer
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


@dataclass(frozen=True)
class Answer:
    text: str  # Markdown, each sentence followed by its [n]
    citations: list[Citation]
    words: int


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
        heading_stems = set(stems(" ".join(hit.chunk.section)))
        for i, sentence in enumerate(hit.chunk.sentences):
            own = set(stems(sentence.text))
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


def list_around(chunk: Chunk, index: int) -> list[int]:
    """Indices of the lead-in and items of the list that sentence `index` belongs to or leads into."""
    sentences = chunk.sentences
    start = index
    while start > 0 and sentences[start].in_list:
        start -= 1
    if not (sentences[start].lead_in or sentences[start].in_list):
        return [index]
    end = start + 1
    while end < len(sentences) and sentences[end].in_list:
        end += 1
    return list(range(start, end))


def subsection_items(top: list[Selected], chunks: list[Chunk], focus: str) -> list[Selected]:
    """When a list is wanted and a top sentence introduces a section whose subsections are the
    list ("Here are some effective stretches ..." over "Knee to Chest Stretch", "Figure 4 Stretch"),
    the opening sentence, then each subsection's first sentence labelled with its heading, in the
    article's order."""
    focus_stems = set(stems(expand_lay_terms(focus)))
    for opener in top:
        parent = chunks[opener.chunk_id]
        if not parent.section or not focus_stems & set(stems(parent.section[-1])):
            continue
        depth = len(parent.section)
        children: dict[str, int] = {}
        for chunk_id, chunk in enumerate(chunks):
            if chunk.doc_id == parent.doc_id and len(chunk.section) == depth + 1 and \
                    chunk.section[:depth] == parent.section:
                children.setdefault(chunk.section[-1], chunk_id)
        if len(children) >= 2:
            return [opener] + [Selected(chunk_id, 0, chunks[chunk_id].sentences[0], opener.score - 0.001 * (rank + 1),
                                        label=heading) for rank, (heading, chunk_id) in enumerate(children.items())]
    return []


def select_sentences(scored: list[Selected], chunks: list[Chunk], wants_list: bool, focus: str = "") -> list[Selected]:
    """The anchor sentence, its list (or its subsections) when one is wanted, then the next best
    while they fit."""
    if not scored:
        return []
    anchor = scored[0]
    if wants_list:  # a list among the best few sentences answers a list question best
        anchor = next((s for s in scored[:3] if s.sentence.in_list or s.sentence.lead_in), anchor)
    by_key = {(s.chunk_id, s.index): s for s in scored}
    chosen: dict[tuple[int, int], Selected] = {(anchor.chunk_id, anchor.index): anchor}
    budget = MAX_ANSWER_WORDS
    chunk = chunks[anchor.chunk_id]
    if anchor.sentence.lead_in or (wants_list and anchor.sentence.in_list):
        indices = list_around(chunk, anchor.index)
        if len(indices) > 1:
            budget = MAX_LIST_WORDS
            for i in indices:
                candidate = by_key.get((anchor.chunk_id, i))
                if candidate and sum(word_count(c.sentence.text) for c in chosen.values()) + \
                        word_count(candidate.sentence.text) <= budget:
                    chosen[(anchor.chunk_id, i)] = candidate
    if wants_list and not any(c.sentence.in_list for c in chosen.values()):
        items = subsection_items(scored[:15], chunks, focus)
        if items:  # the section's opening sentence leads the list in place of the anchor
            budget = MAX_LIST_WORDS
            chosen = {}
            for item in items:
                if sum(word_count(c.sentence.text) for c in chosen.values()) + word_count(item.sentence.text) > budget:
                    break
                chosen[(item.chunk_id, item.index)] = item
            return list(chosen.values())  # the list is the answer; more sentences would break its order
    seen_text = {c.sentence.text for c in chosen.values()}
    for candidate in scored[1:]:
        if len(chosen) >= MAX_SENTENCES:
            break
        if candidate.score < scored[0].score - SCORE_MARGIN or candidate.sentence.text in seen_text:
            continue
        if candidate.sentence.lead_in or word_count(candidate.sentence.text) < 4:
            continue  # a lead-in without its list, or a fragment, reads as a half answer
        sources = {group_key(chunks[c.chunk_id]) for c in chosen.values()}
        if group_key(chunks[candidate.chunk_id]) not in sources and len(sources) >= MAX_SOURCES:
            continue  # a few well-matched sources read better than many scattered ones
        used = sum(word_count(c.sentence.text) for c in chosen.values())
        if used + word_count(candidate.sentence.text) > budget:
            continue
        chosen[(candidate.chunk_id, candidate.index)] = candidate
        seen_text.add(candidate.sentence.text)
    if anchor.sentence.lead_in and len(chosen) == 1:
        chosen.clear()
        fallback = next((s for s in scored if not s.sentence.lead_in), anchor)
        chosen[(fallback.chunk_id, fallback.index)] = fallback
    return list(chosen.values())


def group_key(chunk: Chunk) -> tuple[str, tuple[str, ...]]:
    """Overlapping chunks of one section share a citation."""
    return chunk.doc_id, chunk.section


def passage_text(chunks: list[Chunk], document_text: str | None) -> str:
    """The article's text from the start of the first chunk to the end of the last (chunks of one
    section may overlap), or the chunk texts joined when the document text is not at hand."""
    if document_text is None:
        return " … ".join(dict.fromkeys(c.text for c in chunks))
    return document_text[min(c.start for c in chunks):max(c.end for c in chunks)]


def compose_answer(selected: list[Selected], chunks: list[Chunk], documents: dict[str, dict],
                   document_texts: dict[str, str] | None = None) -> Answer:
    """Order the chosen sentences for reading, number their sources and write the Markdown."""
    if not selected:
        return Answer("", [], 0)
    groups: dict[tuple, list[Selected]] = {}
    for s in selected:
        groups.setdefault(group_key(chunks[s.chunk_id]), []).append(s)
    # Sources in order of their best sentence; sentences in the article's order within each.
    ordered = sorted(groups.items(), key=lambda kv: -max(s.score for s in kv[1]))
    lines: list[str] = []
    citations: list[Citation] = []
    for n, (key, members) in enumerate(ordered, 1):
        members.sort(key=lambda s: s.sentence.start)
        unique = list({s.sentence.start: s for s in members}.values())
        chunk = chunks[unique[0].chunk_id]
        meta = documents.get(chunk.doc_id, {})
        doc_text = (document_texts or {}).get(chunk.doc_id)
        group_chunks = [chunks[i] for i in dict.fromkeys(s.chunk_id for s in unique)]
        citations.append(Citation(n, chunk.title, chunk.doc_id, meta.get("url", ""), meta.get("publisher", ""),
                                  " > ".join(chunk.section), passage_text(group_chunks, doc_text),
                                  round(max(s.score for s in unique), 4), tuple(s.sentence.text for s in unique)))
        paragraph: list[str] = []
        for s in unique:
            text = f"{s.sentence.text.strip()} [{n}]"
            if s.label and not UNNAMED_HEADING.match(s.label):
                text = f"**{s.label}**: {text}"
            if s.sentence.in_list or s.label:
                if paragraph:
                    lines.append(" ".join(paragraph))
                    paragraph = []
                lines.append(f"- {text}")
            else:
                if paragraph == [] and lines and lines[-1].startswith("- "):
                    lines.append("")
                paragraph.append(text)
        if paragraph:
            lines.append(" ".join(paragraph))
        lines.append("")
    text = "\n".join(lines).strip()
    text = re.sub(r"(?m)^(- .*)\n\n(?=- )", r"\1\n", text)  # one list, even across sources
    words = sum(word_count(s.sentence.text) for s in selected)
    return Answer(text, citations, words)


def best_sentence_similarity(scored: list[Selected]) -> float:
    """Cosine of the question with the closest sentence of the best fused chunks (the statistic the
    scope thresholds were measured on, so sentence-led chunks do not count)."""
    return max((s.similarity for s in scored if not s.sentence_led), default=0.0)
