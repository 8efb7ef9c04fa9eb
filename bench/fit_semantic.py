"""Fit the semantic detector's per-criterion and per-flag thresholds on the DEVELOPMENT set only.

For each rubric criterion (and each red flag), every devset answer gets one number: its best
clause score (:func:`simulator.rubric.semantic.clause_scores`). The threshold is the cut that judges
the most answers right; among equally good cuts, the one nearest the pooled default (one threshold
fitted over all criteria) wins, so a criterion with few answers stays close to the common value.
Writes ``simulator/rubric/data/semantic_fit.json``. Run: ``python bench/fit_semantic.py``.
Never run on tests/data/heldout: those sets measure, they do not fit.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.rubric import load_bank  # noqa: E402
from simulator.rubric import semantic  # noqa: E402
from simulator.rubric.encoder import MODEL_SHA256  # noqa: E402
from simulator.rubric.engine import _applicable_flags  # noqa: E402
from simulator.rubric.metrics import find_metrics  # noqa: E402
from simulator.rubric.text import assess, clauses, normalise  # noqa: E402

DEVSET = ROOT / "tests" / "data" / "devset"


def _expected(item: dict) -> tuple[set[str], set[str]]:
    if "expect" in item:
        return set(item["expect"]["met"]), set(item["expect"]["red_flags"])
    return {c for c, ok in item["criteria"].items() if ok}, set(item.get("red_flags") or [])


def best_cut(values: list[float], labels: list[bool], prior: float) -> tuple[float, int]:
    """(threshold, errors): value >= threshold means positive."""
    pts = sorted(set(values))
    cands = [pts[0] - 0.01] + [(a + b) / 2 for a, b in zip(pts, pts[1:])] + [pts[-1] + 0.01]
    best: tuple[int, float, float] | None = None
    for t in cands:
        err = sum((v >= t) != y for v, y in zip(values, labels))
        key = (err, abs(t - prior), t)
        if best is None or key < best:
            best = key
    return best[2], best[0]


def collect(bank):
    rows = []  # (rubric, answer, cs, metrics, expected_met, expected_flags)
    for path in sorted(DEVSET.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rubric = bank.get_rubric(data["rubric"])
        for item in data["answers"]:
            text = item["text"]
            norm = normalise(text)
            if not assess(norm).ok:
                continue
            spans = clauses(text, norm)
            cs = semantic.embed_clauses(norm, spans)
            met, flags = _expected(item)
            rows.append((rubric, item["id"], cs, len(find_metrics(text, norm)), met, flags))
    return rows


def main() -> int:
    bank = load_bank()
    rows = collect(bank)
    crit_vals: dict[str, tuple[list[float], list[bool]]] = {}
    per_answer_scores = []
    for rubric, aid, cs, nmet, met, _ in rows:
        sc = {c.id: semantic.clause_scores(cs, c) for c in rubric.criteria}
        per_answer_scores.append(sc)
        for c in rubric.criteria:
            v = sc[c.id]
            k = max(1, math.ceil(c.needs * 0.5))
            val = float(np.sort(v)[::-1][k - 1]) if len(v) >= k else -1.0
            vs, ls = crit_vals.setdefault(f"{rubric.id}.{c.id}", ([], []))
            vs.append(val)
            ls.append(c.id in met)
    pooled_v = [v for vs, _ in crit_vals.values() for v in vs]
    pooled_l = [y for _, ls in crit_vals.values() for y in ls]
    default, _ = best_cut(pooled_v, pooled_l, semantic.DEFAULT_THRESHOLD)
    thresholds = {}
    for key, (vs, ls) in sorted(crit_vals.items()):
        thresholds[key], err = best_cut(vs, ls, default)
        print(f"{key:40s} thr {thresholds[key]:.3f} errors {err}/{len(vs)}")
    fit = {"model_sha256": MODEL_SHA256, "default_threshold": round(default, 4),
           "thresholds": {k: round(v, 4) for k, v in thresholds.items()}}
    # Flags, judged after the criteria (only_if_vague depends on what was met).
    flag_vals: dict[str, tuple[list[float], list[bool]]] = {}
    for (rubric, aid, cs, nmet, met, want), sc in zip(rows, per_answer_scores):
        got_met = {c.id for c in rubric.criteria
                   if semantic.judge_criterion(rubric, c, cs, sc[c.id], fit).met}
        concrete = len(got_met) >= 2 or nmet > 0
        for flag in _applicable_flags(rubric, bank):
            if (flag.only_if_vague and concrete) or any(m in got_met for m in flag.unless_met):
                continue
            v = semantic.clause_scores(cs, flag)
            vs, ls = flag_vals.setdefault(f"flag.{flag.id}", ([], []))
            vs.append(float(v.max()) if len(v) else -1.0)
            ls.append(flag.id in want)
    for key, (vs, ls) in sorted(flag_vals.items()):
        fit["thresholds"][key], err = best_cut(vs, ls, default)
        fit["thresholds"][key] = round(fit["thresholds"][key], 4)
        print(f"{key:40s} thr {fit['thresholds'][key]:.3f} errors {err}/{len(vs)} (positives {sum(ls)})")
    out = ROOT / "simulator" / "rubric" / "data" / "semantic_fit.json"
    out.write_text(json.dumps(fit, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"default {default:.3f}; wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
