"""Span vectors pooled from one pass of the model over a whole text.

Owns the arithmetic of reading a text once: cutting its tokens into overlapping windows the
model can take, choosing for each token the window that gives it the most context, grouping
windows of similar length into batches, and mean-pooling the contextual vectors of the tokens
inside a character span into a unit vector. Pure: arrays in, arrays out. Running the model is
`embeddings`' job; which spans to pool (the urgent screen's clauses) is `urgent`'s.

`pool_spans(tokens, [(0, 8)])` -> one unit vector: the mean of the vectors of the tokens that
overlap characters 0-8 of `tokens.text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

WINDOW_STRIDE = 0.75  # windows overlap by a quarter (64 tokens): every token keeps 32 or more on each side


@dataclass(frozen=True)
class TokenVectors:
    """A text read by the model once."""
    text: str
    offsets: np.ndarray  # tokens x 2: each token's character span in `text`, in order
    vectors: np.ndarray  # tokens x dimension: each token's contextual vector, from its best window
    sentence: np.ndarray  # the text's vector as `encode` gives it (its first window, mean-pooled, unit)
    chars_read: int  # len(text), or where the last token read ends when the reader's budget cut it short


def windows(count: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Token ranges of at most `size` tokens, `stride` apart, covering `count` tokens:
    `windows(10, 4, 2) -> [(0, 4), (2, 6), (4, 8), (6, 10)]`; `windows(3, 4, 2) -> [(0, 3)]`."""
    if count <= size:
        return [(0, count)]
    starts = list(range(0, count - size, stride)) + [count - size]
    return [(s, s + size) for s in starts]


def best_windows(count: int, ranges: Sequence[tuple[int, int]]) -> np.ndarray:
    """For each token, the index of the window in which it is farthest from a cut edge (an edge
    that is not the text's own start or end); ties go to the earlier window:
    `best_windows(10, windows(10, 4, 2)) -> [0, 0, 0, 1, 1, 2, 2, 3, 3, 3]`."""
    far = count + 1
    index = np.arange(count)
    best = np.zeros(count, dtype=np.int64)
    best_context = np.full(count, -1, dtype=np.int64)
    for w, (a, b) in enumerate(ranges):
        left = index - a if a > 0 else np.full(count, far)
        right = (b - 1) - index if b < count else np.full(count, far)
        context = np.where((index >= a) & (index < b), np.minimum(left, right), -1)
        better = context > best_context
        best[better], best_context[better] = w, context[better]
    return best


def stitch(count: int, ranges: Sequence[tuple[int, int]], states: Sequence[np.ndarray]) -> np.ndarray:
    """tokens x dimension: each token's vector taken from its best window; `states[w]` holds the
    vectors of window w's tokens (without the model's [CLS] and [SEP])."""
    if count == 0:
        return np.zeros((0, states[0].shape[1] if states else 0), dtype=np.float32)
    best = best_windows(count, ranges)
    out = np.empty((count, states[0].shape[1]), dtype=np.float32)
    for w, (a, b) in enumerate(ranges):
        rows = np.flatnonzero(best[a:b] == w)
        out[a + rows] = states[w][rows]
    return out


def pool_spans(tokens: TokenVectors, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """spans x dimension: the unit mean of the vectors of the tokens overlapping each character
    span [start, end); a zero row for a span with no token (the model dropped its characters)."""
    dimension = tokens.vectors.shape[1] if tokens.vectors.ndim == 2 else len(tokens.sentence)
    out = np.zeros((len(spans), dimension), dtype=np.float32)
    if not len(tokens.offsets) or not len(spans):
        return out
    # Offsets are in reading order, so the tokens of a span are one run: found by bisection and
    # summed from running totals, whatever the number of spans.
    totals = np.vstack([np.zeros((1, dimension)), np.cumsum(tokens.vectors, axis=0, dtype=np.float64)])
    starts, ends = tokens.offsets[:, 0], tokens.offsets[:, 1]
    for row, (start, end) in enumerate(spans):
        first = int(np.searchsorted(ends, start, side="right"))  # first token ending after `start`
        last = int(np.searchsorted(starts, end, side="left"))  # first token starting at or after `end`
        if last > first:
            mean = (totals[last] - totals[first]) / (last - first)
            out[row] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    return out


def batches_by_length(lengths: Sequence[int], short: int, spread: float = 2.0, size: int = 32) -> list[list[int]]:
    """Indices of `lengths`, shortest first, cut where one is longer than `short` and more than
    `spread` times its batch's shortest: a batch is padded to its longest member, so one long
    text among many short ones would make each of them cost as much as it.
    `batches_by_length([3, 3, 400], short=300) -> [[0, 1], [2]]`"""
    batches: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        if not batches or len(batches[-1]) >= size or \
                lengths[i] > max(spread * lengths[batches[-1][0]], short):
            batches.append([])
        batches[-1].append(i)
    return batches
