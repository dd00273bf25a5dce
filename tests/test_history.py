"""Incoming messages and histories of any shape become bounded plain text, never an error."""

from chatbot.history import HISTORY_TURNS_KEPT, TURN_CHARS, clean_history, clean_text, message_text


def test_parts_lists_dicts_and_bytes_give_their_text():
    assert message_text([{"type": "text", "text": "knee"}, "stretch"]) == "knee stretch"
    assert message_text({"content": b"hold time"}) == "hold time"
    assert message_text(None) == "" and message_text(3) == "3"


def test_deep_nesting_and_huge_numbers_are_ignored_not_raised():
    deep = "hidden"
    for _ in range(5000):
        deep = [deep]
    assert message_text(deep) == ""
    assert message_text(10 ** 5000) == "" and message_text(float("nan")) == ""


def test_lone_surrogates_and_control_characters_become_spaces():
    assert clean_text("\ud800knee\x00 pain\udfff") == "knee  pain"
    assert clean_text("emoji \U0001F600 stays") == "emoji \U0001F600 stays"


def test_only_the_last_turns_are_kept_however_long_the_history():
    history = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"turn {i}"} for i in range(10_000)]
    turns = clean_history(history)
    assert len(turns) == HISTORY_TURNS_KEPT
    assert turns[-1]["content"] == "turn 9999" and turns[0]["content"] == f"turn {10_000 - HISTORY_TURNS_KEPT}"


def test_each_turn_is_cut_and_malformed_turns_are_dropped():
    turns = clean_history([{"role": "system", "content": "x"}, "junk", 7, {"role": "user", "content": "a" * 10 ** 6},
                           ["old question", "old answer"]])
    assert [t["role"] for t in turns] == ["user", "user", "assistant"]
    assert len(turns[0]["content"]) == TURN_CHARS
    assert turns[1:] == [{"role": "user", "content": "old question"}, {"role": "assistant", "content": "old answer"}]
    assert clean_history("not a list") == [] and clean_history(None) == []
