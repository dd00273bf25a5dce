""""And the next one?": the section a follow-up points at beside the one the previous answer quoted.

Owns the order of the articles' sections and the phrases of `knowledge/sequence_references.toml`
(matched like the request types). The previous answer is known from its citations' spans in the
article, never from its rendered text.

`order.neighbour(order.section_at("exercises.md", dead_bug_start), 1).section`
-> `("9 SI Joint Pain Exercises", "6. Bird Dog")`
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .chunks import Chunk
from .passages import named
from .request_types import load_request_types, request_type

SEQUENCE_PATH = Path(__file__).resolve().parent / "knowledge" / "sequence_references.toml"
STEPS = {"next": 1, "previous": -1}


def sequence_step(message: str) -> int:
    """+1 for "and the next one?", -1 for "and the one before that?", 0 for anything else."""
    return STEPS.get(request_type(message, load_request_types(SEQUENCE_PATH)), 0)


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

    def has_subsections(self, at: SectionSpan) -> bool:
        depth = len(at.section)
        return any(s.doc_id == at.doc_id and len(s.section) > depth and s.section[:depth] == at.section
                   for s in self.spans)
