"""The microphone opened while a line is spoken (simulator.audio.early_microphone)."""

from __future__ import annotations

import threading
import time

import numpy as np

from simulator.audio.capture import ArraySource
from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.early_microphone import EarlyMicrophone, talked_over
from simulator.audio.onset import TalkOver
from simulator.roleplay.engine import RolePlaySession
from simulator.roleplay.library import load_library
from simulator.session.roleplay_turns import turn_options


class Microphone(ArraySource):
    """A fake device with a backlog (what it heard while the line played) and a first block that
    comes ``warm_up_s`` late."""

    def __init__(self, *a, **kw) -> None:
        super().__init__(np.zeros(SAMPLE_RATE, np.float32), *a, **kw)
        self.started = self.stopped = 0
        self.waited: list[float] = []

    def start(self) -> None:
        self.started += 1
        super().start()

    def stop(self) -> None:
        self.stopped += 1
        super().stop()

    def wait_listening(self, timeout_s: float) -> bool:
        self.waited.append(timeout_s)
        return True

    def backlog(self, keep_s: float) -> np.ndarray:
        return np.zeros(int(min(keep_s, 2.0) * SAMPLE_RATE), np.float32)


def test_opened_once_waited_on_and_handed_to_the_answer_with_the_lines_end():
    made: list[Microphone] = []
    early = EarlyMicrophone()
    factory = lambda: made.append(Microphone()) or made[-1]  # noqa: E731
    early.open(factory)
    early.open(factory)  # the line asked again: the same microphone
    early.wait_listening(1.5)
    assert len(made) == 1 and made[0].started == 1 and len(made[0].waited) == 1  # it heard at once
    source = early.for_answer(factory)
    assert isinstance(source, TalkOver) and len(made) == 1
    assert early.peek() is None and early.take() is None  # handed over: closing now stops nothing
    early.close()
    assert made[0].stopped == 0


def test_a_recording_played_back_starts_from_now_and_a_failed_opening_is_left_to_the_answer():
    played = ArraySource(np.zeros(SAMPLE_RATE, np.float32))
    assert talked_over(played) is played  # no backlog: discarded, read from now

    def broken() -> Microphone:
        raise OSError("device busy")

    early = EarlyMicrophone()
    early.open(broken)  # not raised here...
    early.wait_listening()  # ...nothing to wait for...
    assert early.peek() is None
    fresh = Microphone()
    assert early.for_answer(lambda: fresh) is fresh  # ...the answer opens one and reports its failure
    early.open(None)  # no microphone at all: nothing happens
    assert early.take() is None


def test_typing_instead_closes_the_microphone_opened_for_the_answer():
    mic = Microphone()
    early = EarlyMicrophone()
    early.open(lambda: mic)
    early.close()
    assert mic.stopped == 1 and early.peek() is None


class Deaf(Microphone):
    """A device that never sends a block."""

    def wait_listening(self, timeout_s: float) -> bool:
        time.sleep(timeout_s)
        return False


def test_closing_wakes_the_wait_and_an_opening_that_finishes_after_it_is_stopped():
    early = EarlyMicrophone()
    early.open(Deaf)
    threading.Timer(0.2, early.close).start()
    t0 = time.monotonic()
    early.wait_listening(5.0)
    assert time.monotonic() - t0 < 1.0  # not the whole 5 s
    # The screen left while the device was still opening: that microphone is stopped, not kept.
    slow = Microphone()
    opening = threading.Event()

    def slow_factory() -> Microphone:
        opening.set()
        time.sleep(0.3)
        return slow

    worker = threading.Thread(target=early.open, args=(slow_factory,))
    worker.start()
    opening.wait(1.0)
    early.close()  # does not wait for the device
    worker.join(2.0)
    assert slow.stopped == 1 and early.peek() is None


def test_a_microphone_chosen_since_it_opened_is_the_one_the_answer_gets():
    old, new = Microphone(), Microphone()
    early = EarlyMicrophone()
    early.open(lambda: old)
    assert early.for_answer(lambda: new) is new and old.stopped == 1


def test_a_role_play_turn_knows_the_customers_line_so_its_echo_is_not_the_turn():
    lib = load_library()
    roleplay = lib.get_roleplay("refund-outside-policy")
    session = RolePlaySession(roleplay, lib.persona_for(roleplay))
    assert turn_options(session).question == roleplay.opening
