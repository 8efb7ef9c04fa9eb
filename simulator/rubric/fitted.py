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


@lru_cache(maxsize=1)
def load_heads(path: Path = HEAD_FILE) -> dict[str, tuple[np.ndarray, float]]:
    """Per item key ("star.result", "flag.vague"): a logistic-regression head over clause vectors."""
    try:
        data = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return {}
    keys = [str(k) for k in data["keys"]]
    return {k: (data["weights"][i], float(data["bias"][i])) for i, k in enumerate(keys)}


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
            if not len(heads["keys"]) == len(heads["weights"]) == len(heads["bias"]):
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
