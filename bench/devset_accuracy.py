"""Accuracy of the content rubric engine on the labelled development set (tests/data/devset).

Prints a Markdown table: per-rubric criterion accuracy, red-flag precision/recall, and mean score
by level (strong > adequate > weak). Run: ``python bench/devset_accuracy.py [--engine=regex|semantic] [--heldout] [--criteria] [--write]``; ``--write``
also saves the table to bench/results/devset_accuracy.md. Never part of the test pass/fail; the
thresholds are asserted in tests/unit/test_rubric_devset.py using the same :func:`evaluate`.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.rubric import load_bank, score_content  # noqa: E402

DEVSET = ROOT / "tests" / "data" / "devset"
HELDOUT = ROOT / "tests" / "data" / "heldout"
"""Written blind to the engine by someone who never saw its cue lists: the honest measure."""


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


def _mean(xs: list[int]) -> float:
    return sum(xs) / len(xs) if xs else float("nan")


def table(stats: dict[str, RubricStats]) -> str:
    rows = ["| rubric | answers | criterion accuracy | strong | adequate | weak |",
            "|---|---:|---:|---:|---:|---:|"]
    tot = RubricStats()
    for name, st in sorted(stats.items()):
        n = sum(len(v) for v in st.scores.values())
        rows.append(f"| {name} | {n} | {st.criteria_right / st.criteria_total:.0%} | "
                    + " | ".join(f"{_mean(st.scores.get(k, [])):.0f}" for k in ("strong", "adequate", "weak")) + " |")
        tot.criteria_right += st.criteria_right
        tot.criteria_total += st.criteria_total
        tot.tp, tot.fp, tot.fn = tot.tp + st.tp, tot.fp + st.fp, tot.fn + st.fn
        for k, v in st.scores.items():
            tot.scores[k].extend(v)
    n = sum(len(v) for v in tot.scores.values())
    rows.append(f"| **all** | {n} | {tot.criteria_right / tot.criteria_total:.0%} | "
                + " | ".join(f"{_mean(tot.scores.get(k, [])):.0f}" for k in ("strong", "adequate", "weak")) + " |")
    precision = tot.tp / (tot.tp + tot.fp) if tot.tp + tot.fp else 1.0
    recall = tot.tp / (tot.tp + tot.fn) if tot.tp + tot.fn else 1.0
    rows.append("")
    rows.append(f"Red flags: precision {precision:.2f}, recall {recall:.2f} "
                f"({tot.tp} true, {tot.fp} false alarms, {tot.fn} missed). Scores are mean content scores (0-100) by level.")
    return "\n".join(rows)


def criterion_table(stats: dict[str, RubricStats]) -> str:
    """Each criterion's accuracy on its own, worst first."""
    cells = sorted(((right / total, f"{name}.{cid}", total) for name, st in stats.items()
                    for cid, (right, total) in st.by_criterion.items()), key=lambda c: (c[0], c[1]))
    rows = ["| criterion | answers | accuracy |", "|---|---:|---:|"]
    rows += [f"| {cid} | {total} | {acc:.0%} |" for acc, cid, total in cells]
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    heldout = "--heldout" in argv
    engine = next((a.split("=", 1)[1] for a in argv if a.startswith("--engine=")), None)
    stats = evaluate(HELDOUT if heldout else DEVSET, engine)
    text = table(stats)
    if "--criteria" in argv:
        text += "\n\n" + criterion_table(stats)
    print(text)
    if "-v" in argv:
        for name, st in sorted(stats.items()):
            for m in st.misses:
                print(f"  {name}: {m}")
    if "--write" in argv:
        out = ROOT / "bench" / "results" / ("heldout_accuracy.md" if heldout else "devset_accuracy.md")
        out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
