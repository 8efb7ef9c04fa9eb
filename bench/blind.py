"""A guard for the blind sets: nothing under tests/data/heldout/ is scored by accident.

A blind set is measured once, at the end, and its figure reported whatever it is; one stray run
(a `--help` the script did not parse, a default path) shows figures that could steer the next
change. So the benches that read content sets score a folder or file under tests/data/heldout/ only
when asked with `--once`, the measurement's own flag.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

HELDOUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "heldout"


def refuse_unasked_blind_runs(paths: Iterable[Path], once: bool) -> str | None:
    """The error line for a blind path scored without ``--once``; None when the run may go ahead."""
    blind = [p for p in paths if Path(p).resolve().is_relative_to(HELDOUT)]
    if blind and not once:
        return (f"{blind[0]} is a blind set: it is measured once, at the end, with --once; "
                "the retired sets (tests/data/retired/) are the ones to look at while working")
    return None
