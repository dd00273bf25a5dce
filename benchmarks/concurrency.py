"""Many users at once: 20 clients x 10 questions against one web app process, per queue setting.

Run from the repo root:  python benchmarks/concurrency.py [--limits app 1 4 2/1] [--clients 20] [--per-client 10]

`app` is `python app.py` exactly as shipped (demo.queue(default_concurrency_limit=2,
max_size=64)). app.py has no option for its queue, so a number N runs a small
launcher that does what app.main() does with the index already fresh, but calls
demo.queue(default_concurrency_limit=N, max_size=64); N/T also sets torch to T
intra-op threads right after the package loads the model (it sets 2). Each setting gets its own
server on a free loopback port (on a temporary, already fresh copy of the
index); one untimed question first waits for the model to load. Then every
client thread opens its own gradio_client.Client and asks its questions from
eval/questions.jsonl (without history) through api_name="/ask", one after the other.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading
import time

import common  # noqa: F401  (sets the offline environment and sys.path first)
from common import (ensure_fresh_index, free_port, machine_line, new_client, percentile, private_copy,
                    read_questions, start_server, stop_server, tree_cpu_seconds, tree_peak_rss_mb, wait_for_page)

LAUNCHER = """
import sys
import app
from chatbot.embeddings import SentenceTransformerEmbedder
port, limit, torch_threads = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
if torch_threads:  # applied right after the package loads the model (which sets 2 threads)
    load = SentenceTransformerEmbedder.load.__func__
    def load_then_set_threads(cls):
        model = load(cls)
        import torch
        torch.set_num_threads(torch_threads)
        return model
    SentenceTransformerEmbedder.load = classmethod(load_then_set_threads)
app.load_bot_in_background()
demo = app.build_demo()
demo.queue(default_concurrency_limit=limit, max_size=64)
demo.launch(server_name="127.0.0.1", server_port=port, show_error=False, css=app.CSS, js=app.JS,
            quiet=True)
"""


def client_thread(url: str, questions: list[str], start: threading.Barrier, latencies: list[float],
                  errors: list[str]) -> None:
    try:
        client = new_client(url)
    except Exception as err:  # counted, not raised: the run goes on
        errors.extend([f"client: {type(err).__name__}: {err}"] * len(questions))
        start.wait()
        return
    start.wait()
    for question in questions:
        started = time.perf_counter()
        try:
            reply = client.predict(message=question, history=[], api_name="/ask")
            if not isinstance(reply, dict) or "answer" not in reply:
                raise ValueError(f"unexpected reply {str(reply)[:80]}")
            latencies.append((time.perf_counter() - started) * 1000)
        except Exception as err:
            errors.append(f"{type(err).__name__}: {str(err)[:120]}")


def run_setting(setting: str, corpus_dir, index_dir, questions: list[str], clients: int, per_client: int) -> dict:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    limit, _, torch_threads = setting.partition("/")
    command = None if setting == "app" else [sys.executable, "-c", LAUNCHER, str(port), limit, torch_threads or "0"]
    server = start_server(corpus_dir, index_dir, port, command)
    try:
        wait_for_page(url, server)
        new_client(url).predict(message="What causes SI joint pain?", history=[], api_name="/ask")
        latencies, errors = [], []
        start = threading.Barrier(clients + 1)
        threads = [threading.Thread(target=client_thread, args=(
            url, [questions[(c * per_client + j) % len(questions)] for j in range(per_client)],
            start, latencies, errors)) for c in range(clients)]
        for thread in threads:
            thread.start()
        start.wait()
        started, server_cpu, client_cpu = time.perf_counter(), tree_cpu_seconds(server.pid), sum(os.times()[:2])
        for thread in threads:
            thread.join(timeout=600)
        wall = time.perf_counter() - started
        server_cpu = tree_cpu_seconds(server.pid) - server_cpu
        client_cpu = sum(os.times()[:2]) - client_cpu
        peak = tree_peak_rss_mb(server.pid)
    finally:
        stop_server(server)
    return {"latencies": latencies, "errors": errors, "wall": wall, "peak": peak, "server_cpu": server_cpu,
            "client_cpu": client_cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limits", nargs="+", default=["app", "1", "4", "2/1"],
                        help="'app' for app.py as shipped, or N (default_concurrency_limit for the launcher), "
                             "or N/T (also torch.set_num_threads(T) once the model is loaded)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=10)
    args = parser.parse_args()
    questions = [q["question"] for q in read_questions()]
    tmp, corpus_dir, index_dir = private_copy()
    try:
        print(machine_line())
        print(f"private index copy: {ensure_fresh_index(corpus_dir, index_dir)}")
        print(f"{args.clients} clients x {args.per_client} questions = {args.clients * args.per_client} requests "
              "per setting, all clients start together")
        print("server CPU: CPU time the server used per answered request; client CPU: this process's CPU "
              "seconds (the 20 clients share the 2 cores with the server)")
        print(f"{'queue setting':<38}{'ok':>5}{'errors':>7}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}"
              f"{'wall s':>7}{'req/s':>7}{'server CPU ms/req':>18}{'client CPU s':>13}{'peak RSS MB':>12}")
        for setting in args.limits:
            result = run_setting(setting, corpus_dir, index_dir, questions, args.clients, args.per_client)
            lat = result["latencies"]
            limit, _, torch_threads = setting.partition("/")
            label = ("app.py as shipped (limit 2)" if setting == "app" else f"launcher, limit {limit}"
                     + (f", torch {torch_threads} thread(s)" if torch_threads else ""))
            print(f"{label:<38}{len(lat):>5}{len(result['errors']):>7}{percentile(lat, 0.5):>8.0f}"
                  f"{percentile(lat, 0.95):>8.0f}{max(lat, default=float('nan')):>8.0f}{result['wall']:>7.1f}"
                  f"{len(lat) / result['wall']:>7.2f}{1000 * result['server_cpu'] / max(len(lat), 1):>18.0f}"
                  f"{result['client_cpu']:>13.1f}{result['peak']:>12.0f}")
            for error in sorted(set(result["errors"]))[:3]:
                print(f"    error: {error}")
        print(machine_line())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
