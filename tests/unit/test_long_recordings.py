"""A long recording is transcribed in parts cut at silences, so the decoder's memory does not grow
with the recording's length; the parts' transcripts are joined back on the recording's clock."""

from __future__ import annotations

import numpy as np

from simulator.audio.clip import SAMPLE_RATE, AudioClip
from simulator.answer.build import analyse_clip
from simulator.speech.long_recordings import LONG_S
from simulator.speech.transcript import Transcript
from tests.unit.synth import tone_track, transcript_of


class PartRecorder:
    """Says "hello there" at 1 s of whatever it is given, "there" held to its end (so no voice is left
    unheard and nothing is read twice, :mod:`simulator.speech.dropped_ending`); remembers each call's length."""

    engine = "fake"
    model_name = "fake-1"

    def __init__(self) -> None:
        self.calls: list[float] = []

    def transcribe(self, samples: np.ndarray, *, prompt: str | None = None) -> Transcript:
        self.calls.append(len(samples) / SAMPLE_RATE)
        t = transcript_of([("hello", 1.0, 1.3), ("there", 1.4, len(samples) / SAMPLE_RATE)])
        return Transcript(t.text, t.segments, engine=self.engine, model=self.model_name, options={"beam_size": 1})


def _speech_with_gaps(minutes: float, gaps_at: list[float]) -> np.ndarray:
    """Voice-like bursts everywhere except 1.5 s silences starting at ``gaps_at`` seconds."""
    n = int(minutes * 60 * SAMPLE_RATE)
    burst = tone_track([(0.0, 0.3)], 0.3)
    out = np.zeros(n, np.float32)
    t = 0.2
    while t < minutes * 60 - 0.5:
        if not any(g - 0.3 <= t < g + 1.5 for g in gaps_at):
            i = int(t * SAMPLE_RATE)
            out[i:i + len(burst)] = burst
        t += 0.4
    return out


def test_short_answers_are_transcribed_whole():
    fake = PartRecorder()
    analyse_clip(AudioClip(_speech_with_gaps(2, [])), fake, recover=False)
    assert fake.calls == [120.0]


def test_a_long_recording_is_cut_at_silences_and_joined_on_its_clock():
    fake = PartRecorder()
    gaps = [110.0, 230.0]
    report = analyse_clip(AudioClip(_speech_with_gaps(6, gaps)), fake, recover=True)
    assert len(fake.calls) == 2 * 3 and max(fake.calls) <= LONG_S  # main and filler passes
    assert abs(sum(fake.calls) / 2 - 360) < 0.01  # every sample transcribed once per pass
    starts = [w.start_s for w in report.transcript.words]
    assert starts == sorted(starts) and len(starts) == 2 * len(fake.calls) // 2
    # Each part begins inside one of the silences: no word is cut in two.
    bounds = np.cumsum(fake.calls[::2])[:-1]
    assert all(any(g <= b <= g + 1.5 for g in gaps) for b in bounds), bounds
    assert report.transcript.words[2].start_s > 100  # the second part's words are on the clip's clock
    assert report.delivery.duration_s == 360
