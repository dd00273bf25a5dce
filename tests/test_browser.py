"""The chat page in a real browser (headless Debian chromium): what a patient sees and can do.

Each test opens a fresh browser context, so it starts a new Gradio session with an empty chat.
`test_screenshot_of_a_cited_answer_with_the_red_flag_notice` also saves docs/screenshot.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from chatbot.disclaimer import DISCLAIMER
from conftest import ROOT
from server_fixture import running_app, start_server, stop  # noqa: F401  (the fixture)

pytestmark = pytest.mark.integration

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
VIEWPORT = {"width": 1280, "height": 1400}
REPLY_TIMEOUT_MS = 90_000  # the first reply may wait for the model to finish loading
STRETCHES_TITLE = "Sacroiliac Joint Pain: Stretches For Relief"
STRETCHES_URL = "https://jointgenesisreview.com/stretches-for-si-joint-pain/"
KNEE_QUESTION = "How long should I hold the knee to chest stretch?"
RED_FLAG_QUESTION = "my bum has gone numb since yesterday and my back is sore. which stretches help SI joint pain?"
RED_FLAG_MESSAGE = "cant feel the toilet paper when i wipe and my legs are weak"
HTML_MESSAGE = "<img src=x onerror=alert(1)>"
HOSTILE_ARTICLE = ROOT / "tests" / "data" / "hostile_article.md"  # style overlay, form, remote images, javascript: links
LOOPBACK_PREFIXES = ("http://127.0.0.1:", "data:", "blob:")
SCREENSHOT = ROOT / "docs" / "screenshot.png"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, running_app):  # noqa: F811
    """A new page in its own context (its own cookies and Gradio session), loaded and ready to type into."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(running_app)
    expect(page.locator("#question textarea")).to_be_editable(timeout=30_000)
    yield page
    context.close()


def bot_messages(page):
    return page.locator('#chat [data-testid="bot"]')


def user_messages(page):
    return page.locator('#chat [data-testid="user"]')


def send(page, message: str, press_enter: bool = True):
    """Type `message`, send it, and return the locator of the reply once it has arrived."""
    replies_before = bot_messages(page).count()
    page.locator("#question textarea").fill(message)
    if press_enter:
        page.locator("#question textarea").press("Enter")
    else:
        page.locator("#send").click()
    reply = bot_messages(page).nth(replies_before)
    expect(reply).to_contain_text(DISCLAIMER, timeout=REPLY_TIMEOUT_MS)  # every reply ends with it
    expect(page.locator("#question textarea")).to_have_value("")
    return reply


def test_a_cited_answer_with_collapsible_sources_and_the_disclaimer(page):
    expect(page.locator("#disclaimer")).to_be_visible()
    expect(page.locator("#disclaimer")).to_contain_text(DISCLAIMER)

    reply = send(page, KNEE_QUESTION)
    expect(reply).to_contain_text("[1]")
    expect(reply).to_contain_text("Hold for 30 seconds")
    expect(user_messages(page).last).to_have_text(KNEE_QUESTION)

    source = reply.locator("details a", has_text=STRETCHES_TITLE)
    expect(source).to_be_attached()
    expect(source).to_be_hidden()  # collapsed until the patient opens it
    reply.locator("details > summary").first.click()
    expect(source).to_be_visible()
    expect(source).to_have_attribute("href", STRETCHES_URL)
    expect(source).to_have_attribute("target", "_blank")
    expect(reply.locator("em", has_text=DISCLAIMER)).to_be_visible()
    expect(page.locator("#disclaimer")).to_be_visible()


def test_the_send_button_sends_too(page):
    reply = send(page, KNEE_QUESTION, press_enter=False)
    expect(reply).to_contain_text("[1]")


def test_a_red_flag_message_shows_the_alert_box_first(page):
    reply = send(page, RED_FLAG_MESSAGE)
    notice = reply.locator(".red-flag-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("emergency department")
    expect(notice).to_contain_text("“cant feel the toilet paper when i wipe")
    first_block = reply.locator(".message-content .md > *").first
    expect(first_block).to_have_class("red-flag-notice")
    background = notice.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(253, 236, 234)", "the alert box is not styled by the app's CSS"


def test_html_typed_by_the_user_is_shown_as_text_and_never_run(page):
    dialogs = []

    def record(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    send(page, HTML_MESSAGE)
    page.wait_for_timeout(1000)  # give a broken image time to fire onerror
    shown = user_messages(page).last
    expect(shown).to_have_text(HTML_MESSAGE)
    expect(shown).to_be_visible()
    assert page.locator('#chat img[src="x"]').count() == 0
    assert dialogs == []


def test_screenshot_of_a_cited_answer_with_the_red_flag_notice_then_a_new_conversation(page):
    send(page, KNEE_QUESTION)
    reply = send(page, RED_FLAG_QUESTION)
    notice = reply.locator(".red-flag-notice")
    expect(notice).to_be_visible()
    expect(reply).to_contain_text("[1]")

    # The chat scrolls inside its own box (and Gradio pins it to the bottom when within 100 px of it):
    # bring the start of the alarming reply to the top of the box, as far as it scrolls.
    notice.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(500)
    chat_box = page.locator("#chat [role=log]").bounding_box()
    notice_box = notice.bounding_box()
    assert chat_box["y"] <= notice_box["y"] < chat_box["y"] + chat_box["height"], "the notice is scrolled out of view"
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000

    page.locator("#new-conversation").click()
    expect(page.locator("#chat .message-row")).to_have_count(0)
    expect(bot_messages(page)).to_have_count(0)
    expect(page.locator("#question textarea")).to_have_value("")


def ask_follow_up_after(page, clear) -> str:
    """Ask about the knee stretch, `clear` the chat, then ask a bare follow-up: the reply's text."""
    send(page, KNEE_QUESTION)
    clear()
    expect(bot_messages(page)).to_have_count(0)
    return send(page, "how long do I hold it?").inner_text()


def test_new_conversation_forgets_the_earlier_turns(page):
    reply = ask_follow_up_after(page, lambda: page.locator("#new-conversation").click())
    assert "Searched for:" not in reply  # shown only when earlier turns were used to resolve the question
    expect(bot_messages(page)).to_have_count(1)


def test_the_chat_trash_button_forgets_the_earlier_turns(page):
    reply = ask_follow_up_after(page, lambda: page.locator('#chat button[aria-label="Clear"]').click())
    assert "Searched for:" not in reply


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    """The app serving a corpus of one real article and one written to attack the page."""
    workdir = tmp_path_factory.mktemp("hostile")
    corpus = workdir / "corpus"
    corpus.mkdir()
    for article in (ROOT / "corpus" / "stretches.md", HOSTILE_ARTICLE):
        (corpus / article.name).write_bytes(article.read_bytes())
    url, process, _ = start_server(workdir, corpus_dir=corpus)
    yield url
    stop(process)


def test_a_hostile_article_and_message_render_inert_and_load_nothing_from_outside(browser, hostile_app):
    context = browser.new_context(viewport=VIEWPORT)
    requested, dialogs = [], []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_app)
    expect(page.locator("#question textarea")).to_be_editable(timeout=30_000)
    reply = send(page, "how long do I hold the pelvic tilt glide? ![seen](http://203.0.113.7/typed.png)")
    expect(reply).to_contain_text("Hold the pelvic tilt glide for 45 seconds")
    reply.locator("details summary").first.click()
    page.wait_for_timeout(1500)  # time for any image or form to load or fire
    assert [url for url in requested if not url.startswith(LOOPBACK_PREFIXES)] == []
    chat = page.locator('#chat [data-testid="bot"], #chat [data-testid="user"]')  # the messages' own content
    found = chat.locator("form, input, style, iframe, img[src^='http']").evaluate_all("es => es.map(e => e.outerHTML)")
    assert found == []
    assert chat.locator("[style*='fixed']").count() == 0
    hrefs = chat.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(href.startswith(("http://", "https://")) for href in hrefs), hrefs
    page.locator("#send").click(trial=True, timeout=5_000)  # nothing covers the page's controls
    assert dialogs == []
    context.close()
