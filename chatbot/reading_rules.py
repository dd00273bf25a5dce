"""Rules that tell when a clause does not report a symptom the person has now.

Owns loading and validating `knowledge/reading_rules.toml` and matching its cue phrases as
whole-word sequences over a clause's folded words: a scan over the words and a set lookup per
cue length, linear in the clause length. Which symptom a clause describes is the learned
model's job (`urgent_model`), not this module's.

`silencing_rules(("what", "if", "i", "lost", "control"), "cauda_equina") -> ["hypothetical"]`
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .message import read_message

RULES_PATH = Path(__file__).resolve().parent / "knowledge" / "reading_rules.toml"


class RulesError(ValueError):
    """The rules file is malformed; the message names the rule and the field."""


@dataclass(frozen=True)
class ReadingRule:
    id: str
    meaning: str
    cues: frozenset[tuple[str, ...]]
    except_categories: frozenset[str]
    fires: tuple[str, ...]
    quiet: tuple[str, ...]

    def matches(self, words: tuple[str, ...]) -> bool:
        lengths = {len(cue) for cue in self.cues}
        return any(tuple(words[i:i + n]) in self.cues for n in lengths for i in range(len(words) - n + 1))


def cue_words(cue: str) -> tuple[str, ...]:
    """A cue phrase as the folded words `read_message` gives."""
    return tuple(w for clause in read_message(cue).clauses for w in clause.words)


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_PATH) -> tuple[ReadingRule, ...]:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    rules = []
    for raw in data.get("rules", []):
        for key in ("id", "meaning", "cues", "fires", "quiet"):
            if key not in raw:
                raise RulesError(f"{path.name}: rule {raw.get('id', '?')!r} has no {key!r}")
        cues = frozenset(cue_words(c) for c in raw["cues"])
        if () in cues:
            raise RulesError(f"{path.name}: rule {raw['id']!r} has an empty cue")
        rules.append(ReadingRule(raw["id"], raw["meaning"], cues, frozenset(raw.get("except_categories", [])),
                                 tuple(raw["fires"]), tuple(raw["quiet"])))
    return tuple(rules)


def silencing_rules(words: tuple[str, ...], category: str, rules: tuple[ReadingRule, ...] | None = None) -> list[str]:
    """Ids of the rules that say these clause words do not report a current symptom of `category`."""
    return [r.id for r in (rules or load_rules()) if category not in r.except_categories and r.matches(words)]
