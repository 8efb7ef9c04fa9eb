"""The allocator setting that keeps long decodes from creeping up is safe to apply anywhere."""

from __future__ import annotations

import os

from simulator.speech.heap import return_large_blocks


def test_set_on_glibc_and_harmless_elsewhere():
    glibc = hasattr(os, "confstr") and os.confstr("CS_GNU_LIBC_VERSION") is not None \
        and os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc")
    assert return_large_blocks() is glibc
    assert return_large_blocks() is glibc  # again: idempotent
