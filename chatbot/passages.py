"""Answer candidates: runs of consecutive sentences of one section that read on their own.

Owns what may be an answer: a whole short subsection (an exercise with its description, steps
and hold), a paragraph, a list with its lead-in, one list item, a section's opening with the
names of its subsections (its contents; a section that only announces its subsections is offered
this way alone), or a window of one to three sentences of a long paragraph that never starts on a sentence leaning on the one before
("This…", "Also…"). A question sentence is never part of a candidate (a run starts after the
article's own question), and a lead-in alone is never one. Built from the
indexed chunks and the document texts, so no article is parsed again; scoring is `passage_scorer`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .chunks import Chunk, Sentence

MAX_SECTION_WORDS = 260  # a longer subsection is offered by its parts only
LONG_PARAGRAPH_SENTENCES = 4  # a paragraph this long is also offered in windows
WINDOW_SENTENCES = 3
REFERENCE_OPENERS = frozenset("""this these that those such also it its they them there here however
additionally furthermore moreover plus then so likewise similarly besides otherwise
""".split())
UNNAMED_HEADING = re.compile(r"^(?:exercise|stretch|step|technique|tip|part|section)\s*\d+$", re.I)  # "Exercise 2"
REFERENCE_PHRASES = ("on the other hand", "in addition", "as a result", "because of this", "for this reason",
                     "in these situations", "in this case", "that being said", "as such")


@dataclass(frozen=True)
class Passage:
    doc_id: str
    section: tuple[str, ...]
    sentences: tuple[Sentence, ...]
    rows: tuple[int, ...]  # each sentence's row in the index's sentence vectors
    chunk_ids: tuple[int, ...]  # chunks holding its sentences
    kind: str  # "section" | "unit" | "item" | "window" | "contents"

    @cached_property
    def words(self) -> int:
        return sum(len(s.text.split()) for s in self.sentences)

    @property
    def key(self) -> tuple[str, int, int]:
        return self.doc_id, self.sentences[0].start, self.sentences[-1].end


def named(heading: str, opening: str) -> str:
    """A heading that names nothing with the sentence saying what it is: `named("Exercise 2", "This
    move stretches…")` -> "Exercise 2: This move stretches…"; any other heading as it is."""
    return f"{heading}: {opening}" if UNNAMED_HEADING.match(heading.strip()) else heading


def leans_on_previous(sentence: Sentence) -> bool:
    """`leans_on_previous("This targets the piriformis.")` -> True: it needs the sentence before it."""
    lowered = sentence.text.lstrip("*_ \"“'(").lower()
    first = lowered.split(" ", 1)[0].strip(",.:;!?")
    closes_a_quote = sentence.text.count("”") > sentence.text.count("“")  # the quote opened in an earlier sentence
    return first in REFERENCE_OPENERS or lowered.startswith(REFERENCE_PHRASES) or closes_a_quote


def is_standalone(sentences: tuple[Sentence, ...], opens_section: bool = False) -> bool:
    """Never an answer alone: a question, a lead-in without its items, or a run opening on a reference
    (except at the top of a named section, where the heading shown above it is what "This move…"
    means; under "Exercise 2" only the rest of the section says which move it is)."""
    if leans_on_previous(sentences[0]) and not opens_section:
        return False
    if introduces_more(sentences[-1]):  # "A good physical therapist will work with you to:" and nothing after
        return False
    return not all(is_question(s) or introduces_more(s) for s in sentences)


def is_question(sentence: Sentence) -> bool:
    """`is_question("So, what causes SI joint pain?")` -> True: the article asks it, it answers nothing."""
    return sentence.text.rstrip().endswith("?")


def introduces_more(sentence: Sentence) -> bool:
    """A lead-in: a sentence whose items or explanation follow it ("Common culprits include:")."""
    return sentence.lead_in or sentence.text.rstrip().endswith(":")


def indentation(sentence: Sentence, text: str) -> int:
    """How far the line holding `sentence` is indented (a nested list item's is deeper)."""
    line = text[text.rfind("\n", 0, sentence.start) + 1:sentence.start]
    return len(line) - len(line.lstrip())


def with_sub_items(items: list[list[tuple[Sentence, int, int]]], text: str) -> list[list[tuple[Sentence, int, int]]]:
    """Each list item; one that ends on a lead-in comes with the more indented items under it
    ("- Physical Therapy PT: … A good physical therapist will work with you to:" and its four)."""
    out = []
    for i, item in enumerate(items):
        if introduces_more(item[-1][0]):
            depth, end = indentation(item[0][0], text), i + 1
            while end < len(items) and indentation(items[end][0][0], text) > depth:
                end += 1
            item = item + [entry for sub in items[i + 1:end] for entry in sub]
        out.append(item)
    return out


def section_sentences(chunks: list[Chunk]) -> dict[tuple[str, tuple[str, ...]], list[tuple[Sentence, int, int]]]:
    """(doc, section) -> its sentences in order, each with its vector row and a chunk holding it."""
    sections: dict[tuple[str, tuple[str, ...]], dict[int, tuple[Sentence, int, int]]] = {}
    row = 0
    for chunk_id, chunk in enumerate(chunks):
        seen = sections.setdefault((chunk.doc_id, chunk.section), {})
        for sentence in chunk.sentences:
            seen.setdefault(sentence.start, (sentence, row, chunk_id))
            row += 1
    return {key: [v[k] for k in sorted(v)] for key, v in sections.items()}


def units(sentences: list[tuple[Sentence, int, int]], text: str) -> list[list[tuple[Sentence, int, int]]]:
    """Paragraphs and lists (a list with its lead-in): split where a blank line separates two
    sentences, unless a lead-in or list item runs on into another list item."""
    out: list[list[tuple[Sentence, int, int]]] = []
    for entry in sentences:
        sentence = entry[0]
        if out:
            previous = out[-1][-1][0]
            gap = text[previous.end:sentence.start]
            joins = "\n\n" not in gap or (sentence.in_list and (previous.in_list or previous.lead_in))
            if joins:
                out[-1].append(entry)
                continue
        out.append([entry])
    return out


def same_item(previous: Sentence, sentence: Sentence, text: str) -> bool:
    """Do two list sentences belong to one item? (They are on one line of the article's `text`.)"""
    return previous.in_list and sentence.in_list and "\n" not in text[previous.end:sentence.start]


def list_items(unit: list[tuple[Sentence, int, int]], text: str) -> list[list[tuple[Sentence, int, int]]]:
    """The items of a list unit."""
    items: list[list[tuple[Sentence, int, int]]] = []
    for entry in unit:
        if not entry[0].in_list:
            continue
        if items and same_item(items[-1][-1][0], entry[0], text):
            items[-1].append(entry)
        else:
            items.append([entry])
    return items


def windows(unit: list[tuple[Sentence, int, int]]) -> list[list[tuple[Sentence, int, int]]]:
    """Runs of 1..WINDOW_SENTENCES sentences of a long paragraph, each grown backwards over
    sentences that lean on the one before."""
    out = []
    for start in range(len(unit)):
        first = start
        while first > 0 and leans_on_previous(unit[first][0]):
            first -= 1
        for size in range(1, WINDOW_SENTENCES + 1):
            if start + size <= len(unit):
                out.append(unit[first:start + size])
    return out


def contents_passage(doc_id: str, section: tuple[str, ...], intro: list[tuple[Sentence, int, int]],
                     children: list[tuple[tuple[str, ...], list[tuple[Sentence, int, int]]]], text: str) -> Passage | None:
    """A section that lists by its subsections ("Here are some effective stretches…" over "Knee to
    Chest Stretch", "Figure 4 Stretch"…): its opening sentences, then each subsection's heading as
    an item, found in the article text just before the subsection's first sentence. A heading that
    names nothing ("Exercise 2") comes with that first sentence, which says what the move does."""
    items, rows, chunk_ids = [], [e[1] for e in intro], [e[2] for e in intro]
    for child_section, child_sentences in children:
        heading = child_section[-1]
        first, _, chunk_id = child_sentences[0]
        start = text.rfind(heading, 0, first.start)
        if start < 0:
            return None
        items.append(Sentence(start, start + len(heading), heading, in_list=True))
        chunk_ids.append(chunk_id)
        if UNNAMED_HEADING.match(heading.strip()) and not introduces_more(first) and not first.text.rstrip().endswith("?"):
            # Shown, not scored: its row stays out of the passage's vectors, so that "what does this
            # move do?" still finds the exercise itself rather than the list of all nine.
            items.append(Sentence(first.start, first.end, first.text, in_list=True))
    sentences = tuple(e[0] for e in intro) + tuple(items)
    return Passage(doc_id, section, sentences, tuple(rows), tuple(dict.fromkeys(chunk_ids)), "contents")


def build_passages(chunks: list[Chunk], document_texts: dict[str, str]) -> list[Passage]:
    """Every answer candidate of the corpus, without duplicates, in reading order."""
    passages: dict[tuple[str, int, int], Passage] = {}

    def add(entries: list[tuple[Sentence, int, int]], doc_id: str, section: tuple[str, ...], kind: str) -> None:
        asked = [i for i, e in enumerate(entries) if is_question(e[0])]
        if asked:  # the article's own question is never quoted: the run starts after it
            entries = entries[asked[-1] + 1:]
        sentences = tuple(e[0] for e in entries)
        # The whole section says which move "This move…" is, even under an unnamed heading.
        explained = bool(section) and (kind == "section" or not UNNAMED_HEADING.match(section[-1].strip()))
        if not entries or not is_standalone(sentences, explained and entries[0] is firsts[(doc_id, section)]):
            return
        passage = Passage(doc_id, section, sentences, tuple(e[1] for e in entries),
                          tuple(dict.fromkeys(e[2] for e in entries)), kind)
        passages.setdefault(passage.key, passage)

    by_section = section_sentences(chunks)
    firsts = {key: sentences[0] for key, sentences in by_section.items()}
    children_of = {key: [(s, v) for (d, s), v in by_section.items()
                         if d == key[0] and len(s) == len(key[1]) + 1 and s[:len(key[1])] == key[1]]
                   for key in by_section if key[1]}
    for (doc_id, section), sentences in by_section.items():
        text = document_texts.get(doc_id, "")
        if len(children_of.get((doc_id, section), [])) >= 2 and len(units(sentences, text)) == 1:
            # A section that lists by its subsections and says nothing else: its text announces
            # them ("The following exercises are recommended…") and is offered only with their
            # names after it (the contents passage below), never as a lead-in alone.
            continue
        if sum(len(s.text.split()) for s, _, _ in sentences) <= MAX_SECTION_WORDS and len(section) >= 2:
            add(sentences, doc_id, section, "section")
        section_units = units(sentences, text)
        for position, unit in enumerate(section_units):
            add(unit, doc_id, section, "unit")
            if position and leans_on_previous(unit[0][0]):
                # "This kind of pain is more common… Studies suggest… 15% to 30%…" after the list it
                # speaks of: offered with that list, and its later sentences as windows of their own,
                # so that no sentence of the article is out of every answer's reach.
                first = position - 1
                while first and leans_on_previous(section_units[first][0][0]):
                    first -= 1  # "As such… That being said…": back to the paragraph they go on from
                add([entry for earlier in section_units[first:position + 1] for entry in earlier], doc_id, section,
                    "unit")
                if not any(entry[0].in_list for entry in unit):  # a list is never cut (its own rules below)
                    for window in windows(unit):
                        add(window, doc_id, section, "window")
            items = list_items(unit, text)
            if position and items and unit[0][0].in_list and not any(e[0].in_list for e in section_units[position - 1]):
                # A paragraph that announces the list after it without a colon ("Here's more on the
                # benefits of doing SI joint pain exercises." over the six benefits).
                add(section_units[position - 1] + unit, doc_id, section, "unit")
            if len(items) > 1:
                for item in with_sub_items(items, text):
                    add(item, doc_id, section, "item")
                # The list with only its lead-in, for a paragraph whose opening cannot stand alone
                # ("So, what causes it? It can be a mix. Common culprits include: - ...").
                lead_in = next(i for i, entry in enumerate(unit) if entry[0].in_list) - 1
                if lead_in > 0:
                    add(unit[lead_in:], doc_id, section, "unit")
            elif len(unit) >= LONG_PARAGRAPH_SENTENCES:
                for window in windows(unit):
                    add(window, doc_id, section, "window")
    for (doc_id, section), sentences in by_section.items():
        children = children_of.get((doc_id, section), [])
        if len(children) >= 2:
            opening = units(sentences, document_texts.get(doc_id, ""))
            intro = opening[0] if len(opening) == 1 else opening[0][:2]
            found = contents_passage(doc_id, section, intro, children, document_texts.get(doc_id, ""))
            if found is not None:
                passages.setdefault(found.key, found)
    return sorted(passages.values(), key=lambda p: p.key)
