"""The web chat: `python app.py` serves it on http://127.0.0.1:7860 (see --help).

Wires a Gradio page to one function of the package, `Chatbot.reply`, the same
code path the CLI uses. The page is served first and the model loads in the
background, so the page answers within seconds; a question asked before the
model is ready simply waits for it.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from pathlib import Path  # noqa: E402

from chatbot.disclaimer import DISCLAIMER  # noqa: E402  (light: no model, no index)
from chatbot import web_chat  # noqa: E402

TITLE = "SI Joint Pain Helper"
INTRO = (
    "Answers questions about **sacroiliac (SI) joint pain** only from four published articles on massage, "
    "massage therapy, exercises and stretches for SI joint pain, quoting them with numbered sources. "
    "It does not diagnose, give medication advice, or answer what the articles do not cover."
)
EXAMPLES = [
    "What causes SI joint pain?",
    "How long should I hold the knee to chest stretch?",
    "Can I use a massage gun on my SI joint?",
    "How do I do a dead bug exercise?",
    "When should I see a doctor for SI joint pain?",
]
ASSETS = Path(__file__).resolve().parent / "chatbot" / "web_assets"
CSS = (ASSETS / "chat.css").read_text(encoding="utf-8")
JS = (ASSETS / "chat.js").read_text(encoding="utf-8")
FOCUS_QUESTION_JS = "() => { document.querySelector('#question textarea')?.focus(); }"  # once it is enabled
LOADING = ("⏳ **Loading the answer model…** This takes a few seconds after the app starts. You can type your "
           "question now: it is answered as soon as loading finishes.")
DECLINED_NOTICE = ("*On this server, questions the chatbot cannot answer are recorded (the question only) so the "
                   "maintainers can see which topics the articles miss.*")
CONVERSATION_KEY = "si-joint-helper-conversation"

MAX_REQUEST_BYTES = 2_000_000  # a request body above this is refused with HTTP 413 before any work
# Sessions whose state is kept in memory (every API call is one); the least recently active is
# dropped beyond this. A session holds no copy of the page (chatbot/web_sessions.py), only the chat's
# gr.State values, each turn bounded (chatbot/history.py); a page whose state was dropped is answered
# and rated from the browser's own copy of its conversation (web_chat.state_or_saved), so nothing is lost.
SESSIONS_KEPT = 50

_live = None  # chatbot.live_index.LiveChatbot once loaded
_bot_ready = threading.Event()
_bot_error: list[str] = []


def load_bot_in_background(watch_index: bool = True) -> None:
    def load():
        global _live
        try:
            from chatbot.bot import shared_chatbot
            from chatbot.live_index import LiveChatbot

            bot = shared_chatbot()
            bot.warm_up()
            _live = LiveChatbot(bot)
            if watch_index:
                _live.watch()
        except Exception as err:  # shown to the user instead of a traceback
            _bot_error.append(f"{type(err).__name__}: {err}")
        finally:
            _bot_ready.set()

    threading.Thread(target=load, name="load-chatbot", daemon=True).start()


def ready_bot():
    """The chatbot in use now (after a re-index, the new one); waits while the model loads."""
    _bot_ready.wait()
    if _bot_error:
        raise RuntimeError(_bot_error[0])
    return _live.current


def web_markdown(reply) -> str:
    from chatbot.web_reply import web_reply_markdown

    return web_reply_markdown(reply)


def ask(message: str, history: list[dict] | None = None) -> dict:
    """API: the reply to `message` given earlier turns, as the JSON of `python -m chatbot ask --json`."""
    import gradio as gr

    try:
        return ready_bot().reply(message, history or []).to_json()
    except Exception as err:
        web_chat.log_failure(err)
        raise gr.Error(web_chat.SORRY, print_exception=False) from None


def loading_state():
    """The loading banner while the model loads, and the timer that polls it (stopped once ready)."""
    import gradio as gr

    ready = _bot_ready.is_set()
    return gr.update(visible=not ready), gr.Timer(active=not ready)


def build_demo(record_declined: bool = False, feedback_db: Path | None = None):
    import gradio as gr

    from chatbot.feedback import FeedbackStore
    from chatbot.settings import Settings
    from chatbot.web_sessions import keep_no_page_copies

    keep_no_page_copies()  # before any session exists: a session then holds only the gr.State values below

    store = FeedbackStore(feedback_db or Settings.from_env().feedback_db)
    declined_store = store if record_declined else None

    def answer(pending, history, display, records, saved):
        return web_chat.answer_question(ready_bot, web_markdown, pending, history, display, records, declined_store,
                                        saved)

    def on_like(records, saved, display, data):
        records = web_chat.state_or_saved(len(display or []), [], records, saved)[1]
        row, message, question = web_chat.rate(store, records, data.index, data.liked)
        label = f"Comment on the answer to “{question[:80]}{'…' if len(question) > 80 else ''}” (optional)"
        return (row, gr.update(value=message, visible=bool(message)), gr.update(visible=row is not None),
                gr.update(label=label, value=""))

    on_like.__annotations__["data"] = gr.LikeData  # how Gradio knows to pass the like event's data

    def on_comment(rating_id, comment):
        message = web_chat.add_comment(store, rating_id, comment)
        saved = message.startswith("Thank you")
        return gr.update(value=message, visible=True), "" if saved else gr.update(), gr.update(visible=not saved)

    def feedback(message: str, verdict: str, comment: str = "", history: list[dict] | None = None) -> dict:
        """API: rate the reply to `message` given the earlier turns: verdict "up" or "down", an optional
        comment. The reply is computed again (replies are deterministic), so the stored answer and
        sources are the bot's own. Returns {"saved": bool, "id": int | None}."""
        if verdict not in ("up", "down"):
            raise gr.Error('verdict must be "up" or "down"', print_exception=False)
        try:
            reply = ready_bot().reply(message, history or [])
        except Exception as err:
            web_chat.log_failure(err)
            raise gr.Error(web_chat.SORRY, print_exception=False) from None
        record = web_chat.rating_record(message, reply)
        row = store.add_rating(verdict, record["question"], record["answer"], record["sources"],
                               comment if isinstance(comment, str) else "")
        return {"saved": row is not None, "id": row}

    def cleared():
        return [], [], [], web_chat.EMPTY_CONVERSATION, False, None, gr.update(visible=False), gr.update(visible=False)

    with gr.Blocks(title=TITLE, analytics_enabled=False, fill_height=True) as demo:
        gr.Markdown(f"# {TITLE}\n{INTRO}")
        gr.Markdown(f"**Please note:** {DISCLAIMER}", elem_id="disclaimer")
        status = gr.Markdown(LOADING, elem_id="loading-status")
        timer = gr.Timer(1.0)
        saved = gr.BrowserState(web_chat.EMPTY_CONVERSATION, storage_key=CONVERSATION_KEY)
        history, records, pending, busy = gr.State([]), gr.State([]), gr.State(""), gr.State(False)
        rating_id = gr.State(None)
        chatbot = gr.Chatbot(label="Conversation", show_label=False, height="62vh", min_height=420, elem_id="chat",
                             sanitize_html=True, render_markdown=True, buttons=["copy"],
                             feedback_options=("Like", "Dislike"), placeholder=(
                                 "Ask about SI joint pain: causes, symptoms, massage, self-massage tools, "
                                 "exercises and stretches."), autoscroll=False)
        feedback_message = gr.Markdown(visible=False, elem_id="feedback-thanks")
        with gr.Row(visible=False, elem_id="comment-row") as comment_row:
            comment = gr.Textbox(label="Comment on this answer (optional)", placeholder="What was wrong or missing?",
                                 scale=8, max_lines=4, elem_id="comment")
            send_comment = gr.Button("Send comment", scale=1, elem_id="send-comment")
        with gr.Row():
            textbox = gr.Textbox(label="Your question about SI joint pain", placeholder="Type your question and "
                                 "press Enter", show_label=False, scale=8, elem_id="question", max_lines=6,
                                 interactive=False)  # enabled once the saved conversation is restored
            send = gr.Button("Send", variant="primary", scale=1, elem_id="send", interactive=False)
        gr.Markdown("**Try asking:**")
        with gr.Row(elem_classes="example-buttons"):
            example_buttons = [gr.Button(text, size="sm", elem_classes="example", interactive=False)
                               for text in EXAMPLES]
        new_chat = gr.Button("New conversation", variant="secondary", size="sm", elem_id="new-conversation",
                             interactive=False)
        if record_declined:
            gr.Markdown(DECLINED_NOTICE, elem_id="declined-notice")

        answer_io = dict(fn=answer, inputs=[pending, history, chatbot, records, saved],
                         outputs=[chatbot, history, records, saved, busy], api_visibility="private")
        for trigger in (textbox.submit, send.click):
            trigger(web_chat.show_question, [textbox, chatbot, busy], [textbox, chatbot, pending, busy],
                    queue=False, api_visibility="private").then(**answer_io)
        for button, text in zip(example_buttons, EXAMPLES):
            button.click(lambda display, busy, text=text: web_chat.show_question(text, display, busy)[1:],
                         [chatbot, busy], [chatbot, pending, busy], queue=False,
                         api_visibility="private").then(**answer_io)
        clear_outputs = [chatbot, history, records, saved, busy, rating_id, comment_row, feedback_message]
        # Neither control touches the textbox, so a question typed meanwhile is never wiped.
        new_chat.click(cleared, None, clear_outputs, queue=False, api_visibility="private")
        chatbot.clear(cleared, None, clear_outputs, queue=False, api_visibility="private")
        chatbot.like(on_like, [records, saved, chatbot], [rating_id, feedback_message, comment_row, comment],
                     api_visibility="private")
        for trigger in (comment.submit, send_comment.click):
            trigger(on_comment, [rating_id, comment], [feedback_message, comment, comment_row],
                    api_visibility="private")
        # Nothing can be sent before the saved conversation is back: a restore arriving after a first
        # question (a slow page load) would wipe that question and its answer from the chat.
        senders = [textbox, send, *example_buttons, new_chat]

        def restored_and_enabled(saved_conversation):
            return (*web_chat.restored(saved_conversation), *[gr.update(interactive=True)] * len(senders))

        demo.load(restored_and_enabled, [saved], [chatbot, history, records, *senders], queue=False,
                  api_visibility="private").then(None, js=FOCUS_QUESTION_JS)
        demo.load(loading_state, None, [status, timer], queue=False, api_visibility="private")
        timer.tick(loading_state, None, [status, timer], queue=False, api_visibility="private")
        gr.api(ask, api_name="ask", api_description="Reply to a message about SI joint pain, given the earlier "
               "turns as [{'role': 'user'|'assistant', 'content': str}, ...]. Returns answer, citations, in_scope, "
               "red_flags, notice, disclaimer, query and markdown.")
        gr.api(feedback, api_name="feedback", api_description="Rate the reply to a message: verdict 'up' or "
               "'down', an optional comment, and the earlier turns as for /ask. Stored for the maintainers "
               "(python -m chatbot feedback). Returns {saved, id}.")
    return demo


def guard_middleware(host: str, share: bool):
    """The outer wall of every request (chatbot/web_guard.py): host, origin, routes, body size, headers."""
    from starlette.middleware import Middleware

    from chatbot.web_guard import LOOPBACK_NAMES, WebGuard

    return Middleware(WebGuard, loopback_only=host in LOOPBACK_NAMES and not share, max_body_bytes=MAX_REQUEST_BYTES)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve the SI joint pain chat locally.")
    parser.add_argument("--host", default=os.environ.get("SIBOT_HOST", "127.0.0.1"),
                        help="address to bind (default 127.0.0.1, or $SIBOT_HOST)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("SIBOT_PORT", "7860")),
                        help="port (default 7860, or $SIBOT_PORT)")
    parser.add_argument("--share", action="store_true", help="also create a public Gradio share link")
    parser.add_argument("--record-declined", action="store_true",
                        help="also record questions the bot declined in the feedback database (off by default, "
                             "or $SIBOT_RECORD_DECLINED=1; the page says so when on)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    from chatbot.memory import keep_returning_free_heap_pages, return_large_allocations_to_the_system

    return_large_allocations_to_the_system()
    keep_returning_free_heap_pages()
    from chatbot.indexer import check_index
    from chatbot.settings import Settings

    settings = Settings.from_env()
    stale = check_index(settings)
    if stale and settings.serve_only:
        print("Error: the index is missing or stale and SIBOT_SERVE_ONLY is set:\n  " + "\n  ".join(stale) +
              "\nBuild it with: python -m chatbot index", file=sys.stderr)
        return 1
    if stale:  # rebuild before serving, with progress in this terminal
        print("The index is missing or stale; rebuilding before serving:\n  " + "\n  ".join(stale), flush=True)
        from chatbot.bot import shared_chatbot

        try:
            shared_chatbot()
        except Exception as err:  # an empty corpus, an index folder that cannot be written, ...
            print(f"Error: could not build the index, so the app is not started: {type(err).__name__}: {err}",
                  file=sys.stderr)
            return 1
    demo = build_demo(record_declined=args.record_declined or settings.record_declined, feedback_db=settings.feedback_db)
    demo.queue(default_concurrency_limit=2, max_size=64)
    # The model loads while the server starts: Gradio is imported by then, so the page still comes
    # up in about 4 s and the first answer is about 0.5 s sooner (benchmarks/cold_start.py).
    load_bot_in_background()
    demo.launch(server_name=args.host, server_port=args.port, share=args.share, show_error=False,
                css=CSS, js=JS, footer_links=["api"], quiet=True, prevent_thread_lock=True,
                app_kwargs={"middleware": [guard_middleware(args.host, args.share)]}, enable_monitoring=False,
                max_file_size=1, state_session_capacity=SESSIONS_KEPT, run_history=False)
    print(f"Serving on http://{args.host}:{args.port} (Ctrl-C to stop); loading the model...", flush=True)
    _bot_ready.wait()
    if _bot_error:  # never half up: a page whose every answer fails is worse than a clear stop
        print(f"Error: the chatbot could not load, so the server stops: {_bot_error[0]}", file=sys.stderr, flush=True)
        demo.close()
        return 1
    print("Model loaded; ready to answer.", flush=True)
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
