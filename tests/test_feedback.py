"""The feedback database (chatbot/feedback.py) and `python -m chatbot feedback`: real SQLite files."""

from __future__ import annotations

import csv
import io
import sqlite3
import threading

from chatbot.cli import main
from chatbot.feedback import FeedbackStore

SOURCES = [{"n": 1, "title": "Stretches", "section": "Knee Hug", "url": "https://example.org/s"}]


def test_the_database_is_created_on_first_write_in_a_new_folder(tmp_path):
    store = FeedbackStore(tmp_path / "new" / "folder" / "feedback.sqlite3")
    assert store.ratings() == [] and not store.path.exists()
    assert store.add_rating("up", "q", "a", SOURCES) == 1
    assert store.path.exists() and [r.verdict for r in store.ratings()] == ["up"]


def test_twenty_concurrent_writers_lose_no_row(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    ids: list = []

    def client(k):
        for i in range(10):
            ids.append(store.add_rating("down" if i % 2 else "up", f"question {k}-{i}", "a", SOURCES))
            ids.append(store.add_declined(f"declined {k}-{i}", "not_covered"))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert None not in ids
    assert len(store.ratings()) == 200 and sum(n for _, n, _ in store.frequent_declined(1000)) == 200


def test_a_corrupt_database_is_reported_and_never_raised_into_a_reply(tmp_path, capsys):
    path = tmp_path / "feedback.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    store = FeedbackStore(path)
    assert store.add_rating("up", "q", "a", SOURCES) is None
    assert store.add_declined("q", "not_covered") is None
    assert "feedback not saved" in capsys.readouterr().err
    assert path.read_bytes().startswith(b"this is not a database")  # left as it was, for a person to look at
    assert main(["feedback", "--db", str(path)]) == 1
    assert "cannot be used" in capsys.readouterr().err


def test_a_locked_database_gives_up_after_the_busy_timeout_without_raising(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3", busy_timeout=0.2)
    store.add_rating("up", "q", "a", SOURCES)
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert store.add_rating("down", "q2", "a", SOURCES) is None
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.add_rating("down", "q3", "a", SOURCES) is not None


def test_the_report_lists_answers_rated_down_with_comments_and_frequent_declined_questions(tmp_path, capsys):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    row = store.add_rating("down", "how long do I hold the clamshell?", "Hold for 30 seconds [1]", SOURCES)
    store.add_comment(row, "that was the knee hug")
    store.add_rating("up", "what causes it?", "Pregnancy [1]", SOURCES)
    for question in ("Is swimming good?", "is swimming good? ", "Can I do yoga?"):
        store.add_declined(question, "not_covered")
    assert main(["feedback", "--db", str(store.path)]) == 0
    out = capsys.readouterr().out
    assert "how long do I hold the clamshell?" in out and "that was the knee hug" in out
    assert "what causes it?" not in out  # only answers rated down are listed
    assert out.index("2 x  Is swimming good?") < out.index("1 x  Can I do yoga?")
    assert "total             1      1          3" in out


def test_csv_export_has_every_row(tmp_path, capsys):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.add_rating("down", "q, with a comma", "a\nnew line", SOURCES, "c")
    store.add_declined("swimming?", "not_covered")
    target = tmp_path / "out.csv"
    assert main(["feedback", "--db", str(store.path), "--csv", str(target)]) == 0
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0][:4] == ["kind", "id", "created", "verdict"]
    assert [r[0] for r in rows[1:]] == ["rating", "declined"]
    assert rows[1][4:6] == ["q, with a comma", "a\nnew line"] and "https://example.org/s" in rows[1][6]


def test_an_empty_database_says_so(tmp_path, capsys):
    assert main(["feedback", "--db", str(tmp_path / "none.sqlite3")]) == 0
    assert "No feedback yet" in capsys.readouterr().out
