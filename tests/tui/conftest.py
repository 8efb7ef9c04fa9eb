"""Fake backends for the app: scripted transcriber, silent speaker, null player, array microphone."""

from __future__ import annotations

import pytest

from simulator.audio.capture import ArraySource
from simulator.audio.playback import NullPlayer
from simulator.rubric import load_bank
from simulator.speech.tts import SilentSpeaker
from simulator.tui.backends import Backends, LazyTranscriber
from tests.tui.fakes import ScriptedTranscriber, speech_like

ANSWER_PHRASES = [
    "I worked three years at a call centre helping customers with billing,",
    "um and I reduced complaints by twenty percent by listening first and following up.",
]


@pytest.fixture(scope="session")
def bank():
    return load_bank()


@pytest.fixture
def make_backends(bank, tmp_path):
    """Build Backends; each microphone opening plays two spoken phrases then silence."""

    def make(*, microphone: bool = True, phrases=None, end_silence_s: float = 0.8, **source_kw):
        transcriber = ScriptedTranscriber(list(phrases or ANSWER_PHRASES) * 10)
        audio = speech_like([(0.3, 2.3), (3.0, 5.0)], 5.5)
        backends = Backends(
            transcriber=LazyTranscriber(lambda: transcriber),
            speaker=SilentSpeaker(), player=NullPlayer(),
            source_factory=(lambda: ArraySource(audio, **source_kw)) if microphone else None,
            microphone_problem="" if microphone else "no microphone found (test)",
            bank=bank, recordings_dir=tmp_path / "rec", store_path=tmp_path / "data" / "sessions.db",
            end_silence_s=end_silence_s,
            preview_every_s=None,  # a scripted transcriber gives each call the next line: no extra calls
        )
        backends.fake_transcriber = transcriber  # type: ignore[attr-defined]
        return backends

    return make
