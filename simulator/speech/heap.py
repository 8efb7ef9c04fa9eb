"""Large blocks of memory go back to the system as soon as they are freed.

glibc's allocator serves a block of 128 KB or more from its own ``mmap`` and unmaps it when it is
freed, but it raises that threshold to the size of each such block freed (up to 32 MB), after which
blocks of that size come from the heaps of the threads that asked for them and stay there, split and
reused, when freed. Decoding a long recording frees many blocks of several megabytes (audio copies,
voice-activity batches, the decoder's buffers) on the threads of two decodes at once, so the
process's memory crept up part after part: 680 MB for 14 minutes against 504 for one
(``bench/limits.py``). With the threshold fixed at :data:`MMAP_THRESHOLD_BYTES`, a block that size or
larger is always unmapped when freed; smaller ones, such as the decoder's per-token buffers, stay in
the heaps, where reusing them costs nothing.

Does nothing where the C library is not glibc (macOS, Windows, musl).
"""

from __future__ import annotations

import ctypes
import os

MMAP_THRESHOLD_BYTES = 4 * 1024 * 1024
_M_MMAP_THRESHOLD = -3  # <malloc.h>


def return_large_blocks() -> bool:
    """Fix glibc's mmap threshold at :data:`MMAP_THRESHOLD_BYTES` for the rest of the process; True
    when it was set."""
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc"):
            return False
    except (AttributeError, ValueError, OSError):  # not a glibc system
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
