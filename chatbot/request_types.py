"""What a message asks for that no article answers: the request types of `knowledge/request_types.toml`.

Owns loading and validating that file and matching its phrases as whole-word sequences over the
message's folded words (a set lookup per phrase length: linear in the message). The refusal
texts live in `scope.py`; whether an ordinary question is answerable is the classifier's job.

`request_type("how many mg of ibuprofen can I take?") -> "medication"`
"""

from __future__ import annotations

import tomllib
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .text import words

TYPES_PATH = Path(__file__).resolve().parent / "knowledge" / "request_types.toml"


class RequestTypesError(ValueError):
    """The request-types file is malformed; the message names the type and the field."""


def phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(words(phrase.replace("'", "")))


def positions(tokens: tuple[str, ...], phrases: frozenset[tuple[str, ...]]) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of any of `phrases` in `tokens`."""
    found = []
    for n in {len(p) for p in phrases}:
        found += [(i, i + n) for i in range(len(tokens) - n + 1) if tokens[i:i + n] in phrases]
    return found


@dataclass(frozen=True)
class RequestType:
    id: str
    meaning: str
    cues: frozenset[tuple[str, ...]]
    subjects: frozenset[tuple[str, ...]]
    asks: frozenset[tuple[str, ...]]
    within: int | None  # the ask must start at most this many words after the subject; None: anywhere
    fires: tuple[str, ...]
    quiet: tuple[str, ...]
    unless: frozenset[tuple[str, ...]] = frozenset()  # a message holding one of these is not this type

    def matches(self, tokens: tuple[str, ...]) -> bool:
        if self.unless and positions(tokens, self.unless):
            return False
        if self.cues and positions(tokens, self.cues):
            return True
        if not self.subjects or not self.asks:
            return False
        subjects, asks = positions(tokens, self.subjects), positions(tokens, self.asks)
        if self.within is None:
            return bool(subjects and asks)
        starts = sorted(start for start, _ in asks)
        for _, end in subjects:  # the first ask starting at or after the subject's end, by bisection
            i = bisect_left(starts, end)
            if i < len(starts) and starts[i] <= end + self.within:
                return True
        return False


@lru_cache(maxsize=4)
def load_request_types(path: Path = TYPES_PATH) -> tuple[RequestType, ...]:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    types = []
    for raw in data.get("types", []):
        for key in ("id", "meaning", "cues", "fires", "quiet"):
            if key not in raw:
                raise RequestTypesError(f"{path.name}: type {raw.get('id', '?')!r} has no {key!r}")
        phrases = {key: frozenset(phrase_words(p) for p in raw.get(key, []))
                   for key in ("cues", "subjects", "asks", "unless")}
        if any(() in found for found in phrases.values()):
            raise RequestTypesError(f"{path.name}: type {raw['id']!r} has an empty phrase")
        types.append(RequestType(raw["id"], raw["meaning"], phrases["cues"], phrases["subjects"], phrases["asks"],
                                 raw.get("within"), tuple(raw["fires"]), tuple(raw["quiet"]), phrases["unless"]))
    return tuple(types)


def request_type(message: str, types: tuple[RequestType, ...] | None = None) -> str:
    """The id of the first request type the message is, or "" for an ordinary question."""
    tokens = phrase_words(message)
    return next((t.id for t in (types or load_request_types()) if t.matches(tokens)), "")
