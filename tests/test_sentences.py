from chatbot.documents import load_corpus
from chatbot.sentences import parse_blocks, sentence_spans, split_sentences
from conftest import ROOT


def article_text(name: str) -> str:
    return next(d.text for d in load_corpus(ROOT / "corpus").documents if d.doc_id == name)


def sentences_of(name: str) -> list[str]:
    text = article_text(name)
    return [text[s.start:s.end] for b in parse_blocks(text) if b.kind != "heading"
            for s in sentence_spans(text, b.start, b.end)]


def test_dr_and_credentials_do_not_end_a_sentence():
    sentences = sentences_of("exercises.md")
    assert ("A strong core helps SI joint pain because improved strength and stability around the SI joint "
            "means there’s more support in the area, explains Dr. Bond.") in sentences
    assert any(s.startswith("“This amazing exercise") and s.endswith("a physical therapist at Hinge Health.")
               for s in sentences)


def test_eg_inside_a_sentence_is_kept():
    sentences = sentences_of("massage.md")
    hit = [s for s in sentences if "e.g., severe ankylosing" in s]
    assert len(hit) == 1 and hit[0].startswith("Underlying Medical Conditions:") and hit[0].endswith("flare-ups might "
                                                                                                      "contraindicate certain types of massage.")


def test_ranges_and_numbered_steps():
    sentences = sentences_of("massage.md")
    assert any("hold pressure on it for 30-60 seconds, or make small circular motions over it." in s for s in sentences)
    steps = sentences_of("exercises.md")
    assert "Push through your feet to lift your hips off the floor." in steps  # step marker "2." not in the text


def test_bullets_without_final_period_are_sentences():
    assert "Hold for 30 seconds and switch legs" in sentences_of("stretches.md")


def test_split_sentences_example_from_docstring():
    assert split_sentences("Ask Dr. Bond. Hold 30-60 seconds.") == ["Ask Dr. Bond.", "Hold 30-60 seconds."]
    assert split_sentences("Try a massage ball, e.g. a lacrosse ball. It helps.") == [
        "Try a massage ball, e.g. a lacrosse ball.", "It helps."]


def test_blocks_find_headings_items_and_paragraphs():
    text = "## Title\n\nLead in:\n\n- one\n- two\n\n1. step\n"
    kinds = [(b.kind, text[b.start:b.end]) for b in parse_blocks(text)]
    assert kinds == [("heading", "Title"), ("paragraph", "Lead in:"), ("item", "one"), ("item", "two"),
                     ("item", "step")]
