"""A key that ends an interview for good asks first: only a second press within a moment does it.

Escape means "back" on most screens; in an interview it ends the session, stored as cancelled and
not to be taken up again. One stray press used to do that half-way through. Where there is
something to lose, the first press now only says how to confirm.
"""

from __future__ import annotations

import time

WINDOW_S = 3.0
"""How soon the second press must follow the first to count as meaning it."""

END_INTERVIEW_ASK = "Press Escape again to end this interview. Your answers so far are kept."


class SecondPress:
    """``confirmed()`` is false on a first press and true on a second within :data:`WINDOW_S`."""

    def __init__(self, window_s: float = WINDOW_S, clock=time.monotonic) -> None:  # noqa: ANN001
        self.window_s = window_s
        self._clock = clock
        self._asked_at: float | None = None

    def confirmed(self) -> bool:
        now = self._clock()
        asked, self._asked_at = self._asked_at, now
        return asked is not None and now - asked <= self.window_s
