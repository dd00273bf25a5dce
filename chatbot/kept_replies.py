"""Replies kept per bot, so a follow-up's replay of the turn before costs nothing.

Owns when a kept reply may stand for a new call. A reply is deterministic in its message, its
earlier turns and how many replays of earlier turns it may make (`replays_left`); it depends on
`replays_left` only when a replay it asked for was refused for lack of them. So each kept reply
carries its `ReplayTrace`: how deep its replays went, and whether one was refused. Leaves out
what a reply is made of and when the bot is rebuilt (a new index makes a new bot, and new kept
replies).

`KeptReplies.usable(ReplayTrace(depth=1, cut=False), computed_with=2, wanted=1) -> True`: one
replay deep, none refused, and the new call allows one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, Hashable, TypeVar

Kept = TypeVar("Kept")


@dataclass
class ReplayTrace:
    """How a reply used replays of earlier turns: the deepest chain of them, and whether a replay it
    asked for was refused because `replays_left` had run out."""
    depth: int = 0
    cut: bool = False

    def add_replay(self, replayed: "ReplayTrace") -> None:
        self.depth = max(self.depth, 1 + replayed.depth)
        self.cut = self.cut or replayed.cut


class KeptReplies(Generic[Kept]):
    """The last `size` replies by (message, earlier turns), safe to share between threads."""

    def __init__(self, size: int):
        self.size = size
        self.lock = threading.Lock()
        self.entries: OrderedDict[Hashable, tuple[Kept, ReplayTrace, int]] = OrderedDict()

    @staticmethod
    def usable(trace: ReplayTrace, computed_with: int, wanted: int) -> bool:
        """A reply computed with `computed_with` replays left is the reply for `wanted`: the same
        allowance, or every replay it needed is allowed again and none was refused."""
        return wanted == computed_with or (not trace.cut and wanted >= trace.depth)

    def get(self, key: Hashable, replays_left: int) -> tuple[Kept, ReplayTrace] | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or not self.usable(entry[1], entry[2], replays_left):
                return None
            self.entries.move_to_end(key)
            return entry[0], entry[1]

    def put(self, key: Hashable, replays_left: int, reply: Kept, trace: ReplayTrace) -> None:
        with self.lock:
            self.entries[key] = (reply, trace, replays_left)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
