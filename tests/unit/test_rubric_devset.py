"""The quality bar, measured on the labelled development set (tests/data/devset)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("devset_accuracy", ROOT / "bench" / "devset_accuracy.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["devset_accuracy"] = bench  # dataclasses look their module up here
_spec.loader.exec_module(bench)
STATS = bench.evaluate()


def test_devset_is_big_enough_and_covers_every_rubric():
    from simulator.rubric import load_bank

    assert sum(len(v) for st in STATS.values() for v in st.scores.values()) >= 40
    assert set(STATS) == set(load_bank().rubrics)


def test_per_criterion_accuracy():
    for name, st in STATS.items():
        assert st.criteria_right / st.criteria_total >= 0.9, (name, st.misses)


def test_each_criterion_on_its_own():
    """Not only each rubric on average: every criterion id is judged right >= 90% of the time."""
    for name, st in STATS.items():
        for cid, (right, total) in st.by_criterion.items():
            assert right / total >= 0.9, (f"{name}.{cid}", right, total, [m for m in st.misses if cid in m])


def test_red_flag_precision_and_recall():
    tp = sum(s.tp for s in STATS.values())
    fp = sum(s.fp for s in STATS.values())
    fn = sum(s.fn for s in STATS.values())
    assert tp / (tp + fp) >= 0.9
    assert tp / (tp + fn) >= 0.9


def test_strong_above_adequate_above_weak():
    for name, st in STATS.items():
        mean = {k: sum(v) / len(v) for k, v in st.scores.items()}
        assert mean["strong"] > mean["adequate"] > mean["weak"], (name, mean)
