"""A reply's Markdown: article text and the user's words are shown as text and can load nothing."""

from chatbot.answer import Citation
from chatbot.markdown_text import inert_markdown, link_target, literal_markdown
from chatbot.render import reply_markdown

HOSTILE = '<div style="position:fixed">x</div> Hold it. ![p](http://203.0.113.9/p.png) [go](javascript:alert(1))'


def citation(**overrides) -> Citation:
    fields = dict(n=1, title="Stretches <img src=http://203.0.113.9/t.png>", source="s.md",
                  url="https://x.org/a", publisher="<b>Pub</b>", section="Knee", text=HOSTILE, score=0.9,
                  quoted=("Hold it.",))
    return Citation(**{**fields, **overrides})


def test_article_text_keeps_its_words_but_opens_no_tag_link_or_image():
    rendered = inert_markdown(HOSTILE)
    assert "<" not in rendered and "![" not in rendered and "](" in rendered  # "](" stays, its "[" is escaped
    assert "\\[go\\](javascript:alert(1))" in rendered and "Hold it." in rendered


def test_only_http_addresses_become_links():
    assert link_target("https://x.org/a b") is None and link_target("javascript:alert(1)") is None
    assert link_target("data:text/html,x") is None and link_target("http://x.org/a)b") == "http://x.org/a%29b"


def test_the_sources_block_is_inert_and_links_only_a_web_address():
    markdown = reply_markdown(None, "Hold it. [1]", "q", False, [citation()], "Disclaimer.", [])
    assert "<img" not in markdown and "<b>" not in markdown and "<div" not in markdown
    assert "[Stretches &lt;img src=http://203.0.113.9/t.png&gt;](https://x.org/a)" in markdown
    assert "**Hold it.**" in markdown
    no_link = reply_markdown(None, "a", "q", False, [citation(url="javascript:alert(1)")], "D.", [])
    assert "javascript:" not in no_link.split("\n\n>")[0]


def test_the_searched_for_line_shows_the_users_words_literally():
    markdown = reply_markdown(None, "a", "![x](http://203.0.113.9/q.png) <b>", True, [], "D.", [])
    assert literal_markdown("![x](http://203.0.113.9/q.png) <b>") in markdown and "<b>" not in markdown
