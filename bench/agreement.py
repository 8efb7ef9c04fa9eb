"""Choose the hybrid engine's agreement margin on a set the fit left out.

The hybrid engine judges a criterion by meaning, except in close calls: within ``m`` of its
threshold the criterion is met only if the cue patterns also meet it
(:func:`simulator.rubric.semantic.judge_criterion`). ``m = 0`` is meaning alone; a large ``m`` is the
cue patterns alone. This scores every criterion of every answer in ``--set`` with a fit written
by ``bench/fit_semantic.py --without=<that set> --out=DIR`` for several ``m``, then per criterion
(regex, hybrid at ``--margin``, meaning alone).

    python bench/fit_semantic.py --without=retired/h5 --out=/tmp/fit-no-h5
    python bench/agreement.py --fit=/tmp/fit-no-h5 --set=tests/data/retired/h5 [--margin=0.15]

It then does the same for red flags: the cue patterns alone, meaning alone, and the two together
(a flag is raised when meaning clears its threshold by ``m``, or the cue patterns find it and meaning
is within ``m`` of the threshold, or the cue patterns find it at all: ``m = inf``), with precision and
recall per rule, so the hybrid engine's flag rule is chosen on a set the fit did not see
(``--flag-negation``: meaning may not raise a flag on a clause holding the speaker's own negation,
as in the engine: :func:`simulator.rubric.clause_facts.speaker_negation`).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fit_semantic import answer_files  # noqa: E402 - beside this script, which Python puts on sys.path
from simulator.rubric import fitted, load_bank, semantic, story  # noqa: E402
from simulator.rubric.engine import _applicable_flags, _flags, _judge  # noqa: E402
from simulator.rubric.metrics import find_metrics  # noqa: E402
from simulator.rubric.text import assess, clauses, normalise  # noqa: E402

MARGINS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, math.inf)


def _arg(name: str, default: str) -> str:
    return next((a.split("=", 1)[1] for a in sys.argv if a.startswith(f"--{name}=")), default)


def main() -> int:
    fit_dir, set_dir = Path(_arg("fit", "")), ROOT / _arg("set", "tests/data/retired/h5")
    chosen = float(_arg("margin", str(fitted.AGREEMENT_MARGIN)))
    fit = json.loads((fit_dir / "semantic_fit.json").read_text())
    heads = fitted.read_heads(fit_dir / "semantic_heads.npz")
    bank = load_bank()
    right = dict.fromkeys(MARGINS, 0)
    per: dict[str, list[int]] = {}  # criterion -> [regex right, hybrid right, meaning right, total]
    total = 0
    flag_rows: list[tuple[bool, bool, float]] = []  # (labelled, cue patterns raise it, meaning's margin)
    for _path, doc in answer_files([set_dir]):
        rubric = bank.get_rubric(doc["rubric"])
        for item in doc["answers"]:
            text = item["text"]
            norm = normalise(text)
            if not assess(norm).ok:
                continue
            spans = clauses(text, norm)
            cs = semantic.embed_clauses(norm, spans)
            scores = story.own_clauses(rubric, semantic.rubric_scores(rubric, cs, fit=fit, heads=heads), fit)
            met_by_hybrid = set()
            for c in rubric.criteria:
                truth = bool(item["criteria"][c.id])
                need = max(1, math.ceil(c.needs * 0.5))
                ranked = np.sort(scores[c.id])[::-1]
                margin = float(ranked[need - 1] - fitted.threshold(f"{rubric.id}.{c.id}", fit)) \
                    if len(ranked) >= need else -math.inf
                cues = _judge(c, text, norm, spans).met
                total += 1
                for m in MARGINS:
                    right[m] += (margin >= m or (cues and margin >= -m)) == truth
                row = per.setdefault(f"{rubric.id}.{c.id}", [0, 0, 0, 0])
                row[0] += cues == truth
                row[1] += (margin >= chosen or (cues and margin >= -chosen)) == truth
                row[2] += (margin >= 0) == truth
                row[3] += 1
                if margin >= chosen or (cues and margin >= -chosen):
                    met_by_hybrid.add(c.id)
            flag_rows += _flag_rows(bank, rubric, item, text, norm, spans, cs, met_by_hybrid, fit, heads)
    print(f"{set_dir.relative_to(ROOT)}: {total} criterion judgements, fit {fit_dir} "
          f"(sets {', '.join(fit.get('sets', []))})\n")
    print("| agreement margin | criteria right |\n|---|---:|")
    for m in MARGINS:
        name = "cue patterns alone" if m == math.inf else ("meaning alone" if m == 0 else f"{m:g}")
        print(f"| {name} | {right[m] / total:.1%} |")
    print(f"\n| criterion | regex | hybrid (m={chosen:g}) | meaning alone |\n|---|---:|---:|---:|")
    for key, (rx, hy, me, n) in sorted(per.items()):
        print(f"| {key} | {rx}/{n} | {hy}/{n} | {me}/{n} |")
    _print_flag_rules(flag_rows)
    return 0


def _flag_rows(bank, rubric, item, text, norm, spans, cs, met, fit, heads):
    """One row per applicable flag of one answer, gated as the engine gates (``met``: the criteria
    hybrid met)."""
    metrics = len(find_metrics(text, norm))
    concrete = len(met) >= 2 or metrics > 0
    flags = _applicable_flags(rubric, bank)
    by_cues = {h.id for h in _flags(flags, text, norm, spans, met, metrics)}
    labelled = set(item.get("red_flags") or [])
    out = []
    for flag in flags:
        if flag.only_if_vague and concrete:
            continue
        if any(x in met for x in flag.unless_met):
            meaning = -math.inf
        else:
            sc = semantic.clause_scores(cs, flag, key=f"flag.{flag.id}", fit=fit, heads=heads)
            meaning = float(sc.max() - fitted.threshold(f"flag.{flag.id}", fit)) if len(sc) else -math.inf
            if len(sc) and cs.own_negation[int(np.argmax(sc))]:
                meaning = min(meaning, -1e-6) if "--flag-negation" in sys.argv else meaning
        out.append((flag.id in labelled, flag.id in by_cues, meaning))
    return out


def _print_flag_rules(rows: list[tuple[bool, bool, float]]) -> None:
    def pr(raised):
        tp = sum(1 for (y, _c, _m), r in zip(rows, raised) if y and r)
        fp = sum(1 for (y, _c, _m), r in zip(rows, raised) if not y and r)
        fn = sum(1 for (y, _c, _m), r in zip(rows, raised) if y and not r)
        return tp / max(1, tp + fp), tp / max(1, tp + fn), tp, fp, fn
    rules = {"cue patterns alone": [c for _y, c, _m in rows], "meaning alone": [m >= 0 for _y, _c, m in rows]}
    for m in (0.05, 0.1, 0.15, 0.2, 0.3):
        rules[f"meaning by {m:g}, or cues within {m:g}"] = [mm >= m or (c and mm >= -m) for _y, c, mm in rows]
    for m in (0.0, 0.05, 0.1, 0.2):
        rules[f"cues, or meaning by {m:g}"] = [c or mm >= m for _y, c, mm in rows]
    print(f"\n{sum(y for y, _c, _m in rows)} flags labelled in {len(rows)} flag judgements\n")
    print("| flag rule | precision | recall | tp | fp | fn |\n|---|---:|---:|---:|---:|---:|")
    for name, raised in rules.items():
        p, r, tp, fp, fn = pr(raised)
        print(f"| {name} | {p:.2f} | {r:.2f} | {tp} | {fp} | {fn} |")


if __name__ == "__main__":
    raise SystemExit(main())
