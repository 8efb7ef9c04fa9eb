"""Shared fixtures: a private data directory and no user settings for every test, and paths to the
audio fixtures."""

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


@pytest.fixture(autouse=True)
def no_user_settings(tmp_path_factory, monkeypatch):
    """No test reads the real user's settings file or an ``INTERVIEW_SIM_*`` setting from the shell:
    the settings file is a path that does not exist (a test writes it to try a setting)."""
    from simulator.config import CONFIG_FILE_ENV, SETTING_KEYS, env_name

    for key in SETTING_KEYS:
        if key != "data_dir":
            monkeypatch.delenv(env_name(key), raising=False)
    path = tmp_path_factory.mktemp("config") / "config.toml"
    monkeypatch.setenv(CONFIG_FILE_ENV, str(path))
    return path


@pytest.fixture(scope="session")
def fixture_manifest() -> dict[str, dict]:
    manifest = json.loads((FIXTURES / "fixtures.json").read_text())
    return {f["id"]: f for f in manifest["fixtures"]}


def pytest_sessionfinish(session, exitstatus):  # noqa: ARG001 - pytest's hook signature
    """Give the app's background model loads a moment to end before the interpreter does, as the
    command line does: a run of one TUI test otherwise ended while the encoder was still loading,
    and the process was aborted ("terminate called without an active exception", exit 134) after
    every test had passed."""
    from simulator.background import settle

    settle()
