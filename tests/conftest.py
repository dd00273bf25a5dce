"""Shared fixtures: a tiny deterministic fake embedder, small corpora, and the real chatbot."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parent.parent


class FakeEmbedder:
    """Bag of hashed words -> unit vector: texts sharing words are close, and it is exact and fast."""

    name = "fake-embedder"
    dimension = 64
    weights_sha256 = "fake"

    def __init__(self):
        self.calls: list[int] = []  # how many texts each encode call embedded

    def encode(self, texts, progress=False):
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                word = word.strip(".,:;!?()\"'")
                if word:
                    out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    @property
    def embedded(self) -> int:
        return sum(self.calls)


@pytest.fixture
def fake_embedder():
    return FakeEmbedder()


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """The real articles, copied so a test may change them."""
    target = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", target)
    return target


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "stretch.md").write_text(
        "---\ntitle: Stretch Guide\npublisher: Example\nauthor: \ndate: \nurl: https://example.org/s\n---\n\n"
        "## Knee Hug\n\nLie on your back. Hug one knee to your chest.\n\n- Hold for 30 seconds\n- Switch legs\n",
        encoding="utf-8")
    (corpus / "massage.txt").write_text(
        "Massage Basics\nMassage relaxes tight glute muscles. A foam roller helps the lower back.\n",
        encoding="utf-8")
    return corpus


@pytest.fixture(scope="session")
def real_bot():
    """The real model, the committed index and the real corpus."""
    from chatbot.bot import Chatbot

    return Chatbot.load(say=lambda message: None)
