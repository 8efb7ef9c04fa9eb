"""Helpers for tests that kill a real process mid-answer: reap it whatever happens, SIGKILL it once."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def reaped(child: subprocess.Popen) -> Iterator[subprocess.Popen]:
    """Yield ``child``; afterwards, if a check failed before it was killed, kill it anyway."""
    try:
        yield child
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)


def sigkill_after(child: subprocess.Popen, seconds: float = 0.5) -> None:
    """Let it record a little longer, then SIGKILL it (no clean-up of its own can run)."""
    time.sleep(seconds)
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert child.returncode == -signal.SIGKILL
