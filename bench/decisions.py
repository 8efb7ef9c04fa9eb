"""Every content decision on the labelled sets, saved, and two saves compared.

Checks a change to the detector against the labels, decision by decision: run it before the change
(in a checkout of the older commit, or with ``--widened`` for the encoder session the shipped fit was
made on) and after, then ``--diff``. Covers every labelled answer under tests/data except the blind
set in tests/data/heldout (never scored before its one measurement).

    python bench/decisions.py --out=/tmp/after.json [--engine=hybrid|semantic|regex] [--widened]
    python bench/decisions.py --diff /tmp/before.json /tmp/after.json

The diff prints, per set, criterion accuracy and red-flag true / false / missed before -> after, and
how many criterion decisions and answers' red flags changed, with how many of those are now right.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.rubric_sets import _expected  # noqa: E402

DATA = ROOT / "tests" / "data"


def _arg(name: str, default: str) -> str:
    return next((a.split("=", 1)[1] for a in sys.argv if a.startswith(f"--{name}=")), default)


def _answers():
    for path in sorted(DATA.rglob("*.yaml")):
        if "heldout" in path.relative_to(DATA).parts:
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and "rubric" in doc and isinstance(doc.get("answers"), list):
            for i, item in enumerate(doc["answers"]):
                if isinstance(item, dict) and "text" in item:
                    yield f"{path.relative_to(DATA)}#{i}", doc["rubric"], item


def dump(out: Path, engine: str) -> None:
    from simulator.rubric import encoder, load_bank, score_content  # noqa: PLC0415

    if "--widened" in sys.argv:
        model, tokenizer = encoder.verify()
        encoder._encoder = encoder.Encoder(model, tokenizer, session_model=model)
    bank = load_bank()
    saved = {}
    for key, rubric, item in _answers():
        met, flags, _ = _expected(item)
        r = score_content(item["text"], rubric=rubric, bank=bank, engine=engine)
        saved[key] = {"criteria": {c.id: c.met for c in r.criteria}, "flags": sorted(f.id for f in r.red_flags),
                      "want_met": sorted(met), "want_flags": sorted(flags)}
    out.write_text(json.dumps(saved), encoding="utf-8")
    print(f"{len(saved)} answers -> {out}")


def diff(before: dict, after: dict) -> None:
    rows: dict[str, list[int]] = defaultdict(lambda: [0] * 9)
    changed = right = flags_changed = flags_right = 0
    for key, a in before.items():
        b = after.get(key)
        if b is None:
            continue
        row = rows[key.rsplit("/", 1)[0]]
        for cid, was in a["criteria"].items():
            truth = cid in a["want_met"]
            row[0] += was == truth
            row[1] += b["criteria"].get(cid) == truth
            row[2] += 1
            if b["criteria"].get(cid) != was:
                changed += 1
                right += b["criteria"].get(cid) == truth
        want = set(a["want_flags"])
        for k, got in ((3, set(a["flags"])), (6, set(b["flags"]))):
            row[k] += len(got & want)
            row[k + 1] += len(got - want)
            row[k + 2] += len(want - got)
        if a["flags"] != b["flags"]:
            flags_changed += 1
            flags_right += set(b["flags"]) == want
    # Pooled: the sets the shipped fit was made on, and those it left out (the honest comparison).
    fitted = {Path(s).relative_to("tests/data").as_posix() for s in
              json.loads((ROOT / "simulator/rubric/data/semantic_fit.json").read_text())["sets"]}
    for pool, names in (("fitted, pooled", [n for n in rows if n in fitted]),
                        ("left out of the fit, pooled", [n for n in rows if n not in fitted])):
        rows[f"**{pool}**"] = [sum(rows[n][k] for n in names) for k in range(9)]
    print("| set | criteria before | after | flags true/false/missed before | after |\n|---|---:|---:|---|---|")
    for name, r in sorted(rows.items(), key=lambda kv: (kv[0].startswith("**"), kv[0])):
        print(f"| {name} | {r[0] / r[2]:.1%} | {r[1] / r[2]:.1%} | {r[3]}/{r[4]}/{r[5]} | {r[6]}/{r[7]}/{r[8]} |")
    print(f"\n{changed} criterion decisions changed ({right} now right); "
          f"{flags_changed} answers' red flags changed ({flags_right} now exactly as labelled).")


def main() -> int:
    if "--diff" in sys.argv:
        a, b = (Path(p) for p in sys.argv[sys.argv.index("--diff") + 1:][:2])
        diff(json.loads(a.read_text()), json.loads(b.read_text()))
        return 0
    dump(Path(_arg("out", "/tmp/decisions.json")), _arg("engine", "hybrid"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
