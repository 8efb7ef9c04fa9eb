"""Score a labelled answer set (tests/data/devset, tests/data/heldout/h17...) with the rubric engine.

Shared by the tuning-set regression guard (tests/unit/test_devset_regression.py) and the accuracy
reports in bench/ (bench/devset_accuracy.py prints the tables). The tests never import bench/.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from simulator.rubric import load_bank, score_content

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "tests" / "data" / "devset"
"""The set the rubric's cues were tuned on: scoring well on it shows memory, not skill."""
HELDOUT = ROOT / "tests" / "data" / "heldout" / "h17"
"""Written blind to the engine by someone who never saw its cue lists: the honest measure, taken once."""
RETIRED = ROOT / "tests" / "data" / "retired"
"""Earlier blind sets (h3 to h11), each measured once and reported, then retired to fitting data."""


def _expected(item: dict) -> tuple[set[str], set[str], str]:
    """(criteria met, red flags, level) from either the devset or the held-out file format."""
    if "expect" in item:
        return set(item["expect"]["met"]), set(item["expect"]["red_flags"]), item["level"]
    met = {cid for cid, ok in item["criteria"].items() if ok}
    return met, set(item.get("red_flags") or []), item["quality"]


@dataclass
class RubricStats:
    criteria_right: int = 0
    criteria_total: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    scores: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    misses: list[str] = field(default_factory=list)
    by_criterion: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    """Criterion id -> [judged right, judged]."""


def evaluate(devset: Path = DEVSET, engine: str | None = None) -> dict[str, RubricStats]:
    """Score every answer with ``engine`` ("regex", "semantic"; default: the configured one)."""
    bank = load_bank()
    stats: dict[str, RubricStats] = {}
    for path in sorted(devset.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not (isinstance(data, dict) and "rubric" in data and "answers" in data):
            continue  # pairs.yaml, roleplay-turns.yaml: not answer files
        st = stats.setdefault(data["rubric"], RubricStats())
        for item in data["answers"]:
            result = score_content(item["text"], rubric=data["rubric"], bank=bank, engine=engine)
            expected_met, want, level = _expected(item)
            for c in result.criteria:
                st.criteria_total += 1
                st.by_criterion[c.id][1] += 1
                if c.met == (c.id in expected_met):
                    st.criteria_right += 1
                    st.by_criterion[c.id][0] += 1
                else:
                    st.misses.append(f"{item['id']}: {c.id} expected {'met' if c.id in expected_met else 'unmet'}")
            got = result.flag_ids
            st.tp += len(want & got)
            st.fp += len(got - want)
            st.fn += len(want - got)
            for f in got - want:
                st.misses.append(f"{item['id']}: unexpected flag {f}")
            for f in want - got:
                st.misses.append(f"{item['id']}: missed flag {f}")
            st.scores[level].append(result.score)
    return stats
