"""Other clients while adversarial messages hit the real server: page and ordinary-question latency.

Run from the repo root:  python benchmarks/fuzz_server.py [--rounds 2]

Starts `python app.py` on a private copy of corpus/ and index/. One client sends every input of
`fuzz.adversarial_inputs()` (50,000 characters each) through /ask, `--rounds` times; meanwhile a
second client loads the page (GET /) every 100 ms and a third asks an ordinary question every
500 ms. Prints each adversarial reply's time and the other clients' p50/p95 (target: page p95
under 200 ms while the fuzz runs).
"""

from __future__ import annotations

import argparse
import threading
import time
import urllib.request

import common  # noqa: F401  (sets the offline environment and sys.path first)
from common import machine_line, new_client, p50_p95, private_server
from fuzz import adversarial_inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(machine_line())
    with private_server() as (url, _):
        new_client(url).predict(message="what causes SI joint pain?", history=[], api_name="/ask")  # model loaded
        done = threading.Event()
        page_ms: list[float] = []
        ask_ms: list[float] = []
        errors: list[str] = []

        def load_page():
            while not done.is_set():
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(url, timeout=30) as response:
                        response.read()
                    page_ms.append((time.perf_counter() - started) * 1000)
                except OSError as err:
                    errors.append(f"page: {err}")
                time.sleep(0.1)

        def ask_ordinary():
            client = new_client(url)
            while not done.is_set():
                started = time.perf_counter()
                try:
                    client.predict(message="how long should I hold the knee to chest stretch?", history=[],
                                   api_name="/ask")
                    ask_ms.append((time.perf_counter() - started) * 1000)
                except Exception as err:
                    errors.append(f"ask: {type(err).__name__}")
                time.sleep(0.5)

        others = [threading.Thread(target=load_page), threading.Thread(target=ask_ordinary)]
        for thread in others:
            thread.start()
        attacker = new_client(url)
        worst = 0.0
        for _ in range(args.rounds):
            for name, text in adversarial_inputs().items():
                started = time.perf_counter()
                attacker.predict(message=text, history=[], api_name="/ask")
                seconds = time.perf_counter() - started
                worst = max(worst, seconds)
                print(f"{name:<32}{seconds:>8.2f} s")
        done.set()
        for thread in others:
            thread.join()
        print(f"worst adversarial reply through the server: {worst:.2f} s")
        print(f"page (GET /) meanwhile: {p50_p95(page_ms)}  n={len(page_ms)}  (target p95 < 200 ms)")
        print(f"ordinary question meanwhile: {p50_p95(ask_ms)}  n={len(ask_ms)}; errors {len(errors)}")
        print(machine_line())


if __name__ == "__main__":
    main()
