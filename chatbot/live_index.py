"""The chatbot a long-running app answers with, swapped whole when `index/` is rebuilt.

Owns watching the index's manifest (its bytes: a rebuild writes a new one, with new file hashes)
and loading the rebuilt index beside the one in use, sharing the already loaded embedding model.
Each request takes `current` once and answers with it start to finish, so a swap (one reference
assignment) happens between requests and no reply mixes the two indexes. A rebuilt index that
does not load (stale, damaged, half written) is tried again on the next checks, a few times, and
meanwhile the old one keeps serving.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from dataclasses import replace
from typing import Callable

from .bot import Chatbot
from .store import MANIFEST

CHECK_SECONDS = 2.0
TRIES_PER_REBUILD = 3  # a rebuild caught half written loads on a later check; a broken one is left alone


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def manifest_stamp(bot: Chatbot) -> str:
    """sha256 of the manifest file of the bot's index folder ("" when it cannot be read)."""
    try:
        return hashlib.sha256((bot.settings.index_dir / MANIFEST).read_bytes()).hexdigest()
    except OSError:
        return ""


class LiveChatbot:
    def __init__(self, bot: Chatbot, say: Callable[[str], None] = log):
        self.current = bot
        self.say = say
        self.stamp = manifest_stamp(bot)  # the manifest `current` was loaded from
        self.failures: dict[str, int] = {}  # manifest stamp -> failed loads
        self.reloads = 0
        self._stop = threading.Event()

    def check(self) -> bool:
        """Load the index again if its manifest changed; True when the bot in use was replaced."""
        old = self.current
        stamp = manifest_stamp(old)
        if not stamp or stamp == self.stamp or self.failures.get(stamp, 0) >= TRIES_PER_REBUILD:
            return False
        started = time.perf_counter()
        try:
            new = Chatbot.load(replace(old.settings, serve_only=True), lambda: old.retriever.embedder,
                               say=lambda m: None)
        except Exception as err:  # keep answering from the index in use
            self.failures[stamp] = self.failures.get(stamp, 0) + 1
            self.say(f"index/ changed but the new index did not load ({type(err).__name__}: {str(err)[:200]}); "
                     "still answering from the previous one")
            return False
        self.current, self.stamp = new, stamp
        self.reloads += 1
        self.say(f"index/ was rebuilt: now answering from the new index ({len(new.retriever.chunks)} chunks, "
                 f"loaded in {time.perf_counter() - started:.1f} s)")
        return True

    def watch(self, every: float = CHECK_SECONDS) -> threading.Thread:
        """Check in a background thread every `every` seconds until `stop()`."""
        def loop():
            while not self._stop.wait(every):
                self.check()

        thread = threading.Thread(target=loop, name="watch-index", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()
