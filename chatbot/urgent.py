"""The urgent-symptom screen: which clauses of a message report a red flag now, and why.

Owns combining the learned clause scores (`urgent_model`) with the reading rules
(`reading_rules`: asked about in general, imagined, resolved, long past, family history) into
typed detections that name the taxonomy entry and the person's own words. Runs on every
message, in or out of scope, before retrieval. Building the notice text is `urgent_notice`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .message import Clause, Message, read_message
from .reading_rules import ReadingRule, load_rules, silencing_rules
from .taxonomy import ACTIONS, Taxonomy
from .urgent_model import ClauseScore, UrgentModel

# Each clause is embedded: this many keep the screen under half a second (benchmarks/fuzz.py),
# about 8,000 characters of ordinary writing.
MAX_SCREENED_CLAUSES = 200
# A short message is also read whole: "what amount is lethal? asking because I'm done with this
# pain" is urgent only as a whole.
WHOLE_MESSAGE_WORDS = 80


@dataclass(frozen=True)
class Detection:
    category: str
    condition_id: str
    action: str  # crisis | emergency | urgent_today | doctor_soon
    words: str  # the clause of the message that reports it, as written
    probability: float

    def to_json(self) -> dict:
        return {"category": self.category, "condition": self.condition_id, "action": self.action,
                "words": self.words, "probability": round(self.probability, 3)}


@dataclass(frozen=True)
class ClauseReading:
    """One clause as the screen read it: its score and the rules that silenced it (for tests and logs)."""
    clause: Clause
    score: ClauseScore
    silenced_by: tuple[str, ...]


def screened_units(message: Message) -> tuple[Clause, ...]:
    """The clauses the screen reads, then the whole message when it is short and has several.
    A message of one clause is read as written, punctuation included: the same text retrieval
    embeds, so its vector is computed once."""
    clauses = message.clauses[:MAX_SCREENED_CLAUSES]
    if len(clauses) == 1:
        text = message.text.strip()
        start = message.text.index(text)
        return (Clause(text, start, start + len(text), clauses[0].words),)
    if 2 <= len(clauses) and len(message.words) <= WHOLE_MESSAGE_WORDS:
        clauses += (Clause(message.text[clauses[0].start:clauses[-1].end], clauses[0].start, clauses[-1].end,
                           message.words),)
    return clauses


def read_clauses(message: Message, vectors: np.ndarray, model: UrgentModel,
                 rules: tuple[ReadingRule, ...] | None = None) -> list[ClauseReading]:
    """Each unit of `screened_units(message)` scored; `vectors` are those units' vectors, in order."""
    clauses = screened_units(message)
    scores = model.score(vectors, [c.words for c in clauses])
    rules = rules or load_rules()
    return [ClauseReading(c, s, tuple(silencing_rules(c.words, s.category, rules)) if s.urgent_probability >=
                          model.threshold else ()) for c, s in zip(clauses, scores)]


def detections_from(readings: Sequence[ClauseReading], threshold: float, taxonomy: Taxonomy) -> list[Detection]:
    """One detection per condition found (its most confident clause), most urgent action first."""
    best: dict[str, Detection] = {}
    for reading in readings:
        score = reading.score
        if score.urgent_probability < threshold or reading.silenced_by:
            continue
        condition = taxonomy.condition(score.condition_id)
        found = Detection(score.category, condition.id, condition.action, reading.clause.text,
                          score.urgent_probability)
        if condition.id not in best or found.probability > best[condition.id].probability:
            best[condition.id] = found
    return sorted(best.values(), key=lambda d: (ACTIONS.index(d.action), -d.probability))


def screen_message(message: Message, vectors: np.ndarray, model: UrgentModel, taxonomy: Taxonomy) -> list[Detection]:
    """The red flags the message reports now; `vectors` embed `screened_units(message)`, in order."""
    return detections_from(read_clauses(message, vectors, model), model.threshold, taxonomy)


@dataclass(frozen=True)
class ScreenPlan:
    """What the screen will read of a text, before anything is embedded: the caller embeds
    `unit_texts` (together with whatever else the reply needs, in one batch) and hands the
    vectors to `screen_planned`."""
    message: Message
    units: tuple[Clause, ...]
    chars_read: int  # at most max_chars, and no further than the end of the last screened clause

    @property
    def unit_texts(self) -> list[str]:
        return [c.text for c in self.units]


def plan_screen(text: str, max_chars: int) -> ScreenPlan:
    """`plan_screen("No fever. But I can't feel my legs", 50_000).unit_texts
    -> ["No fever", "But I can't feel my legs", "No fever. But I can't feel my legs"]`"""
    message = read_message(text[:max_chars])
    read_up_to = len(text) if len(message.clauses) <= MAX_SCREENED_CLAUSES else \
        message.clauses[MAX_SCREENED_CLAUSES - 1].end
    return ScreenPlan(message, screened_units(message), min(read_up_to, max_chars))


def screen_planned(plan: ScreenPlan, vectors: np.ndarray, model: UrgentModel, taxonomy: Taxonomy) -> list[Detection]:
    """`screen_message` for a plan whose `unit_texts` were embedded as `vectors`, in order."""
    return screen_message(plan.message, vectors, model, taxonomy)


def screen_text(text: str, encode: Callable[[list[str]], np.ndarray], model: UrgentModel, taxonomy: Taxonomy,
                max_chars: int) -> tuple[list[Detection], int]:
    """`screen_message` for raw text, embedded with `encode`, and how many of its characters were
    read: at most `max_chars`, and no further than the end of the last screened clause."""
    plan = plan_screen(text, max_chars)
    return screen_planned(plan, encode(plan.unit_texts), model, taxonomy), plan.chars_read
