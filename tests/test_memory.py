"""The server's allocator settings (chatbot/memory.py) do what they claim, on this glibc."""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path

import pytest

from chatbot import memory

libc = memory._libc()
pytestmark = pytest.mark.skipif(libc is None or not hasattr(libc, "malloc_trim"), reason="needs glibc")


def anonymous_kb() -> int:
    line = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("RssAnon:"))
    return int(line.split()[1])


def test_the_mmap_threshold_is_accepted():
    assert memory.return_large_allocations_to_the_system() is True


def test_free_pages_in_the_middle_of_the_heap_go_back_to_the_system():
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(1024) for _ in range(100_000)]  # about 100 MB, below the mmap threshold
    for address in blocks:
        ctypes.memset(address, 1, 1024)  # resident
    for address in blocks[:-1]:
        libc.free(address)  # the last block pins the top of the heap, so free() alone keeps the pages
    before = anonymous_kb()
    assert memory.return_free_heap_pages() is True
    assert before - anonymous_kb() > 50_000  # kB
    libc.free(blocks[-1])


def test_the_idle_thread_returns_pages_until_stopped(monkeypatch):
    calls = threading.Semaphore(0)
    monkeypatch.setattr(memory, "return_free_heap_pages", lambda: calls.release())
    stop = memory.keep_returning_free_heap_pages(every_seconds=0.01)
    assert all(calls.acquire(timeout=5) for _ in range(3))
    stop.set()


MODEL_RESIDENT = """
import sys
from chatbot.embeddings import SentenceTransformerEmbedder, model_path

SentenceTransformerEmbedder.load()
weights, name, resident = str(model_path() / "model.safetensors"), "", 0
for line in open("/proc/self/smaps"):
    parts = line.split()
    if not parts[0].endswith(":"):  # a mapping's first line: address range, ..., path
        name = parts[5] if len(parts) > 5 else ""
    elif parts[0] == "Rss:" and name == weights:
        resident += int(parts[1])
print(resident)
"""


@pytest.mark.integration
def test_the_loaded_model_holds_all_its_weights_so_new_words_add_no_memory():
    import subprocess
    import sys

    from chatbot.embeddings import model_path
    from conftest import ROOT

    done = subprocess.run([sys.executable, "-c", MODEL_RESIDENT], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=True)
    size_kb = (model_path() / "model.safetensors").stat().st_size / 1024
    assert int(done.stdout.split()[-1]) > 0.95 * size_kb  # was about half: the word table paged in word by word
