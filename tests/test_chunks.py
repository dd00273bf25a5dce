from chatbot.chunks import chunk_document
from chatbot.documents import document_from_text, load_corpus
from conftest import ROOT


def real_documents():
    return load_corpus(ROOT / "corpus").documents


def test_chunk_text_is_exactly_the_document_text_at_its_offsets():
    for doc in real_documents():
        for chunk in chunk_document(doc):
            assert doc.text[chunk.start:chunk.end] == chunk.text
            for sentence in chunk.sentences:
                assert doc.text[sentence.start:sentence.end] == sentence.text
                assert chunk.start <= sentence.start < sentence.end <= chunk.end


def test_every_sentence_of_the_articles_is_in_some_chunk_and_none_is_cut():
    from chatbot.sentences import parse_blocks, sentence_spans

    for doc in real_documents():
        chunked = {(s.start, s.end) for c in chunk_document(doc) for s in c.sentences}
        for block in parse_blocks(doc.text):
            if block.kind == "heading":
                continue
            for span in sentence_spans(doc.text, block.start, block.end):
                in_references = "References" in doc.text[:span.start].split("\n## ")[-1][:12]
                assert (span.start, span.end) in chunked or in_references


def test_chunks_do_not_cross_headings_and_carry_the_heading_path():
    doc = next(d for d in real_documents() if d.doc_id == "stretches.md")
    chunks = chunk_document(doc)
    knee = [c for c in chunks if c.section[-1:] == ("Knee to Chest Stretch",)]
    assert len(knee) == 1
    assert knee[0].heading == "Sacroiliac Joint Pain: Stretches For Relief > Stretches For SI Joint Pain > Knee to Chest Stretch"
    assert "Figure 4" not in knee[0].text
    assert not any("Cleveland Clinic" in c.text for c in chunks)  # reference lists are not chunked


def test_a_list_stays_with_its_lead_in():
    doc = document_from_text("t.md", "Intro sentence one. Intro two.\n\nThe causes include:\n\n- Trauma: falls.\n"
                                     "- Pregnancy: hormones.\n- Arthritis: wear.\n")
    chunks = chunk_document(doc, max_words=8, overlap_sentences=0)
    with_list = [c for c in chunks if any(s.in_list for s in c.sentences)]
    assert len(with_list) == 1
    assert with_list[0].sentences[0].text == "The causes include:" and with_list[0].sentences[0].lead_in
    assert [s.text for s in with_list[0].sentences[1:]] == ["Trauma: falls.", "Pregnancy: hormones.", "Arthritis: wear."]


def test_overlap_repeats_the_last_sentence_at_the_seam():
    doc = document_from_text("t.md", "One two three four. Five six seven eight.\n\nNine ten eleven twelve. Thirteen fourteen.\n")
    chunks = chunk_document(doc, max_words=8, overlap_sentences=1)
    assert [s.text for s in chunks[0].sentences] == ["One two three four.", "Five six seven eight."]
    assert chunks[1].sentences[0].text == "Five six seven eight."


def test_an_oversized_list_is_split_at_item_boundaries_and_remembers_its_lead_in():
    items = "".join(f"- Item number {i} has several words in it.\n" for i in range(12))
    doc = document_from_text("t.md", "These are the items:\n\n" + items)
    chunks = chunk_document(doc, max_words=20, overlap_sentences=0)
    assert len(chunks) > 1
    assert all(c.context == "These are the items:" for c in chunks[1:])
    assert [s.text for c in chunks for s in c.sentences][1:] == [f"Item number {i} has several words in it." for i in range(12)]
