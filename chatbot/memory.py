"""Memory settings of the long-running server process.

Owns two jobs of the C allocator (glibc): serving large allocations (1 MB messages, a long
message's batch of clause vectors) from mmap, so that freeing them returns the memory to the
system; and handing back, while the server is idle, the pages of its heap that freed small
allocations left empty. By default glibc raises its mmap threshold after the first large free
and keeps later large blocks in a heap it seldom gives back, and it only returns heap memory
that sits at the top of the heap: the server then stays near its peak size after a burst of
large requests (`benchmarks/soak.py`). Harmless where glibc is absent (nothing is changed).
Does not bound what Python objects or the model hold; chatbot/history.py and the web guard do that.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from functools import lru_cache

M_MMAP_THRESHOLD = -3  # mallopt parameter number in glibc's malloc.h
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's initial default, kept fixed instead of growing
TRIM_EVERY_SECONDS = 10.0  # malloc_trim walks the heap in a few milliseconds; idle pages go back this often


@lru_cache(maxsize=1)
def _libc():
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


def return_large_allocations_to_the_system() -> bool:
    """True when glibc accepted the setting."""
    try:
        return bool(_libc().mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    except AttributeError:  # no C library found, or one without mallopt
        return False


def return_free_heap_pages() -> bool:
    """Give the system the heap pages no allocation uses (glibc's malloc_trim, which also releases
    free pages in the middle of the heap); True when some were returned."""
    try:
        return bool(_libc().malloc_trim(0))
    except AttributeError:
        return False


def keep_returning_free_heap_pages(every_seconds: float = TRIM_EVERY_SECONDS) -> threading.Event:
    """A daemon thread that calls `return_free_heap_pages` every `every_seconds`; set the returned
    event to stop it."""
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(every_seconds):
            return_free_heap_pages()

    threading.Thread(target=run, name="return-free-heap-pages", daemon=True).start()
    return stop
