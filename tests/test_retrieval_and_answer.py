import pytest

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
