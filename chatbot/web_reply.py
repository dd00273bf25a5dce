"""A reply as the web chat shows it: the CLI's layout, with `[n]` markers that are links to
their source and sources marked up for the page's script (open on click, clean copy).

Renders from the typed `Reply` (its answer lines and citations), never from the CLI's Markdown.
The class names here are the contract with `web_assets/chat.js` and `chat.css`.
"""

from __future__ import annotations

from .answer import Citation
from .bot import Reply
from .markdown_text import inert_markdown, link_target
from .passage_answer import answer_markdown
from .render import emphasise, reply_markdown


def citation_link(n: int) -> str:
    """`[n]` as a link the page's script turns into "open source n of this reply"."""
    return f'<a class="cite" href="#source-{n}" title="Show source {n}">[{n}]</a>'


def web_sources(citations: list[Citation]) -> str:
    """Collapsible sources, one block per number, each with the class `source-n` the markers open."""
    items = []
    for c in citations:
        target = link_target(c.url)
        title = inert_markdown(c.title)
        title = f'<a class="source-title" href="{target}">{title}</a>' if target else \
            f'<span class="source-title">{title}</span>'
        where = " · ".join(inert_markdown(x) for x in (c.publisher, c.section) if x)
        where = f' — <span class="source-where">{where}</span>' if where else ""
        quote = "\n".join(f"> {line}" if line.strip() else ">" for line in emphasise(c.text, c.quoted).splitlines())
        items.append(f'<div class="source source-{c.n}">\n\n<strong class="source-number">[{c.n}]</strong> '
                     f'{title}{where}\n\n{quote}\n\n</div>')
    label = "Source" if len(citations) == 1 else f"Sources ({len(citations)})"
    return f'<details class="sources"><summary>{label}</summary>\n\n' + "\n\n".join(items) + "\n\n</details>"


def web_reply_markdown(reply: Reply) -> str:
    """The chat bubble's Markdown for `reply`."""
    answer = answer_markdown(reply.answer_lines, citation_link) if reply.answer_lines else reply.answer
    return reply_markdown(reply.notice, answer, reply.query, reply.used_context, reply.citations,
                          reply.disclaimer, reply.notes, web_sources)
