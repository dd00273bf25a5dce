"""What one action in the web chat does to the conversation, without Gradio: a question shown,
a question answered, a rating or comment stored, a conversation saved or restored.

The conversation is three aligned parts: `display` (the chat bubbles, rendered), `history` (the
raw turns the bot reads: what was typed and the CLI's Markdown of each reply) and `records`
(per bubble: None for a question; for an answer, what a rating of it stores). app.py wires these
functions to the page; tests call them with a stand-in bot.
"""

from __future__ import annotations

import sys
from typing import Any, Callable

from .feedback import MAX_QUESTION_CHARS, FeedbackStore
from .history import HISTORY_TURNS_KEPT, TURN_CHARS
from .markdown_text import literal_markdown
from .scope import REFUSAL_REASONS

SHOWN_QUESTION_CHARS = 5_000  # the bot searches with 4,000 and screens about 4,400

SORRY = "Sorry, something went wrong on our side. Please try again in a moment."
# Declined for what was asked, not for an empty message or a message that only reported symptoms.
RECORDED_DECLINES = frozenset(REFUSAL_REASONS) - {"language", "symptoms", "empty"}
EMPTY_CONVERSATION = {"display": [], "history": [], "records": []}


def log_failure(err: Exception) -> None:
    print(f"error while answering: {type(err).__name__}: {str(err)[:300]}", file=sys.stderr, flush=True)


def shown_as_text(message: str) -> str:
    """What the user typed, displayed literally: neither HTML nor Markdown (images, links) is rendered."""
    return "<br>".join(literal_markdown(line) for line in message.split("\n"))


def show_question(message: Any, display: list[dict], busy: bool):
    """The typed question appears at once and the box empties; returns (box, display, pending, busy).
    While an answer is on its way another send is ignored and the typed text stays in the box."""
    message = message if isinstance(message, str) else ""
    if busy or not message.strip():
        return message, display, "", busy
    return "", display + [{"role": "user", "content": shown_as_text(shown_part(message))}], message, True


def shown_part(message: str) -> str:
    """The question as its bubble shows it: at most SHOWN_QUESTION_CHARS (more than the bot ever reads),
    so the conversation the browser keeps, and sends back to restore it, stays small."""
    if len(message) <= SHOWN_QUESTION_CHARS:
        return message
    return f"{message[:SHOWN_QUESTION_CHARS]}… ({len(message) - SHOWN_QUESTION_CHARS:,} more characters not shown)"


def rating_record(message: str, reply) -> dict:
    """What a thumbs up or down on this reply stores: the question, the answer and its sources."""
    return {"question": message, "answer": reply.answer,
            "sources": [{"n": c.n, "title": c.title, "section": c.section, "url": c.url} for c in reply.citations]}


def answer_question(bot: Callable[[], Any], render: Callable[[Any], str], pending: str, history: list[dict],
                    display: list[dict], records: list, declined_store: FeedbackStore | None = None,
                    saved: Any = None):
    """The reply to the pending question, added to all three parts; returns (display, history, records,
    saved conversation, busy). `bot()` gives the chatbot (it may wait for the model to load); `saved`
    is the browser's copy of the conversation, read when the server has dropped its own."""
    if not pending:
        return display, history, records, conversation(display, history, records), False
    if len(display) <= 1:  # the chat was just emptied (trash or new conversation): earlier turns are gone
        history, records = [], []
    history, records = state_or_saved(len(display) - 1, history, records, saved)
    records = (records + [None] * len(display))[:len(display) - 1] + [None]  # aligned with the question bubble
    try:
        reply = bot().reply(pending, history)
        # The server keeps of a long question only what is ever read again: the bot reads TURN_CHARS of
        # an earlier turn, a rating stores MAX_QUESTION_CHARS of its question.
        shown, stored, record = render(reply), reply.markdown, rating_record(pending[:MAX_QUESTION_CHARS], reply)
        if declined_store is not None and not reply.in_scope and reply.declined_reason in RECORDED_DECLINES:
            declined_store.add_declined(pending, reply.declined_reason)
    except Exception as err:  # one line in the server's log; the person sees no internals
        log_failure(err)
        shown = stored = SORRY
        record = None
    history = (history + [{"role": "user", "content": pending[:TURN_CHARS]},
                          {"role": "assistant", "content": stored}])[-HISTORY_TURNS_KEPT:]
    display = display + [{"role": "assistant", "content": shown}]
    records = records + [record]
    return display, history, records, conversation(display, history, records), False


def conversation(display: list[dict], history: list[dict], records: list) -> dict:
    """The conversation as kept in the browser, so a reload shows it again."""
    keep = 2 * HISTORY_TURNS_KEPT
    return {"display": display[-keep:], "history": history, "records": records[-keep:]}


def state_or_saved(bubbles: int, history: list[dict], records: list, saved: Any) -> tuple[list, list]:
    """(history, records) of a chat showing `bubbles` bubbles: the server's copy, or the browser's saved
    copy when the server has dropped this session's state (it keeps app.SESSIONS_KEPT sessions, and
    every API call is one), its records aligned with the last bubbles. Without this the next answer
    would forget the earlier turns and overwrite the browser's copy with them gone.

    `state_or_saved(4, [], [], saved with 2 turns and records [None, r]) -> (the 2 turns, [None, None, None, r])`
    """
    if len(records) >= bubbles:
        return history, records
    _, saved_history, saved_records = restored(saved)
    if len(saved_records) <= len(records) or len(saved_records) > bubbles:
        return history, records
    return saved_history, [None] * (bubbles - len(saved_records)) + saved_records


def bubble(message: Any) -> dict | None:
    """A chat bubble as {"role", "content": str}; Gradio hands bubbles back with content as a list of
    parts ([{"type": "text", "text": ...}]). None when it is not a text bubble."""
    if not isinstance(message, dict) or message.get("role") not in ("user", "assistant"):
        return None
    content = message.get("content")
    if isinstance(content, list) and all(isinstance(p, dict) and p.get("type") == "text" for p in content):
        content = "".join(str(p.get("text", "")) for p in content)
    return {"role": message["role"], "content": content} if isinstance(content, str) else None


def restored(saved: Any) -> tuple[list, list, list]:
    """(display, history, records) from what the browser kept; anything unreadable gives an empty chat."""
    if not isinstance(saved, dict):
        return [], [], []
    display, history, records = (saved.get(k) for k in ("display", "history", "records"))
    if not all(isinstance(x, list) for x in (display, history, records)) or len(records) != len(display):
        return [], [], []
    display = [bubble(m) for m in display]
    if None in display or any(bubble(m) is None for m in history) or \
            not all(r is None or isinstance(r, dict) and {"question", "answer", "sources"} <= set(r) for r in records):
        return [], [], []
    return display, history, records


def rate(store: FeedbackStore, records: list, index: Any, liked: Any) -> tuple[int | None, str, str]:
    """Store a thumbs up (liked True) or down (False) on the answer at display `index`; returns
    (the stored row's id or None, what to tell the person, the question that answer was to)."""
    position = index[0] if isinstance(index, (list, tuple)) and index else index
    if not isinstance(position, int) or not 0 <= position < len(records) or not records[position] or \
            liked not in (True, False):
        return None, "", ""
    record = records[position]
    row = store.add_rating("up" if liked else "down", record["question"], record["answer"], record["sources"])
    if row is None:
        return None, "Sorry, your rating could not be saved just now.", record["question"]
    return row, "Thank you. You can add a comment (optional); only what you write there is sent.", record["question"]


def add_comment(store: FeedbackStore, rating_id: int | None, comment: Any) -> str:
    comment = comment.strip() if isinstance(comment, str) else ""
    if rating_id is None or not comment:
        return "Rate an answer with the thumbs first; then a comment can be added." if rating_id is None else \
            "Type a comment first."
    return "Thank you, your comment was saved." if store.add_comment(rating_id, comment) else \
        "Sorry, your comment could not be saved just now."
