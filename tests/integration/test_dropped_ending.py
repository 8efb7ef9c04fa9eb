"""The last word before a pause is kept (stop 41), with the real default model (base).

A live phrase, recorded by the app in a tmux run and kept with its exact bounds
(``audio_fixtures/recorded/dropped_ending.flac``), ends in "customer service desk." before a 4 s
thinking pause. Whisper base left "desk" out of this cut every time, on the machine it was found on;
the word is in the sound, so the guarded decode reads the phrase again and keeps it.
"""

from __future__ import annotations

import pytest

from simulator.audio.buffer import AudioBuffer
from simulator.audio.endpoint import SpeechSegment
from simulator.audio.files import read_audio
from simulator.speech.streaming import StreamingTranscriber
from tests.conftest import FIXTURES

pytestmark = pytest.mark.integration

PHRASE = FIXTURES / "recorded" / "dropped_ending.flac"


def test_the_word_before_a_thinking_pause_reaches_the_live_transcript(faster_int8):
    samples = read_audio(PHRASE).samples
    audio = AudioBuffer()
    audio.append(samples)
    streamer = StreamingTranscriber(faster_int8, audio)
    streamer.submit(SpeechSegment(0, len(samples)))
    transcript, _ = streamer.finish()
    assert transcript.text.lower().rstrip(".").endswith("customer service desk"), transcript.text
    assert transcript.words[-1].end_s <= len(samples) / 16000
