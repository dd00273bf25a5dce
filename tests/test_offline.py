"""Proof that nothing reaches the network: every non-loopback connection is refused while the real
model builds an index from corpus/ and the reloaded index answers."""

import socket

import pytest

from chatbot.bot import Chatbot
from chatbot.embeddings import SentenceTransformerEmbedder
from chatbot.indexer import update_index
from chatbot.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture
def no_network(monkeypatch):
    attempts = []
    real_connect = socket.socket.connect

    def guarded_connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in ("::1", "localhost")):
            return real_connect(self, address)
        attempts.append(address)
        raise ConnectionRefusedError(f"offline test: connection to {address!r} refused")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "create_connection",
                        lambda address, *a, **k: (_ for _ in ()).throw(ConnectionRefusedError(str(address))))
    return attempts


def test_index_build_and_a_full_reply_work_offline(no_network, corpus_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(SentenceTransformerEmbedder, "_model", None)  # force a fresh model load, offline
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index")
    report = update_index(settings, SentenceTransformerEmbedder, progress=False)
    assert report.wrote and report.chunks > 50
    bot = Chatbot.load(settings, embedder_factory=SentenceTransformerEmbedder, say=lambda m: None)
    reply = bot.reply("how long should I hold the knee to chest stretch")
    assert "Hold for 30 seconds" in reply.answer
    # The freshly built, reloaded index finds each article's own passage first.
    for question, article in [("Does massage help sacroiliac joint pain?", "massage.md"),
                              ("How can massage therapy help when climbing the stairs strains the SI joint?",
                               "massage-therapy.md"),
                              ("How do I do a dead bug exercise?", "exercises.md"),
                              ("How long do I hold the supine twist stretch?", "stretches.md")]:
        assert bot.retriever.search(question).hits[0].chunk.doc_id == article, question
    assert no_network == []
