"""User-supplied text made inert before it is placed into Markdown that a browser renders.

Owns one job: HTML-escape the text and backslash-escape every Markdown control character, so
"![x](http://evil.example/a.png)" or "<img src=...>" shows as typed and loads nothing.

`literal_markdown("![x](http://e.x/a.png)") -> "\\!\\[x\\]\\(http://e.x/a.png\\)"`
"""

from __future__ import annotations

import html

MARKDOWN_CONTROL = frozenset("\\`*_{}[]()#+-.!|~>")


def literal_markdown(text: str) -> str:
    escaped = html.escape(" ".join(text.split()), quote=False)
    return "".join("\\" + ch if ch in MARKDOWN_CONTROL else ch for ch in escaped)
