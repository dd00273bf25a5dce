""""Ok, I'm in the mini squat. Now what?": the step after the one a person is at, from what they
said they did or the one step last shown; with the real model, what a person doing an exercise
reads."""

import numpy as np
import pytest

from chatbot.chunks import Sentence
from chatbot.next_step import asks_step_after, located_by_answer, located_by_statement, step_after
from chatbot.passages import Passage


def step(row: int, start: int) -> Passage:
    sentence = Sentence(start, start + 7, f"Step {row}.", in_list=True)
    return Passage("exercises.md", ("Exercises", "Exercise 4"), (sentence,), (row,), (0,), "item")


STEPS = [step(0, 100), step(1, 200), step(2, 300)]
VECTORS = np.eye(3, dtype=np.float32)  # each step's sentence points its own way


def test_asks_for_the_step_after_but_not_for_the_next_exercise():
    assert asks_step_after("ok im in the mini squat. now what")
    assert asks_step_after("and after that?")
    assert not asks_step_after("and the next one?")
    assert not asks_step_after("how long do I hold it?")


def test_a_statement_clearly_closest_to_one_step_locates_it():
    assert located_by_statement(STEPS, np.array([0.2, 0.9, 0.1], dtype=np.float32), VECTORS) == 1
    assert step_after(STEPS, 1) is STEPS[2]


def test_of_two_steps_about_as_close_the_earlier_is_meant_and_a_vague_statement_locates_nothing():
    assert located_by_statement(STEPS, np.array([0.0, 0.6, 0.62], dtype=np.float32), VECTORS) == 1
    assert located_by_statement(STEPS, np.array([0.1, 0.2, 0.1], dtype=np.float32), VECTORS) is None


def test_one_step_shown_alone_is_where_the_person_is_and_the_last_step_has_no_next():
    assert located_by_answer(STEPS, frozenset({("exercises.md", 200)})) == 1
    assert located_by_answer(STEPS, frozenset({("exercises.md", 100), ("exercises.md", 200)})) is None
    assert step_after(STEPS, 2) is None and step_after(STEPS, None) is None


@pytest.mark.integration
@pytest.mark.parametrize("first,statement,follow_up,own", [
    ("how do you do a hip thrust", "ok im sitting against the couch with my knees bent", "then what",
     "Push through your feet to lift your hips off the floor."),
    ("which exercise is the one with the resistance band around the knees?", "ok im in the mini squat", "now what",
     "step one foot directly out to your side"),
    ("what's the bird dog exercise for si pain", "got it, lifted my right leg and left arm", "and after that?",
     "Return to the starting position."),
])
def test_now_what_gets_the_step_after_the_one_the_person_said_they_did(real_bot, first, statement, follow_up, own):
    history = []
    for turn in (first, statement):
        history += [{"role": "user", "content": turn}, {"role": "assistant", "content": real_bot.reply(turn, history).markdown}]
    reply = real_bot.reply(follow_up, history)
    assert own in reply.answer and len(reply.answer_lines) == 1


@pytest.mark.integration
def test_now_what_after_one_step_shown_gets_the_next_one(real_bot):
    history = []
    for turn in ("how do you do a hip thrust", "ok im sitting against the couch with my knees bent", "then what"):
        history += [{"role": "user", "content": turn}, {"role": "assistant", "content": real_bot.reply(turn, history).markdown}]
    reply = real_bot.reply("and after that?", history)
    assert "Lower your butt down to the floor." in reply.answer
