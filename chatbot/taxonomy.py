"""The clinical red-flag taxonomy: conditions, their lay signs, actions and guideline sources.

Owns loading and validating `knowledge/red_flags.toml`, which a clinician can review without
reading Python. Nothing here matches text: the learned screen (`urgent_model`) is trained on
these signs and on labelled messages, and names the taxonomy entry a clause is closest to.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TAXONOMY_PATH = Path(__file__).resolve().parent / "knowledge" / "red_flags.toml"
CATEGORIES = ("cauda_equina", "neurological_deficit", "infection", "cancer", "fracture", "vascular", "cardiac",
              "visceral", "pregnancy", "uncontrolled_pain", "self_harm")
# Most urgent first; the notice lists what was found in this order.
ACTIONS = ("crisis", "emergency", "urgent_today", "doctor_soon")
LANGUAGES = ("en", "es", "fr")


class TaxonomyError(ValueError):
    """The taxonomy file is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class Action:
    id: str
    label: str
    text: dict[str, str]  # language -> what to do, in the product's own words


@dataclass(frozen=True)
class Condition:
    id: str
    category: str
    condition: str
    action: str
    sources: tuple[str, ...]
    signs: tuple[str, ...]  # English lay signs
    signs_other: tuple[str, ...]  # Spanish and French lay signs
    mention: str
    not_this: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    sources: dict[str, dict]
    actions: dict[str, Action]
    category_labels: dict[str, dict[str, str]]  # category -> language -> label
    conditions: tuple[Condition, ...]
    hard_negatives: tuple[str, ...]
    sha256: str

    def condition(self, condition_id: str) -> Condition:
        return next(c for c in self.conditions if c.id == condition_id)


def parse_conditions(data: dict, sources: dict, name: str) -> tuple[Condition, ...]:
    conditions = []
    for raw in data.get("conditions", []):
        where = f"{name}: condition {raw.get('id', '?')!r}"
        for key in ("id", "category", "condition", "action", "sources", "signs"):
            if not raw.get(key):
                raise TaxonomyError(f"{where} has no {key!r}")
        if raw["category"] not in CATEGORIES:
            raise TaxonomyError(f"{where}: category must be one of {', '.join(CATEGORIES)}")
        if raw["action"] not in ACTIONS:
            raise TaxonomyError(f"{where}: action must be one of {', '.join(ACTIONS)}")
        unknown = [s for s in raw["sources"] if s not in sources]
        if unknown:
            raise TaxonomyError(f"{where}: unknown sources {unknown}; add them under [[sources]]")
        conditions.append(Condition(raw["id"], raw["category"], raw["condition"], raw["action"],
                                    tuple(raw["sources"]), tuple(raw["signs"]),
                                    tuple(raw.get("signs_es", [])) + tuple(raw.get("signs_fr", [])),
                                    raw.get("mention", raw["condition"]), tuple(raw.get("not_this", []))))
    return tuple(conditions)


@lru_cache(maxsize=4)
def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    raw_bytes = path.read_bytes()
    data = tomllib.loads(raw_bytes.decode("utf-8"))
    sources = {s["id"]: s for s in data.get("sources", [])}
    actions = {}
    for action_id in ACTIONS:
        raw = data.get("actions", {}).get(action_id)
        if not raw:
            raise TaxonomyError(f"{path.name}: [actions.{action_id}] is missing")
        actions[action_id] = Action(action_id, raw["label"], {lang: raw[f"text_{lang}"] for lang in LANGUAGES})
    labels = {}
    for category in CATEGORIES:
        raw = data.get("categories", {}).get(category)
        if not raw:
            raise TaxonomyError(f"{path.name}: [categories.{category}] is missing")
        labels[category] = {lang: raw.get(f"label_{lang}", raw["label_en"]) for lang in LANGUAGES}
    conditions = parse_conditions(data, sources, path.name)
    missing = set(CATEGORIES) - {c.category for c in conditions}
    if missing:
        raise TaxonomyError(f"{path.name}: no conditions for {sorted(missing)}")
    return Taxonomy(sources, actions, labels, conditions, tuple(data.get("hard_negatives", [])),
                    hashlib.sha256(raw_bytes).hexdigest())
