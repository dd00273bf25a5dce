"""The urgent-symptom screen: which clauses of a message report a red flag now, and why.

Owns combining the learned clause scores (`urgent_model`) with the reading rules
(`reading_rules`: asked about in general, imagined, resolved, long past, family history) into
typed detections that name the taxonomy entry and the person's own words. Runs on every
message, in or out of scope, before retrieval. A unit's vector is pooled from one pass of the
model over the message (`token_pooling`), the pass retrieval also uses when it searches for the
message as written. Building the notice text is `urgent_notice`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .message import Clause, Message, read_message
from .reading_rules import ReadingRule, load_rules, silencing_rules
from .taxonomy import ACTIONS, Taxonomy
from .token_pooling import TokenVectors, pool_spans
from .urgent_model import ClauseScore, UrgentModel

# The text up to the last screened clause is read by the model and each clause scored: at most this
# many clauses and this many tokens, about 4,400 characters of ordinary writing (retrieval reads
# 4,000). The tokens are what the model's time grows with (a run of 50,000 punctuation marks is
# 50,000 tokens and no clause); measured: 2,048 tokens took 1.5 s on the worst 50,000-character
# message at load 5, 1,024 took 0.8 s (benchmarks/fuzz.py; the target is 1 s).
MAX_SCREENED_CLAUSES = 200
MAX_SCREENED_TOKENS = 1_024
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
    A message of one clause is read as written, punctuation included."""
    clauses = message.clauses[:MAX_SCREENED_CLAUSES]
    if len(clauses) == 1:
        text = message.text.strip()
        start = message.text.index(text)
        return (Clause(text, start, start + len(text), clauses[0].words),)
    if 2 <= len(clauses) and len(message.words) <= WHOLE_MESSAGE_WORDS:
        clauses += (Clause(message.text[clauses[0].start:clauses[-1].end], clauses[0].start, clauses[-1].end,
                           message.words),)
    return clauses


def unit_vectors(units: Sequence[Clause], tokens: TokenVectors) -> np.ndarray:
    """units x dimension: each unit's vector pooled from the tokens of the text it lies in."""
    return pool_spans(tokens, [(c.start, c.end) for c in units])


def read_clauses(clauses: Sequence[Clause], vectors: np.ndarray, model: UrgentModel,
                 rules: tuple[ReadingRule, ...] | None = None) -> list[ClauseReading]:
    """Each unit (of `screened_units`) scored; `vectors` are those units' vectors, in order."""
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


@dataclass(frozen=True)
class ScreenPlan:
    """What the screen will read of a text, before the model runs: the caller has the model read
    `text` (together with whatever else the reply needs, in one run) and hands its token vectors
    to `screen_planned`."""
    message: Message
    units: tuple[Clause, ...]
    chars_read: int  # at most max_chars, and no further than the end of the last screened clause
    # (the model may stop sooner, at MAX_SCREENED_TOKENS: `screen_planned` says where)

    @property
    def text(self) -> str:
        """The text the model reads: the message up to where the screen stops."""
        return self.message.text[:self.chars_read]


def plan_screen(text: str, max_chars: int) -> ScreenPlan:
    """`[u.text for u in plan_screen("No fever. But I can't feel my legs", 50_000).units]
    -> ["No fever", "But I can't feel my legs", "No fever. But I can't feel my legs"]`"""
    message = read_message(text[:max_chars])
    read_up_to = len(text) if len(message.clauses) <= MAX_SCREENED_CLAUSES else \
        message.clauses[MAX_SCREENED_CLAUSES - 1].end
    return ScreenPlan(message, screened_units(message), min(read_up_to, max_chars))


def screen_reading(screen_text: str, queries: Sequence[str]) -> str:
    """The text the model reads for the screen: the retrieval query when it begins with the
    screen's text (the message, then lay words or the conversation's topic added), so one pass
    serves both; else the screen's text alone. The clauses' spans are the same in both.
    `screen_reading("sore bum", ["sore bum buttock glutes"]) -> "sore bum buttock glutes"`"""
    if screen_text:
        for query in queries:
            if query.startswith(screen_text):
                return query
    return screen_text


def screen_planned(plan: ScreenPlan, tokens: TokenVectors, model: UrgentModel, taxonomy: Taxonomy
                   ) -> tuple[list[Detection], int]:
    """The red flags the message reports now, from the plan's text (or `screen_reading` of it) as
    the model read it, and how many of its characters were screened: fewer than `plan.chars_read`
    when the model stopped at MAX_SCREENED_TOKENS (then up to the last clause it read whole)."""
    units = tuple(u for u in plan.units if u.end <= tokens.chars_read)
    chars = plan.chars_read if len(units) == len(plan.units) else max([u.end for u in units], default=0)
    readings = read_clauses(units, unit_vectors(units, tokens), model)
    return detections_from(readings, model.threshold, taxonomy), chars


def screen_text(text: str, read_tokens: Callable[..., list[TokenVectors]], model: UrgentModel,
                taxonomy: Taxonomy, max_chars: int, queries: Sequence[str] = ()) -> tuple[list[Detection], int]:
    """`screen_planned` for raw text, read with `read_tokens` (an embedder's `token_vectors`) as
    `screen_reading` says given the retrieval `queries`, and how many of its characters were
    screened: at most `max_chars`, and no further than the end of the last screened clause."""
    plan = plan_screen(text, max_chars)
    tokens = read_tokens([screen_reading(plan.text, queries)], max_tokens=MAX_SCREENED_TOKENS)[0]
    return screen_planned(plan, tokens, model, taxonomy)
