"""Judge a fitting recipe on answers its fit never saw: leave each set out in turn.

For each set named (default: the retired blind sets h6 to h9), fit the content detector on
everything else (``bench/fit_semantic.py --without=<set> --out=DIR`` plus any options given after
``--``), then score that set's answers with the hybrid engine and count criteria judged right and red
flags found, raised falsely and missed. Compare two recipes by running it for each (a change to the
splitter or the rubric files: once in each checkout). Never touches tests/data/heldout.

    python bench/leave_one_out.py [--sets=retired/h6,retired/h7] [--engine=hybrid] [--errors] [-- --l2=1e-4]

``--flag-shifts=-0.1,-0.05`` also counts the red flags with every flag threshold moved by each amount
(same fits). ``--errors`` also lists each criterion's and red flag's errors, pooled over the sets.

Each fit takes about 40 s on 2 cores and each set about 10 s to score.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.rubric_sets import _expected  # noqa: E402

DATA = ROOT / "tests" / "data"
DEFAULT_SETS = ("retired/h6", "retired/h7", "retired/h8", "retired/h9")
SHIPPED = ("--widened", "--mix=0.75", "--mix-flags=1.0")
SHIFTS: list[float] = []
"""``--flag-shifts=-0.1,-0.05``: also judge the red flags with every flag threshold moved by each."""
SHIFTED: dict[float, Counter] = defaultdict(Counter)
ERRORS: Counter = Counter()
"""Pooled over the sets judged: (item, "false" | "missed") -> count; printed with ``--errors``."""


def use_fit(folder: Path, flag_shift: float = 0.0) -> None:
    """Score with the fit in ``folder`` instead of the shipped one (``flag_shift``: every red flag's
    threshold moved by this much)."""
    from simulator.rubric import fitted  # noqa: PLC0415

    fit = json.loads((folder / "semantic_fit.json").read_text(encoding="utf-8"))
    fit["thresholds"] = {k: v + (flag_shift if k.startswith("flag.") else 0.0)
                         for k, v in fit["thresholds"].items()}
    heads = fitted.read_heads(folder / "semantic_heads.npz")
    fitted.load_fit = lambda path=None: fit
    fitted.load_heads = lambda path=None: heads


def judge_set(name: str, engine: str) -> tuple[int, int, Counter]:
    """(criteria right, criteria judged, red flags: "found" / "false" / "missed")."""
    from simulator.rubric import load_bank, score_content  # noqa: PLC0415

    bank, right, judged, flags = load_bank(), 0, 0, Counter()
    for path in sorted((DATA / name).glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not (isinstance(doc, dict) and "rubric" in doc and isinstance(doc.get("answers"), list)):
            continue
        for item in doc["answers"]:
            if not isinstance(item, dict) or "text" not in item:
                continue
            met, want, _ = _expected(item)
            r = score_content(item["text"], rubric=doc["rubric"], bank=bank, engine=engine)
            got = set(r.flag_ids)
            flags.update(found=len(got & set(want)), false=len(got - set(want)), missed=len(set(want) - got))
            ERRORS.update((f"flag.{f}", "false") for f in got - set(want))
            ERRORS.update((f"flag.{f}", "missed") for f in set(want) - got)
            ERRORS.update((f"{doc['rubric']}.{c.id}", "missed" if c.id in met else "false")
                          for c in r.criteria if c.met != (c.id in met))
            right += sum(c.met == (c.id in met) for c in r.criteria)
            judged += len(r.criteria)
    return right, judged, flags


def main(argv: list[str]) -> int:
    own, extra = (argv[: argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    sets = next((a.split("=", 1)[1].split(",") for a in own if a.startswith("--sets=")), DEFAULT_SETS)
    engine = next((a.split("=", 1)[1] for a in own if a.startswith("--engine=")), "hybrid")
    SHIFTS[:] = [float(x) for a in own if a.startswith("--flag-shifts=")
                 for x in a.split("=", 1)[1].split(",")]
    if any("heldout" in s for s in sets):
        print("leave_one_out: the blind set in tests/data/heldout is never scored here", file=sys.stderr)
        return 2
    from simulator.rubric import encoder  # noqa: PLC0415

    model, tokenizer = encoder.verify()  # the encoder session the shipped fit is made with
    encoder._encoder = encoder.Encoder(model, tokenizer, session_model=model)
    total, flags = [0, 0], Counter()
    print(f"| set left out | criteria right | red flags found / false / missed |\n|---|---:|---:|")
    for name in sets:
        with tempfile.TemporaryDirectory() as out:
            fit = [sys.executable, str(ROOT / "bench" / "fit_semantic.py"), *extra, *SHIPPED,  # the first wins
                   f"--without={name}", f"--out={out}"]
            subprocess.run(fit, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            counted = Counter(ERRORS)
            for shift in SHIFTS:
                use_fit(Path(out), shift)
                SHIFTED[shift] += judge_set(name, engine)[2]
            ERRORS.clear()
            ERRORS.update(counted)  # --errors counts the fit as made, not the moved cuts
            use_fit(Path(out))
            right, judged, f = judge_set(name, engine)
        total[0] += right
        total[1] += judged
        flags += f
        print(f"| {name} | {right} of {judged} ({right / judged:.1%}) | {f['found']} / {f['false']} / {f['missed']} |")
    print(f"| **all** | **{total[0]} of {total[1]} ({total[0] / max(1, total[1]):.1%})** | "
          f"{flags['found']} / {flags['false']} / {flags['missed']} |")
    if SHIFTS:
        print("\n| red flags' thresholds moved by | found / false / missed | precision | recall |")
        print("|---:|---:|---:|---:|")
        for shift in SHIFTS:
            c = SHIFTED[shift]
            precision = c["found"] / max(1, c["found"] + c["false"])
            recall = c["found"] / max(1, c["found"] + c["missed"])
            print(f"| {shift:+.2f} | {c['found']} / {c['false']} / {c['missed']} | "
                  f"{precision:.2f} | {recall:.2f} |")
    if "--errors" in own:
        print("\n| item | met falsely | missed |\n|---|---:|---:|")

        def errors(key: str) -> int:
            return ERRORS[(key, "false")] + ERRORS[(key, "missed")]

        for key in sorted({k for k, _ in ERRORS}, key=lambda k: -errors(k)):
            print(f"| {key} | {ERRORS[(key, 'false')]} | {ERRORS[(key, 'missed')]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
