"""A reply as the chat shows it: notice, answer, what was searched, sources, disclaimer.

Owns the Markdown layout only; the same text is printed by the CLI and shown in
the web chat, so both present a reply identically.
"""

from __future__ import annotations

from typing import Callable

from .answer import Citation
from .markdown_text import inert_markdown, link_target, literal_markdown


WHOLE_PASSAGE_QUOTED = 0.9  # when the answer quotes this much of the passage, bold would mark nothing out


def emphasise(passage: str, quoted: tuple[str, ...]) -> str:
    """The passage, made inert, with the sentences the answer quotes in bold (all plain when it
    quotes the passage whole)."""
    letters = sum(not ch.isspace() for ch in passage)
    covered = sum(sum(not ch.isspace() for ch in s) for s in set(quoted) if s.strip() and s in passage)
    passage = inert_markdown(passage)
    if covered >= WHOLE_PASSAGE_QUOTED * letters:
        return passage
    for sentence in sorted(set(quoted), key=len, reverse=True):
        if sentence.strip():
            inert = inert_markdown(sentence)
            passage = passage.replace(inert, f"**{inert.strip()}**", 1)
    return passage


def sources_markdown(citations: list[Citation]) -> str:
    """Collapsible list: title (linked when known), publisher, section, and the quoted passage."""
    if not citations:
        return ""
    items = []
    for c in citations:
        target = link_target(c.url)
        title = f"[{inert_markdown(c.title)}]({target})" if target else inert_markdown(c.title)
        where = " · ".join(inert_markdown(x) for x in (c.publisher, c.section) if x)
        quote = "\n".join(f"> {line}" if line.strip() else ">" for line in emphasise(c.text, c.quoted).splitlines())
        items.append(f"**[{c.n}]** {title}" + (f" — {where}" if where else "") + f"\n\n{quote}")
    label = "Source" if len(citations) == 1 else f"Sources ({len(citations)})"
    return f"<details><summary>{label}</summary>\n\n" + "\n\n".join(items) + "\n\n</details>"


def notice_markdown(notice: str) -> str:
    """The red-flag notice as an alert box; the class is styled by the web app."""
    return f'<div class="red-flag-notice" role="alert">\n\n⚠️ {notice}\n\n</div>'


def reply_markdown(notice: str | None, answer: str, query: str, used_context: bool,
                   citations: list[Citation], disclaimer: str, notes: list[str],
                   sources: Callable[[list[Citation]], str] = sources_markdown) -> str:
    """The whole reply in reading order; `sources` renders the citations (the web chat passes its own)."""
    parts = []
    if notice:
        parts.append(notice_markdown(notice))
    parts.extend(f"*{note}*" for note in notes)
    if answer and notice and citations:
        parts.append("*About your question, from the articles (general information only):*")
    if answer:
        parts.append(answer)
    if used_context:
        parts.append(f"*Searched for: {literal_markdown(query)}*")
    if citations:
        parts.append(sources(citations))
    parts.append(f"*{disclaimer}*")
    return "\n\n".join(parts)
