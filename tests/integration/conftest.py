"""Real-model fixtures: the bundled tiny.en loaded once per test session, each fixture analysed once."""

from __future__ import annotations

import pytest

from simulator.audio.files import read_audio
from simulator.answer.build import analyse_clip
from simulator.answer.report import AnswerReport
from simulator.speech.engines import make_transcriber
from tests.conftest import FIXTURES


@pytest.fixture(scope="session")
def faster_int8():
    return make_transcriber("faster-whisper", compute_type="int8")


@pytest.fixture(scope="session")
def fixture_reports(faster_int8, fixture_manifest) -> dict[str, AnswerReport]:
    """Every audio fixture through the whole pipeline (transcription, filler recovery, delivery)."""
    return {
        fid: analyse_clip(read_audio(FIXTURES / f"{fid}.flac"), faster_int8)
        for fid in fixture_manifest
    }
