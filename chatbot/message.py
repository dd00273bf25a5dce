"""A user's message read once: its text, folded words and clauses, for every later stage.

Owns splitting a message into clauses (sentences, cut again at contrast words such as "but")
with their character spans in the original text, so a detection can quote the person's own
words. Every pattern here is a single character class or a fixed word list: linear in the
length of the message, whatever it holds (a full stop between two digits is a decimal point, not a
sentence end). No language detection and no model.

`read_message("No fever. But I can't feel my legs").clauses[1].text -> "I can't feel my legs"`
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import fold

SENTENCE_END = re.compile(r"(?:[!?;\n\r\u3002]|(?<!\d)\.|\.(?!\d))+")  # a decimal point ("38.5") ends nothing
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?")
# A contrast starts a new clause: "no numbness but I can't pee" holds a denial and a report.
CONTRAST_WORDS = frozenset("but however although though except pero aunque sino mais cependant sauf".split())
MAX_CLAUSE_WORDS = 40  # a run-on message without punctuation is read in windows of this many words


@dataclass(frozen=True)
class Clause:
    text: str  # as the person wrote it
    start: int  # character offsets in the message
    end: int
    words: tuple[str, ...]  # folded


@dataclass(frozen=True)
class Message:
    text: str
    folded: str
    clauses: tuple[Clause, ...]

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for c in self.clauses for w in c.words)


def word_spans(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), fold(m.group(0))) for m in WORD.finditer(text, start, end)]


def split_at_contrasts(spans: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Word runs cut before each contrast word and every MAX_CLAUSE_WORDS words."""
    runs: list[list[tuple[int, int, str]]] = [[]]
    for span in spans:
        if (span[2] in CONTRAST_WORDS and runs[-1]) or len(runs[-1]) >= MAX_CLAUSE_WORDS:
            runs.append([])
        runs[-1].append(span)
    return [run for run in runs if run]


def read_message(text: str) -> Message:
    """The message with its clauses; empty text gives no clauses."""
    clauses = []
    position = 0
    boundaries = [m.start() for m in SENTENCE_END.finditer(text)] + [len(text)]
    for boundary in boundaries:
        for run in split_at_contrasts(word_spans(text, position, boundary)):
            start, end = run[0][0], run[-1][1]
            clauses.append(Clause(text[start:end], start, end, tuple(w for _, _, w in run)))
        position = boundary + 1
    return Message(text, fold(text), tuple(clauses))
