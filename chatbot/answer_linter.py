"""Checks every reply for the ways a quoted answer misleads, without a judge.

Owns four checks over a reply's citations (what the answer quotes, source by source):
- `merged_lists`: list items from more than one section in one answer;
- `orphan_reference`: a quoted run that opens on "This…", "Also…" (see `passages.leans_on_previous`)
  while the sentence it leans on is not shown and no heading stands above it;
- `question_or_bare_lead_in`: a source whose quoted sentences are only questions, or a lead-in
  ("…will work with you to:") with no item after it;
- `too_many_sources`: more than two sources.
"""

from __future__ import annotations

from .answer import Citation
from .chunks import Sentence
from .passages import leans_on_previous

MAX_SOURCES = 2


def quoted_runs(citation: Citation) -> list[str]:
    return [q for q in citation.quoted if q.strip()]


def lint_reply(citations: list[Citation], document_texts: dict[str, str], section_starts: frozenset[int]) -> list[str]:
    """Problem tags of one reply's answer; [] when it reads cleanly."""
    problems = []
    if len(citations) > MAX_SOURCES:
        problems.append("too_many_sources")
    listed_sections = {c.section for c in citations if "\n" in c.text and any(
        line.lstrip().startswith(("- ", "* ", "1.", "2.", "3.")) for line in c.text.splitlines())}
    if len(listed_sections) > 1:
        problems.append("merged_lists")
    for citation in citations:
        quoted = quoted_runs(citation)
        if not quoted:
            continue
        text = document_texts.get(citation.source, "")
        start = text.find(quoted[0])
        first = Sentence(start, start + len(quoted[0]), quoted[0])
        if leans_on_previous(first) and start not in section_starts:
            problems.append("orphan_reference")
        stripped = [q.rstrip() for q in quoted]
        if all(q.endswith("?") for q in stripped) or stripped[-1].endswith(":"):
            problems.append("question_or_bare_lead_in")
    return problems
