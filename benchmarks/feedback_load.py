"""Feedback under load: many clients asking and rating at once, against the real server and database.

Run from the repo root:  python benchmarks/feedback_load.py [--clients 20] [--per-client 5]

Starts `python app.py` on a private copy of corpus/ and index/ with its own feedback database,
then each client (its own gradio_client.Client, all starting together) asks a question through
/ask and rates the reply through /feedback, `--per-client` times. Prints failed replies, failed
ratings, and the rows found in the database against the ratings acknowledged (lost rows).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

import common  # noqa: F401  (sets the offline environment and sys.path first)
from common import machine_line, new_client, p50_p95, private_server, read_questions


def client_run(url: str, questions: list[str], start: threading.Barrier, results: dict, lock: threading.Lock):
    try:
        client = new_client(url)
    except Exception as err:  # counted, not raised: the run goes on
        with lock:
            results["failed_replies"] += len(questions)
        start.wait()
        results["errors"].append(f"client: {type(err).__name__}: {err}")
        return
    start.wait()
    for k, question in enumerate(questions):
        started = time.perf_counter()
        try:
            reply = client.predict(message=question, history=[], api_name="/ask")
            assert isinstance(reply, dict) and "answer" in reply, f"unexpected reply {str(reply)[:80]}"
            with lock:
                results["reply_ms"].append((time.perf_counter() - started) * 1000)
        except Exception as err:
            with lock:
                results["failed_replies"] += 1
                results["errors"].append(f"ask: {type(err).__name__}: {str(err)[:120]}")
            continue
        try:
            saved = client.predict(message=question, verdict="down" if k % 2 else "up",
                                   comment=f"load test comment {k}", history=[], api_name="/feedback")
            with lock:
                if saved.get("saved"):
                    results["acknowledged"].append(saved["id"])
                else:
                    results["failed_ratings"] += 1
        except Exception as err:
            with lock:
                results["failed_ratings"] += 1
                results["errors"].append(f"feedback: {type(err).__name__}: {str(err)[:120]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=5)
    args = parser.parse_args()
    print(machine_line())
    database_dir = Path(tempfile.mkdtemp(prefix="sibot-feedback-"))
    database = database_dir / "feedback.sqlite3"
    try:
        with private_server({"SIBOT_FEEDBACK_DB": str(database)}) as (url, _):
            questions = [q["question"] for q in read_questions() if not q.get("history")]
            results = {"reply_ms": [], "acknowledged": [], "failed_replies": 0, "failed_ratings": 0, "errors": []}
            lock = threading.Lock()
            start = threading.Barrier(args.clients)
            asked = [[questions[(c * args.per_client + k) % len(questions)] for k in range(args.per_client)]
                     for c in range(args.clients)]
            threads = [threading.Thread(target=client_run, args=(url, mine, start, results, lock)) for mine in asked]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            with sqlite3.connect(database) as connection:
                stored = {row[0] for row in connection.execute("SELECT id FROM ratings")}
            acknowledged = set(results["acknowledged"])
            print(f"{args.clients} clients x {args.per_client} (ask, then rate) in {elapsed:.0f} s")
            print(f"replies: {len(results['reply_ms'])} ok, {results['failed_replies']} failed; "
                  f"latency {p50_p95(results['reply_ms'])}")
            print(f"ratings: {len(acknowledged)} acknowledged, {results['failed_ratings']} failed; rows in the database "
                  f"{len(stored)}; acknowledged but missing (lost) {len(acknowledged - stored)}")
            for error in results["errors"][:5]:
                print(f"  {error}")
            print(machine_line())
    finally:
        shutil.rmtree(database_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
