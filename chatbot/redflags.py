"""Spots messages that REPORT symptoms needing urgent care, and says what to do.

Owns the red-flag categories and their notice, and matching a message against the
phrase patterns (`redflag_phrases`) and concept rules (`redflag_concepts`), keeping only
what `redflag_reading` judges reported now. Deterministic and independent of retrieval:
it runs on every message, in or out of scope. The notice texts are safety guidance of this
product, not article content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .redflag_concepts import REGIONS, RULES
from .redflag_phrases import NEEDS_CONTEXT, PATTERNS
from .redflag_reading import (AFTER_NEGATION, DISTANT_PAST, MENTIONED, OTHER_PEOPLE, OWN_PAIN, RESOLVED, THEIR_PAIN,
                              clauses, is_negated, is_reported, normalise)


@dataclass(frozen=True)
class Category:
    name: str
    label: str  # what the message describes
    action: str  # what to do now
    urgency: int  # 0 is most urgent


CATEGORIES = {c.name: c for c in [
    Category("cauda_equina", "loss of bladder or bowel control, numbness in the groin or saddle area, "
             "new sexual problems or symptoms in both legs (possible cauda equina syndrome)",
             "This is an emergency: call your local emergency number or go to the nearest emergency department now.", 0),
    Category("vascular", "sudden tearing back or belly pain, or a pulsing lump in the belly",
             "This is an emergency: call your local emergency number now.", 0),
    Category("chest_pain", "chest pain or pressure, or pain spreading to the arm or jaw",
             "This is an emergency: call your local emergency number now.", 0),
    Category("neurological_deficit", "leg weakness that is getting worse, or a foot that drops or drags",
             "Get urgent medical care today: go to an emergency department or urgent care.", 1),
    Category("infection", "fever or chills with back pain, IV drug use, or a recent infection or spinal procedure",
             "Get urgent medical care today: go to urgent care or an emergency department.", 1),
    Category("fracture", "a significant injury or fall, or a fall with osteoporosis or long-term steroid use",
             "Get urgent medical care today to rule out a fracture; if you cannot move or the pain is severe, "
             "call your local emergency number.", 1),
    Category("pregnancy", "warning signs in pregnancy (bleeding, leaking fluid, contractions, severe headache "
             "or vision changes, fever, or the baby moving less)",
             "Call your maternity unit, midwife or doctor now, or your local emergency number.", 1),
    Category("uncontrolled_pain", "pain so severe that it cannot be controlled",
             "Get urgent medical care now: go to an emergency department or call your local emergency number.", 1),
    Category("cancer", "a history of cancer, unexplained weight loss, or night pain that no rest or position relieves",
             "See a doctor promptly (within days) and tell them about these symptoms.", 2),
]}


@lru_cache(maxsize=1)
def compiled() -> dict[str, list[re.Pattern]]:
    return {name: [re.compile(p) for p in patterns] for name, patterns in PATTERNS.items()}


# History counts for cancer however old; for the others an old, healed event is not urgent now.
TIMELESS = {"cancer"}
# Angina eases with rest: "goes away when I stop" does not make chest pain harmless.
COMES_AND_GOES = {"chest_pain"}
# "My aunt had cancer" is family history, not the person's own.
ABOUT_SOMEONE_ELSE = {"cancer", "infection"}


def valid_matches(pattern: re.Pattern, clause: str, category: str, message: str = "") -> list[int]:
    """Start offsets of the matches that report a symptom now (not negated, asked about, resolved...)."""
    starts = []
    for match in pattern.finditer(clause):
        if is_negated(clause, match.start()) or not is_reported(clause, match.start()):
            continue
        if AFTER_NEGATION.match(clause[match.end():]) or MENTIONED.search(clause[:match.start()]):
            continue
        if (category not in COMES_AND_GOES and RESOLVED.search(clause)) or \
                (category not in TIMELESS and DISTANT_PAST.search(clause)):
            continue
        if category in ABOUT_SOMEONE_ELSE and OTHER_PEOPLE.search(clause[:match.start()]) and \
                (OWN_PAIN.search(message) or not THEIR_PAIN.search(message)):
            continue  # family history, not the person's own
        starts.append(match.start())
    return starts


def find_in_clause(pattern: re.Pattern, clause: str, category: str, message: str = "") -> bool:
    return bool(valid_matches(pattern, clause, category, message))


CONCEPT_WINDOW = 160  # characters: concepts further apart in a run-on message are unrelated


@lru_cache(maxsize=1)
def compiled_rules():
    def concept(regex):
        return re.compile(rf"\b(?:{regex})"), regex not in REGIONS

    return [(name, tuple(concept(c) for c in concepts), re.compile(need) if need else None,
             re.compile(unless) if unless else None, scope)
            for name, concepts, need, unless, scope in RULES]


def concept_positions(pattern: re.Pattern, negatable: bool, clause: str, category: str, message: str) -> list[int]:
    if negatable:
        return valid_matches(pattern, clause, category, message)
    if category not in COMES_AND_GOES and RESOLVED.search(clause):
        return []
    return [m.start() for m in pattern.finditer(clause) if is_reported(clause, m.start())]


def concepts_meet(concepts, clause: str, category: str, message: str) -> bool:
    """Every concept reported in the clause, the first within CONCEPT_WINDOW of all the others."""
    positions = [concept_positions(p, negatable, clause, category, message) for p, negatable in concepts]
    if not all(positions):
        return False
    return any(all(any(abs(p - q) <= CONCEPT_WINDOW for q in others) for others in positions[1:])
               for p in positions[0])


def detect_red_flags(message: str, max_chars: int = 50_000) -> list[str]:
    """Category names of urgent symptoms the message reports, most urgent first.

    `detect_red_flags("cant feel the toilet paper when i wipe") -> ["cauda_equina"]`;
    `detect_red_flags("no numbness or weakness, just an ache") -> []`.
    """
    text = normalise(message[:max_chars])
    parts = clauses(text)
    found = []
    for name, patterns in compiled().items():
        for i, pattern in enumerate(patterns):
            context = NEEDS_CONTEXT.get((name, i)) or NEEDS_CONTEXT.get((name, -1))
            if context and not re.search(context, text):
                continue
            if any(find_in_clause(pattern, clause, name, text) for clause in parts):
                found.append(name)
                break
    for name, concepts, need, unless, scope in compiled_rules():
        if name in found or (need is not None and not need.search(text)) or (unless and unless.search(text)):
            continue
        if scope == "sentence":
            spans = parts
        elif scope == "message":  # two sentences in a row
            spans = [" . ".join(parts[i:i + 2]) for i in range(len(parts))]
        else:  # "anywhere": each concept in its own sentence, anywhere in the message
            if all(any(concept_positions(p, neg, c, name, text) for c in parts) for p, neg in concepts):
                found.append(name)
            continue
        if any(concepts_meet(concepts, span, name, text) for span in spans):
            found.append(name)
    return sorted(found, key=lambda n: CATEGORIES[n].urgency)


def red_flag_notice(categories: list[str]) -> str | None:
    """The alert shown before the answer, or None when nothing urgent was reported."""
    if not categories:
        return None
    lines = ["**Your message describes symptoms that need medical attention now.**"]
    for name in categories:
        category = CATEGORIES[name]
        lines.append(f"- You mention {category.label}. {category.action}")
    return "\n".join(lines) + "\n\n**Do not wait for an answer from these articles before getting help.**"
