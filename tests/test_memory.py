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
