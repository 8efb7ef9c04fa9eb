"""The app's short-lived background workers, and waiting for them before the process exits.

Model warm-ups and head starts run on daemon threads (:data:`WORKERS`) so that nothing waits for
them. A daemon thread that is still inside onnxruntime or CTranslate2 when Python shuts down can
take the process down with it ("terminate called without an active exception", exit by SIGABRT)
after the command's work is done and printed, so every command gives them a moment to finish
(:func:`settle`, called by :func:`simulator.cli.main`).
"""

from __future__ import annotations

import threading
import time

WORKERS = frozenset(("encoder-preload", "warm-up-report", "content-warmer", "tone-follower"))
"""Thread names of the workers that end by themselves once their job is done. Long-lived owners
(the text-to-speech thread, the streaming transcriber, which its caller stops and joins) are not
waited for here."""
SETTLE_S = 10.0


def settle(timeout_s: float = SETTLE_S) -> list[str]:
    """Wait up to ``timeout_s`` in all for the :data:`WORKERS` still running; the names of any that
    did not finish in time (the process then exits anyway, as before)."""
    deadline = time.monotonic() + timeout_s
    late = []
    for thread in threading.enumerate():
        if thread is threading.current_thread() or thread.name not in WORKERS:
            continue
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            late.append(thread.name)
    return late
