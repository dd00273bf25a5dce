"""The urgent-symptom screen: taxonomy as data, the trained model on real messages, notices that fit.

The screening tests use the real model and trained weights (what users get); the notice tests
use hand-made detections, so the wording can be asserted exactly.
"""

import json

import pytest

from chatbot.followup import likely_query
from chatbot.taxonomy import ACTIONS, CATEGORIES, load_taxonomy
from chatbot.urgent import Detection, screen_text
from chatbot.urgent_model import load_model
from chatbot.urgent_notice import urgent_notice
from conftest import ROOT

TAXONOMY = load_taxonomy()


@pytest.fixture(scope="module")
def screen():
    from chatbot.embeddings import default_embedder

    embedder, model = default_embedder(), load_model()

    def screen_as_a_reply_does(text):  # the model reads the retrieval query when it extends the message
        query = likely_query(text, [], lambda message, earlier: False, 4000)
        return screen_text(text, embedder.token_vectors, model, TAXONOMY, 50_000, [query] if query else [])[0]
    return screen_as_a_reply_does


def test_the_taxonomy_covers_every_category_with_sourced_conditions():
    assert {c.category for c in TAXONOMY.conditions} == set(CATEGORIES)
    for condition in TAXONOMY.conditions:
        assert condition.sources and all(s in TAXONOMY.sources for s in condition.sources), condition.id
        assert condition.action in ACTIONS and len(condition.signs) >= 5, condition.id
    assert TAXONOMY.actions["crisis"].text["en"] and "988" in TAXONOMY.actions["crisis"].text["en"]


@pytest.mark.integration
@pytest.mark.parametrize("category", CATEGORIES)
def test_each_category_fires_on_its_signs_and_stays_quiet_on_its_look_alikes(screen, category):
    """Every taxonomy entry's lay signs must fire (most of them, with the entry's category) and its
    look-alikes must stay quiet; the signs are training data, so this checks the fit, not generalisation."""
    conditions = [c for c in TAXONOMY.conditions if c.category == category]
    signs = [s for c in conditions for s in c.signs]
    caught = [s for s in signs if category in {d.category for d in screen(s)}]
    assert len(caught) >= 0.9 * len(signs), sorted(set(signs) - set(caught))[:5]
    look_alikes = [s for c in conditions for s in c.not_this]
    quiet = [s for s in look_alikes if not screen(s)]
    assert len(quiet) >= 0.85 * len(look_alikes), sorted(set(look_alikes) - set(quiet))[:5]


@pytest.mark.integration
@pytest.mark.parametrize("message,category", [
    ("since yesterday I can't feel the toilet paper when I wipe and my legs are weak", "cauda_equina"),
    ("my left calf has swollen up and gone hot and red since the flight", "vascular"),
    ("I've been saving up my tramadol in case the pain doesn't stop, I can't do this anymore", "self_harm"),
    ("I'm 34 weeks pregnant and the baby has hardly moved today", "pregnancy"),
    ("fever of 39 and shivering and my lower back is agony", "infection"),
])
def test_reported_red_flags_fire_with_the_persons_words(screen, message, category):
    detections = screen(message)
    assert category in {d.category for d in detections}
    assert all(d.words in message for d in detections)


@pytest.mark.integration
@pytest.mark.parametrize("message", [
    "no puedo controlar la orina y me duele la espalda",
    "tengo fiebre alta y escalofríos y me duele mucho la espalda",
    "j'ai de la fièvre et des frissons et très mal au dos",
    "depuis ce matin je ne sens plus rien entre les jambes",
])
def test_spanish_and_french_red_flags_get_a_notice(screen, message):
    """Spanish and French data is a tenth of the training data: the notice must come; its category
    is less reliable than in English (see docs/evaluation.md)."""
    detections = screen(message)
    assert detections and detections[0].action in ("emergency", "urgent_today")


@pytest.mark.integration
@pytest.mark.parametrize("message", [
    "what are the red flags for back pain?",
    "no numbness, bladder and bowels fine, just an ache over my SI joint",
    "my leg went numb after a long bike ride but it went away after an hour",
    "my dad died of an aneurysm, I'm 30 and my SI joint aches after running",
    "this pain is killing me, which stretches help?",
    "What if I lost bladder control, would that be an emergency?",
])
def test_denials_history_questions_and_idioms_stay_quiet(screen, message):
    assert screen(message) == []


def test_the_notice_names_only_what_the_person_said():
    said = "my leg has swollen and turned purple"
    notice = urgent_notice([Detection("vascular", "vasc_dvt", "urgent_today", said, 0.9)], TAXONOMY)
    assert f"“{said}”" in notice and TAXONOMY.category_labels["vascular"]["en"] in notice
    assert TAXONOMY.actions["urgent_today"].text["en"] in notice
    for unsaid in ("bladder", "sexual", "IV drug", "weight loss"):
        assert unsaid not in notice


def test_the_same_words_twice_make_one_line_but_two_things_said_make_two():
    longer = "going on two months and keeps me up at night. Time to get it looked at"
    shorter = "going on two months and keeps me up at night"
    # Two conditions of one category (the screen reports each condition once) quoting overlapping words.
    notice = urgent_notice([Detection("cancer", "ca_night_pain", "doctor_soon", longer, 0.6),
                            Detection("cancer", "ca_history_new_pain", "doctor_soon", shorter, 0.7)], TAXONOMY)
    assert notice.count("You mention") == 1 and f"“{shorter}”" in notice
    two = urgent_notice([Detection("cauda_equina", "ce_saddle_numbness", "emergency", "my groin is numb", 0.9),
                         Detection("cauda_equina", "ce_retention", "emergency", "I can't pee", 0.9)], TAXONOMY)
    assert two.count("You mention") == 2


@pytest.mark.parametrize("category", sorted(TAXONOMY.category_labels))
def test_every_label_reads_after_a_sign_of(category):
    """The notice says "this can be a sign of {label}": a label is a thing one can have, not a list
    of signs ("a sign of signs that need checking" was shown)."""
    label = TAXONOMY.category_labels[category]["en"]
    assert not label.lower().startswith(("sign", "warning sign")), label


def test_self_harm_gets_its_own_notice_first_with_a_crisis_line():
    detections = [Detection("self_harm", "sh_wish_to_die_pain", "crisis", "I want it all to end", 0.99),
                  Detection("infection", "inf_fever_back_pain", "urgent_today", "fever and back pain", 0.9)]
    notice = urgent_notice(detections, TAXONOMY)
    crisis, symptoms = notice.index(TAXONOMY.actions["crisis"].text["en"]), notice.index("fever and back pain")
    assert crisis < symptoms and "988" in notice and "116 123" in notice
    assert "I want it all to end" not in notice  # the person's despair is not quoted back at them


def test_the_persons_words_are_shown_as_text_never_as_markup():
    said = "![x](http://evil.example/a.png) <img src=x> numb"
    notice = urgent_notice([Detection("cauda_equina", "ce_saddle_numbness", "emergency", said, 0.9)], TAXONOMY)
    assert "<img" not in notice and "![x](" not in notice and "&lt;img" in notice


def test_spanish_and_french_notices_are_in_the_persons_language():
    detection = Detection("infection", "inf_fever_back_pain", "urgent_today", "fiebre", 0.9)
    assert TAXONOMY.actions["urgent_today"].text["es"] in urgent_notice([detection], TAXONOMY, "es")
    assert TAXONOMY.actions["urgent_today"].text["fr"] in urgent_notice([detection], TAXONOMY, "fr")
    assert urgent_notice([], TAXONOMY) is None


@pytest.mark.integration
def test_the_json_reply_says_what_fired(real_bot):
    data = real_bot.reply("I can't feel anything between my legs since this morning").to_json()
    assert data["red_flags"] == ["cauda_equina"] and data["notice"]
    detection = data["detections"][0]
    assert detection["category"] == "cauda_equina" and detection["action"] == "emergency"
    assert detection["words"] in "I can't feel anything between my legs since this morning"
    assert detection["condition"] in {c.id for c in TAXONOMY.conditions}


def test_the_trained_weights_record_their_data_and_taxonomy():
    meta = json.loads((ROOT / "chatbot" / "weights" / "urgent_model.json").read_text())
    assert meta["taxonomy_sha256"] == TAXONOMY.sha256
    assert 0 < meta["threshold"] < 1 and meta["cross_validated"]["recall"] > 0.9


@pytest.mark.integration
def test_the_screen_stops_at_its_token_bound_and_says_where():
    from chatbot.embeddings import default_embedder
    from chatbot.urgent import MAX_SCREENED_TOKENS

    calm = "I stretch every morning and it helps a little. " * 150  # about 1,650 tokens
    text = calm + "Since yesterday I can't feel my legs and I can't pee."
    detections, screened = screen_text(text, default_embedder().token_vectors, load_model(), TAXONOMY, 50_000)
    assert MAX_SCREENED_TOKENS < 1_650 and 0 < screened < len(calm) and text[screened - 1] == "e"
    assert not detections  # what lies past the bound is not read; the reply says so (test_bot_integration)
    detections, screened = screen_text(text[-300:], default_embedder().token_vectors, load_model(), TAXONOMY, 50_000)
    assert screened == 300 and "cauda_equina" in {d.category for d in detections}
