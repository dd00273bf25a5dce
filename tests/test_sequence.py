""""And the next one?": the phrases of chatbot/knowledge/sequence_references.toml, the order of the
real articles' sections, and (with the real model) the reply a patient gets."""

import pytest

from chatbot.request_types import load_request_types, phrase_words, request_type
from chatbot.sequence import SEQUENCE_PATH, SectionOrder, load_numbered_references, sequence_step
from chatbot.store import load_index
from conftest import ROOT

REFERENCES = load_request_types(SEQUENCE_PATH)


@pytest.mark.parametrize("kind", REFERENCES, ids=lambda t: t.id)
def test_every_reference_recognises_its_examples_and_leaves_its_quiet_ones(kind):
    assert kind.fires and kind.quiet
    assert [m for m in kind.fires if request_type(m, REFERENCES) != kind.id] == []
    assert [m for m in kind.quiet if kind.matches(phrase_words(m))] == []


def test_the_step_says_which_way():
    assert sequence_step("and the one after it?") == 1
    assert sequence_step("and the one before that?") == -1
    assert sequence_step("how long do I hold it?") == 0


@pytest.fixture(scope="module")
def order():
    return SectionOrder.of(load_index(ROOT / "index").chunks)


def section(order, doc_id, heading):
    return next(s for s in order.spans if s.doc_id == doc_id and s.section and s.section[-1] == heading)


def test_the_neighbour_is_the_sibling_under_the_same_heading(order):
    dead_bug = section(order, "exercises.md", "5. Dead Bug")
    assert order.section_at("exercises.md", dead_bug.start + 5) == dead_bug
    assert order.neighbour(dead_bug, 1).section[-1] == "6. Bird Dog"
    assert order.neighbour(dead_bug, -1).section[-1] == "Exercise 4"
    twist = section(order, "stretches.md", "Supine Twist Stretch")
    assert order.neighbour(twist, 1) is None  # the last stretch has nothing after it
    assert order.neighbour(section(order, "stretches.md", "Knee to Chest Stretch"), -1) is None
    stairs = section(order, "massage-therapy.md", "1. Climbing the stairs")
    assert order.neighbour(stairs, 1).section == ("2. Driving a vehicle",)  # top-level siblings
    exercises = section(order, "exercises.md", "9 SI Joint Pain Exercises")
    assert order.neighbour(exercises, 1) is None  # after the contents list "the next one" is one of its items


def test_an_unnamed_heading_is_named_by_its_first_sentence(order):
    exercise_2 = order.neighbour(section(order, "exercises.md", "1. Hip Thrust"), 1)
    assert exercise_2.name.startswith("Exercise 2: This move")
    assert section(order, "exercises.md", "6. Bird Dog").name == "6. Bird Dog"


@pytest.mark.integration
def test_the_next_one_after_an_exercise_is_the_exercise_after_it(real_bot):
    turns = []
    for message in ["How do I do the dead bug?", "and the next one?", "and the one before that?"]:
        reply = real_bot.reply(message, turns)
        turns += [{"role": "user", "content": message}, {"role": "assistant", "content": reply.markdown}]
    next_one = real_bot.reply("and the next one?", turns[:2])
    assert next_one.in_scope and next_one.citations[0].section.endswith("6. Bird Dog")
    assert "hands and knees" in next_one.answer and "Lie on your back" not in next_one.answer
    assert reply.citations[0].section.endswith("5. Dead Bug")  # back from the bird dog


@pytest.mark.integration
def test_the_next_one_after_a_named_exercise_finds_the_unnamed_one(real_bot):
    turns = [{"role": "user", "content": "How do I do the hip thrust?"}]
    turns.append({"role": "assistant", "content": real_bot.reply(turns[0]["content"]).markdown})
    reply = real_bot.reply("next one", turns)
    assert reply.in_scope and reply.citations[0].section.endswith("Exercise 2")


def test_every_numbered_reference_example_names_its_number_and_the_quiet_ones_none():
    references = load_numbered_references()
    assert references.fires and references.quiet
    assert {m: n for m, n in references.fires.items() if (references.named(m) or ("", None))[1] != n} == {}
    assert [m for m in references.quiet if references.named(m) is not None] == []


def test_a_number_names_the_one_section_whose_heading_and_list_carry_it(order):
    assert order.numbered("what is exercise 3").section[-1] == "3. Seated Hamstring Stretch"
    assert order.numbered("what's exercise 9?").section[-1] == "Exercise 9"
    assert order.numbered("what is stretch 3").section[-1] == "3. Seated Hamstring Stretch"  # its own heading's noun
    assert order.numbered("what is move 3") is None  # no heading numbered 3 says "move"
    assert order.numbered("what is exercise 12") is None
    assert order.numbered("I do each exercise 3 times a day") is None


@pytest.mark.parametrize("question, heading", [("What's exercise 9 in the Hinge Health list?", "Exercise 9"),
                                               ("what is exercise 3", "3. Seated Hamstring Stretch")])
def test_a_section_named_by_its_number_is_the_one_answered(real_bot, question, heading):
    reply = real_bot.reply(question)
    assert reply.in_scope and reply.citations[0].section.endswith(heading)


def test_a_follow_up_after_a_section_named_by_its_number_stays_in_that_section(real_bot):
    first = "what is exercise 3"
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": real_bot.reply(first).markdown}]
    reply = real_bot.reply("what muscles does it work?", history)
    assert reply.citations[0].section.endswith("3. Seated Hamstring Stretch")
