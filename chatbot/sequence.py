""""And the next one?" and "what's exercise 9?": the section a message points at by its place.

Owns the order of the articles' sections, the phrases of `knowledge/sequence_references.toml`
(matched like the request types) for a follow-up that points beside the section the previous
answer quoted, and the reading of `knowledge/numbered_references.toml` for a message that names a
section by the number its heading carries. The previous answer is known from its citations' spans
in the article, never from its rendered text.

`order.neighbour(order.section_at("exercises.md", dead_bug_start), 1).section`
-> `("9 SI Joint Pain Exercises", "6. Bird Dog")`
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .chunks import Chunk
from .passages import UNNAMED_HEADING, named
from .request_types import load_request_types, request_type
from .text import stem, words

SEQUENCE_PATH = Path(__file__).resolve().parent / "knowledge" / "sequence_references.toml"
NUMBERED_PATH = Path(__file__).resolve().parent / "knowledge" / "numbered_references.toml"
NUMBERED_HEADING = re.compile(r"^\s*(\d{1,2})[.)]\s")  # "3. Seated Hamstring Stretch"
STEPS = {"next": 1, "previous": -1}


def sequence_step(message: str) -> int:
    """+1 for "and the next one?", -1 for "and the one before that?", 0 for anything else."""
    return STEPS.get(request_type(message, load_request_types(SEQUENCE_PATH)), 0)


@dataclass(frozen=True)
class NumberedReferences:
    nouns: frozenset[str]
    between: frozenset[str]
    amounts: frozenset[str]
    fires: dict[str, int]
    quiet: tuple[str, ...]

    def named(self, message: str) -> tuple[str, int] | None:
        """(noun, number) of the first "exercise 9" / "exercise number 3" in `message` that is not
        an amount ("exercise 3 times a day"); None when there is none."""
        tokens = words(message)
        for i, token in enumerate(tokens):
            if token not in self.nouns:
                continue
            j = i + 1
            while j < len(tokens) and tokens[j] in self.between:
                j += 1
            if j < len(tokens) and tokens[j].isdigit() and len(tokens[j]) <= 2 and \
                    (j + 1 == len(tokens) or tokens[j + 1] not in self.amounts):
                return token, int(tokens[j])
        return None


@lru_cache(maxsize=2)
def load_numbered_references(path: Path = NUMBERED_PATH) -> NumberedReferences:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    return NumberedReferences(frozenset(data["nouns"]), frozenset(data["between"]), frozenset(data["amounts"]),
                              dict(data["fires"]), tuple(data["quiet"]["examples"]))


@dataclass(frozen=True)
class SectionSpan:
    doc_id: str
    section: tuple[str, ...]  # heading path
    start: int
    end: int
    opening: str  # its first sentence

    @property
    def name(self) -> str:
        """What the section is called; a placeholder heading ("Exercise 2") with its first sentence,
        which says what it is."""
        return named(self.section[-1], self.opening) if self.section else ""


@dataclass(frozen=True)
class SectionOrder:
    """Every section of every article, each article's in document order."""
    spans: tuple[SectionSpan, ...]

    @classmethod
    def of(cls, chunks: list[Chunk]) -> "SectionOrder":
        bounds: dict[tuple[str, tuple[str, ...]], list] = {}  # first seen in document order: [start, end, opening]
        for c in sorted(chunks, key=lambda c: (c.doc_id, c.start)):
            found = bounds.setdefault((c.doc_id, c.section), [c.start, c.end, c.sentences[0].text])
            found[1] = max(found[1], c.end)
        return cls(tuple(SectionSpan(doc, section, *found) for (doc, section), found in bounds.items()))

    def section_at(self, doc_id: str, offset: int) -> SectionSpan | None:
        """The section holding character `offset` of article `doc_id`."""
        return next((s for s in self.spans if s.doc_id == doc_id and s.start <= offset < s.end), None)

    def neighbour(self, at: SectionSpan, step: int) -> SectionSpan | None:
        """The sibling `step` places away under the same parent heading (a top-level section's
        siblings are the article's other top-level sections), or None past either end. A section
        with subsections has none: after its contents list, "the one after it" means one of its
        items, which the list alone does not say."""
        if not at.section or self.has_subsections(at):
            return None
        siblings = [s for s in self.spans if s.doc_id == at.doc_id and len(s.section) == len(at.section)
                    and s.section[:-1] == at.section[:-1]]
        position = siblings.index(at) + step
        return siblings[position] if 0 <= position < len(siblings) else None

    def numbered(self, message: str, references: NumberedReferences | None = None) -> SectionSpan | None:
        """The one section whose heading carries the number `message` names, with the noun it names
        it by among the words of that heading or the one above it: "what's exercise 3?" -> "3. Seated
        Hamstring Stretch" under "9 SI Joint Pain Exercises". None when the message names no number,
        or no section or several fit."""
        found = (references or load_numbered_references()).named(message)
        if found is None:
            return None
        noun, number = stem(found[0]), found[1]
        fitting = [s for s in self.spans if s.section and heading_number(s.section[-1]) == number
                   and noun in {stem(w) for heading in s.section[-2:] for w in words(heading)}]
        return fitting[0] if len(fitting) == 1 else None

    def has_subsections(self, at: SectionSpan) -> bool:
        depth = len(at.section)
        return any(s.doc_id == at.doc_id and len(s.section) > depth and s.section[:depth] == at.section
                   for s in self.spans)


def heading_number(heading: str) -> int | None:
    """`heading_number("3. Seated Hamstring Stretch") -> 3`, `heading_number("Exercise 9") -> 9` (a
    placeholder heading, `passages.UNNAMED_HEADING`)."""
    match = NUMBERED_HEADING.match(heading)
    if match:
        return int(match.group(1))
    return int(re.findall(r"\d+", heading)[-1]) if UNNAMED_HEADING.match(heading.strip()) else None
