"""A running app switches to a rebuilt index between requests (chatbot/live_index.py), real model."""

from __future__ import annotations

import json
import shutil

import pytest

from chatbot.bot import Chatbot
from chatbot.indexer import update_index
from chatbot.live_index import TRIES_PER_REBUILD, LiveChatbot
from chatbot.settings import Settings
from conftest import ROOT

pytestmark = pytest.mark.integration

NEW_ARTICLE = """---
title: Walking Breaks For SI Joint Pain
publisher: Example Clinic
author:
date:
url: https://example.org/walking
---

## Walking Breaks

Taking a short walking break every half hour eases stiffness from sitting. Walk at an easy pace for five minutes.
"""


@pytest.fixture
def live(tmp_path, real_bot):
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    shutil.copytree(ROOT / "index", tmp_path / "index")
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    embedder = real_bot.retriever.embedder
    bot = Chatbot.load(settings, lambda: embedder, say=lambda m: None)
    said: list[str] = []
    return LiveChatbot(bot, say=said.append), settings, embedder, said


def documents_of(bot):
    return {c.doc_id for c in bot.retriever.chunks}


def test_nothing_changes_while_the_index_is_the_same(live):
    watcher, *_ = live
    before = watcher.current
    assert watcher.check() is False and watcher.current is before


def test_a_rebuilt_index_replaces_the_bot_whole_and_says_so(live):
    watcher, settings, embedder, said = live
    old = watcher.current
    (settings.corpus_dir / "walking.md").write_text(NEW_ARTICLE, encoding="utf-8")
    update_index(settings, lambda: embedder)
    assert watcher.check() is True
    assert "walking.md" in documents_of(watcher.current) and "walking.md" not in documents_of(old)
    assert watcher.current.retriever.embedder is embedder  # the model is shared, not loaded again
    assert old.reply("how long should I hold the knee to chest stretch?").citations  # a request holding the old one
    assert any("now answering from the new index" in line for line in said)
    assert watcher.check() is False  # once per rebuild


def test_a_rebuilt_index_that_does_not_load_leaves_the_old_one_serving(live):
    watcher, settings, _, said = live
    old = watcher.current
    manifest_path = settings.index_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"] = {name: "0" * 64 for name in manifest["files"]}  # no file matches its recorded hash
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    for _ in range(TRIES_PER_REBUILD + 2):
        assert watcher.check() is False
    assert watcher.current is old
    assert sum("did not load" in line for line in said) == TRIES_PER_REBUILD


def test_an_article_added_without_labelled_questions_is_answered_and_index_names_it(live, monkeypatch, capsys):
    from chatbot.cli import main

    watcher, settings, embedder, _ = live
    (settings.corpus_dir / "walking.md").write_text(NEW_ARTICLE, encoding="utf-8")
    monkeypatch.setenv("SIBOT_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("SIBOT_INDEX_DIR", str(settings.index_dir))
    assert main(["index", "--quiet"]) == 0
    assert "no labelled questions are about walking.md" in capsys.readouterr().err
    watcher.check()
    reply = watcher.current.reply("how often should I take a walking break from sitting?")
    assert reply.in_scope and [c.source for c in reply.citations] == ["walking.md"]
    assert not watcher.current.reply("is swimming good for SI joint pain?").in_scope
