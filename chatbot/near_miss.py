"""An honest near miss: what the articles say about the subject of a question they do not answer
("How many reps of the bird dog?" -> they don't say; here is what they say of the bird dog).

Owns the near-miss model: a softmax regression from the question's MiniLM vector to the article
sentence a helper chose as what the articles say about the question's subject, or to NONE when
they do not discuss it or every candidate would mislead ("massage can absolutely help" for a
question about acupuncture). `python -m chatbot train` fits it on `data/near_miss/`. Also the
article sentences as a table (to show one with the sentence it leans on) and the reply's words
around it. Whether a declined question is about the articles' topics at all is the answerability
model's `about_the_articles`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .answer import Answer, AnswerLine
from .answer_sentences import AnswerSentenceModel
from .answer_sentences import load_model as load_sentence_model
from .chunks import Chunk, Sentence
from .passage_answer import answer_markdown
from .passages import Passage, is_standalone, leans_on_previous

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
NAME = "near_miss"
NONE = ("", "")  # the class of questions whose subject the articles do not discuss
NEAR_MISS_OPENING = "The articles I answer from don't answer this. What they say about it:"


@dataclass(frozen=True)
class SentenceEntry:
    """One distinct article sentence, with the sentence before it in its chunk (for one leaning on it)."""
    doc_id: str
    section: tuple[str, ...]
    sentence: Sentence
    row: int  # its row in the index's sentence vectors
    chunk_id: int
    previous: tuple[Sentence, int] | None


@dataclass(frozen=True)
class SentenceTable:
    entries: tuple[SentenceEntry, ...]
    by_key: dict[tuple[str, str], int]  # (article, sentence text) -> its first entry

    @classmethod
    def build(cls, chunks: list[Chunk], sentence_rows: list[range]) -> "SentenceTable":
        """Every sentence once (chunks overlap), in article order."""
        entries: dict[tuple[str, int], SentenceEntry] = {}
        for chunk_id, (chunk, rows) in enumerate(zip(chunks, sentence_rows)):
            for i, (sentence, row) in enumerate(zip(chunk.sentences, rows)):
                key = (chunk.doc_id, sentence.start)
                if key in entries and entries[key].previous is not None:
                    continue
                previous = (chunk.sentences[i - 1], rows[i - 1]) if i else None
                entries[key] = SentenceEntry(chunk.doc_id, chunk.section, sentence, row, chunk_id, previous)
        ordered = tuple(entries[k] for k in sorted(entries))
        by_key: dict[tuple[str, str], int] = {}
        for i, entry in enumerate(ordered):
            by_key.setdefault((entry.doc_id, entry.sentence.text), i)
        return cls(ordered, by_key)

    def entries_of(self, doc_id: str, text: str) -> list[int]:
        """Entries of a labelled sentence: those of its article whose text it holds or that hold it
        (a list item may be split into several sentences)."""
        label = " ".join(text.split())
        return [i for i, e in enumerate(self.entries) if e.doc_id == doc_id and
                (" ".join(e.sentence.text.split()) in label or label in " ".join(e.sentence.text.split()))]


@dataclass(frozen=True)
class NearMissModel:
    sentences: AnswerSentenceModel  # classes: (article, sentence text), and NONE
    threshold: float  # a sentence is shown when the model gives it this probability or more

    def nearest(self, table: SentenceTable, query_vector: np.ndarray) -> tuple[int, float] | None:
        """(entry, probability) of the likeliest class when it is a sentence of the articles as they
        are now and reaches the threshold; None otherwise."""
        if not self.sentences.classes:
            return None
        probabilities = self.sentences.class_probabilities(query_vector)
        best = int(np.argmax(probabilities))
        key = self.sentences.classes[best]
        if key == NONE or float(probabilities[best]) < self.threshold or key not in table.by_key:
            return None
        return table.by_key[key], float(probabilities[best])


@lru_cache(maxsize=2)
def load_model(directory: Path = WEIGHTS_DIR, dimension: int = 384) -> NearMissModel | None:
    """The trained model, or None when there is none (declined questions then get the plain reply)."""
    sentences = load_sentence_model(directory, dimension, NAME)
    try:
        threshold = float(json.loads((directory / f"{NAME}.json").read_text("utf-8"))["threshold"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return NearMissModel(sentences, threshold) if sentences.classes else None


def shown_passage(entry: SentenceEntry) -> Passage | None:
    """The sentence as a passage, with the sentence it leans on ("This…"); None when it does not
    read on its own (a question, a lead-in, or a reference to nothing shown)."""
    sentences, rows = (entry.sentence,), (entry.row,)
    if leans_on_previous(entry.sentence) and entry.previous is not None:
        sentences, rows = (entry.previous[0], entry.sentence), (entry.previous[1], entry.row)
    if not is_standalone(sentences):
        return None
    return Passage(entry.doc_id, entry.section, sentences, rows, (entry.chunk_id,), "window")


def near_miss_answer(quoted: Answer, section: tuple[str, ...]) -> Answer:
    """`quoted` (the sentence as an answer) under the reply's own opening, and under the name of the
    section it comes from when the answer does not show it already."""
    lines = list(quoted.lines)
    heading = section[-1].strip() if section else ""
    if heading and not (lines and lines[0].kind == "heading"):
        lines.insert(0, AnswerLine("heading", heading, 1))
    lines.insert(0, AnswerLine("said", NEAR_MISS_OPENING, 0))
    return Answer(answer_markdown(lines), quoted.citations, quoted.words, quoted.list_items, tuple(lines))
