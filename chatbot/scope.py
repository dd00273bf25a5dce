"""Decides whether the articles can answer a message, and says why not.

Owns what is being *asked for* (a diagnosis, medication advice, costs, where to buy, or new
instructions for the bot: no article answers those however well the words match) and the
decision itself, which otherwise follows the answerability classifier (`answerability.py`,
trained on labelled questions). Also the articles' vocabulary, which that classifier reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .request_types import request_type
from .text import LAY_TERMS, QUESTION_FRAME, STOP_WORDS, edit_distance_at_most, fold, stem, words

REFUSAL_REASONS = {
    "instructions": "I can only answer questions about SI joint pain from the articles listed below, "
                    "and I can't change how I work.",
    "medication": "I can't give advice about medicines (which to take, doses, combining them or stopping them). "
                  "A doctor or pharmacist can help with that.",
    "diagnosis": "I can't tell you what condition you have. Only a clinician who examines you can diagnose it; "
                 "a doctor or physical therapist can help.",
    "not_covered": "The articles I answer from don't cover this, so I can't answer it.",
    "cost": "The articles don't cover prices, costs or insurance, so I can't answer that.",
    "purchase": "The articles don't compare brands or say where to buy things, so I can't answer that.",
    "referral": "The articles don't name particular clinics, practitioners or services, so I can't recommend one.",
    "language": "The source articles are in English, so I can only answer questions asked in English.",
    "symptoms": "I can't assess symptoms, so please follow the advice above. If you also have a question "
                "about SI joint pain, ask it and I'll answer from the articles.",
    "empty": "Please type a question about sacroiliac (SI) joint pain.",
}
COVERED_TOPICS = ("what the SI joint is and what causes SI joint pain; what it feels like; how massage can help "
                  "and when it might make things worse; self-massage with foam rollers, massage balls and massage "
                  "guns; exercises and stretches for SI joint pain and how to do them; and when to see a doctor "
                  "or physical therapist")


@dataclass(frozen=True)
class ScopeDecision:
    in_scope: bool
    reason: str  # a key of REFUSAL_REASONS, or "" when in scope
    probability: float  # the answerability classifier's probability that the articles answer it


QUESTION = re.compile(r"\?|(?:^|[.!;,]\s*)(?:what|whats|how|why|when|where|which|who|can|could|should|would|is|are|do|"
                      r"does|did|will|any)\b|\b(?:tell me|explain|recommend|suggest|advice|tips?)\b", re.I)


def asks_a_question(message: str) -> bool:
    """Does the message ask something, rather than only describe how the person is?"""
    return bool(QUESTION.search(message.replace("'", "")))


class Vocabulary:
    """The articles' words, to tell whether a question's key terms appear in them at all."""

    def __init__(self, texts: list[str]):
        self.words = {w for t in texts for w in words(t)}
        self.stems = {stem(w) for w in self.words}
        self.by_initial: dict[str, list[str]] = {}
        for w in self.words:
            if len(w) >= 4:
                self.by_initial.setdefault(w[0], []).append(w)

    @lru_cache(maxsize=20_000)
    def knows(self, word: str) -> bool:
        """Known as written, by stem, as a lay term, by a shared 6-letter root, or one typo away."""
        if word.isdigit() or word in self.words or stem(word) in self.stems or word in LAY_TERMS:
            return True
        candidates = self.by_initial.get(word[0], ())
        if len(word) >= 6 and any(w[:6] == word[:6] for w in candidates):
            return True  # "diagnosed" ~ "diagnosis"
        if len(word) >= 5:
            return any(edit_distance_at_most(word, w, 1) for w in candidates)
        return False


def key_terms(message: str) -> list[str]:
    """Content words of a question, without stop words and question framing."""
    return [w for w in words(fold(message).replace("'", "")) if w not in STOP_WORDS and w not in QUESTION_FRAME
            and len(w) > 2 and not w.isdigit()]


def decide_scope(message: str, probability: float, threshold: float) -> ScopeDecision:
    """Refused for what is asked (a diagnosis, medication advice, ...) whatever the words match;
    otherwise in scope when the answerability classifier's probability reaches its threshold."""
    asked = request_type(message)
    if asked:
        return ScopeDecision(False, asked, probability)
    return ScopeDecision(probability >= threshold, "" if probability >= threshold else "not_covered", probability)
