"""How well the role-play turn cues are heard, on a labelled set of single turns.

Scores every turn of a ``roleplay-turns.yaml`` as the role-play customer hears it
(:func:`simulator.roleplay.hearing.hear_turn`: the moves by meaning, the facts by rule) and prints per
cue: precision, recall and accuracy over the turns. (Until stop 29 a setting chose among three cue
detectors, cue patterns, example sentences and the rubric; their figures are in bench/results.) A turn labelled ``policy`` counts as heard when
the detector reports ``bare_policy`` or the turn also shows acknowledgement or an apology (policy
said with empathy is not reported on its own, by design). An ``acknowledgement`` label counts as
heard when the detector reports acknowledgement or an apology ("I'm so sorry this happened").
Run: ``python bench/turn_cues.py [--set=FILE[,FILE...]]`` (default tests/data/train/roleplay-turns.yaml:
training turns, fitted on, so a figure on it is memory; so are the retired sets' turns since stop 29;
h11's turns were measured once at stop 25 and h12's at stop 29, and are spent; the blind turns are
tests/data/heldout/h13/roleplay-turns.yaml, written at stop 29. Anything under tests/data/heldout/ is
scored only with ``--once``, bench/blind.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.roleplay.hearing import hear_turn  # noqa: E402
from blind import refuse_unasked_blind_runs  # noqa: E402 - beside this script, which Python puts on sys.path

CUES = ("acknowledgement", "option", "escalation", "commitment", "find_out", "bluff", "blame", "policy")
DEFAULT = ROOT / "tests" / "data" / "train" / "roleplay-turns.yaml"


ALIASES = {"clarifying_question": "question", "options": "option", "next_steps": "commitment"}
"""Cue names of the issue's wording (the blind set h5 labels ``cues: {name: true|false}``) -> the
detector's names."""


def turns(path: Path) -> tuple[list[tuple[str, set[str]]], tuple[str, ...]]:
    """(text, cues labelled present) per turn, and the cues the file labels. Two layouts: a list of
    the cues present (``expect: {cues: [...]}``, every cue in :data:`CUES` labelled), or a mapping
    of each labelled cue to true or false (``cues: {options: true, ...}``)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data.get("turns", data) if isinstance(data, dict) else data
    out, judged = [], None
    for t in items:
        labels = t.get("expect", {}).get("cues") if isinstance(t.get("expect"), dict) else t.get("cues")
        if isinstance(labels, dict):
            judged = tuple(ALIASES.get(k, k) for k in labels)
            labels = [k for k, v in labels.items() if v]
        out.append((t["text"], {ALIASES.get(k, k) for k in labels or []}))
    return out, judged or CUES


def heard(text: str) -> set[str]:
    """The cues the role-play customer hears in one turn (:func:`hear_turn`)."""
    found = set(hear_turn(text).cues)
    if "apology" in found:
        found.add("acknowledgement")
    if "bare_policy" in found or ({"acknowledgement", "apology"} & found):
        found.add("policy")  # see the module docstring: judged against the label below
    return found


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="Role-play turn cues heard right, per cue, on labelled turns.")
    ap.add_argument("--set", default=str(DEFAULT), metavar="FILE[,FILE...]",
                    help="roleplay-turns YAML files, pooled (default: the training turns)")
    ap.add_argument("--once", action="store_true", help="a blind set's one measurement (refused without it)")
    args = ap.parse_args(argv)
    paths = [Path(p).resolve() for p in args.set.split(",")]
    refused = refuse_unasked_blind_runs(paths, args.once)
    if refused:
        print(refused, file=sys.stderr)
        return 2
    data, judged = [], None
    for path in paths:  # several files: pooled, judged on the cues every one of them labels
        more, cues = turns(path)
        data += more
        judged = cues if judged is None else tuple(c for c in judged if c in cues)
    names = ", ".join(str(p.relative_to(ROOT)) for p in paths)
    print(f"{names}: {len(data)} turns\n")
    print("| cue | labelled | precision | recall | accuracy |\n|---|---:|---:|---:|---:|")
    total_right = total = 0
    for cue in judged:
        tp = fp = fn = right = 0
        for text, labels in data:
            got = heard(text)
            if cue == "policy":
                # with empathy, policy is heard only when it stands alone; without, it must be bare
                got_it = "bare_policy" in got or (cue in labels and bool({"acknowledgement", "apology"} & got))
            else:
                got_it = cue in got
            want = cue in labels
            tp += got_it and want
            fp += got_it and not want
            fn += want and not got_it
            right += got_it == want
        n = len(data)
        total_right += right
        total += n
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        print(f"| {cue} | {tp + fn} | {p:.2f} | {r:.2f} | {right / n:.0%} |")
    print(f"| **all** | | | | {total_right / total:.1%} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
