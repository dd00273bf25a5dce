"""Resolves a message that leans on earlier turns into a query that stands alone.

Deterministic, no language model: a message that continues the conversation
("and the second one?", "how long do I hold it?", "what about for pregnant
women?") borrows the topic words of the earlier question it continues, or the
n-th item of the previous answer when it points at one. A message that brings
its own topic and no continuation cue starts afresh, so an old topic never
leaks into a new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .language import guess_language
from .text import content_words, expand_lay_terms, fold

CONTINUATION = re.compile(
    r"^\s*(?:and|also|plus|what about|how about|what if|ok(?:ay)?|so|then|same|but|alright|cool|thanks|great|"
    r"wait|hmm+|um+|sorry|oh|ah|right|got it|"
    r"is (?:that|it|this|there)|are (?:they|those|these)|does (?:it|that|this)|do (?:they|those|i do (?:it|that|them))|"
    r"will (?:it|that)|would (?:it|that)|can i (?:do|use|try) (?:it|that|this|them|those)|"
    r"how (?:long|often|many|much)|which (?:one|of (?:those|these|them|the two|both))|why|really|any (?:other|more)|"
    r"tell me more|more (?:about|on)|more detail|explain (?:that|it|more)|what do you mean|and if|for how)\b")
REFERENCE = re.compile(r"\b(?:it|its|that|thats|this|those|these|them|they|theyre|one|ones|there|same|instead|else|"
                       r"too|either)\b")
DOING_IT = re.compile(r"\b(?:do|doing|does|did|hold|holding|use|using|try|trying|repeat|stretch) (?:it|that|this|them|those)\b|"
                      r"\b(?:that|this|which) one\b|\bof the two\b|\bthe other (?:one|way)\b")
STARTS_WITH_REFERENCE = re.compile(r"^\s*(?:it|its|that|thats|this|those|these|they|theyre|them|the same|doing (?:it|that))\b")
ORDINAL_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                 "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "last": -1, "final": -1}
ORDINAL = re.compile(r"\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|last|final)\b"
                     r"(?:\s+(?:one|exercise|stretch|step|technique|tip|option|item|move|thing|tool|point))?|"
                     r"\b(?:number|no|#)\s*(\d)\b")
# Words that say what is wanted of a topic, not what the topic is.
GENERIC = frozenset("""
long often many much times time hold holding keep do doing done repeat reps sets minutes minute seconds second
day days week weeks daily safe okay better worse instead else more also other another same way start stop
first last next one ones step steps part bit try sure exactly mean meant explain detail details why good bad
think sound sounds number left right side sides again need needs anything something fine work works
thats its now later hard harder easier easy difficult difficulty version versions variation alternative modify
modified change instead advanced beginner tough simpler challenge challenging supposed meant grab
""".split())


@dataclass(frozen=True)
class ResolvedQuery:
    text: str  # what is searched
    used_context: bool
    focus: str  # the message's own words, weighted most when choosing sentences


QUESTION_START = re.compile(r"^(?:what|whats|how|why|when|where|which|who|can|could|should|would|is|are|do|does|"
                            r"did|will|any|anything|tips?|advice)\b")


def question_part(message: str) -> str:
    """The sentences that ask, when a longer message also tells a story ("My bum is numb. Which
    stretches help SI pain?" -> "Which stretches help SI pain?"); the whole message when the asking
    part names too little to search for ("Any tips?")."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", message.strip()) if s.strip()]
    if len(sentences) < 2:
        return message
    asking = [s for s in sentences if s.endswith("?") or QUESTION_START.match(fold(s))]
    if not asking or len(asking) == len(sentences) or len(topic_words(" ".join(asking))) < 2:
        return message
    return " ".join(asking)


def topic_words(text: str) -> list[str]:
    return [w for w in content_words(text) if w not in GENERIC]


def ordinal_reference(message: str) -> int | None:
    match = ORDINAL.search(fold(message))
    if not match:
        return None
    return ORDINAL_WORDS[match.group(1)] if match.group(1) else int(match.group(2))


def conversational_cues(message: str) -> list[float]:
    """Wordings that often lean on earlier turns: an opener ("and", "what about", "how long"), a
    reference word first or anywhere, "do it", an ordinal. Evidence for `continuation`'s learned
    decision, which weighs them against the topic the message brings; not a decision alone."""
    folded = fold(message).replace("'", "")
    return [float(bool(CONTINUATION.match(folded))), float(bool(STARTS_WITH_REFERENCE.match(folded))),
            float(bool(DOING_IT.search(folded))), float(bool(REFERENCE.search(folded))),
            float(ordinal_reference(message) is not None)]


CHAIN_TURNS = 4  # a chain of follow-ups is walked back at most this many questions for its topic
Continues = Callable[[str, str], bool]  # (message, the earlier question) -> does it continue it?


def pointed_item(message: str, items: list[str]) -> str | None:
    """The item of the previous answer's list an ordinal points at: `pointed_item("and the second
    one?", ["Knee to chest", "Figure 4", "Supine twist"]) -> "Figure 4"`; None when there is none."""
    position = ordinal_reference(message)
    index = None if position is None else (position - 1 if position > 0 else position)
    return items[index] if items and index is not None and -len(items) <= index < len(items) else None


def resolve_query(message: str, history: list[dict], continues: Continues, assume_continuation: bool = False,
                  pointed: str | None = None) -> ResolvedQuery:
    """`resolve_query("how long do I hold it?", [{"role": "user", "content": "knee to chest stretch"}, ...], continues)`
    -> ResolvedQuery("how long do I hold it? (knee chest stretch)", used_context=True, ...)

    `assume_continuation` reads the message as continuing the conversation even without a cue
    ("any tips on form?"), for when it is too vague to answer on its own; otherwise `continues`
    (the learned decision of `continuation`) says whether it leans on the earlier question. `pointed` is
    what the message points at in or beside the previous answer (an item of its list for "the second
    one", the next exercise for "and the next one?"; the caller replays that turn to know it,
    rendered text is never parsed) or a section the message names by its number ("exercise 3")."""
    if pointed:  # what is pointed at is the whole topic: "the second one" is the Figure 4 Stretch, not stretches
        return ResolvedQuery(f"{message.strip()} ({pointed.strip()})", True, message)
    users = [t["content"] for t in history if t.get("role") == "user"]
    if not users or not (assume_continuation or continues(message, users[-1])):
        return ResolvedQuery(message, False, message)
    context: list[str] = []
    # Walk back to the turn that set the topic; a continuation of a continuation keeps the chain.
    for back, earlier in enumerate(reversed(users[-CHAIN_TURNS:]), 1):
        context.extend(w for w in topic_words(earlier) if w not in context)
        if back == min(len(users), CHAIN_TURNS) or not continues(earlier, users[-back - 1]):
            break
    if not context:
        return ResolvedQuery(message, False, message)
    return ResolvedQuery(f"{message.strip()} ({' '.join(context[:16])})", True, message)


def likely_query(text: str, history: list[dict], continues: Continues, max_chars: int,
                 pointed: str | None = None) -> str | None:
    """The text retrieval will most likely embed for a message: its first reading when it reports
    no red flag, lay words expanded as `Retriever.search` expands them; None when the reply will
    not search (an empty or non-English message). It begins with the message itself:
    `likely_query("theragun on my bum", [], continues, 4000) -> "theragun on my bum massage gun percussion buttock glutes"`"""
    searched = text[:max_chars]
    if not searched.strip() or guess_language(searched) != "en":
        return None
    return expand_lay_terms(resolve_query(searched, history, continues, pointed=pointed).text)
