"""Text made inert before it is placed into Markdown that a browser renders.

Owns one job: escaping. `literal_markdown` is for the user's own words: HTML-escaped and every
Markdown control character backslash-escaped, so "![x](http://evil.example/a.png)" or
"<img src=...>" shows as typed and loads nothing. `inert_markdown` is for article text: HTML and
the characters that open links, images and code are escaped, while ordinary punctuation stays
readable in the CLI's plain output. `link_target` lets only http(s) addresses become links.

`literal_markdown("![x](http://e.x/a.png)") -> "\\!\\[x\\]\\(http://e.x/a.png\\)"`
`inert_markdown("<b>Hold</b> ![x](y)") -> "&lt;b&gt;Hold&lt;/b&gt; !\\[x\\](y)"`
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

MARKDOWN_CONTROL = frozenset("\\`*_{}[]()#+-.!|~>")


def literal_markdown(text: str) -> str:
    escaped = html.escape(" ".join(text.split()), quote=False)
    return "".join("\\" + ch if ch in MARKDOWN_CONTROL else ch for ch in escaped)


LINK_OPENERS = re.compile(r"([\\`\[\]])")  # with "[" escaped, "![" cannot open an image either
ADDRESS_CHARS = re.compile(r"[\x00-\x20\x7f<>\"'`\\]")


def inert_markdown(text: str) -> str:
    """Article text as Markdown that renders as the same words and can open no link, image or HTML."""
    return LINK_OPENERS.sub(r"\\\1", html.escape(text, quote=False))


def is_web_address(url: str) -> bool:
    """An absolute http(s) address with a host and no characters that could break out of a link."""
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and not ADDRESS_CHARS.search(url)


def link_target(url: str) -> str | None:
    """`url` safe to put inside Markdown's `( )`, or None when it must not be a link."""
    if not is_web_address(url):
        return None
    return quote(url, safe=":/?#@!$&*+,;=%~.-_")
