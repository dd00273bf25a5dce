"""An answer made of at most two whole passages, each under its own numbered source.

Owns choosing the passages from the scorer's probabilities (the best one; a second only from
another section, when the scorer is sure enough of it, never one that repeats an alarming symptom
the notice above warns about) and writing them as Markdown: the section's name over a whole
exercise, a paragraph as one paragraph, a list as its lead-in and bullets. Every sentence is the
article's own; nothing is reworded.
"""

from __future__ import annotations

from typing import Callable, Iterable

import numpy as np

from .answer import Answer, AnswerLine, Citation
from .markdown_text import inert_markdown
from .passage_scorer import PassageScorer, PassageTable
from .sequence import SectionSpan
from .passages import (UNNAMED_HEADING, Passage, introduces_more, is_standalone, leans_on_previous, named,
                       same_item)

MAX_PASSAGES = 2
SECOND_PASSAGE_SHARE = 0.8  # a second passage must be nearly as likely an answer as the first
SHOWN_PART_SHARE = 0.8  # and a part of a passage shown already, nearly as likely as the whole
SHOWN_PART_WORDS = 0.5  # a part at most half as long: most of the whole again would drop what it left out
# ...or one sentence holding this share of the answer model's probability over it. Over the 248
# development follow-ups, 0.75 / 0.6 / 0.5 changed 36 / 48 / 59 replies: the answer kept in 30 / 40 / 45
# (now that sentence instead of the whole again), lost in 2 / 4 / 9.
SHOWN_SENTENCE_SHARE = 0.6
# ...unless the scorer finds the parts holding that sentence less than this share as likely as its
# best part of the passage (the two models disagree).
AGREED_PART_SHARE = 0.5
# A part of the best passage (at most SHOWN_PART_WORDS of it) this nearly as likely an answer is the
# answer instead of the whole: "Can pregnancy cause SI joint pain?" gets the pregnancy item, not the
# list of causes. Not for a list asked for, nor a passage the earlier answer showed whole
# (`part_not_shown_again`). Over the development sets 0.95 changes 44 replies; 43 judged blind side
# by side: the part preferred in 41, the whole in 1 (partial -> correct 12, correct -> partial 1).
# At 0.93 and below list answers lost their answering item.
PART_SHARE = 0.95
# A follow-up answers from the section the earlier answer came from ("what position should my arm
# and leg end up in?" after the bird dog is the bird dog's, not the dead bug's) when the scorer finds
# a passage of it at least this nearly as likely an answer as the best passage anywhere. Over the
# 298 development follow-ups 0.5 cites the answering passage in 267, without the rule 262 (0.3: 263
# and 0.7: as 0.5, measured with the scorer before it was trained on follow-ups).
TOPIC_SHARE = 0.5
# A passage this close to the words that raised the urgent notice would present the alarming
# symptom as an ordinary one ("Sometimes, even numbness or tingling in the legs").
NOTICE_SIMILARITY = 0.5


def choose_passages(candidates: list[int], probabilities: np.ndarray, table: PassageTable, scorer: PassageScorer,
                    sentence_vectors: np.ndarray, notice_vectors: np.ndarray | None = None) -> list[tuple[Passage, float]]:
    """The best passage, and a second from another section when the scorer is sure of it too."""
    chosen: list[tuple[Passage, float]] = []
    for index in np.argsort(-probabilities):
        passage, probability = table.passages[candidates[index]], float(probabilities[index])
        if near_the_notice(passage, sentence_vectors, notice_vectors):
            continue
        if chosen:
            first, first_probability = chosen[0]
            if len(chosen) >= MAX_PASSAGES or probability < max(scorer.second_passage_min,
                                                               SECOND_PASSAGE_SHARE * first_probability):
                break
            if (passage.doc_id, passage.section) == (first.doc_id, first.section) or \
                    (has_list(first) and has_list(passage)):
                continue  # the same section again, or a second list of steps beside the first
        chosen.append((passage, probability))
    return chosen


def near_the_notice(passage: Passage, sentence_vectors: np.ndarray, notice_vectors: np.ndarray | None) -> bool:
    """Is a sentence of `passage` within NOTICE_SIMILARITY of the words that raised the urgent notice?"""
    return notice_vectors is not None and len(notice_vectors) > 0 and \
        float((sentence_vectors[list(passage.rows)] @ notice_vectors.T).max()) >= NOTICE_SIMILARITY


def shown_whole(passage: Passage, shown: frozenset[tuple[str, int]]) -> bool:
    """Did the earlier answer (its quoted sentences `shown`) show every sentence of `passage`?"""
    return bool(shown) and {(passage.doc_id, s.start) for s in passage.sentences} <= shown


def sections_passages(passages: list[Passage], section: SectionSpan) -> list[int]:
    """Indices of the passages inside `section` (or one of its subsections)."""
    return [i for i, p in enumerate(passages)
            if p.doc_id == section.doc_id and p.section[:len(section.section)] == section.section]


def kept_to_topic(candidates: list[int], probabilities: np.ndarray, table: PassageTable, topic: SectionSpan,
                  share: float = TOPIC_SHARE) -> tuple[list[int], np.ndarray]:
    """Only the candidates inside `topic`, the section a follow-up continues, when the best of them
    is at least `share` as likely an answer as the best candidate; else all of them."""
    inside = set(sections_passages([table.passages[c] for c in candidates], topic))
    if not inside or not len(probabilities):
        return candidates, probabilities
    best_inside = max(float(probabilities[i]) for i in inside)
    if best_inside < share * float(probabilities.max()):
        return candidates, probabilities
    keep = sorted(inside)
    return [candidates[i] for i in keep], probabilities[keep]


def part_not_shown_again(chosen: list[tuple[Passage, float]], candidates: list[int], probabilities: np.ndarray,
                         table: PassageTable, shown: frozenset[tuple[str, int]],
                         sentence_probabilities: np.ndarray | None = None) -> list[tuple[Passage, float]]:
    """A follow-up whose best passage the earlier answer showed whole ("how long do I hold it?" after
    the knee to chest steps) gets a part of it, not the whole passage again: the best scored
    candidate inside it when the scorer finds it nearly as likely an answer; otherwise the
    sentence (with the one it leans on) that the answer-sentence model puts most of the passage's
    probability on, when it is that sure ("Where are those usually found?" after the trigger point
    bullet). Else the whole again: no part of it answers alone. `shown` holds (article, sentence
    start) of every sentence the earlier answer quoted; `sentence_probabilities` are the answer
    model's, per sentence row."""
    if not chosen or not shown:
        return chosen
    first = chosen[0][0]
    if len(first.sentences) < 2 or not shown_whole(first, shown):
        return chosen
    parts = parts_inside(first, candidates, probabilities, table)
    if parts:
        probability, part = max(parts, key=lambda found: found[0])
        if probability >= SHOWN_PART_SHARE * chosen[0][1]:
            return [(part, probability)]
    sentence = likeliest_sentence(first, sentence_probabilities)
    if sentence is not None and sentence.words <= SHOWN_PART_WORDS * first.words \
            and not scorer_prefers_another_part(sentence, parts):
        return [(sentence, chosen[0][1])]
    return chosen  # no part of it answers nearly as well: repeat it whole


def scorer_prefers_another_part(sentence: Passage, parts: list[tuple[float, Passage]]) -> bool:
    """Do the two models disagree? The scorer finds the parts holding `sentence` less than
    AGREED_PART_SHARE as likely an answer as its best part ("which direction does the foot go?"
    after the banded side step: the answer model's first step against the scorer's stepping-out
    step). Then neither alone is trusted, and the whole is shown again."""
    starts = {s.start for s in sentence.sentences}
    holding = [p for p, part in parts if starts <= {s.start for s in part.sentences}]
    return bool(holding) and max(holding) < AGREED_PART_SHARE * max(p for p, _ in parts)


def nearly_as_likely_part(chosen: list[tuple[Passage, float]], candidates: list[int], probabilities: np.ndarray,
                          table: PassageTable, share: float = PART_SHARE) -> list[tuple[Passage, float]]:
    """The best passage's best scored part (a candidate inside it, at most SHOWN_PART_WORDS of its
    length) instead of the whole, when the scorer finds the part at least `share` as likely an
    answer: "Can pregnancy cause SI joint pain?" is the pregnancy item, not the list of causes."""
    if not chosen:
        return chosen
    first, first_probability = chosen[0]
    parts = parts_inside(first, candidates, probabilities, table)
    if not parts:
        return chosen
    probability, part = max(parts, key=lambda found: found[0])
    return [(part, probability)] + chosen[1:] if probability >= share * first_probability else chosen


def parts_inside(whole: Passage, candidates: list[int], probabilities: np.ndarray, table: PassageTable
                 ) -> list[tuple[float, Passage]]:
    """(probability, passage) of the candidates inside `whole` and at most SHOWN_PART_WORDS of its length."""
    inside = {(whole.doc_id, s.start) for s in whole.sentences}
    return [(float(probabilities[i]), table.passages[c]) for i, c in enumerate(candidates)
            if table.passages[c].words <= SHOWN_PART_WORDS * whole.words
            and {(table.passages[c].doc_id, s.start) for s in table.passages[c].sentences} <= inside]


def likeliest_sentence(passage: Passage, sentence_probabilities: np.ndarray | None) -> Passage | None:
    """The passage's sentence holding at least SHOWN_SENTENCE_SHARE of the answer model's probability
    over the passage, with the sentence before it when it leans on that one ("This…"); None when
    no sentence is that likely, or it would be a lead-in or a question alone."""
    if sentence_probabilities is None:
        return None
    mass = sentence_probabilities[list(passage.rows)]
    whole = float(mass.sum())
    best = int(mass.argmax())
    if whole <= 0 or float(mass[best]) < SHOWN_SENTENCE_SHARE * whole:
        return None
    begin = best - 1 if best > 0 and leans_on_previous(passage.sentences[best]) else best
    sentences = passage.sentences[begin:best + 1]
    if not is_standalone(sentences, opens_section=begin == 0):
        return None
    return Passage(passage.doc_id, passage.section, sentences, passage.rows[begin:best + 1], passage.chunk_ids,
                   "window")


def has_list(passage: Passage) -> bool:
    return any(s.in_list for s in passage.sentences)


def passage_lines(passage: Passage, n: int, label: bool, document: str = "") -> list[AnswerLine]:
    """The passage as typed lines: its section's name, then paragraphs and list items. A list item
    of several sentences stays one item (`document`, the article's text, shows where items break):
    "Plus, the added weight…" is the rest of the pregnancy item, not an item of its own."""
    lines: list[AnswerLine] = []
    # Every section's name, "Exercise 9" too: under it "This targets the piriformis…" says which
    # exercise it is (side by side, 30 of 74 changed development replies: this preferred 2, same 28).
    if label and passage.section:
        lines.append(AnswerLine("heading", passage.section[-1].strip(), n))
    paragraph: list[str] = []
    previous = None
    for sentence in passage.sentences:
        text = sentence.text.strip()
        if not sentence.in_list:
            if lines and lines[-1].kind == "item":
                lines.append(AnswerLine("gap", "", n))
            paragraph.append(text)
        elif paragraph:
            lines.append(AnswerLine("paragraph", " ".join(paragraph), n))
            paragraph = []
            lines.append(AnswerLine("item", text, n))
        elif previous is not None and document and same_item(previous, sentence, document):
            lines[-1] = AnswerLine("item", f"{lines[-1].text} {text}", n)
        elif previous is not None and passage.kind == "contents" and UNNAMED_HEADING.match(previous.text.strip()):
            lines[-1] = AnswerLine("item", named(lines[-1].text, text), n)  # "Exercise 2: This move stretches…"
        else:
            lines.append(AnswerLine("item", text, n))
        previous = sentence
    if paragraph:
        lines.append(AnswerLine("paragraph", " ".join(paragraph), n))
    return lines


def answer_markdown(lines: Iterable[AnswerLine], marker: Callable[[int], str] = lambda n: f"[{n}]") -> str:
    """Markdown of typed answer lines: a bold heading, paragraphs and bullets ending in their
    source's marker, blocks of different passages apart (the CLI's and the API's answer text)."""
    out: list[str] = []
    previous_n = None
    for line in lines:
        if previous_n is not None and line.n != previous_n:
            out.append("")
        previous_n = line.n
        text = inert_markdown(line.text)
        if line.kind == "heading":
            out.append(f"**{text}**")
        elif line.kind == "item":
            out.append(f"- {text} {marker(line.n)}")
        elif line.kind == "paragraph":
            out.append(f"{text} {marker(line.n)}")
        elif line.kind == "said":  # the bot's own words: no source marker
            out.append(text)
        else:
            out.append("")
    return "\n".join(out)


def compose_passage_answer(chosen: list[tuple[Passage, float]], documents: dict[str, dict],
                           document_texts: dict[str, str], section_starts: frozenset[int]) -> Answer:
    if not chosen:
        return Answer("", [], 0)
    lines: list[AnswerLine] = []
    citations: list[Citation] = []
    for n, (passage, probability) in enumerate(chosen, 1):
        meta = documents.get(passage.doc_id, {})
        document = document_texts.get(passage.doc_id, "")
        start, end = passage.sentences[0].start, passage.sentences[-1].end
        if passage.sentences[0].in_list:  # from the start of its line, so the first item keeps its bullet
            start = document.rfind("\n", 0, start) + 1
        text = document[start:end] or " ".join(s.text for s in passage.sentences)
        # Its section's name over it when it is the whole section, opens it, or opens on a lead-in
        # ("How to do it:"), whose "it" is the exercise the heading names.
        label = passage.kind == "section" or passage.sentences[0].start in section_starts or \
            introduces_more(passage.sentences[0])
        lines_of_passage = passage_lines(passage, n, label, document)
        if passage.kind == "contents":  # the opening and the subsection names, not every subsection's text
            text = " ".join(s.text for s in passage.sentences if not s.in_list) + "\n" + \
                "\n".join(f"- {line.text}" for line in lines_of_passage if line.kind == "item")
        citations.append(Citation(n, meta.get("title", ""), passage.doc_id,
                                  meta.get("url", ""), meta.get("publisher", ""), " > ".join(passage.section), text,
                                  round(probability, 4), tuple(s.text for s in passage.sentences),
                                  tuple((s.start, s.end) for s in passage.sentences)))
        lines.extend(lines_of_passage)
    items = tuple(line.text for line in lines if line.kind == "item")  # as shown: "the second one" is the second bullet
    return Answer(answer_markdown(lines), citations, sum(p.words for p, _ in chosen), items, tuple(lines))
