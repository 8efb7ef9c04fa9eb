"""The one record loop both answer screens run in their worker thread: each event of the headless
answer loop becomes a message to the screen, and a failure becomes :class:`AnswerFailed`."""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from textual.message import Message
from textual.screen import Screen

from simulator.errors import DeviceError, SimulatorError
from simulator.session.events import Ended, Level, Partial, Pause, Reported, Resumed
from simulator.tui.messages import (
    AnswerEnded,
    AnswerFailed,
    AnswerPaused,
    AnswerReady,
    AnswerResumed,
    AnswerSettled,
    LevelChanged,
    PartialTranscript,
)

MESSAGES: Mapping[type, Callable[[Any], Message]] = {
    Level: LevelChanged,
    Partial: lambda event: PartialTranscript(event.text),
    Pause: AnswerPaused,
    Ended: AnswerEnded,
    Resumed: AnswerResumed,
    Reported: AnswerReady,
}


def relay_answer(screen: Screen, events: Callable[[], Iterable[Any]], *, cancelled: Callable[[], bool],
                 more: Mapping[type, Callable[[Any], Message]] | None = None) -> None:
    """Run ``events()`` (called here, so that opening the microphone fails inside) and post each
    event's message to ``screen``; ``more`` maps a screen's own event types (a role-play turn).
    An answer that could still resume is settled when the loop ends (:class:`AnswerSettled`)."""
    messages = {**MESSAGES, **(more or {})}
    try:
        last: Reported | None = None
        for event in events():
            make = messages.get(type(event))
            if make is not None:
                screen.post_message(make(event))
            if isinstance(event, Reported):
                last = event
        if last is not None and last.resumable and not cancelled():
            screen.post_message(AnswerSettled(last))
    except SimulatorError as e:
        screen.post_message(AnswerFailed(str(e), microphone_failed=isinstance(e, DeviceError)))
    except OSError as e:
        screen.post_message(AnswerFailed(recording_not_written(e)))
    except Exception as e:  # noqa: BLE001 - never a traceback on screen
        screen.post_message(AnswerFailed(f"something went wrong while recording: {e}"))


def recording_not_written(e: OSError) -> str:
    """The line for a recording the disk would not take: a full disk said "[Errno 28] No space left
    on device" and was taken for a microphone problem (stop 44's explorer)."""
    if e.errno == errno.ENOSPC:
        return ("The disk is full, so the recording could not be saved: free some space, then answer again "
                "(what was recorded so far is kept).")
    return f"The recording could not be saved: {e.strerror or e}."
