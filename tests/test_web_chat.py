"""What each action of the web chat does to the conversation (chatbot/web_chat.py), with a stand-in bot."""

from __future__ import annotations

import pytest

from chatbot import web_chat
from chatbot.answer import Citation
from chatbot.feedback import FeedbackStore


class StandInReply:
    def __init__(self, message, in_scope=True, reason=""):
        self.answer = f"answer to {message}"
        self.markdown = f"markdown of {message}"
        self.citations = [Citation(1, "Stretches", "s.md", "https://example.org/s", "Example", "Knee Hug", "t", 0.9)]
        self.in_scope, self.declined_reason, self.query = in_scope, reason, f"{message} (resolved)"


class StandInBot:
    """Replies to every message and records the history each reply was given."""

    def __init__(self, declines=False):
        self.histories, self.declines = [], declines

    def reply(self, message, history):
        self.histories.append(list(history))
        if message == "boom":
            raise RuntimeError("/secret/path/index.lock")
        return StandInReply(message, not self.declines, "not_covered" if self.declines else "")


def render(reply):
    return f"web {reply.answer}"


def turn(bot, message, display=(), history=(), records=(), store=None, saved=None):
    """Send `message` as the page does: show it, then answer it."""
    box, display, pending, busy = web_chat.show_question(message, list(display), False)
    assert box == "" and busy
    return web_chat.answer_question(lambda: bot, render, pending, list(history), display, list(records), store,
                                    saved)


def test_the_question_shows_at_once_as_typed_text_and_the_box_empties():
    box, display, pending, busy = web_chat.show_question("<b>hi</b>", [], False)
    assert (box, pending, busy) == ("", "<b>hi</b>", True)
    assert display == [{"role": "user", "content": "&lt;b&gt;hi&lt;/b&gt;"}]


def test_the_saved_conversation_stays_small_however_long_the_questions():
    """The browser sends its saved copy back to restore the chat; a copy above the server's request
    limit (2 MB) could never be restored."""
    from chatbot.feedback import MAX_QUESTION_CHARS
    from chatbot.history import TURN_CHARS

    display, history, records, saved, _ = turn(StandInBot(), "*" * 1_000_000)
    question = saved["display"][0]["content"]
    assert "more characters not shown" in question and len(question) < 3 * web_chat.SHOWN_QUESTION_CHARS
    assert len(saved["history"][0]["content"]) <= TURN_CHARS
    assert len(saved["records"][1]["question"]) <= MAX_QUESTION_CHARS


def test_a_send_while_an_answer_is_on_its_way_is_ignored_and_keeps_the_typed_text():
    display = [{"role": "user", "content": "first"}]
    assert web_chat.show_question("second", display, True) == ("second", display, "", True)


def test_a_blank_message_changes_nothing():
    assert web_chat.show_question("  \n", [], False) == ("  \n", [], "", False)


def test_an_answer_is_kept_in_display_history_records_and_the_saved_conversation():
    display, history, records, saved, busy = turn(StandInBot(), "first")
    assert not busy
    assert display[-1] == {"role": "assistant", "content": "web answer to first"}
    assert history == [{"role": "user", "content": "first"}, {"role": "assistant", "content": "markdown of first"}]
    assert records[0] is None and records[1]["question"] == "first"
    assert records[1]["sources"] == [{"n": 1, "title": "Stretches", "section": "Knee Hug", "url": "https://example.org/s"}]
    assert saved == {"display": display, "history": history, "records": records}


def test_the_next_turn_is_given_the_earlier_turns():
    bot = StandInBot()
    display, history, records, _, _ = turn(bot, "first")
    turn(bot, "second", display, history, records)
    assert bot.histories[-1] == history


def test_an_emptied_chat_forgets_the_earlier_turns():
    bot = StandInBot()
    _, history, records, _, _ = turn(bot, "first")
    display, new_history, new_records, _, _ = turn(bot, "second", [], history, records)
    assert bot.histories[-1] == []
    assert [t["content"] for t in new_history] == ["second", "markdown of second"]
    assert len(display) == len(new_records) == 2


def test_a_failing_reply_shows_a_plain_sorry_and_no_internals(capsys):
    display, history, records, _, busy = turn(StandInBot(), "boom")
    assert display[-1]["content"] == web_chat.SORRY and records[-1] is None and not busy
    assert "/secret/path" not in display[-1]["content"]


def test_a_saved_conversation_is_restored_and_anything_else_gives_an_empty_chat():
    display, history, records, saved, _ = turn(StandInBot(), "first")
    as_gradio_returns_it = dict(saved, display=[dict(m, content=[{"type": "text", "text": m["content"]}])
                                                for m in saved["display"]])
    assert web_chat.restored(as_gradio_returns_it) == (display, history, records)
    for broken in (None, "x", {}, dict(saved, records=[]), dict(saved, display=[{"role": "x", "content": "y"}]),
                   dict(saved, records=[None, {"question": "only"}])):
        assert web_chat.restored(broken) == ([], [], [])


def test_a_rating_stores_the_question_answer_and_sources_and_a_comment_can_follow(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    _, _, records, _, _ = turn(StandInBot(), "how long do I hold it?")
    row, message, question = web_chat.rate(store, records, 1, False)
    assert row is not None and "comment" in message and question == "how long do I hold it?"
    assert web_chat.add_comment(store, row, "  wrong stretch ").startswith("Thank you")
    [rating] = store.ratings()
    assert (rating.verdict, rating.question, rating.answer, rating.comment) == \
        ("down", "how long do I hold it?", "answer to how long do I hold it?", "wrong stretch")
    assert rating.sources[0]["title"] == "Stretches"


@pytest.mark.parametrize("index, liked", [(0, True), (5, True), ("1", True), (1, None), (-1, False)])
def test_a_rating_of_a_question_or_of_nothing_stores_nothing(tmp_path, index, liked):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    _, _, records, _, _ = turn(StandInBot(), "q")
    assert web_chat.rate(store, records, index, liked) == (None, "", "")
    assert not (tmp_path / "feedback.sqlite3").exists()


def test_declined_questions_are_recorded_as_typed_only_when_a_store_is_given(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    turn(StandInBot(declines=True), "is swimming good?")
    assert not (tmp_path / "feedback.sqlite3").exists()
    turn(StandInBot(declines=True), "is swimming good?", store=store)
    turn(StandInBot(declines=False), "what causes it?", store=store)
    assert store.frequent_declined() == [("is swimming good?", 1, "not_covered")]


def test_a_session_the_server_dropped_is_answered_and_rated_from_the_browsers_copy(tmp_path):
    bot = StandInBot()
    display, history, records, saved, _ = turn(bot, "first")
    # The server keeps app.SESSIONS_KEPT sessions; this one was dropped: its gr.State values are empty again.
    display, history, records, saved, _ = turn(bot, "second", display, [], [], saved=saved)
    assert bot.histories[-1] == [{"role": "user", "content": "first"},
                                 {"role": "assistant", "content": "markdown of first"}]
    assert [r and r["question"] for r in records] == [None, "first", None, "second"]
    assert saved["history"] == history and len(history) == 4  # the browser's copy keeps the earlier turns
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    dropped_again = web_chat.state_or_saved(len(display), [], [], saved)[1]
    assert web_chat.rate(store, dropped_again, 1, True)[2] == "first"


def test_the_browsers_copy_is_read_only_when_the_servers_is_missing_or_aligned_to_the_last_bubbles():
    display, history, records, saved, _ = turn(StandInBot(), "first")
    assert web_chat.state_or_saved(2, ["server"], [None, "kept"], saved) == (["server"], [None, "kept"])
    assert web_chat.state_or_saved(4, [], [], saved) == (history, [None, None] + records)
    assert web_chat.state_or_saved(1, [], [], saved) == ([], [])  # a copy longer than the chat is not this chat's
    assert web_chat.state_or_saved(2, [], [], "garbage") == ([], [])
