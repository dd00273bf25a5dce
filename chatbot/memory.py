"""Memory settings of the long-running server process.

Owns one job: asking glibc to serve large allocations (1 MB messages, a long message's batch of
clause vectors) from mmap, so that freeing them returns the memory to the system. By default
glibc raises its mmap threshold after the first large free and keeps later large blocks in a
heap it seldom gives back: the server then stays at its peak size after a burst of large
requests (`benchmarks/soak.py`). Harmless where glibc is absent (nothing is changed).
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_MMAP_THRESHOLD = -3  # mallopt parameter number in glibc's malloc.h
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's initial default, kept fixed instead of growing


def return_large_allocations_to_the_system() -> bool:
    """True when glibc accepted the setting."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    except (OSError, AttributeError):
        return False
