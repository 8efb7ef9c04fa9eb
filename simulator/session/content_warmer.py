"""Content scoring's head start: the answer so far, prepared in the background while it is spoken.

The semantic content engine embeds each clause of an answer with a sentence encoder, most of its
time. The words arrive phrase by phrase as the candidate talks, so each new partial transcript is
handed to :func:`simulator.rubric.warm` on one background thread; when the answer ends, only the
clauses of the last phrase are new. Texts that arrive while the thread is busy replace each other:
only the newest is worth preparing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from simulator.rubric import warm


class ContentWarmer:
    """Runs ``prepare(text)`` in the background for the newest text submitted."""

    def __init__(self, prepare: Callable[[str], None] = warm) -> None:
        self._prepare = prepare
        self._pending: str | None = None
        self._busy = False
        self._lock = threading.Lock()

    @property
    def busy(self) -> bool:
        """Whether a text is being prepared now (or waits to be)."""
        with self._lock:
            return self._busy

    def submit(self, text: str) -> None:
        with self._lock:
            self._pending = text
            if self._busy:
                return
            self._busy = True
        threading.Thread(target=self._run, name="content-warmer", daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._lock:
                text, self._pending = self._pending, None
                if text is None:
                    self._busy = False
                    return
            try:
                self._prepare(text)
            except Exception:  # noqa: BLE001 - only a head start; the report scores for itself
                pass
