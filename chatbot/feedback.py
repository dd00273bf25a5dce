"""Feedback kept for maintainers in a local SQLite database (standard library only).

Owns the schema and every read and write. Two tables: `ratings` (a thumbs up or down the person
chose to send, with the question, the answer, its sources and an optional comment) and `declined`
(questions the bot did not answer, recorded only when the operator turns that on). The database
is created on first write. Writes from many threads or processes wait for each other (WAL, a
busy timeout); a locked, unreadable or corrupt database is reported and skipped, never raised
into a reply.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

BUSY_TIMEOUT_SECONDS = 10.0
LOCK_RETRY_SECONDS = 0.05  # pause before a locked write is tried again
MAX_COMMENT_CHARS = 2_000
MAX_QUESTION_CHARS = 4_000
SCHEMA = """
CREATE TABLE IF NOT EXISTS ratings (
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('up', 'down')),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    sources TEXT NOT NULL,  -- JSON list of {"n", "title", "section", "url"}
    comment TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS declined (
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL,
    question TEXT NOT NULL,
    reason TEXT NOT NULL
);
"""


class FeedbackUnavailable(RuntimeError):
    """The database cannot be read or written; the message says which file and why."""


@dataclass(frozen=True)
class Rating:
    id: int
    created: str
    verdict: str
    question: str
    answer: str
    sources: list[dict]
    comment: str


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def is_lock(err: Exception) -> bool:
    """`is_lock(sqlite3.OperationalError("database is locked"))` -> True: another writer holds it."""
    return "locked" in str(err) or "busy" in str(err)


def report_problem(err: Exception) -> None:
    print(f"feedback not saved: {type(err).__name__}: {str(err)[:200]}", file=sys.stderr, flush=True)


class FeedbackStore:
    def __init__(self, path: Path, busy_timeout: float = BUSY_TIMEOUT_SECONDS):
        self.path = Path(path)
        self.busy_timeout = busy_timeout  # how long a write waits for another writer's lock

    def connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)
            return connection
        except (sqlite3.Error, OSError) as err:
            raise FeedbackUnavailable(f"the feedback database {self.path} cannot be used: {err}") from None

    def write(self, sql: str, values: tuple) -> int | None:
        """Run one INSERT or UPDATE in its own transaction; the new row's id, or None when it failed.

        A lock met while the database is being created or switched to WAL is not always waited for
        by SQLite's busy timeout, so a locked write is tried again until that timeout has passed."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                with closing(self.connect()) as connection:
                    return connection.execute(sql, values).lastrowid
            except (FeedbackUnavailable, sqlite3.Error) as err:
                if is_lock(err) and time.monotonic() < deadline:
                    time.sleep(LOCK_RETRY_SECONDS)
                    continue
                report_problem(err)
                return None

    def add_rating(self, verdict: str, question: str, answer: str, sources: list[dict], comment: str = "") -> int | None:
        if verdict not in ("up", "down"):
            raise ValueError(f"verdict must be 'up' or 'down', not {verdict!r}")
        return self.write("INSERT INTO ratings (created, verdict, question, answer, sources, comment) "
                          "VALUES (?, ?, ?, ?, ?, ?)",
                          (now(), verdict, question[:MAX_QUESTION_CHARS], answer, json.dumps(sources),
                           comment[:MAX_COMMENT_CHARS]))

    def add_comment(self, rating_id: int, comment: str) -> bool:
        return self.write("UPDATE ratings SET comment = ? WHERE id = ?",
                          (comment[:MAX_COMMENT_CHARS], rating_id)) is not None

    def add_declined(self, question: str, reason: str) -> int | None:
        return self.write("INSERT INTO declined (created, question, reason) VALUES (?, ?, ?)",
                          (now(), question[:MAX_QUESTION_CHARS], reason))

    def read(self, sql: str, values: tuple = ()) -> list[tuple]:
        """Rows of a SELECT; an absent database reads as empty. Raises FeedbackUnavailable."""
        if not self.path.exists():
            return []
        try:
            with closing(self.connect()) as connection:
                return connection.execute(sql, values).fetchall()
        except sqlite3.Error as err:
            raise FeedbackUnavailable(f"the feedback database {self.path} cannot be read: {err}") from None

    def ratings(self, verdict: str | None = None) -> list[Rating]:
        where, values = ("WHERE verdict = ?", (verdict,)) if verdict else ("", ())
        rows = self.read(f"SELECT id, created, verdict, question, answer, sources, comment FROM ratings {where} "
                         "ORDER BY id DESC", values)
        return [Rating(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows]

    def frequent_declined(self, limit: int = 20) -> list[tuple[str, int, str]]:
        """(question, times asked, last reason), most frequent first; questions compared case-blind."""
        return self.read("SELECT MIN(question), COUNT(*) AS times, MAX(reason) FROM declined "
                         "GROUP BY LOWER(TRIM(question)) ORDER BY times DESC, MAX(id) DESC LIMIT ?", (limit,))

    def counts_by_day(self) -> list[tuple[str, int, int, int]]:
        """(day, thumbs up, thumbs down, declined), oldest first."""
        return self.read("""
            SELECT day, SUM(up), SUM(down), SUM(declined) FROM (
                SELECT substr(created, 1, 10) AS day, verdict = 'up' AS up, verdict = 'down' AS down, 0 AS declined
                FROM ratings
                UNION ALL
                SELECT substr(created, 1, 10), 0, 0, 1 FROM declined
            ) GROUP BY day ORDER BY day""")

    def export_csv(self, out: IO[str]) -> int:
        """Every rating and declined question as CSV rows; returns the number of rows written."""
        writer = csv.writer(out)
        writer.writerow(["kind", "id", "created", "verdict", "question", "answer", "sources", "comment"])
        rows = 0
        for r in reversed(self.ratings()):
            sources = "; ".join(f"[{s.get('n')}] {s.get('title', '')} — {s.get('section', '')} {s.get('url', '')}".strip()
                                for s in r.sources)
            writer.writerow(["rating", r.id, r.created, r.verdict, r.question, r.answer, sources, r.comment])
            rows += 1
        for row_id, created, question, reason in self.read("SELECT id, created, question, reason FROM declined ORDER BY id"):
            writer.writerow(["declined", row_id, created, reason, question, "", "", ""])
            rows += 1
        return rows
