"""Server memory under a soak of large and many-session requests: RSS before, at peak and after.

Run from the repo root:  python benchmarks/soak.py [--requests 1000] [--clients 2]

Starts `python app.py` on a free loopback port (private copies of corpus/ and index/) and sends
`--requests` API calls over raw HTTP (POST /gradio_api/call/ask, then its result stream), each a
new session, mixing three shapes in turn: a 1 MB message, a 5,000-turn history, and an ordinary
question. Also sends oversized (3 MB) bodies, which must be refused with HTTP 413. Prints the
server's resident memory (the sum over its process tree) before, at peak and 20 s after the soak,
and the count of each HTTP status, with the anonymous and file-backed parts of the first and last.
Target: back within 50 MB of the start.
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

import common  # noqa: F401  (sets the offline environment and sys.path first)
from common import machine_line, private_server, process_tree, status_kb

QUESTION = "how long should I hold the knee to chest stretch?"


def tree_rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of the server's process tree: all of it (VmRSS), or its RssAnon / RssFile part."""
    return sum(status_kb(p, field) for p in process_tree(pid)) / 1024


def split_mb(pid: int) -> tuple[float, float]:
    """(anonymous, file-backed) resident MB: heap and objects, versus pages of mapped files."""
    return tree_rss_mb(pid, "RssAnon"), tree_rss_mb(pid, "RssFile")


def request_body(i: int) -> bytes:
    """The i-th request of the mix: a 1 MB message, a 5,000-turn history, a plain question, or a 3 MB body."""
    shape = i % 4
    if shape == 0:
        message, history = (f"request {i}: my SI joint hurts when I sit. " * 25_000)[:1_000_000], []
    elif shape == 1:
        history = [{"role": "user" if t % 2 == 0 else "assistant", "content": f"turn {t} of request {i}"}
                   for t in range(5_000)]
        message = QUESTION
    elif shape == 2:
        message, history = f"{QUESTION} ({i})", []
    else:
        message, history = "x" * 3_000_000, []
    return json.dumps({"data": [message, history]}).encode()


def call(port: int, body: bytes) -> int:
    """POST the call, then read its event stream to the end; the HTTP status of the refusal or the result."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request("POST", "/gradio_api/call/ask", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        posted = response.read()
        if response.status != 200:
            return response.status
        connection.request("GET", f"/gradio_api/call/ask/{json.loads(posted)['event_id']}")
        result = connection.getresponse()
        stream = result.read()
        return result.status if b"event: complete" in stream else 599
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=2)
    args = parser.parse_args()
    print(machine_line())
    with private_server() as (url, server):
        port = urlsplit(url).port
        call(port, request_body(2))  # waits for the model to load; the baseline is a warm, idle server
        time.sleep(5)
        before, before_split = tree_rss_mb(server.pid), split_mb(server.pid)
        statuses: Counter = Counter()
        peak = [before]
        next_request = iter(range(args.requests))
        lock = threading.Lock()
        started = time.perf_counter()

        def client() -> None:
            while True:
                with lock:
                    i = next(next_request, None)
                if i is None:
                    return
                status = call(port, request_body(i))
                with lock:
                    statuses[status] += 1
                    peak[0] = max(peak[0], tree_rss_mb(server.pid))

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        time.sleep(20)
        after, after_split = tree_rss_mb(server.pid), split_mb(server.pid)
        print(f"{args.requests} requests from {args.clients} clients in {elapsed:.0f} s; HTTP statuses "
              f"{dict(sorted(statuses.items()))} (413 = a 3 MB body refused; 599 = no result)")
        print(f"server RSS: before {before:.0f} MB, peak {peak[0]:.0f} MB, 20 s after {after:.0f} MB "
              f"(after - before {after - before:+.0f} MB; target within 50 MB)")
        print(f"  of which anonymous (heap, objects) {before_split[0]:.0f} -> {after_split[0]:.0f} MB "
              f"({after_split[0] - before_split[0]:+.0f}), file-backed (the model's mapped weights, libraries) "
              f"{before_split[1]:.0f} -> {after_split[1]:.0f} MB ({after_split[1] - before_split[1]:+.0f})")
        print(machine_line())


if __name__ == "__main__":
    main()
