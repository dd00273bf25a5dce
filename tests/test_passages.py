"""Answers as whole passages: the candidate rules on the real articles, the labelled data, the linter,
and (with the real model) what a person reads after asking about one exercise."""

import re

import numpy as np
import pytest

from chatbot.answer import Citation
from chatbot.answer_linter import lint_reply
from chatbot.chunks import Sentence
from chatbot.documents import load_corpus
from chatbot.passage_answer import compose_passage_answer, passage_lines
from chatbot.passages import UNNAMED_HEADING, build_passages, is_question, leans_on_previous
from chatbot.store import load_index
from chatbot.train_passages import data_paths, read_labelled_questions
from conftest import ROOT


@pytest.fixture(scope="module")
def corpus_passages():
    stored = load_index(ROOT / "index")
    texts = {d.doc_id: d.text for d in load_corpus(ROOT / "corpus").documents}
    return build_passages(stored.chunks, texts), texts


def test_no_passage_opens_on_a_sentence_leaning_on_one_not_shown(corpus_passages):
    passages, texts = corpus_passages
    firsts = {}
    for p in passages:
        key = (p.doc_id, p.section)
        firsts[key] = min(firsts.get(key, p.sentences[0].start), p.sentences[0].start)
    for p in passages:
        if leans_on_previous(p.sentences[0]):
            assert p.sentences[0].start == firsts[(p.doc_id, p.section)], p.sentences[0].text


def test_under_an_unnamed_heading_this_move_comes_with_the_steps_that_say_which_move(corpus_passages):
    passages, _ = corpus_passages
    unnamed = [p for p in passages if p.section and UNNAMED_HEADING.match(p.section[-1])]
    assert unnamed  # the exercises article numbers some exercises without a name
    for p in unnamed:
        if leans_on_previous(p.sentences[0]):
            assert p.kind == "section" and any(s.in_list for s in p.sentences), p.sentences[0].text


def test_a_section_that_only_announces_its_subsections_comes_with_their_names(corpus_passages):
    passages, texts = corpus_passages
    announcing = [p for p in passages if p.sentences[0].text.startswith("The following SI joint pain exercises")]
    assert announcing and all(p.kind == "contents" for p in announcing)
    for p in announcing:
        items = [line.text for line in passage_lines(p, 1, True, texts[p.doc_id]) if line.kind == "item"]
        assert len(items) == 9 and items[0] == "1. Hip Thrust"
        # A heading that names nothing comes with the sentence saying what the move does.
        assert items[1] == "Exercise 2: This move stretches your glutes and low back muscles."
        assert items[8].startswith("Exercise 9: This targets the piriformis muscle")


def test_a_question_or_a_lead_in_is_never_a_passage_alone(corpus_passages):
    passages, _ = corpus_passages
    for p in passages:
        assert not all(s.text.rstrip().endswith(("?", ":")) for s in p.sentences), p.sentences[0].text


def test_a_list_keeps_its_lead_in_and_stays_in_one_section(corpus_passages):
    passages, _ = corpus_passages
    steps = [p for p in passages if p.kind == "unit" and p.sentences[0].text.startswith("How to do it")]
    assert len(steps) >= 8  # one per exercise with numbered steps
    for p in steps:
        assert all(s.in_list for s in p.sentences[1:]) and len({p.section}) == 1


def test_every_labelled_answer_is_exact_text_of_its_document(corpus_passages):
    _, texts = corpus_passages
    questions = read_labelled_questions(data_paths(ROOT), texts)
    assert len(questions) >= 1500
    answerable = [q for q in questions if q.doc_id]
    assert len(answerable) >= 1200 and all(q.gold for q in answerable)
    for q in answerable:
        for start, end in q.gold:
            assert texts[q.doc_id][start:end].strip()
    assert {q.doc_id for q in answerable} == set(texts)


def citation(section, text, quoted, source="stretches.md"):
    return Citation(1, "t", source, "", "", section, text, 1.0, tuple(quoted))


def test_the_linter_names_each_way_an_answer_misleads():
    texts = {"stretches.md": "## A\n\nThis is a stretch. Why? Because.\n\n- one\n- two\n\nLead in:\n"}
    starts = frozenset({texts["stretches.md"].index("This")})
    clean = citation("A", "This is a stretch.", ["This is a stretch."])
    assert lint_reply([clean], texts, starts) == []
    assert "orphan_reference" in lint_reply([clean], texts, frozenset())
    assert "question_or_bare_lead_in" in lint_reply([citation("A", "Lead in:", ["Lead in:"])], texts, starts)
    lists = [citation("A", "- one\n- two", ["one"]), citation("B", "- three\n- four", ["three"])]
    assert "merged_lists" in lint_reply(lists, texts, starts)
    assert "too_many_sources" in lint_reply([clean, clean, clean], texts, starts)


@pytest.mark.integration
@pytest.mark.parametrize("question,own,other", [
    ("how do I do the knee to chest stretch?", "Bring one knee up to your chest", "Cross one ankle over"),
    ("how do I do the bird dog?", "opposite arm", "Cross one ankle over"),
    ("steps for the figure 4 stretch please", "Cross one ankle over the opposite knee", "Bring one knee up"),
])
def test_an_exercise_question_gets_that_exercises_steps_and_no_others(real_bot, question, own, other):
    reply = real_bot.reply(question)
    assert own in reply.answer and other not in reply.answer
    assert len(reply.citations) <= 2 and not lint_reply(reply.citations, real_bot.document_texts,
                                                         real_bot.passages.section_starts)


@pytest.mark.integration
def test_a_follow_up_answers_from_the_exercise_last_discussed(real_bot):
    first = "how do I do the knee to chest stretch?"
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": real_bot.reply(first).markdown}]
    reply = real_bot.reply("how long do I hold it?", history)
    assert "Hold for 30 seconds and switch legs" in reply.answer
    assert reply.citations[0].section.endswith("Knee to Chest Stretch")


@pytest.mark.integration
@pytest.mark.parametrize("first,follow_up,own,other", [
    ("how do i do a hip thrust against the couch", "where do my feet go?", "feet flat on the floor, hip distance apart",
     "Sit in a chair"),
    ("Tell me how to do the banded mini squat side step", "which direction does the foot go?",
     "step one foot directly out to your side", "Sit in a chair"),
])
def test_a_follow_up_without_a_cue_word_stays_with_the_exercise(real_bot, first, follow_up, own, other):
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": real_bot.reply(first).markdown}]
    reply = real_bot.reply(follow_up, history)
    assert reply.used_context and own in reply.answer and other not in reply.answer


@pytest.mark.integration
def test_under_an_urgent_notice_no_quote_presents_the_symptom_as_ordinary(real_bot):
    reply = real_bot.reply("I have numbness in both legs since this morning. What does SI joint pain feel like?")
    assert reply.notice and "cauda_equina" in reply.red_flags
    assert not re.search(r"numbness or tingling in the legs", reply.answer)


@pytest.mark.integration
def test_the_second_one_is_the_second_item_of_the_list_last_shown(real_bot):
    first = "What stretches can I do for SI joint pain?"
    shown = real_bot.reply(first)
    assert shown.items[:3] == ["Knee to Chest Stretch", "Figure 4 Stretch", "Supine Twist Stretch"]
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": "(whatever was rendered)"}]
    reply = real_bot.reply("and the second one?", history)
    assert reply.citations[0].section.endswith("Figure 4 Stretch")


def test_a_list_item_of_several_sentences_is_one_bullet_and_follow_ups_count_bullets(corpus_passages):
    passages, texts = corpus_passages
    culprits = [p for p in passages if p.doc_id == "massage.md" and p.sentences[0].text.startswith("Common culprits")]
    assert culprits
    from chatbot.passage_answer import compose_passage_answer
    answer = compose_passage_answer([(culprits[0], 0.9)], {}, texts, frozenset())
    items = [line.text for line in answer.lines if line.kind == "item"]
    pregnancy = [i for i in items if i.startswith("Pregnancy and Childbirth")]
    assert pregnancy and "Plus, the added weight and changes in posture" in pregnancy[0]
    assert not any(i.startswith("Plus, the added weight") for i in items)  # not a bullet of its own
    assert answer.list_items == tuple(items) and len(items) == 6  # the article's six culprits


def test_every_statement_of_the_articles_is_in_some_passage(corpus_passages):
    """A sentence in no passage can never be quoted ("Studies suggest that SI joint pain is
    responsible for 15% to 30%…" followed a list and opened on "This kind of pain…"). The one
    exception: a sentence that only answers the article's own question just before it ("So, what
    causes SI joint pain? It can be a real mix of things…"), since the question is never quoted and
    its "It" would stand for nothing."""
    passages, _ = corpus_passages
    stored = load_index(ROOT / "index")
    covered = {(p.doc_id, s.start) for p in passages for s in p.sentences}
    unreachable = [s.text for c in stored.chunks for before, s in zip((None,) + c.sentences, c.sentences)
                   if (c.doc_id, s.start) not in covered and not s.text.rstrip().endswith(("?", ":"))
                   and not (before is not None and is_question(before) and leans_on_previous(s))]
    assert unreachable == [], unreachable


def test_the_articles_own_question_is_never_part_of_a_passage(corpus_passages):
    passages, _ = corpus_passages
    assert [p.sentences for p in passages if any(is_question(s) for s in p.sentences)] == []
    feel = [p for p in passages if p.sentences[0].text.startswith("It’s usually felt in the lower back")]
    assert feel and any(s.text == "People often describe it as:" for s in feel[0].sentences)


def test_no_passage_ends_on_a_lead_in_and_a_nested_list_comes_with_its_parent(corpus_passages):
    passages, _ = corpus_passages
    assert not [p.sentences[-1].text for p in passages if p.sentences[-1].text.rstrip().endswith(":")]
    therapy = [p for p in passages if p.kind == "item" and p.sentences[0].text.startswith("Physical Therapy PT")]
    assert therapy and any(s.text.startswith("Identify and correct muscle imbalances") for s in therapy[0].sentences)
    assert any(s.text.startswith("Manual Therapy") for s in therapy[0].sentences)
    benefits = [p for p in passages if p.sentences[0].text.startswith("The right exercises can make a big difference")]
    assert any(p.sentences[-1].text.startswith("SI joint exercises often involve strengthening both sides")
               for p in benefits)  # the announcing paragraph with its list, to the sixth benefit


def test_a_passage_opening_on_a_lead_in_is_shown_under_its_exercise_name(corpus_passages):
    """"How to do it:" and the steps, picked without the paragraph before them, say which exercise
    "it" is: the section's name stands over them."""
    passages, texts = corpus_passages
    steps = next(p for p in passages if p.section[-1:] == ("5. Dead Bug",) and p.kind != "section"
                 and p.sentences[0].text.strip() == "How to do it:")
    answer = compose_passage_answer([(steps, 0.9)], {}, texts, frozenset())
    assert answer.lines[0].kind == "heading" and answer.lines[0].text == "5. Dead Bug"
    window = next(p for p in passages if p.kind == "window" and not p.sentences[0].text.rstrip().endswith(":"))
    assert compose_passage_answer([(window, 0.9)], {}, texts, frozenset()).lines[0].kind != "heading"


def test_a_question_about_one_item_gets_that_item_and_a_list_asked_for_gets_the_list(real_bot):
    one = real_bot.reply("Can pregnancy cause SI joint pain?")
    assert one.in_scope and one.citations[0].quoted[0].startswith("Pregnancy and Childbirth")
    assert not any("Trauma or Injury" in s for c in one.citations for s in c.quoted)
    whole = real_bot.reply("What are the common causes of SI joint pain?")
    quoted = [s for c in whole.citations for s in c.quoted]
    assert any(s.startswith("Pregnancy and Childbirth") for s in quoted) and any("Trauma or Injury" in s for s in quoted)


def test_a_follow_up_keeps_to_the_section_last_shown_only_when_it_holds_a_likely_answer():
    from types import SimpleNamespace

    from chatbot.passage_answer import TOPIC_SHARE, kept_to_topic
    from chatbot.sequence import SectionSpan

    passages = [SimpleNamespace(doc_id="exercises.md", section=("Exercises", "5. Dead Bug")),
                SimpleNamespace(doc_id="exercises.md", section=("Exercises", "6. Bird Dog")),
                SimpleNamespace(doc_id="exercises.md", section=("Exercises", "6. Bird Dog", "Tip"))]
    table = SimpleNamespace(passages=passages)
    bird_dog = SectionSpan("exercises.md", ("Exercises", "6. Bird Dog"), 0, 10, "")
    likely = np.array([0.8, 0.8 * TOPIC_SHARE + 0.01, 0.1])
    assert kept_to_topic([0, 1, 2], likely, table, bird_dog)[0] == [1, 2]  # its subsection too
    unlikely = np.array([0.8, 0.8 * TOPIC_SHARE - 0.01, 0.1])
    assert kept_to_topic([0, 1, 2], unlikely, table, bird_dog)[0] == [0, 1, 2]


@pytest.mark.integration
def test_an_exercise_the_article_leaves_unnamed_is_shown_under_its_heading(real_bot):
    """"Which exercise targets the piriformis?" is answered by Exercise 9, whose heading names no
    move: without "Exercise 9" above it, its "This targets the piriformis…" answers nothing."""
    reply = real_bot.reply("Which exercise targets the piriformis muscle?")
    assert reply.answer_lines[0].kind == "heading" and reply.answer_lines[0].text == "Exercise 9"
    assert reply.answer_lines[1].text.startswith("This targets the piriformis muscle")


@pytest.mark.parametrize("text,leans", [
    ("(This is kind of like a dead bug done from all fours.)", True),  # a parenthesis opening on a reference
    ("“This amazing exercise targets your glutes,” explains Dr. Bond.", True),
    ("Also, if you experience weakness in your legs, see a doctor.", True),
    ("Tightness here is a common contributor to low back pain,” explains Dr. Bond.", True),  # closes a quote opened before
    ("“When your hamstrings get too tight, they can cause pain,” says Dr. Bond.", False),  # opens and closes its quote
    ("(Hold for 30 seconds.)", False),
    ("Trigger points are tiny, irritable knots in your muscles.", False),
])
def test_a_sentence_opening_on_a_reference_or_closing_a_quote_leans_on_the_one_before(text, leans):
    assert leans_on_previous(Sentence(0, len(text), text)) is leans
