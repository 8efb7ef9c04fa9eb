#!/usr/bin/env python3
"""The filler count error pooled over blind voice sets, from their one-measurement reports.

    python bench/fillers_pooled.py heldout15 heldout16 ... heldout21

Reads bench/results/fillers_voices_<set>.md (written by ``bench/fillers_voices.py --once --write``)
and averages the per-answer errors of every answer with at least one true filler, over all the sets
named: the same metric as each report's own figure, on more answers. Nothing is scored again.
"""
from __future__ import annotations

import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ERROR_COLUMN = 13  # "abs err / true" in the per-answer table ("-" for an answer with no filler)
INVENTED_COLUMN = 14


def per_answer(set_name: str) -> tuple[list[float], int]:
    """The per-answer errors of one report, and the hesitations it says were made up."""
    path = RESULTS / f"fillers_voices_{set_name}.md"
    errors, invented = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not cells[0].startswith("v") or len(cells) <= INVENTED_COLUMN:
            continue
        if cells[ERROR_COLUMN] != "-":
            errors.append(float(cells[ERROR_COLUMN]))
        invented += int(cells[INVENTED_COLUMN])
    return errors, invented


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    pooled, made_up = [], 0
    for name in argv:
        try:
            errors, invented = per_answer(name)
        except OSError as e:
            print(f"fillers_pooled: {name}: {e.strerror or e}", file=sys.stderr)
            return 1
        if not errors:
            print(f"fillers_pooled: {name}: no per-answer table in its report", file=sys.stderr)
            return 1
        print(f"{name}: {len(errors)} answers, {100 * sum(errors) / len(errors):.1f}%, {invented} made up")
        pooled += errors
        made_up += invented
    print(f"pooled: {len(pooled)} answers, {100 * sum(pooled) / len(pooled):.1f}%, {made_up} made up")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
