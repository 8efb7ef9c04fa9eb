"""Accuracy of the content rubric engine on the labelled development set (tests/data/devset).

Prints a Markdown table: per-rubric criterion accuracy, red-flag precision/recall, and mean score
by level (strong > adequate > weak). Run: ``python bench/devset_accuracy.py [--engine=regex|semantic] [--criteria] [--write]`` (``--heldout`` is refused: the blind set is measured once, by ``bench/heldout.py --once``); ``--write``
also saves the table to bench/results/devset_accuracy.md. Never part of the test pass/fail; the
thresholds on the tuning set are a regression guard in tests/unit/test_devset_regression.py,
using the same :func:`evaluate` (from tests/rubric_sets.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The scoring of a labelled set lives with the tests (which never import bench/); this script
# only prints and saves its tables.
from tests.rubric_sets import DEVSET, HELDOUT, RubricStats, evaluate  # noqa: E402, F401


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
    if heldout:  # the blind set is measured once, by bench/heldout.py --once, never by a stray run here
        print(f"error: {HELDOUT} is a blind set: `python bench/heldout.py --once` measures it", file=sys.stderr)
        return 2
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
