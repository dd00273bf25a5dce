"""The web chat's rendering of a reply (chatbot/web_reply.py): markers linked to their sources."""

from __future__ import annotations

import re

from chatbot.answer import AnswerLine, Citation
from chatbot.bot import Reply
from chatbot.passage_answer import answer_markdown
from chatbot.web_reply import web_reply_markdown

LINES = (AnswerLine("heading", "Knee Hug", 1), AnswerLine("item", "Lie on your back", 1),
         AnswerLine("item", "Hold for 30 seconds", 1), AnswerLine("paragraph", "Massage <b>helps</b> [too].", 2))
CITATIONS = [
    Citation(1, "Stretch Guide", "s.md", "https://example.org/s", "Example", "Stretches > Knee Hug",
             "Lie on your back\n- Hold for 30 seconds", 0.9, ("Lie on your back", "Hold for 30 seconds")),
    Citation(2, "Massage", "m.md", "javascript:alert(1)", "", "Basics", "Massage <b>helps</b> [too].", 0.5,
             ("Massage <b>helps</b> [too].",)),
]


def reply(**changes) -> Reply:
    fields = dict(answer=answer_markdown(LINES), citations=CITATIONS, in_scope=True, red_flags=[], notice=None,
                  disclaimer="General information only.", query="knee hug", markdown="", answer_lines=LINES)
    fields.update(changes)
    return Reply(**fields)


def test_every_marker_links_to_a_source_block_of_the_same_number():
    shown = web_reply_markdown(reply())
    markers = re.findall(r'<a class="cite" href="#source-(\d+)"[^>]*>\[(\d+)\]</a>', shown)
    assert markers and all(a == b for a, b in markers)
    assert {n for n, _ in markers} == set(re.findall(r'class="source source-(\d+)"', shown)) == {"1", "2"}
    assert "[1]" not in shown.replace('>[1]</a>', "").replace('">[1]</strong>', "")  # no bare marker left


def test_the_cli_markdown_is_unchanged_by_the_web_markers():
    assert answer_markdown(LINES) == ("**Knee Hug**\n- Lie on your back [1]\n- Hold for 30 seconds [1]\n\n"
                                      "Massage &lt;b&gt;helps&lt;/b&gt; \\[too\\]. [2]")


def test_article_text_stays_inert_and_only_web_addresses_become_links():
    shown = web_reply_markdown(reply())
    assert "<b>" not in shown and "&lt;b&gt;helps" in shown
    assert '<a class="source-title" href="https://example.org/s">Stretch Guide</a>' in shown
    assert "javascript:" not in shown and '<span class="source-title">Massage</span>' in shown


def test_a_refusal_is_shown_as_its_text_with_the_notice_first():
    shown = web_reply_markdown(reply(answer="I can't answer that.", citations=[], answer_lines=(), in_scope=False,
                                     notice="Call 999 now."))
    assert shown.index('role="alert"') < shown.index("I can't answer that.") < shown.index("General information")
    assert "sources" not in shown
