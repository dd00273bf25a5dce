"""The chat handler in app.py, with a stand-in bot: what each turn passes on and keeps."""

from __future__ import annotations

import pytest

import app


class RecordingBot:
    """Replies with a fixed text and records the history each reply was given."""

    def __init__(self):
        self.histories = []

    def reply(self, message, history):
        self.histories.append(list(history))
        return type("Reply", (), {"markdown": f"reply to {message}"})()


@pytest.fixture
def bot(monkeypatch):
    recording = RecordingBot()
    monkeypatch.setattr(app, "_bot", recording)
    monkeypatch.setattr(app, "_bot_error", [])
    app._bot_ready.set()
    return recording


def test_a_turn_is_kept_in_both_the_display_and_the_raw_history(bot):
    textbox, display, history = app.respond("<b>hi</b>", [], [])
    assert textbox == ""
    assert display == [{"role": "user", "content": "&lt;b&gt;hi&lt;/b&gt;"},
                       {"role": "assistant", "content": "reply to <b>hi</b>"}]
    assert history == [{"role": "user", "content": "<b>hi</b>"},
                       {"role": "assistant", "content": "reply to <b>hi</b>"}]


def test_the_next_turn_is_given_the_earlier_turns(bot):
    _, display, history = app.respond("first", [], [])
    app.respond("second", history, display)
    assert bot.histories[-1] == history


def test_an_emptied_chat_forgets_the_earlier_turns_even_before_the_history_is_reset(bot):
    _, _, history = app.respond("first", [], [])
    _, display, new_history = app.respond("second", history, [])  # the trash button emptied the display
    assert bot.histories[-1] == []
    assert [turn["content"] for turn in new_history] == ["second", "reply to second"]
    assert len(display) == 2


def test_a_blank_message_changes_nothing(bot):
    _, display, history = app.respond("first", [], [])
    assert app.respond("  \n", history, display) == ("", display, history)
    assert len(bot.histories) == 1
