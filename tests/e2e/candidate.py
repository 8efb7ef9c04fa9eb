"""The candidate of the end-to-end tests: a fixture played into the virtual card's microphone, and a
check that the recording kept its first syllable.

The virtual card loses the start of a sound played by a stream that opens as it starts, unless
that stream asks for a short latency. The likely cause: a null sink renders ahead by the latency its
streams ask for, and a new stream makes it rewind and render again ("Requesting rewind due to end of
underrun" in PulseAudio's log), after its monitor (the virtual microphone) was given the first
rendering, silence. Measured here (stop 43, a fixture whose voice begins at its
first sample, played as the app showed it listened): ``paplay`` at its default latency, 50-100 ms of
the onset missing in 7 of 7 runs into an idle sink, in the audio PortAudio handed the app (the app
lost nothing after that); the same file with 1 s of silence in front, or with
``--latency-msec=20``, 0 of 5. Into the sink that had just played the question, less was lost
(:func:`opening_kept` 0.95 against 0.99). ``python bench/card_onset.py`` measures it again
(``bench/results/card_onset.md``: 0.38-0.55 against 0.999). A real microphone hears the air and has
no such hole, so the tests play the candidate at a short latency and hold the app to every sample.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
from collections.abc import Iterator

import numpy as np

LATENCY_MS = 20


def speak(wav: str, sink: str | None = None) -> None:
    """Start playing ``wav`` into ``sink`` (the default one if ``None``) in the background."""
    command = ["paplay", f"--latency-msec={LATENCY_MS}", *(["-d", sink] if sink else []), wav]
    threading.Thread(target=subprocess.run, args=(command,), kwargs={"timeout": 120}, daemon=True).start()


OPENING_S = 0.1
FOUND_BY_S = 1.0


def opening_kept(said: np.ndarray, recorded: np.ndarray, rate: int = 16000) -> float:
    """How well ``recorded`` holds the first :data:`OPENING_S` of voice in ``said``: the correlation
    (0-1) between the two there, the opening's place in ``recorded`` found from the second of voice
    after it (which is there whatever happened to the opening). 1.0 is every sample; 0.99 here when
    nothing was lost, 0.13-0.52 when 50-100 ms was."""
    loud = np.flatnonzero(np.abs(said) > 0.02 * np.abs(said).max())
    onset = int(loud[0])
    opening = int(OPENING_S * rate)
    after = said[onset + opening: onset + opening + int(FOUND_BY_S * rate)]
    size = len(recorded) + len(after)
    fit = np.fft.irfft(np.fft.rfft(recorded, size) * np.conj(np.fft.rfft(after, size)), size)[: len(recorded) - len(after) + 1]
    at = int(np.argmax(fit)) - opening  # where the opening should start in the recording
    if at < 0:
        return 0.0
    a, b = said[onset: onset + opening], recorded[at: at + opening]
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))


class CardRecording:
    """What the virtual card's microphone (the default source) delivered while the candidate spoke,
    recorded beside the app by ``parec``: the reference the app's recording is held to. The card's own
    hole (above) still opens now and then on a loaded machine, even at a short latency (stop 44: two
    e2e tests at 0.00 and 0.03 while two other processes kept both cores busy); a sound the card never
    delivered is not one the app lost, and the card drops it for every recorder alike. It records at
    the default latency: at 20 ms its own stream changed the card's timing enough that the customer's
    last line reached a role-play turn's recording (1 of 2 runs; 0 of 4 at the default)."""

    def __init__(self, env: dict[str, str]) -> None:
        self._chunks: list[bytes] = []
        self._proc = subprocess.Popen(
            ["parec", "--format=float32le", "--rate=16000", "--channels=1"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._proc.stdout is not None
        while chunk := self._proc.stdout.read(6400):
            self._chunks.append(chunk)

    def stop(self) -> np.ndarray:
        self._proc.terminate()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(timeout=10)
        self._reader.join(timeout=10)
        raw = b"".join(self._chunks)
        return np.frombuffer(raw[: len(raw) // 4 * 4], dtype="<f4").astype(np.float32)


@contextlib.contextmanager
def card_recording(env: dict[str, str]) -> Iterator[list[np.ndarray]]:
    """Record the default source while the body runs; the samples are in the yielded list after it."""
    rec = CardRecording(env)
    out: list[np.ndarray] = []
    try:
        yield out
    finally:
        out.append(rec.stop())


def opening_held(said: np.ndarray, recorded: np.ndarray, card: np.ndarray, floor: float) -> tuple[bool, dict]:
    """Whether ``recorded`` kept the first :data:`OPENING_S` of voice in ``said``: at ``floor`` or
    better, or, when the card itself delivered less of it (its hole), as much as the card delivered
    (within 0.05). Returns the verdict and both figures for the message."""
    app, delivered = opening_kept(said, recorded), opening_kept(said, card)
    held = app >= floor or (delivered < floor and app >= delivered - 0.05)
    return held, {"app_kept": round(app, 3), "card_delivered": round(delivered, 3)}
