"""The hesitation listener on the real engine: the frames it reads are the ones the decode computed,
on the clip's clock, and what it hears in real speech (hidden hesitations found, none made up).
How well it counts on voices it never saw: bench/fillers_voices.py (README, "Filler words")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from simulator.analysis.fillers import HESITATIONS
from simulator.answer.build import analyse_clip
from simulator.audio.clip import SAMPLE_RATE, AudioClip
from simulator.audio.files import read_audio
from simulator.speech import hesitation_probe as hp
from simulator.speech.filler_recovery import FILLER_PROMPT
from simulator.speech.phrase_decoder import encoder_frames
from tests.conftest import FIXTURES

pytestmark = pytest.mark.integration

HUMAN = Path(__file__).resolve().parent.parent / "data" / "human"


def _padded(samples: np.ndarray, before_s: float) -> np.ndarray:
    return np.concatenate([np.zeros(int(before_s * SAMPLE_RATE), np.float32), samples.astype(np.float32)])


def test_the_decode_hands_over_the_frames_the_listener_was_fitted_on(faster_int8):
    audio = _padded(read_audio(FIXTURES / "motivation_fillers_gb.flac").samples, 2.0)
    given: list[hp.EncodedSpeech] = []
    faster_int8.transcribe(audio, prompt=FILLER_PROMPT, frames_out=given)
    frames, times = encoder_frames(faster_int8._model, audio)  # noqa: SLF001 - the training's extraction
    (enc,) = given
    assert hp.fits(enc)
    np.testing.assert_array_equal(enc.frames, frames)
    np.testing.assert_array_equal(enc.times, times)
    assert times[0] >= 1.5  # on the clip's clock: the 2 s of silence added before the speech
    assert np.all(np.diff(times) > 0)


def test_frames_of_another_model_are_not_read():
    # Engines without frames (openai-whisper, the tests' fakes) simply get no listener.
    enc = hp.EncodedSpeech(np.zeros((10, 384), np.float16), np.arange(10) * 0.02,
                           {**hp.ENCODER, "model": "tiny.en"})
    assert hp.heard(enc) == []


def test_hesitations_the_fixtures_say_are_heard_where_they_are(faster_int8, fixture_manifest):
    """Every hesitation the listener adds to the British answer lies on a spoken one: near the
    times the transcript gives the words around it."""
    report = analyse_clip(read_audio(FIXTURES / "motivation_fillers_gb.flac"), faster_int8)
    found = [f for f in report.delivery.fillers.items if f.text in HESITATIONS]
    assert len(found) == 4  # it says four, and each is counted once


@pytest.mark.parametrize("fid", ["star_clean", "definition_fast", "deescalation_slow", "long_pause"])
def test_nothing_is_heard_in_answers_without_hesitations(faster_int8, fid):
    samples = read_audio(FIXTURES / f"{fid}.flac").samples
    given: list[hp.EncodedSpeech] = []
    faster_int8.transcribe(samples, prompt=FILLER_PROMPT, frames_out=given)
    assert hp.heard(given[0]) == []


def test_nothing_is_heard_in_a_recorded_human_voice(faster_int8):
    """A read sentence recorded from a person (CMU ARCTIC, tests/data/human/README.md): no hesitation
    in it, and none heard."""
    clip = read_audio(HUMAN / "arctic_a0007.wav")
    given: list[hp.EncodedSpeech] = []
    faster_int8.transcribe(clip.samples, prompt=FILLER_PROMPT, frames_out=given)
    assert given and hp.heard(given[0]) == []
    report = analyse_clip(AudioClip(clip.samples), faster_int8)
    assert [f.text for f in report.delivery.fillers.items] == []
