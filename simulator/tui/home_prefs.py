"""The home screen's last choices (role family and number of questions), remembered between launches
in a small JSON file in the data directory. A missing, unreadable or corrupt file is ignored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

from simulator.paths import data_dir
from simulator.rubric.models import RoleFamily

FILE_NAME = "home.json"
MAX_COUNT = 20


def prefs_path() -> Path:
    return data_dir() / FILE_NAME


def load_home_prefs(path: Path | None = None) -> dict[str, Any]:
    """``{"role": ..., "count": ...}`` with only the entries that are present and valid."""
    try:
        raw = json.loads((path or prefs_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(raw, dict):
        return {}
    out: dict[str, Any] = {}
    if raw.get("role") in get_args(RoleFamily):
        out["role"] = raw["role"]
    count = raw.get("count")
    if isinstance(count, int) and not isinstance(count, bool) and 1 <= count <= MAX_COUNT:
        out["count"] = count
    return out


def save_home_prefs(role: str, count: int, path: Path | None = None) -> None:
    """Remember the choices; a failure to write is ignored (they are a convenience)."""
    target = path or prefs_path()
    try:
        tmp = target.with_suffix(".json.tmp")
        tmp.write_text(json.dumps({"role": role, "count": count}), encoding="utf-8")
        tmp.chmod(0o600)
        tmp.replace(target)
    except OSError:
        pass
