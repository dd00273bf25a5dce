"""The page app.py builds, without a server: the loading banner and the declined-questions notice."""

from __future__ import annotations

import threading

import app


def test_the_loading_banner_shows_until_the_model_is_ready_then_its_timer_stops(monkeypatch):
    monkeypatch.setattr(app, "_bot_ready", threading.Event())
    banner, timer = app.loading_state()
    assert banner["visible"] is True and timer.active is True
    app._bot_ready.set()
    banner, timer = app.loading_state()
    assert banner["visible"] is False and timer.active is False


def page_texts(demo) -> str:
    return " ".join(str(block.value) for block in demo.blocks.values() if isinstance(getattr(block, "value", None), str))


def test_the_page_says_so_only_when_declined_questions_are_recorded(tmp_path):
    assert app.DECLINED_NOTICE not in page_texts(app.build_demo(feedback_db=tmp_path / "f.sqlite3"))
    assert app.DECLINED_NOTICE in page_texts(app.build_demo(record_declined=True, feedback_db=tmp_path / "f.sqlite3"))
    assert not (tmp_path / "f.sqlite3").exists()  # created on first use only
