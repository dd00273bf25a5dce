"""Markdown blocks and sentence spans of a document's text.

Owns where headings, paragraphs and list items start and end, and where each
sentence within them starts and ends (character offsets into the text). Uses
NLTK's Punkt with explicit parameters, so no downloaded model is needed.
Leaves grouping sentences into chunks to `chunks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

# Lower-case, without the final period, as Punkt stores them.
ABBREVIATIONS = frozenset({
    "dr", "drs", "mr", "mrs", "ms", "prof", "st", "vs", "etc", "e.g", "i.e", "approx", "fig",
    "no", "inc", "ltd", "jr", "sr", "u.s", "min", "max", "mg", "ml", "cm", "mm", "lb", "lbs",
    "oz", "hr", "hrs", "sec", "al", "cf", "ca",
})

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+")


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "paragraph" or "item"
    start: int  # offsets of the block's content, without its Markdown marker
    end: int
    level: int = 0  # heading level, or list indent depth


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@lru_cache(maxsize=1)
def punkt() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def split_sentences(text: str) -> list[str]:
    """`split_sentences("Ask Dr. Bond. Hold 30-60 seconds.") -> ["Ask Dr. Bond.", "Hold 30-60 seconds."]`"""
    return [text[s.start:s.end] for s in sentence_spans(text, 0, len(text))]


def sentence_spans(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans within text[start:end], as offsets into `text`; hard line breaks also end one."""
    spans = []
    line_start = start
    for line in text[start:end].split("\n"):
        for s, e in punkt().span_tokenize(line):
            if line[s:e].strip():
                spans.append(Span(line_start + s, line_start + e))
        line_start += len(line) + 1
    return spans


def parse_blocks(text: str) -> list[Block]:
    """Headings, paragraphs and list items in reading order.

    A paragraph is a run of non-blank lines that are neither headings nor list items;
    a list item runs until the next item, heading or blank line.
    """
    blocks: list[Block] = []
    offset = 0
    current: list[int] | None = None  # [kind_code, start, end, level]
    kinds = {0: "paragraph", 1: "item"}

    def close():
        nonlocal current
        if current is not None:
            blocks.append(Block(kinds[current[0]], current[1], current[2], current[3]))
            current = None

    for line in text.split("\n"):
        line_end = offset + len(line)
        stripped = line.strip()
        heading = HEADING.match(line)
        item = LIST_ITEM.match(line)
        if not stripped:
            close()
        elif heading:
            close()
            content_start = offset + heading.start(2)
            blocks.append(Block("heading", content_start, content_start + len(heading.group(2)),
                                len(heading.group(1))))
        elif item:
            close()
            depth = len(item.group(1).replace("\t", "    ")) // 2
            current = [1, offset + item.end(), line_end, depth]
        elif current is not None:
            current[2] = line_end
        else:
            lead = len(line) - len(line.lstrip())
            current = [0, offset + lead, line_end, 0]
        offset = line_end + 1
    close()
    return [b for b in blocks if text[b.start:b.end].strip()]
