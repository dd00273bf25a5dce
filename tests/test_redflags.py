import json

import pytest

from chatbot.redflag_reading import correct_word
from chatbot.redflags import CATEGORIES, detect_red_flags, red_flag_notice
from conftest import ROOT


@pytest.mark.parametrize("message,category", [
    ("can't feel anything when I wipe and my legs are weak", "cauda_equina"),
    ("i peed myself and didnt even notice, back is killing me", "cauda_equina"),
    ("my bum feels numb since yesterday and my si joint hurts", "cauda_equina"),
    ("cant controll my bladdder since monday", "cauda_equina"),
    ("sciatica in both legs now, used to be just the left", "cauda_equina"),
    ("no puedo controlar la orina y me duele la espalda", "cauda_equina"),
    ("j'ai perdu le contrôle de ma vessie et j'ai mal au dos", "cauda_equina"),
    ("my foot drags and slaps the floor when I walk", "neurological_deficit"),
    ("fever and chills for two days and my lower back is agony", "infection"),
    ("I had breast cancer 4 years ago and now new back pain", "cancer"),
    ("lost 10kg without trying and my back hurts at night", "cancer"),
    ("I have osteoporosis and slipped on the stairs, now my back hurts", "fracture"),
    ("sudden tearing pain through to my back", "vascular"),
    ("pressure in my chest going down my left arm", "chest_pain"),
    ("32 weeks pregnant and bleeding, SI pain too", "pregnancy"),
    ("the pain is unbearable, 10/10, nothing helps", "uncontrolled_pain"),
    ("el dolor es insoportable, no puedo ni moverme", "uncontrolled_pain"),
    ("the baby is moving less than usual today, 34 weeks, and my SI joint aches", "pregnancy"),
    ("my toes won't lift up when I walk since the back flare", "neurological_deficit"),
    ("on steroid tablets long term and felt something crack in my back when I sat down hard", "fracture"),
    ("my horse bucked me off and I landed on my tailbone", "fracture"),
    ("pins and needles in my bum and down my left leg since this morning", "cauda_equina"),
])
def test_reported_red_flags_are_caught(message, category):
    assert category in detect_red_flags(message)


@pytest.mark.parametrize("message", [
    "what symptoms mean I should go to the ER?",
    "can SI joint pain cause numbness?",
    "no numbness or weakness, no bladder issues, just a dull ache",
    "If I ever lost bladder control would that be an emergency?",
    "my aunt had cancer, I'm worried about my back",
    "I'm 20 weeks pregnant, which stretches are safe?",
    "I moved a chest of drawers and tweaked my SI joint",
    "sore buttock after deadlifts, a bit better every day",
    "ache in my low back and butt, and pins and needles down my leg. which stretches help?",
    "I go weak at the knees when I see the bill, which stretches help SI pain?",
    "the nurse gave me a leaflet about saddle numbness, what does it mean?",
    "years ago I was in a car accident but healed fine, this is new SI pain",
    "Nearly wet myself laughing at the joke. How should I sit at my desk?",
    "I've been carrying my toddler all day and my back is sore",
    "steroids? no. fever? no. cancer? no. just a sore SI joint",
])
def test_questions_denials_and_innocent_words_stay_quiet(message):
    assert detect_red_flags(message) == []


def test_typo_correction_leaves_real_words_alone():
    assert correct_word("bladdder") == "bladder" and correct_word("numbnes") == "numbness"
    assert correct_word("carrying") == "carrying" and correct_word("cancel") == "cancel"


def test_notice_is_ordered_by_urgency_and_names_the_action():
    flags = detect_red_flags("fever and chills with back pain, and I can't control my bladder")
    assert flags == ["cauda_equina", "infection"]
    notice = red_flag_notice(flags)
    assert notice.index("emergency number") < notice.index("urgent medical care today")
    assert red_flag_notice([]) is None
    assert set(CATEGORIES) == {"cauda_equina", "neurological_deficit", "infection", "cancer", "fracture",
                               "vascular", "chest_pain", "pregnancy", "uncontrolled_pain"}


def test_development_set_recall_and_specificity_floor():
    """Not a target check (that is `python -m chatbot eval`): a guard against gross regressions."""
    rows = [json.loads(line) for line in open(ROOT / "eval" / "redflags.jsonl", encoding="utf-8")]
    positives = [r for r in rows if r["red_flag"]]
    negatives = [r for r in rows if not r["red_flag"]]
    recall = sum(bool(detect_red_flags(r["message"])) for r in positives) / len(positives)
    specificity = sum(not detect_red_flags(r["message"]) for r in negatives) / len(negatives)
    assert recall >= 0.95 and specificity >= 0.90
