"""Cold start of the web app: time to the page, time to the first answer, and peak memory.

Run from the repo root:  python benchmarks/cold_start.py [--runs 3]

Each run starts `python app.py --port <free loopback port>` (on a temporary,
already fresh copy of corpus/ and index/), polls the page until HTTP 200, then
asks one question through the `/ask` API with gradio_client and stops the
server. Both times count from the moment the process is started. Peak RSS is
VmHWM of the server and its children, read after the answer (so it includes
loading the model and serving one reply).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time

import common  # noqa: F401  (sets the offline environment and sys.path first)
from common import (ensure_fresh_index, free_port, machine_line, new_client, private_copy, start_server,
                    stop_server, tree_peak_rss_mb, wait_for_page)

QUESTION = "How long should I hold the knee to chest stretch?"


def one_run(corpus_dir, index_dir) -> tuple[float, float, float, str]:
    """(seconds to page, seconds to first answer, peak RSS MB, first words of the answer)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    server = start_server(corpus_dir, index_dir, port)
    try:
        to_page = wait_for_page(url, server)
        answer = new_client(url).predict(message=QUESTION, history=[], api_name="/ask")
        to_answer = time.perf_counter() - started
        peak = tree_peak_rss_mb(server.pid)
    finally:
        stop_server(server)
    return to_page, to_answer, peak, str(answer.get("answer", ""))[:60]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp, corpus_dir, index_dir = private_copy()
    try:
        print(machine_line())
        print(f"private index copy: {ensure_fresh_index(corpus_dir, index_dir)}")
        rows = []
        print(f"{'run':>4}{'to page s':>11}{'to 1st answer s':>17}{'peak RSS MB':>13}  answer starts")
        for run in range(1, args.runs + 1):
            to_page, to_answer, peak, answer = one_run(corpus_dir, index_dir)
            rows.append((to_page, to_answer, peak))
            print(f"{run:>4}{to_page:>11.2f}{to_answer:>17.2f}{peak:>13.0f}  {answer!r}")
        median = [statistics.median(col) for col in zip(*rows)]
        print(f"{'med':>4}{median[0]:>11.2f}{median[1]:>17.2f}{median[2]:>13.0f}")
        print(machine_line())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
