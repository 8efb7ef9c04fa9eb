"""Where the simulator keeps the user's data (converted models, sessions, recordings) and finds its
scenario files.

The data directory is private (mode 0700): voice recordings are personal data. Override it with
``--data-dir`` on the command line, the ``INTERVIEW_SIM_DATA_DIR`` environment variable or
``data_dir`` in the settings file (:mod:`simulator.config`).

Scenario files (question banks, rubrics, red flags, personas, role-plays) ship inside the package, in
``simulator/scenarios/`` (package data, so a wheel install has them); a ``scenarios`` folder in the
data directory adds to them or overrides them by id.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import BinaryIO

import platformdirs

from simulator.config import settings
from simulator.errors import StoreError

APP_NAME = "interview-sim"
DATA_DIR_ENV = "INTERVIEW_SIM_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the data directory, creating it with owner-only permissions. Raises
    :class:`~simulator.errors.StoreError` (one line) when it cannot be a folder: a file is in the
    way, or its parent cannot be written."""
    # The setting is $INTERVIEW_SIM_DATA_DIR (which --data-dir sets) over the settings file's data_dir.
    chosen = override or settings().data_dir or platformdirs.user_data_dir(APP_NAME)
    path = Path(chosen).expanduser()
    if path.exists() and not path.is_dir():  # mkdir would say only "File exists"
        raise StoreError(f"cannot use {path} as the data folder: it is a file, not a folder "
                         "(choose another data directory)")
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as e:
        raise StoreError(f"cannot use {path} as the data folder: {e.strerror or e} "
                         "(choose another with --data-dir)") from e
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        # Private, but never *more* permissive for the owner: a folder the user made read-only
        # stays read-only (writes then fail with a clear message) instead of being silently reopened.
        try:
            path.chmod(mode & 0o700)
        except OSError:
            pass  # a read-only file system: what is there can still be read
    return path


def new_file_refused(folder: Path) -> OSError | None:
    """Why ``folder`` takes no new file (a read-only mount refuses even root), or None if it does."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return None
    except OSError as e:
        return e


def writable_data_dir() -> Path:
    """The data directory, checked to take new files: an answer recorded into a folder that cannot
    keep it would be lost, so practice refuses to start instead (replay and the lists only read)."""
    path = data_dir()
    if (e := new_file_refused(path)) is not None:
        raise StoreError(f"cannot save to the data folder {path}: {e.strerror or e}; your answers would "
                         "not be kept (make it writable, or choose another with --data-dir)") from e
    return path


def models_dir(override: str | os.PathLike[str] | None = None) -> Path:
    path = data_dir(override) / "models"
    path.mkdir(exist_ok=True, mode=0o700)
    return path


def cache_dir() -> Path:
    """Files derived from installed packages, which can always be made again (the sentence
    encoder's int8 copy). Shared by every data directory: a test's private one, or a user's."""
    return Path(platformdirs.user_cache_dir(APP_NAME))


def bundled_scenarios_dir() -> Path:
    """The scenario files shipped with the package (``simulator/scenarios/``).

    The package is installed as files (pip unpacks wheels), so this is a real folder.
    """
    return Path(str(resources.files("simulator") / "scenarios"))


def user_scenarios_dir() -> Path | None:
    """The user's own scenario folder (``data_dir()/scenarios``) when it exists, else None.

    Only looks: unlike :func:`data_dir` it never creates a folder, so loading the bank as a side
    effect of, say, ``scenarios list`` in a test leaves the disk as it was.
    """
    try:
        chosen = settings().data_dir or platformdirs.user_data_dir(APP_NAME)
        path = Path(chosen).expanduser() / "scenarios"
        return path if path.is_dir() else None
    except (OSError, RuntimeError):  # an unreadable or unresolvable folder: there is no user bank
        return None


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> Path:
    """Write ``path`` whole: ``write`` fills a temporary file beside it, which is flushed to disk
    and renamed over ``path``, so a crash or a concurrent writer never leaves a half-written file
    that a later read would trust."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
