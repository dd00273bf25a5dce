"""What the web server keeps in memory per browser session (and per API call, which Gradio also
treats as a session), and what it does not keep.

Gradio keeps, for every session, each component's configuration together with the last value the
component received or returned (`SessionState.config_values`), only so that a deep link
(`gr.DeepLinkButton`) can save the page as it was. This app has no deep link, and every API call is
a new session, so each 1 MB message or 5,000-turn history sent to /ask stayed in memory until
`state_session_capacity` later sessions pushed it out (about 0.9 MB a session in
`benchmarks/soak.py`). `keep_no_page_copies()` makes Gradio keep neither the configuration copy nor
the values; the deep-link route is refused by the web guard (`chatbot/web_guard.py`).

What a session does keep is the app's own `gr.State` values (the conversation's turns, bounded by
`chatbot/history.py`), which the answers need. Needs Gradio; imported by app.py only.
"""

from __future__ import annotations

from typing import Any

PATCHED = "_sibot_keeps_no_page_copies"


def keep_no_page_copies() -> bool:
    """Patch Gradio's SessionState so a session keeps no copy of the page's configuration or of the
    values its components exchanged. Idempotent; False when this Gradio has no such state (the
    patch is then not needed or no longer fits, and tests/test_web_sessions.py says so)."""
    from gradio import state_holder

    session = getattr(state_holder, "SessionState", None)
    if getattr(session, PATCHED, False):
        return True
    if session is None or not hasattr(session, "_update_value_in_config") or \
            "config_values" not in session.__init__.__code__.co_names:
        return False
    built = session.__init__

    def __init__(self, blocks: Any) -> None:
        built(self, blocks)
        self.config_values.clear()  # built for deep links only: about 50 KB a session here

    def _update_value_in_config(self, key: int, value: Any) -> None:
        """Gradio stores every input and output value of the session here, for deep links only."""

    session.__init__ = __init__
    session._update_value_in_config = _update_value_in_config
    setattr(session, PATCHED, True)
    return True
