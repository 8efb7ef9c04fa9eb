"""What the shipped hesitation listener does with each um/uh the transcript lacks, on spent sets it was
not fitted on: found, its best candidate turned down (and by how much), or no candidate at all; and
every event where no hesitation was said.

    OMP_NUM_THREADS=1 PYTHONPATH=. .venv/bin/python bench/hesitation_probe/misses.py SET [SET ...]

Reads the cache that ``extract.py`` and ``make_spans.py`` make (README here). On a set the weights were
fitted on, it measures memory. Stop 38 on heldout15 and heldout16 (``--without heldout15,heldout16``
weights): of 80 hesitations, 43 already in the transcript, 26 found, 6 turned down, 5 with no candidate,
no event made up.
"""
from __future__ import annotations

import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT / "bench"))
import fit_hesitation_probe as F  # noqa: E402
from fillers_voices import SPENT  # noqa: E402  (never a blind set)

hp = F.hp
NEAR_S = 0.05  # a candidate this close to a hesitation's span is on it


def main(sets: list[str]) -> int:
    if not sets or any(s not in SPENT for s in sets):
        print("usage: misses.py SET [SET ...], spent sets only (fillers_voices.SPENT)", file=sys.stderr)
        return 2
    model = hp.read_model()
    fitted = set(model.meta.get("sets", ()))
    outcome = collections.Counter({"made up": 0})
    for name in sets:
        if name in fitted:
            print(f"{name}: the shipped weights were fitted on it (memory, not skill)")
        for r in F.load(Path("/tmp/probe"), name):
            cands = [(c.start_s, c.end_s, float(c.features @ model.window_w + model.window_b))
                     for c in hp.candidates(r["frames"], r["times"], model.frame_w, model.frame_b)]
            known = [(f[1], f[2]) for f in r["fillers"] if f[0] in F.UM | F.UH]
            for kind, t0, t1 in r["spans"]:
                if not hp.is_new((t0, t1), known, NEAR_S):
                    outcome["already in the transcript"] += 1
                    continue
                scores = [sc for s, e, sc in cands if s <= t1 + NEAR_S and e >= t0 - NEAR_S]
                best = max(scores, default=None)
                tag = ("no candidate" if best is None else "found" if best > model.threshold else "turned down")
                outcome[tag] += 1
                if tag != "found":
                    words = [w[0] for w in r["words"] if w[1] < t1 + 0.3 and w[2] > t0 - 0.3]
                    by = "" if best is None else f", {best - model.threshold:+.2f} from the cut"
                    print(f"  {name} {r['id']} {kind} {t0:.2f}-{t1:.2f} s: {tag}{by}; words {words}; "
                          f"{r['voice']} at {r['rate']}")
            for s, e, sc in cands:
                on_one = any(t0 - NEAR_S <= e and t1 + NEAR_S >= s for _, t0, t1 in r["spans"])
                if sc > model.threshold and not on_one and hp.is_new((s, e), known, F.NEAR_S):
                    outcome["made up"] += 1
                    print(f"  {name} {r['id']} event {s:.2f}-{e:.2f} s where none was said, score {sc:.2f}")
    print(dict(outcome), f"cut {model.threshold:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
