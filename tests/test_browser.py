"""The chat page in a real browser (headless Debian chromium): what a patient sees and can do.

Each test opens a fresh browser context, so it starts a new Gradio session with an empty chat.
`test_screenshot_of_a_cited_answer_with_the_red_flag_notice` also saves docs/screenshot.png.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect, sync_playwright

from chatbot.disclaimer import DISCLAIMER
from conftest import ROOT
from server_fixture import running_app, running_app_feedback_db, start_server, stop  # noqa: F401  (the fixture)

pytestmark = pytest.mark.integration

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
VIEWPORT = {"width": 1280, "height": 1400}
REPLY_TIMEOUT_MS = 90_000  # the first reply may wait for the model to finish loading
STRETCHES_TITLE = "Sacroiliac Joint Pain: Stretches For Relief"
STRETCHES_URL = "https://jointgenesisreview.com/stretches-for-si-joint-pain/"
KNEE_QUESTION = "How long should I hold the knee to chest stretch?"
KNEE_STEPS_QUESTION = "How do I do the knee to chest stretch?"  # answered whole: heading, steps, hold
RED_FLAG_QUESTION = "my bum has gone numb since yesterday and my back is sore. which stretches help SI joint pain?"
RED_FLAG_MESSAGE = "cant feel the toilet paper when i wipe and my legs are weak"
HTML_MESSAGE = "<img src=x onerror=alert(1)>"
HOSTILE_ARTICLE = ROOT / "tests" / "data" / "hostile_article.md"  # style overlay, form, remote images, javascript: links
LOOPBACK_PREFIXES = ("http://127.0.0.1:", "data:", "blob:")
SCREENSHOT = ROOT / "docs" / "screenshot.png"
THEME_SCREENSHOTS = {"light": ROOT / "docs" / "screenshot-light.png", "dark": ROOT / "docs" / "screenshot-dark.png"}
PHONE_SCREENSHOT = ROOT / "docs" / "screenshot-phone.png"
PHONE = {"width": 390, "height": 844}
WCAG_AA = 4.5
# The contrast of an element's text: its colour against the first opaque background behind it.
CONTRAST_JS = """
e => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  let node = e, bg = null;
  while (node && node.nodeType === 1) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) { bg = c.slice(0, 3); break; }
    node = node.parentElement;
  }
  bg = bg || [255, 255, 255];
  const fg = rgb(getComputedStyle(e).color).slice(0, 3);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""


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
    expect(page.locator("#loading-status")).to_be_hidden(timeout=REPLY_TIMEOUT_MS)  # gone once the model is ready
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
    assert all(href.startswith(("http://", "https://")) or re.fullmatch(r"#source-\d+", href) for href in hrefs), hrefs
    page.locator("#send").click(trial=True, timeout=5_000)  # nothing covers the page's controls
    assert dialogs == []
    context.close()


def min_contrast(locator) -> float:
    """The lowest text contrast among the element and its descendants that hold text of their own."""
    return min(locator.evaluate_all(f"""es => es.flatMap(root => [root, ...root.querySelectorAll('*')])
        .filter(e => Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()))
        .map({CONTRAST_JS.strip()})"""))


@pytest.fixture(params=["light", "dark"])
def themed_page(request, browser, running_app):  # noqa: F811
    """A fresh page in the system's light or dark colour scheme."""
    context = browser.new_context(viewport=VIEWPORT, color_scheme=request.param)
    page = context.new_page()
    page.goto(running_app)
    expect(page.locator("#question textarea")).to_be_editable(timeout=30_000)
    page.theme = request.param
    yield page
    context.close()


def test_the_disclaimer_notice_and_sources_meet_wcag_aa_contrast_in_both_themes(themed_page):
    page = themed_page
    assert page.evaluate("document.body.classList.contains('dark') || !!document.querySelector('.dark')") == \
        (page.theme == "dark")
    send(page, KNEE_QUESTION)
    reply = send(page, RED_FLAG_QUESTION)
    reply.locator("a.cite").first.click()
    expect(reply.locator("details.sources")).to_have_attribute("open", "")
    for name, locator in (("disclaimer", page.locator("#disclaimer")), ("notice", reply.locator(".red-flag-notice")),
                          ("sources", reply.locator("details.sources")), ("answer", reply.locator(".md > ul"))):
        expect(locator.first).to_be_visible()
        assert min_contrast(locator) >= WCAG_AA, f"{name} text contrast below {WCAG_AA}:1 in the {page.theme} theme"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(THEME_SCREENSHOTS[page.theme]), full_page=True)


def test_a_citation_marker_opens_and_shows_its_source(page):
    reply = send(page, KNEE_QUESTION)
    source = reply.locator(".source-1")
    expect(source).to_be_hidden()
    reply.locator("a.cite").first.click()
    expect(source).to_be_visible()
    expect(source).to_be_in_viewport()
    expect(source.locator("a.source-title")).to_have_attribute("href", STRETCHES_URL)
    assert page.evaluate("location.hash") == ""  # the page did not jump to a fragment


def test_copying_an_answer_gives_clean_text_with_its_sources(browser, running_app):  # noqa: F811
    context = browser.new_context(viewport=VIEWPORT)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(running_app)
    expect(page.locator("#question textarea")).to_be_editable(timeout=30_000)
    send(page, KNEE_STEPS_QUESTION)
    page.locator("#chat .message-buttons").last.get_by_role("button", name="Copy message").click()
    page.wait_for_timeout(300)
    copied = page.evaluate("navigator.clipboard.readText()")
    context.close()
    assert copied.startswith("Knee to Chest Stretch\n\n- Lie on your back")
    assert "- Hold for 30 seconds and switch legs [1]" in copied
    assert f"Sources:\n[1] {STRETCHES_TITLE} — " in copied and copied.rstrip().endswith(STRETCHES_URL)
    for markup in ("**", "<", "&gt;", "\\"):
        assert markup not in copied


def test_messages_have_readable_accessible_names_and_the_input_is_labelled(page):
    expect(page.get_by_label("Your question about SI joint pain")).to_be_editable()
    send(page, RED_FLAG_QUESTION)
    label = bot_messages(page).last.get_attribute("aria-label")
    assert label.startswith("Answer: ") and "Your message describes symptoms" in label
    assert "<" not in label and "**" not in label and "red-flag-notice" not in label
    expect(user_messages(page).last).to_have_attribute("aria-label", f"You asked: {RED_FLAG_QUESTION}")


def test_an_example_button_sends_its_question(page):
    page.get_by_role("button", name=KNEE_QUESTION).click()
    expect(user_messages(page).last).to_have_text(KNEE_QUESTION, timeout=5_000)
    expect(bot_messages(page).last).to_contain_text("Hold for 30 seconds", timeout=REPLY_TIMEOUT_MS)


def test_the_question_stays_visible_while_the_answer_is_on_its_way(page):
    page.locator("#question textarea").fill(KNEE_QUESTION)
    page.locator("#question textarea").press("Enter")
    expect(user_messages(page).last).to_have_text(KNEE_QUESTION, timeout=2_000)
    expect(bot_messages(page).last).to_contain_text(DISCLAIMER, timeout=REPLY_TIMEOUT_MS)


def test_the_conversation_survives_a_reload_until_new_conversation(page):
    send(page, KNEE_QUESTION)
    page.reload()
    expect(bot_messages(page)).to_have_count(1, timeout=10_000)
    expect(bot_messages(page).last).to_contain_text("Hold for 30 seconds")
    follow_up = send(page, "how long do I hold it?")  # the restored turns still resolve a follow-up
    expect(follow_up).to_contain_text("30 seconds")
    page.locator("#new-conversation").click()
    expect(bot_messages(page)).to_have_count(0)
    page.reload()
    expect(page.locator("#question textarea")).to_be_editable(timeout=30_000)
    page.wait_for_timeout(1_500)
    expect(bot_messages(page)).to_have_count(0)


def test_nothing_can_be_sent_before_the_saved_conversation_is_back(browser, running_app):  # noqa: F811
    """A restore that arrives after a first question would wipe that question and its answer (seen on
    a slow CI machine): the question box and the buttons that send stay disabled until it is back."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    held, holding = [], [True]
    page.route("**/gradio_api/run/predict",  # the page-load events: held until released below
               lambda route: held.append(route) if holding[0] else route.continue_())
    page.goto(running_app)
    expect(page.locator("#send")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1_000)
    assert held, "the page made no load request to hold"
    expect(page.locator("#question textarea")).to_be_disabled()
    expect(page.locator("#send")).to_be_disabled()
    expect(page.locator("button.example").first).to_be_disabled()
    holding[0] = False
    for route in held:
        route.continue_()
    expect(page.locator("#question textarea")).to_be_editable(timeout=30_000)
    expect(page.locator("#question textarea")).to_be_focused()
    send(page, KNEE_QUESTION)
    page.wait_for_timeout(1_000)
    expect(bot_messages(page)).to_have_count(1)
    context.close()


def ask_in_new_sessions(app_url: str, count: int) -> None:
    """`count` API calls, each a new Gradio session, answered to the end."""
    import http.client
    import json
    from urllib.parse import urlparse

    url = urlparse(app_url)
    for _ in range(count):
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        try:
            connection.request("POST", "/gradio_api/call/ask", b'{"data": ["hi", []]}',
                               {"Content-Type": "application/json"})
            event_id = json.loads(connection.getresponse().read())["event_id"]
            connection.request("GET", f"/gradio_api/call/ask/{event_id}")
            assert b"event: complete" in connection.getresponse().read()
        finally:
            connection.close()


def test_a_conversation_whose_server_state_was_dropped_loses_nothing(page, running_app):  # noqa: F811
    import app

    send(page, KNEE_QUESTION)
    ask_in_new_sessions(running_app, app.SESSIONS_KEPT + 5)  # the server now holds none of this page's state
    follow_up = send(page, "how long do I hold it?")  # the earlier turn comes from the browser's copy
    expect(follow_up).to_contain_text("30 seconds")
    ask_in_new_sessions(running_app, app.SESSIONS_KEPT + 5)
    page.locator("#chat").get_by_role("button", name="Dislike").first.click()  # on the first answer
    expect(page.locator("#comment textarea")).to_be_visible(timeout=5_000)  # the rating was stored
    expect(page.locator("#comment-row")).to_contain_text("knee to chest stretch")


def test_a_thumbs_down_with_a_comment_is_stored_and_reported(page):
    send(page, KNEE_QUESTION)
    page.locator("#chat .message-buttons").last.get_by_role("button", name="Dislike").click()
    expect(page.locator("#comment textarea")).to_be_visible(timeout=5_000)
    page.locator("#comment textarea").fill("I wanted the clamshell")
    page.locator("#send-comment").click()
    expect(page.locator("#feedback-thanks")).to_contain_text("comment was saved")
    report = subprocess.run([sys.executable, "-m", "chatbot", "feedback", "--db", str(running_app_feedback_db())],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert report.returncode == 0, report.stderr
    assert f"Q: {KNEE_QUESTION}" in report.stdout and "I wanted the clamshell" in report.stdout
    assert "Knee to Chest Stretch" in report.stdout


def test_the_phone_layout_fits_390_pixels(browser, running_app):  # noqa: F811
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(running_app)
    expect(page.locator("#question textarea")).to_be_editable(timeout=30_000)
    send(page, KNEE_QUESTION)
    reply = send(page, RED_FLAG_QUESTION)
    expect(reply.locator(".red-flag-notice")).to_be_visible()
    expect(reply.locator(".red-flag-notice")).to_be_in_viewport()  # a new reply shows from its start
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = reply.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.screenshot(path=str(PHONE_SCREENSHOT))
    context.close()
