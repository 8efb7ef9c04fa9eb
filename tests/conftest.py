"""Shared fixtures: a private data directory for every test, and paths to the audio fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "audio_fixtures"


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path_factory, monkeypatch):
    """No test touches the real user's data directory."""
    path = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("INTERVIEW_SIM_DATA_DIR", str(path))
    return path


@pytest.fixture(scope="session")
def fixture_manifest() -> dict[str, dict]:
    manifest = json.loads((FIXTURES / "fixtures.json").read_text())
    return {f["id"]: f for f in manifest["fixtures"]}
