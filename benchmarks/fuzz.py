"""Worst reply time on adversarial messages of 50,000 characters, and what the screen alone costs.

Run from the repo root:  python benchmarks/fuzz.py

Each input is built to make text processing slow: long digit runs (the old regex screen took
305 s on 50,000 digits), one word or one punctuation mark repeated, deeply nested brackets,
mixed scripts, a run-on sentence of symptom words with no punctuation. Every input is sent
through `Chatbot.reply` (the whole path: screen, retrieval, scope, answer) and through the
urgent screen alone, with and without history. Target: every reply within 1 s.
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

import common  # noqa: F401  (sets the offline environment and sys.path first)
from common import ensure_fresh_index, machine_line, private_copy

from chatbot.bot import SCREEN_CHARS, Chatbot
from chatbot.settings import Settings
from chatbot.urgent import screen_text

SIZE = 50_000


def adversarial_inputs() -> dict[str, str]:
    words = "numb bladder can't feel legs weak fever pain si joint tingling ".split()
    rng = random.Random(0)
    vocabulary = (Path(common.ROOT) / "corpus" / "massage.md").read_text(encoding="utf-8").split()
    return {
        "distinct sentences (no repeats)": " ".join(rng.choice(vocabulary) + ("." if rng.random() < 0.08 else "")
                                                    for _ in range(SIZE // 5))[:SIZE],
        "digits": "1" * SIZE,
        "digits with spaces": ("12345 " * SIZE)[:SIZE],
        "one word repeated": ("pain " * SIZE)[:SIZE],
        "symptom words, no punctuation": (" ".join(words) + " ") * (SIZE // 60),
        "punctuation run": ("!?.," * SIZE)[:SIZE],
        "apostrophes": ("can't'n'" * SIZE)[:SIZE],
        "nested brackets": ("(" * (SIZE // 2) + ")" * (SIZE // 2)),
        "markdown images": ("![x](http://example.invalid/a.png) " * SIZE)[:SIZE],
        "mixed scripts": ("背中が痛い болит спина ظهري يؤلمني पीठ दर्द 🙂 " * SIZE)[:SIZE],
        "newlines": ("a\n" * SIZE)[:SIZE],
        "one long word": "a" * SIZE,
    }


def main() -> None:
    print(machine_line())
    tmp, corpus, index = private_copy()
    try:
        print("private index copy:", ensure_fresh_index(corpus, index))
        bot = Chatbot.load(Settings.from_env(corpus_dir=corpus, index_dir=index), say=lambda m: None)
        bot.warm_up()
        history = [{"role": "user", "content": "how do I do the bird dog?"},
                   {"role": "assistant", "content": "x" * 2_000}]
        print(f"{'input (50,000 chars)':<32}{'reply s':>9}{'with history s':>16}{'screen s':>10}{'chars screened':>16}")
        worst = 0.0
        for name, text in adversarial_inputs().items():
            timings = []
            for turns in (None, history):
                started = time.perf_counter()
                bot.reply(text, turns)
                timings.append(time.perf_counter() - started)
            started = time.perf_counter()
            _, read = screen_text(text, bot.retriever.embedder.token_vectors, bot.urgent_model, bot.taxonomy, SCREEN_CHARS)
            screen = time.perf_counter() - started
            worst = max(worst, *timings)
            print(f"{name:<32}{timings[0]:>9.2f}{timings[1]:>16.2f}{screen:>10.2f}{read:>16,}")
        print(f"worst reply: {worst:.2f} s (target <= 1 s)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(machine_line())


if __name__ == "__main__":
    main()
