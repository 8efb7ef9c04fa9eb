"""A regression guard on the tuning set (tests/data/devset): the answers the rubric's cues were
written and tuned against still come out as labelled.

This measures memory, not skill: the cues were adjusted until these answers passed, so a high score
here says nothing about answers the engine has not seen. It only catches a change to the engine or
the scenario files that breaks what used to work. The honest measure is the held-out set
(tests/data/heldout/h17), reported once by ``python bench/heldout.py`` and never tuned on.
"""

from __future__ import annotations

import pytest

from tests.rubric_sets import evaluate


@pytest.fixture(scope="module")
def stats():
    """The tuning set scored once for the module, by the cue patterns it was tuned for (the hybrid
    engine still uses them for red flags and close calls; its heads are fitted on this set and more,
    and checked by bench/fit_semantic.py's cross-validation and the blind set, not here)."""
    return evaluate(engine="regex")


def test_tuning_set_is_big_enough_and_covers_every_rubric(stats):
    from simulator.rubric import load_bank

    assert sum(len(v) for st in stats.values() for v in st.scores.values()) >= 40
    assert set(stats) == set(load_bank().rubrics)


def test_tuning_set_per_rubric_criteria_still_judged_as_labelled(stats):
    for name, st in stats.items():
        assert st.criteria_right / st.criteria_total >= 0.9, (name, st.misses)


def test_tuning_set_each_criterion_still_judged_as_labelled(stats):
    """Not only each rubric on average: every criterion id is judged right >= 90% of the time."""
    for name, st in stats.items():
        for cid, (right, total) in st.by_criterion.items():
            assert right / total >= 0.9, (f"{name}.{cid}", right, total, [m for m in st.misses if cid in m])


def test_tuning_set_red_flags_still_found(stats):
    tp = sum(s.tp for s in stats.values())
    fp = sum(s.fp for s in stats.values())
    fn = sum(s.fn for s in stats.values())
    assert tp / (tp + fp) >= 0.9
    assert tp / (tp + fn) >= 0.9


def test_tuning_set_strong_above_adequate_above_weak(stats):
    for name, st in stats.items():
        mean = {k: sum(v) / len(v) for k, v in st.scores.items()}
        assert mean["strong"] > mean["adequate"] > mean["weak"], (name, mean)
