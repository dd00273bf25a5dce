"""What the server keeps per session after an API call: no copy of a 1 MB message or a 5,000-turn
history (chatbot/web_sessions.py), while the web chat's own state still works."""

from __future__ import annotations

import asyncio
import json
import threading
from types import SimpleNamespace

import pytest

import app
from chatbot.web_sessions import keep_no_page_copies

BIG_MESSAGE = "my SI joint hurts when I sit. " * 35_000  # about 1 MB
LONG_HISTORY = [{"role": "user" if t % 2 == 0 else "assistant", "content": f"turn {t}"} for t in range(5_000)]


class EchoBot:
    def reply(self, message, history):
        return SimpleNamespace(to_json=lambda: {"answer": f"{len(message)} characters, {len(history)} turns"})


@pytest.fixture
def demo(monkeypatch, tmp_path):
    ready = threading.Event()
    ready.set()
    monkeypatch.setattr(app, "_bot_ready", ready)
    monkeypatch.setattr(app, "_live", SimpleNamespace(current=EchoBot()))
    return app.build_demo(feedback_db=tmp_path / "f.sqlite3")


def kept_bytes(session) -> int:
    """What a session holds besides the app's gr.State values: its page configuration and values."""
    return len(json.dumps(list(session.components), default=str))


def call_ask(demo, session, message, history) -> dict:
    from gradio.state_holder import SessionState  # noqa: F401  (the class the patch changed)

    fn = next(f for f in demo.fns.values() if f.api_name == "ask")
    return asyncio.run(demo.process_api(fn, [message, history], state=session))


def test_an_api_session_keeps_no_copy_of_a_large_message_or_history(demo):
    from gradio.state_holder import SessionState

    session = SessionState(demo)
    assert kept_bytes(session) < 1_000  # not the page's configuration either (about 50 KB before)
    result = call_ask(demo, session, BIG_MESSAGE, LONG_HISTORY)
    assert result["data"][0]["answer"] == f"{len(BIG_MESSAGE)} characters, 5000 turns"  # the call itself works
    assert kept_bytes(session) < 1_000  # was the whole message and history (about 1.3 MB)


def test_the_patch_is_applied_once_and_fits_this_gradio():
    from gradio.state_holder import SessionState

    assert keep_no_page_copies() is True and keep_no_page_copies() is True
    assert SessionState._update_value_in_config.__qualname__.startswith("keep_no_page_copies")


def test_the_web_chat_keeps_only_what_is_read_again_of_a_long_question():
    from chatbot.feedback import MAX_QUESTION_CHARS
    from chatbot.history import TURN_CHARS
    from chatbot.web_chat import answer_question, show_question

    bot = SimpleNamespace(reply=lambda message, history: SimpleNamespace(
        answer="An answer.", citations=[], markdown="An answer.", in_scope=True, declined_reason=""))
    _, display, pending, busy = show_question(BIG_MESSAGE, [], False)
    display, history, records, saved, busy = answer_question(lambda: bot, lambda r: r.markdown, pending, [],
                                                             display, [])
    assert history[0]["content"] == BIG_MESSAGE[:TURN_CHARS] and history[1]["content"] == "An answer."
    assert records[1]["question"] == BIG_MESSAGE[:MAX_QUESTION_CHARS]
    assert saved["history"] == history and busy is False
