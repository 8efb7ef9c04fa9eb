"""The microphone opened while the interviewer (or the role-play's customer) speaks.

A device takes up to a second to deliver its first block, and hears nothing before it: a candidate
who answers at once, or over the last words, would lose their first words if the microphone opened
when the answer starts. So it opens as the line is rendered, the line is played once it hears
(:func:`~simulator.audio.capture.wait_listening`), and when the answer starts it is handed over
with the words said over the line's end in front (:class:`~simulator.audio.onset.TalkOver`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from simulator.audio.capture import MICROPHONE_WAIT_S, AudioSource, wait_listening
from simulator.audio.onset import TALK_OVER_HEARD_S, TalkOver


def talked_over(source: AudioSource) -> AudioSource:
    """``source``, opened while a line was spoken, for the answer that starts as it ends: what it
    heard of the line is dropped, but for words said over its end (a microphone's backlog, through
    :class:`~simulator.audio.onset.TalkOver`); a recording played back (no backlog) starts from now."""
    backlog = getattr(source, "backlog", None)
    if backlog is None:
        getattr(source, "discard", lambda: 0)()
        return source
    return TalkOver(source, backlog(TALK_OVER_HEARD_S))


Factory = Callable[[], AudioSource]
"""What makes the chosen microphone (``Backends.source_factory``; ``None``: there is none)."""


class EarlyMicrophone:
    """One microphone opened ahead of an answer, shared by the thread that speaks the line and the
    one that records the answer. The lock is never held while a device opens or stops (that takes
    up to a second, and :meth:`close` runs on the UI thread)."""

    def __init__(self) -> None:
        self._source: AudioSource | None = None
        self._factory: Factory | None = None  # what made it: a microphone chosen since is not it
        self._generation = 0  # bumped by close(): an opening that finishes after it is stopped
        self._lock = threading.Lock()
        self._closed = threading.Event()  # wakes a wait_listening() on close()

    def open(self, factory: Factory | None) -> None:
        """Open one now (if one is open already, or there is no microphone: nothing). A failure is
        not raised here: the answer opens the microphone again and reports it then."""
        with self._lock:
            if factory is None or self._source is not None:
                return
            generation = self._generation
            self._closed.clear()
        try:
            source = factory()
            source.start()
        except Exception:  # noqa: BLE001 - reported when the answer opens it
            return
        with self._lock:
            if self._generation == generation and self._source is None:
                self._source, self._factory = source, factory
                return
        source.stop()  # closed (or opened by another thread) meanwhile

    def wait_listening(self, timeout_s: float = MICROPHONE_WAIT_S) -> None:
        """Wait, at most ``timeout_s`` and no longer than it is open, for it to hear (see
        :func:`~simulator.audio.capture.wait_listening`)."""
        source = self.peek()
        step = 0.05
        waited = 0.0
        while source is not None and waited < timeout_s and not self._closed.is_set():
            if wait_listening(source, min(step, timeout_s - waited)):
                return
            waited += step

    def peek(self) -> AudioSource | None:
        """The open source, still held here (a drill's think-time watch reads it)."""
        with self._lock:
            return self._source

    def take(self, factory: Factory | None = None) -> AudioSource | None:
        """The open source, handed over (``None`` if none is open, or if it is not from ``factory``,
        given: a microphone chosen since; the old one is stopped)."""
        with self._lock:
            source, made_by = self._source, self._factory
            self._source = self._factory = None
        if source is not None and factory is not None and made_by is not factory:
            source.stop()
            return None
        return source

    def for_answer(self, factory: Factory) -> AudioSource:
        """The source for an answer starting as the line ends: the open one, through
        :func:`talked_over`, or a new one from ``factory``."""
        source = self.take(factory)
        return factory() if source is None else talked_over(source)

    def close(self) -> None:
        """Stop it, if it is still held here (the answer was typed, or the screen left), and wake
        a wait for it."""
        with self._lock:
            self._generation += 1
            self._closed.set()
        source = self.take()
        if source is not None:
            source.stop()
