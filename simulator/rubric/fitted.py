"""The content detector's fitted data: thresholds, classifier heads and how they are read.

``bench/fit_semantic.py`` writes them into ``simulator/rubric/data`` (``semantic_fit.json``: the
thresholds and blend weights; ``semantic_heads.npz``: one logistic-regression head per criterion and
red flag); they ship with the package. A missing or damaged file never stops scoring: the detector
falls back to the example sentences and the default threshold, and :func:`data_problems` says so to
``doctor`` and to the commands that score (``cli_support.warn_of_damaged_detector``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from simulator.rubric.encoder import MODEL_SHA256
from simulator.rubric.tense import TABLE as VERB_TABLE

FIT_FILE = Path(__file__).resolve().parent / "data" / "semantic_fit.json"
HEAD_FILE = Path(__file__).resolve().parent / "data" / "semantic_heads.npz"
DEFAULT_THRESHOLD = 0.5
TURN_PREFIX = "turn"
"""The fitted data's key for a criterion heard in a role-play turn ("turn.empathy"): heads and
thresholds fitted on turns said *to* a customer, beside the rubric's own ("de-escalation.empathy")."""
AGREEMENT_MARGIN = 0.15
"""Hybrid engine: how far from its threshold a criterion's score must be for meaning to decide alone;
closer calls need the cue patterns to agree. Chosen on a set the fit left out (``agreement_margin``)."""


def read_heads(path: Path = HEAD_FILE) -> dict[str, tuple[np.ndarray, float]]:
    """Per item key ("star.result", "flag.vague"): a logistic-regression head over clause features.
    Heads of different widths (:func:`simulator.rubric.semantic.head_features`) are stored padded
    with zeros to the widest, with each one's own width in ``widths``."""
    try:
        with np.load(path, allow_pickle=False) as data:
            keys = [str(k) for k in data["keys"]]
            weights, bias = data["weights"], data["bias"]
            widths = data["widths"] if "widths" in data.files else np.full(len(keys), weights.shape[1])
    except (OSError, ValueError, KeyError, EOFError):
        return {}
    return {k: (weights[i, : int(widths[i])], float(bias[i])) for i, k in enumerate(keys)}


def write_heads(path: Path, heads: dict[str, tuple[np.ndarray, float]]) -> None:
    """Store heads for :func:`read_heads`."""
    keys = sorted(heads)
    widths = np.array([len(heads[k][0]) for k in keys], dtype=np.int32)
    weights = np.zeros((len(keys), int(widths.max()) if len(keys) else 0), dtype=np.float32)
    for i, k in enumerate(keys):
        weights[i, : widths[i]] = heads[k][0]
    np.savez_compressed(path, keys=np.array(keys), weights=weights, widths=widths,
                        bias=np.array([heads[k][1] for k in keys], dtype=np.float32))


@lru_cache(maxsize=1)
def load_heads(path: Path = HEAD_FILE) -> dict[str, tuple[np.ndarray, float]]:
    """The shipped heads (:func:`read_heads`), read once."""
    return read_heads(path)


@lru_cache(maxsize=1)
def load_fit(path: Path = FIT_FILE) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def data_problems() -> list[str]:
    """What is wrong with the fitted detector's files, for ``doctor`` (empty: nothing). Scoring does not
    stop on them: a missing or damaged file leaves the examples alone, the default threshold, or
    criteria heard as said, so the scores would drift without a word; ``doctor`` says so."""
    problems = []
    try:
        fit = json.loads(FIT_FILE.read_text(encoding="utf-8"))
        if fit.get("model_sha256") != MODEL_SHA256:
            problems.append(f"{FIT_FILE.name} was fitted on another encoder")
        if not any(str(k).startswith(TURN_PREFIX + ".") for k in fit.get("thresholds", {})):
            problems.append(f"{FIT_FILE.name} has no role-play turn thresholds")
    except (OSError, ValueError) as e:
        problems.append(f"{FIT_FILE.name} cannot be read ({type(e).__name__})")
    try:
        with np.load(HEAD_FILE, allow_pickle=False) as heads:
            widths = heads["widths"] if "widths" in heads.files else None
            if not len(heads["keys"]) == len(heads["weights"]) == len(heads["bias"]) or (
                    widths is not None and (len(widths) != len(heads["keys"])
                                            or (widths > heads["weights"].shape[1]).any())):
                problems.append(f"{HEAD_FILE.name} is inconsistent")
    except (OSError, ValueError, KeyError, EOFError) as e:
        problems.append(f"{HEAD_FILE.name} cannot be read ({type(e).__name__})")
    try:
        if not isinstance(json.loads(VERB_TABLE.read_text(encoding="utf-8")), dict):
            problems.append(f"{VERB_TABLE.name} is not a table")
    except (OSError, ValueError) as e:
        problems.append(f"{VERB_TABLE.name} cannot be read ({type(e).__name__})")
    return problems


def threshold(key: str, fit: dict | None = None) -> float:
    fit = load_fit() if fit is None else fit
    return float(fit.get("thresholds", {}).get(key, fit.get("default_threshold", DEFAULT_THRESHOLD)))


def agreement_margin(fit: dict | None = None) -> float:
    fit = load_fit() if fit is None else fit
    return float(fit.get("agreement_margin", AGREEMENT_MARGIN))
