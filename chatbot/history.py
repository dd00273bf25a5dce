"""Incoming messages and earlier turns, made safe before anything reads them.

Accepts whatever shape a client sends (str, Gradio parts lists, dicts, bytes, the old "tuples"
history) and returns plain text: control characters and lone surrogates become spaces, nesting is
read only so deep, and only the last HISTORY_TURNS_KEPT turns of at most TURN_CHARS characters each
are kept, so a huge history costs no more than a short one. Never raises for any input.
"""

from __future__ import annotations

import re
from typing import Any

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ud800-\udfff]")
MAX_NESTING = 8  # a message's parts may nest this deep; deeper parts are ignored
HISTORY_TURNS_KEPT = 40  # follow-ups read at most the last few turns; older ones are dropped unread
TURN_CHARS = 20_000


def message_text(content: Any, depth: int = 0) -> str:
    """Text of a message in any shape Gradio or a JSON client sends: str, parts list, or dict."""
    if content is None or depth > MAX_NESTING:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return message_text(content.get("text", content.get("content", "")), depth + 1)
    if isinstance(content, (list, tuple)):
        return " ".join(message_text(part, depth + 1) for part in content[:100]
                        if not isinstance(part, (bytes, bytearray)))
    if isinstance(content, (bytes, bytearray)):
        return bytes(content).decode("utf-8", errors="replace")
    if isinstance(content, (int, float)) and not isinstance(content, bool):
        return str(content) if abs(content) < 10**50 else ""  # a number typed as the message; not a huge one
    return ""


def clean_text(text: str) -> str:
    return CONTROL_CHARS.sub(" ", text).strip()


def clean_history(history: Any) -> list[dict]:
    """The last well-formed user/assistant turns; anything else is dropped, never an error."""
    if not isinstance(history, (list, tuple)):
        return []
    turns: list[dict] = []
    for turn in reversed(history):
        if len(turns) >= HISTORY_TURNS_KEPT:
            break
        if isinstance(turn, dict) and turn.get("role") in ("user", "assistant"):
            pairs = [(turn["role"], turn.get("content"))]
        elif isinstance(turn, (list, tuple)) and len(turn) == 2:  # old Gradio "tuples" history
            pairs = list(zip(("assistant", "user"), reversed(turn)))
        else:
            continue
        for role, content in pairs:
            text = clean_text(message_text(content)[:TURN_CHARS])
            if text:
                turns.append({"role": role, "content": text})
    return list(reversed(turns[:HISTORY_TURNS_KEPT]))
