"""Judge the role-play turn heads on turns their fit never saw: leave each retired set's turns out.

For each retired set with turns (default h5 to h10), fit the content detector with that set's turns
left out of the turn heads (``bench/fit_semantic.py --turns-without=<set> --out=DIR``, the shipped
options), then hear that set's turns as the role-play customer does (``bench/turn_cues.py``'s
``heard``) and count the five moves' decisions right, per set and pooled. The answer heads are the
shipped ones in every fold (the turn items do not touch them). Never touches tests/data/heldout.

    python bench/turn_heads_loo.py [--sets=h5,h6] [--keep=DIR] [-- FIT OPTIONS]

Options after ``--`` go to every fold's fit (``-- --turns-without=roleplay-turns-3``: without the third
training file).

Each fit takes about 3 minutes on 2 cores; the six about 20.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from leave_one_out import SHIPPED, use_fit  # noqa: E402
from turn_cues import heard, turns  # noqa: E402

MOVES = ("acknowledgement", "question", "option", "escalation", "commitment")
RETIRED = ROOT / "tests" / "data" / "retired"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="Turn heads judged on each retired set's turns, left out of the fit.")
    ap.add_argument("--sets", default="h5,h6,h7,h8,h9,h10", help="retired sets, comma-separated")
    ap.add_argument("--keep", metavar="DIR", help="write each fold's fit to DIR/<set> and keep it")
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    args = ap.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    names = args.sets.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(args.keep or tmp)
        for name in names:
            out = base / name
            if not (out / "semantic_fit.json").exists():
                subprocess.run([sys.executable, str(ROOT / "bench" / "fit_semantic.py"), *SHIPPED, *extra,
                                f"--turns-without={name}", f"--out={out}"], check=True, stdout=subprocess.DEVNULL)
        print("| set left out | turns | moves right | of | accuracy |\n|---|---:|---:|---:|---:|")
        total = right_all = 0
        per_move = {m: [0, 0, 0] for m in MOVES}  # tp, fp, fn
        for name in names:
            use_fit(base / name)
            data, _ = turns(RETIRED / name / "roleplay-turns.yaml")
            right = 0
            for text, labels in data:
                got = heard(text)
                for m in MOVES:
                    right += (m in got) == (m in labels)
                    per_move[m][0] += m in got and m in labels
                    per_move[m][1] += m in got and m not in labels
                    per_move[m][2] += m in labels and m not in got
            n = len(data) * len(MOVES)
            total += n
            right_all += right
            print(f"| {name} | {len(data)} | {right} | {n} | {right / n:.1%} |")
        print(f"| **all** | | **{right_all}** | {total} | **{right_all / total:.1%}** |\n")
        print("| move | found | false | missed | precision | recall |\n|---|---:|---:|---:|---:|---:|")
        for m, (tp, fp, fn) in per_move.items():
            print(f"| {m} | {tp} | {fp} | {fn} | {tp / max(1, tp + fp):.2f} | {tp / max(1, tp + fn):.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
