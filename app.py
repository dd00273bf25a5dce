"""The web chat: `python app.py` serves it on http://127.0.0.1:7860 (see --help).

Wires a Gradio page to one function of the package, `Chatbot.reply`, the same
code path the CLI uses. The page is served first and the model loads in the
background, so the page answers within seconds; a question asked before the
model is ready simply waits for it.
"""

from __future__ import annotations

import argparse
import html
import os
import sys
import threading

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from chatbot.disclaimer import DISCLAIMER  # noqa: E402  (light: no model, no index)

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


def shown_as_text(message: str) -> str:
    """What the user typed, displayed literally: HTML is escaped, never rendered."""
    return html.escape(message).replace("\n", "<br>")


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
    except Exception as err:
        markdown = f"Sorry, something went wrong on our side ({html.escape(str(err))}). Please try again."
        stored = markdown
    history = history + [{"role": "user", "content": message}, {"role": "assistant", "content": stored}]
    display = display + [{"role": "user", "content": shown_as_text(message)},
                         {"role": "assistant", "content": markdown}]
    return "", display, history


def ask(message: str, history: list[dict] | None = None) -> dict:
    """API: the reply to `message` given earlier turns, as the JSON of `python -m chatbot ask --json`."""
    return ready_bot().reply(message, history or []).to_json()


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

        shared_chatbot()
    demo = build_demo()
    demo.queue(default_concurrency_limit=2, max_size=64)
    # The model loads while the server starts: Gradio is imported by then, so the page still comes
    # up in about 4 s and the first answer is about 0.5 s sooner (benchmarks/cold_start.py).
    load_bot_in_background()
    demo.launch(server_name=args.host, server_port=args.port, share=args.share, show_error=False,
                css=CSS, js=LINKS_IN_NEW_TAB, footer_links=["api"], quiet=False, prevent_thread_lock=True)
    print(f"Serving on http://{args.host}:{args.port} (Ctrl-C to stop); loading the model...", flush=True)
    _bot_ready.wait()
    print("Model loaded; ready to answer." if not _bot_error else f"Error: {_bot_error[0]}", flush=True)
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
