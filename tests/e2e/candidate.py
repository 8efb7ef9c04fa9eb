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

import subprocess
import threading

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
