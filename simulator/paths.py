"""Where the simulator keeps the user's data: converted models, sessions, recordings.

The data directory is private (mode 0700): voice recordings are personal data. Override it with
``--data-dir`` on the command line or the ``INTERVIEW_SIM_DATA_DIR`` environment variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "interview-sim"
DATA_DIR_ENV = "INTERVIEW_SIM_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the data directory, creating it with owner-only permissions."""
    chosen = override or os.environ.get(DATA_DIR_ENV) or platformdirs.user_data_dir(APP_NAME)
    path = Path(chosen).expanduser()
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        # Private, but never *more* permissive for the owner: a folder the user made read-only
        # stays read-only (writes then fail with a clear message) instead of being silently reopened.
        path.chmod(mode & 0o700)
    return path


def models_dir(override: str | os.PathLike[str] | None = None) -> Path:
    path = data_dir(override) / "models"
    path.mkdir(exist_ok=True, mode=0o700)
    return path
