"""Settings read from the environment in one place, with defaults that work on a fresh machine."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Bump when a code change alters how documents are split, so existing indexes count as stale.
CHUNKER_VERSION = 2


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = ROOT / "corpus"
    index_dir: Path = ROOT / "index"
    model_name: str = "all-MiniLM-L6-v2"
    # Chunks: sentences are packed up to this many words; `overlap_sentences` repeat at the seam.
    chunk_words: int = 120
    overlap_sentences: int = 1
    top_chunks: int = 6
    max_message_chars: int = 4000
    # Replicas serving a shared read-only index must not rebuild it: fail with the fix instead.
    serve_only: bool = False
    # Thumbs up/down and comments from the web chat (created on first use; python -m chatbot feedback).
    feedback_db: Path = ROOT / "feedback" / "feedback.sqlite3"
    # Also keep questions the bot declined, for maintainers (off unless the operator turns it on).
    record_declined: bool = False

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """SIBOT_CORPUS_DIR, SIBOT_INDEX_DIR, SIBOT_CHUNK_WORDS, ... override the defaults."""
        values = {}
        for f in fields(cls):
            raw = os.environ.get(f"SIBOT_{f.name.upper()}")
            if raw is None:
                continue
            default = getattr(cls, f.name)
            if isinstance(default, bool):
                values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            else:
                values[f.name] = type(default)(raw) if not isinstance(default, Path) else Path(raw)
        return replace(cls(**values), **overrides)

    def chunking(self) -> dict:
        """What chunk contents depend on, recorded in the index manifest (a change makes it stale)."""
        return {"chunker_version": CHUNKER_VERSION, "chunk_words": self.chunk_words,
                "overlap_sentences": self.overlap_sentences}
