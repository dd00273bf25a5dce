""""Ok, I'm in the mini squat. Now what?": the step after the one a person is at.

Owns where in the steps of the section the previous answer showed a conversation stands, and the
step that follows. A message asks for it with a phrase of `knowledge/sequence_references.toml`
(`step_after`); where the person is comes from what they said they did (this message, or the turn
before it when that turn told rather than asked), matched against the steps' stored sentence
vectors, or else from the previous answer when it showed one step alone. The previous answer is
known by its quoted spans (replayed), never by its rendered text.

`step_after(steps, located=1)` -> the third step: the one after the second.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .passages import Passage
from .request_types import load_request_types, request_type
from .sequence import SEQUENCE_PATH, SectionSpan

LOCATED_COSINE = 0.35  # a statement this close to a step says where the person is
NEAR_TIE = 0.05  # steps this much less close than the closest are about as close: the earliest of them is meant


def asks_step_after(message: str) -> bool:
    """`asks_step_after("ok then what?") -> True`; `asks_step_after("and the next one?") -> False`
    (that is the next exercise, `sequence.sequence_step`)."""
    return request_type(message, load_request_types(SEQUENCE_PATH)) == "step_after"


def section_steps(passages: Sequence[Passage], section: SectionSpan) -> list[Passage]:
    """The list items of `section` itself, in article order: an exercise's steps."""
    items = [p for p in passages if p.kind == "item" and p.doc_id == section.doc_id and p.section == section.section]
    return sorted(items, key=lambda p: p.sentences[0].start)


def located_by_statement(steps: Sequence[Passage], statement: np.ndarray, sentence_vectors: np.ndarray) -> int | None:
    """The step a statement ("ok I'm sitting against the couch with my knees bent") describes: the
    closest one, or among steps about as close ("lifted my right leg and left arm" is the bird dog's
    second step and its fourth, the other side) the earliest, where a first pass through them is;
    None when no step is close."""
    closeness = np.array([float((sentence_vectors[list(s.rows)] @ statement).max()) for s in steps])
    if not len(steps) or closeness.max() < LOCATED_COSINE:
        return None
    return int(np.flatnonzero(closeness >= closeness.max() - NEAR_TIE)[0])


def located_by_answer(steps: Sequence[Passage], shown: frozenset[tuple[str, int]]) -> int | None:
    """The step the previous answer showed alone; None when it showed several or none."""
    inside = [i for i, s in enumerate(steps) if any((s.doc_id, x.start) in shown for x in s.sentences)]
    return inside[0] if len(inside) == 1 else None


def step_after(steps: Sequence[Passage], located: int | None) -> Passage | None:
    """The step after the located one; None when none is located or it was the last."""
    if located is None or located + 1 >= len(steps):
        return None
    return steps[located + 1]
