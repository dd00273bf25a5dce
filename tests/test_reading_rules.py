"""The reading rules are data with examples: each must fire on its `fires` and stay quiet on its `quiet`."""

import pytest

from chatbot.message import read_message
from chatbot.reading_rules import load_rules, silencing_rules

RULES = load_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_rule_fires_on_its_examples_and_stays_quiet_on_the_others(rule):
    for example in rule.fires:
        assert rule.id in silencing_rules(read_message(example).words, "any", RULES), example
    for example in rule.quiet:
        assert rule.id not in silencing_rules(read_message(example).words, "any", RULES), example


def test_a_rule_never_silences_the_categories_it_excepts():
    words = read_message("I had breast cancer years ago").words
    assert "distant_past" in silencing_rules(words, "infection", RULES)
    assert "distant_past" not in silencing_rules(words, "cancer", RULES)


def test_clauses_keep_the_persons_words_and_split_at_contrasts():
    message = read_message("No fever. But I can’t feel my legs; what if it spreads")
    assert [c.text for c in message.clauses] == ["No fever", "But I can’t feel my legs", "what if it spreads"]
    assert message.text[message.clauses[1].start:message.clauses[1].end] == "But I can’t feel my legs"
    assert read_message("").clauses == ()


def test_a_decimal_point_does_not_end_a_clause_and_a_full_stop_after_a_number_does():
    message = read_message("My toddler has a temperature of 38.5. What should I give her? I'm 38. Help")
    assert [c.text for c in message.clauses] == ["My toddler has a temperature of 38.5", "What should I give her",
                                                 "I'm 38", "Help"]


def test_a_run_on_message_is_read_in_bounded_clauses():
    message = read_message("word " * 1000)
    assert len(message.clauses) == 25 and all(len(c.words) <= 40 for c in message.clauses)
