"""Index build times: full build, incremental update after an edit, and a no-change update.

Run from the repo root:  python benchmarks/reindex.py

Works on a temporary copy of corpus/ with a fresh index directory beside it.
The full build runs twice in this process: first with the model not yet loaded
(what a fresh machine pays), then with --rebuild semantics and the model warm.
The no-change update runs in fresh subprocesses, to show its real cost on the
command line and that it never loads the embedding model.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time

import common  # noqa: F401  (sets the offline environment and sys.path first)
from common import ROOT, machine_line, private_copy

from chatbot.embeddings import default_embedder
from chatbot.indexer import update_index
from chatbot.settings import Settings

APPENDED = "\nGentle walking every day can also ease stiffness around the sacroiliac joint.\n"

# Runs in a fresh interpreter: an up-to-date index must be confirmed without loading the model.
NO_CHANGE_PROBE = textwrap.dedent("""
    import sys, time
    started = time.perf_counter()
    from chatbot.embeddings import default_embedder
    from chatbot.indexer import update_index
    from chatbot.settings import Settings
    imported = time.perf_counter()
    report = update_index(Settings.from_env(), default_embedder, progress=False)
    done = time.perf_counter()
    print(report.summary())
    print(f"imports {imported - started:.2f} s, update_index {done - imported:.2f} s")
    print("sentence_transformers loaded:", "sentence_transformers" in sys.modules,
          "| torch loaded:", "torch" in sys.modules)
""")


def timed_update(settings: Settings, label: str, rebuild: bool = False) -> None:
    started = time.perf_counter()
    report = update_index(settings, default_embedder, rebuild=rebuild, progress=False)
    print(f"{label:<52}{time.perf_counter() - started:>8.2f} s   {report.summary()}")


def main() -> None:
    tmp, corpus_dir, _ = private_copy()
    index_dir = tmp / "fresh-index"
    settings = Settings(corpus_dir=corpus_dir, index_dir=index_dir)
    env = {**os.environ, "SIBOT_CORPUS_DIR": str(corpus_dir), "SIBOT_INDEX_DIR": str(index_dir)}
    try:
        print(machine_line())
        articles = sorted(corpus_dir.glob("*.md"), key=lambda p: p.stat().st_size)
        print(f"corpus: {len(articles)} articles, {sum(p.stat().st_size for p in articles):,} bytes")
        timed_update(settings, "full build (model not yet loaded)")
        timed_update(settings, "full rebuild (model warm)", rebuild=True)
        for article in (articles[0], articles[-1]):  # the smallest and the largest article
            with open(article, "a", encoding="utf-8") as fh:
                fh.write(APPENDED)
            timed_update(settings, f"incremental: sentence appended to {article.name}")

        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "chatbot", "index", "--quiet"], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=True)
        print(f"{'no change: python -m chatbot index (wall)':<52}{time.perf_counter() - started:>8.2f} s   "
              f"{done.stdout.strip().splitlines()[0]}")
        started = time.perf_counter()
        probe = subprocess.run([sys.executable, "-c", NO_CHANGE_PROBE], cwd=ROOT, env=env,
                               capture_output=True, text=True, check=True)
        print(f"{'no change: update_index in python -c (wall)':<52}{time.perf_counter() - started:>8.2f} s")
        for line in probe.stdout.strip().splitlines():
            print(f"    {line}")
        print(machine_line())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
