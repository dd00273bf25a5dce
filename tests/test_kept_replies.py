"""Kept replies: when one may stand for a new call, and that keeping them never changes a reply."""

from __future__ import annotations

import pytest

from chatbot.kept_replies import KeptReplies, ReplayTrace


@pytest.mark.parametrize("trace, computed_with, wanted, usable", [
    (ReplayTrace(0, False), 2, 1, True),   # used no replay: any allowance gives the same reply
    (ReplayTrace(1, False), 2, 1, True),   # one replay deep, one allowed
    (ReplayTrace(2, False), 2, 1, False),  # two deep, only one allowed now: the second would be refused
    (ReplayTrace(1, True), 1, 2, False),   # a replay was refused; with more allowed it would happen
    (ReplayTrace(1, True), 1, 1, True),    # the same allowance is the same call
    (ReplayTrace(1, False), 1, 2, True),   # nothing was refused, so more allowance changes nothing
])
def test_a_kept_reply_stands_only_for_calls_that_would_give_it(trace, computed_with, wanted, usable):
    assert KeptReplies.usable(trace, computed_with, wanted) is usable


def test_the_oldest_reply_goes_first_when_full():
    kept: KeptReplies[str] = KeptReplies(size=2)
    kept.put("a", 2, "reply a", ReplayTrace())
    kept.put("b", 2, "reply b", ReplayTrace())
    assert kept.get("a", 2)[0] == "reply a"  # now the most recent
    kept.put("c", 2, "reply c", ReplayTrace())
    assert kept.get("b", 2) is None
    assert kept.get("a", 2)[0] == "reply a" and kept.get("c", 2)[0] == "reply c"


def test_trace_takes_the_deepest_replay_and_any_refusal():
    trace = ReplayTrace()
    trace.add_replay(ReplayTrace(depth=1, cut=True))
    assert (trace.depth, trace.cut) == (2, True)


CONVERSATION = ["What are the 9 exercises for SI joint pain?", "how do I do the first one?", "and the next one?",
                "and the next one?", "how long do I hold it?"]


def replies_through(bot, messages):
    history, shown = [], []
    for message in messages:
        reply = bot.reply(message, history)
        shown.append(reply.markdown)
        history += [{"role": "user", "content": message}, {"role": "assistant", "content": reply.markdown}]
    return shown


def test_keeping_replies_never_changes_one(real_bot, monkeypatch):
    """The same conversation, with follow-ups of follow-ups, replied with replies kept and with none
    kept (every replay worked out anew), reads the same."""
    monkeypatch.setattr(real_bot, "kept_replies", KeptReplies(64))
    kept = replies_through(real_bot, CONVERSATION)
    assert real_bot.kept_replies.entries  # replies were kept, and the replays above could use them
    monkeypatch.setattr(real_bot, "kept_replies", KeptReplies(0))
    assert replies_through(real_bot, CONVERSATION) == kept
