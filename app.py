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

from chatbot.disclaimer import DISCLAIMER  # noqa: E402  (light: no model, no index)
from chatbot.history import HISTORY_TURNS_KEPT  # noqa: E402
from chatbot.markdown_text import literal_markdown  # noqa: E402

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
CSS = """
.red-flag-notice { background: #fdecea; border: 2px solid #c5221f; border-left-width: 8px; border-radius: 8px;
                   padding: 0.6em 1em; margin-bottom: 0.8em; color: #5f0f0c; }
.red-flag-notice * { color: #5f0f0c !important; }
#disclaimer { font-size: 0.9em; background: #f1f5fb; border-radius: 8px; padding: 0.5em 1em; }
.red-flag-notice ul { margin: 0.3em 0 0.5em; }
.red-flag-notice li { list-style: disc; margin-left: 1.2em; }
#chat details { margin-top: 0.6em; border: 1px solid var(--border-color-primary); border-radius: 8px;
                padding: 0.3em 0.8em; background: var(--background-fill-primary); }
#chat summary { cursor: pointer; font-weight: 600; color: var(--link-text-color); }
#chat .message-content .md > p:last-child > em:only-child { font-size: 0.85em; }
"""
LINKS_IN_NEW_TAB = """
() => {
  new MutationObserver(() => {
    document.querySelectorAll('.message a[href^="http"]').forEach(a => {
      a.target = '_blank'; a.rel = 'noopener noreferrer';
    });
  }).observe(document.body, {childList: true, subtree: true});
}
"""

MAX_REQUEST_BYTES = 2_000_000  # a request body above this is refused with HTTP 413 before any work
SESSIONS_KEPT = 200  # per-browser chat states kept in memory; the oldest is dropped beyond this

_bot = None
_bot_ready = threading.Event()
_bot_error: list[str] = []


def load_bot_in_background() -> None:
    def load():
        global _bot
        try:
            from chatbot.bot import shared_chatbot

            _bot = shared_chatbot()
            _bot.warm_up()
        except Exception as err:  # shown to the user instead of a traceback
            _bot_error.append(f"{type(err).__name__}: {err}")
        finally:
            _bot_ready.set()

    threading.Thread(target=load, name="load-chatbot", daemon=True).start()


def ready_bot():
    _bot_ready.wait()
    if _bot_error:
        raise RuntimeError(_bot_error[0])
    return _bot


SORRY = "Sorry, something went wrong on our side. Please try again in a moment."


def shown_as_text(message: str) -> str:
    """What the user typed, displayed literally: neither HTML nor Markdown (images, links) is rendered."""
    return "<br>".join(literal_markdown(line) for line in message.split("\n"))


def respond(message: str, history: list[dict], display: list[dict]):
    """One turn of the chat: returns the cleared textbox, the new display and the new raw history."""
    message = message if isinstance(message, str) else ""
    if not message.strip():
        return "", display, history
    if not display:  # the chat was just emptied (trash or new conversation): earlier turns are gone
        history = []
    try:
        reply = ready_bot().reply(message, history)
        markdown, stored = reply.markdown, reply.markdown
    except Exception as err:  # one line in the server's log; the person sees no internals
        log_failure(err)
        markdown = stored = SORRY
    history = (history + [{"role": "user", "content": message},
                          {"role": "assistant", "content": stored}])[-HISTORY_TURNS_KEPT:]
    display = display + [{"role": "user", "content": shown_as_text(message)},
                         {"role": "assistant", "content": markdown}]
    return "", display, history


def ask(message: str, history: list[dict] | None = None) -> dict:
    """API: the reply to `message` given earlier turns, as the JSON of `python -m chatbot ask --json`."""
    import gradio as gr

    try:
        return ready_bot().reply(message, history or []).to_json()
    except Exception as err:
        log_failure(err)
        raise gr.Error(SORRY, print_exception=False) from None



def log_failure(err: Exception) -> None:
    print(f"error while answering: {type(err).__name__}: {str(err)[:300]}", file=sys.stderr, flush=True)


def build_demo():
    import gradio as gr

    with gr.Blocks(title=TITLE, analytics_enabled=False, fill_height=True) as demo:
        gr.Markdown(f"# {TITLE}\n{INTRO}")
        gr.Markdown(f"**Please note:** {DISCLAIMER}", elem_id="disclaimer")
        history = gr.State([])
        chatbot = gr.Chatbot(label="Conversation", height="62vh", min_height=420, elem_id="chat", sanitize_html=True,
                             render_markdown=True, buttons=["copy"], placeholder=(
                                 "Ask about SI joint pain: causes, symptoms, massage, self-massage tools, "
                                 "exercises and stretches."))
        with gr.Row():
            textbox = gr.Textbox(placeholder="Type your question and press Enter", show_label=False, scale=8,
                                 autofocus=True, elem_id="question", max_lines=6)
            send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
        new_chat = gr.Button("New conversation", variant="secondary", size="sm", elem_id="new-conversation")
        gr.Examples(EXAMPLES, inputs=textbox, label="Try asking")
        for trigger in (textbox.submit, send.click):
            trigger(respond, [textbox, history, chatbot], [textbox, chatbot, history], api_visibility="private")
        # Neither control touches the textbox, so a question typed meanwhile is never wiped.
        new_chat.click(lambda: ([], []), None, [chatbot, history], api_visibility="private")
        # The chat's own trash button empties the display only: forget the raw turns too.
        chatbot.clear(list, None, [history], api_visibility="private")
        gr.api(ask, api_name="ask", api_description="Reply to a message about SI joint pain, given the earlier "
               "turns as [{'role': 'user'|'assistant', 'content': str}, ...]. Returns answer, citations, in_scope, "
               "red_flags, notice, disclaimer, query and markdown.")
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
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
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
    demo = build_demo()
    demo.queue(default_concurrency_limit=2, max_size=64)
    # The model loads while the server starts: Gradio is imported by then, so the page still comes
    # up in about 4 s and the first answer is about 0.5 s sooner (benchmarks/cold_start.py).
    load_bot_in_background()
    demo.launch(server_name=args.host, server_port=args.port, share=args.share, show_error=False,
                css=CSS, js=LINKS_IN_NEW_TAB, footer_links=["api"], quiet=False, prevent_thread_lock=True,
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
