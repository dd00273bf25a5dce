"""Groups a document's sentences into chunks for retrieval.

Owns chunk boundaries: a chunk never cuts a sentence, never crosses a heading,
keeps a list together with the sentence that leads into it, and records the
exact character offsets of itself and of each of its sentences in the document.
Leaves embedding and storage to later stages.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .documents import Document
from .sentences import Block, parse_blocks, sentence_spans

# Reference lists are citations of other works, not answers; they are kept in the
# corpus files for faithfulness but never chunked.
SKIPPED_SECTIONS = {"references", "references:"}


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    in_list: bool = False  # a list item's sentence
    lead_in: bool = False  # the sentence that introduces a following list

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Chunk:
    doc_id: str
    title: str
    section: tuple[str, ...]
    start: int
    end: int
    text: str  # exactly document.text[start:end]
    sentences: tuple[Sentence, ...]
    context: str = ""  # the lead-in of a list split across chunks, for the embedding only

    @property
    def heading(self) -> str:
        """`Title > Section > Subsection`."""
        return " > ".join((self.title, *self.section))

    def embedding_text(self) -> str:
        body = " ".join(s.text for s in self.sentences)
        return f"{self.heading}. {self.context} {body}".replace("  ", " ")

    def to_json(self) -> dict:
        data = asdict(self)
        data["section"] = list(self.section)
        data["sentences"] = [s.to_json() for s in self.sentences]
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Chunk":
        fields = {k: data[k] for k in ("doc_id", "title", "start", "end", "text")}
        return cls(section=tuple(data["section"]), context=data.get("context", ""),
                   sentences=tuple(Sentence(**s) for s in data["sentences"]), **fields)


def section_units(doc: Document, blocks: list[Block]) -> list[tuple[tuple[str, ...], list[list[Sentence]]]]:
    """Per section (heading path), its units: a paragraph, or a lead-in paragraph with its list."""
    sections: list[tuple[tuple[str, ...], list[list[Sentence]]]] = []
    path: list[tuple[int, str]] = []
    units: list[list[Sentence]] = []

    def flush():
        if units:
            sections.append((tuple(h for _, h in path), list(units)))
            units.clear()

    for block in blocks:
        if block.kind == "heading":
            flush()
            path = [(lvl, h) for lvl, h in path if lvl < block.level]
            path.append((block.level, doc.text[block.start:block.end].strip()))
            continue
        if any(h.lower() in SKIPPED_SECTIONS for _, h in path):
            continue
        spans = sentence_spans(doc.text, block.start, block.end)
        sents = [Sentence(s.start, s.end, doc.text[s.start:s.end], in_list=block.kind == "item") for s in spans]
        if not sents:
            continue
        joins_list = block.kind == "item" and units and (
            units[-1][-1].in_list or units[-1][-1].lead_in)
        if joins_list:
            units[-1].extend(sents)
        else:
            if block.kind == "paragraph" and sents[-1].text.rstrip().endswith(":"):
                sents[-1] = Sentence(**{**sents[-1].to_json(), "lead_in": True})
            units.append(sents)
    flush()
    return sections


def word_count(sentences: list[Sentence]) -> int:
    return sum(len(s.text.split()) for s in sentences)


def pack_section(unit_list: list[list[Sentence]], max_words: int, overlap: int) -> list[tuple[list[Sentence], str]]:
    """Greedy packing of whole units into pieces of at most `max_words`; a unit is split (at
    sentence boundaries) only when it alone exceeds twice that, and each later piece of a split
    list remembers the list's lead-in as its context."""
    pieces: list[tuple[list[Sentence], str]] = []
    current: list[Sentence] = []
    context = ""

    def flush():
        if current:
            pieces.append((list(current), context))

    for unit in unit_list:
        if word_count(unit) > 2 * max_words:
            flush()
            lead = unit[0].text if unit[0].lead_in else ""
            current, context = [], ""
            for sentence in unit:
                if current and word_count(current) + len(sentence.text.split()) > max_words:
                    flush()
                    current, context = [], lead
                current.append(sentence)
            continue
        if current and word_count(current) + word_count(unit) > max_words:
            flush()
            current = [s for s in current[-overlap:] if not s.in_list] if overlap else []
            context = ""
        current = current + unit
    flush()
    return pieces


def chunk_document(doc: Document, max_words: int = 120, overlap_sentences: int = 1) -> list[Chunk]:
    """All chunks of one document, in reading order."""
    chunks = []
    for section, unit_list in section_units(doc, parse_blocks(doc.text)):
        for sents, context in pack_section(unit_list, max_words, overlap_sentences):
            start, end = sents[0].start, sents[-1].end
            chunks.append(Chunk(doc.doc_id, doc.title, section, start, end,
                                doc.text[start:end], tuple(sents), context))
    return chunks
