import pytest

from chatbot.answer import compose_answer, list_around, passage_text, score_sentences, select_sentences
from chatbot.chunks import Chunk, Sentence
from chatbot.indexer import update_index
from chatbot.lexical import BM25Index
from chatbot.retrieval import Retriever, reciprocal_rank_fusion
from chatbot.settings import Settings
from chatbot.store import load_index


def test_reciprocal_rank_fusion_matches_the_docstring():
    fused = reciprocal_rank_fusion([[7, 3], [3]])
    assert fused == {7: pytest.approx(1 / 61), 3: pytest.approx(1 / 62 + 1 / 61)}
    assert max(fused, key=fused.get) == 3


def test_bm25_prefers_rare_matching_terms_and_stems():
    bm25 = BM25Index.build(["the foam roller on the back", "the back and the hips", "massage gun settings"])
    scores = bm25.score("rolling with a foam roller")
    assert scores.argmax() == 0 and scores[2] == 0
    assert bm25.score("unknownword").sum() == 0


@pytest.fixture
def small_retriever(small_corpus, tmp_path, fake_embedder):
    settings = Settings(corpus_dir=small_corpus, index_dir=tmp_path / "index")
    update_index(settings, lambda: fake_embedder, progress=False)
    return Retriever(load_index(settings.index_dir), fake_embedder)


def test_hybrid_search_ranks_the_matching_document_first(small_retriever):
    hits = small_retriever.search("hug one knee to your chest", top_k=2).hits
    assert hits[0].chunk.doc_id == "stretch.md" and hits[0].dense > hits[-1].dense
    hits = small_retriever.search("foam roller lower back", top_k=2).hits
    assert hits[0].chunk.doc_id == "massage.txt"


def test_lay_words_reach_the_article_words_through_bm25(small_retriever):
    hits = small_retriever.search("that big foam cylinder thing", top_k=1).hits
    assert hits[0].chunk.doc_id == "massage.txt" and hits[0].lexical > 0


def test_the_chunk_of_the_best_matching_sentence_joins_the_hits_whatever_its_fused_rank(small_retriever):
    for query in ("relaxes tight glute muscles", "hold for 30 seconds", "a foam roller"):
        hits = small_retriever.search(query, top_k=1).hits
        vector = small_retriever.embed(query)
        best_sentence_chunk = max(range(len(small_retriever.chunks)),
                                  key=lambda i: small_retriever.sentence_similarities(i, vector).max())
        assert best_sentence_chunk in [h.chunk_id for h in hits]
        assert not hits[0].sentence_led and all(h.sentence_led for h in hits[1:])
        assert len({h.chunk_id for h in hits}) == len(hits)


def test_selected_sentences_are_corpus_sentences_with_numbered_sources(small_retriever):
    retrieval = small_retriever.search("how long do I hold the knee hug")
    scored = score_sentences(retrieval, small_retriever, "how long do I hold the knee hug")
    chosen = select_sentences(scored, small_retriever.chunks, wants_list=False)
    answer = compose_answer(chosen, small_retriever.chunks, {"stretch.md": {"url": "https://example.org/s"}})
    corpus_sentences = {s.text for c in small_retriever.chunks for s in c.sentences}
    assert chosen and all(c.sentence.text in corpus_sentences for c in chosen)
    assert "Hold for 30 seconds [1]" in answer.text
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert answer.citations[0].url == "https://example.org/s" and answer.citations[0].source == "stretch.md"
    assert "Hold for 30 seconds" in answer.citations[0].quoted


def chunk(doc, section, texts, in_list=(), lead=()):
    sentences, start = [], 0
    for i, t in enumerate(texts):
        sentences.append(Sentence(start, start + len(t), t, in_list=i in in_list, lead_in=i in lead))
        start += len(t) + 1
    return Chunk(doc, doc.title() if False else "T", section, 0, start, " ".join(texts), tuple(sentences))


def test_a_wanted_list_comes_whole_with_its_lead_in():
    c = chunk("a.md", ("Causes",), ["Intro.", "Common causes include:", "Trauma.", "Pregnancy.", "Arthritis."],
              in_list=(2, 3, 4), lead=(1,))
    assert list_around(c, 3) == [1, 2, 3, 4]
    from chatbot.answer import Selected
    scored = [Selected(0, i, s, score) for i, (s, score) in enumerate(zip(c.sentences, [0.1, 0.5, 0.6, 0.9, 0.4]))]
    chosen = select_sentences(sorted(scored, key=lambda s: -s.score), [c], wants_list=True)
    assert sorted(s.index for s in chosen) == [1, 2, 3, 4]
    answer = compose_answer(chosen, [c], {})
    assert answer.text.splitlines() == ["Common causes include: [1]", "- Trauma. [1]", "- Pregnancy. [1]", "- Arthritis. [1]"]


def test_sources_are_numbered_in_order_of_their_best_sentence():
    from chatbot.answer import Selected
    a = chunk("a.md", ("One",), ["Alpha sentence here."])
    b = chunk("b.md", ("Two",), ["Beta sentence here."])
    chosen = [Selected(0, 0, a.sentences[0], 0.4), Selected(1, 0, b.sentences[0], 0.9)]
    answer = compose_answer(chosen, [a, b], {})
    assert [c.source for c in answer.citations] == ["b.md", "a.md"]
    assert answer.text.index("Beta") < answer.text.index("Alpha") and "Alpha sentence here. [2]" in answer.text


def test_a_citation_shows_the_whole_passage_its_sentences_come_from():
    text = "Intro. One. Two. Three. Four. Outro."
    first = Chunk("a.md", "T", ("S",), 7, 16, text[7:16], (Sentence(7, 11, "One."), Sentence(12, 16, "Two.")))
    second = Chunk("a.md", "T", ("S",), 12, 29, text[12:29], (Sentence(12, 16, "Two."), Sentence(24, 29, "Four.")))
    assert passage_text([first, second], text) == "One. Two. Three. Four."
    assert passage_text([first], None) == "One. Two."
