"""Regex engine vs semantic engine on the DEVELOPMENT set, side by side.

Both engines were grown against this set (cue lists by hand, the semantic thresholds and heads by
``bench/fit_semantic.py``), so both columns are in-sample; the semantic engine's 5-fold
cross-validated error counts (from the fit) are printed below as the honest estimate.
Run: ``python bench/semantic_vs_regex.py [--write]`` (writes bench/results/semantic_vs_regex.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import devset_accuracy as bench  # noqa: E402 - beside this script, which Python puts on sys.path


def summary(stats) -> dict:
    right = sum(s.criteria_right for s in stats.values())
    total = sum(s.criteria_total for s in stats.values())
    tp, fp, fn = (sum(getattr(s, k) for s in stats.values()) for k in ("tp", "fp", "fn"))
    means = {}
    for level in ("strong", "adequate", "weak"):
        xs = [x for s in stats.values() for x in s.scores.get(level, [])]
        means[level] = sum(xs) / len(xs) if xs else float("nan")
    return {"acc": right / total, "right": right, "total": total, "p": tp / (tp + fp) if tp + fp else 1.0,
            "r": tp / (tp + fn) if tp + fn else 1.0, "tp": tp, "fp": fp, "fn": fn, **means}


def main(argv: list[str]) -> int:
    rows = ["| engine | criterion accuracy | flag precision | flag recall | strong | adequate | weak |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    per = {}
    for engine in ("regex", "semantic"):
        stats = bench.evaluate(bench.DEVSET, engine)
        per[engine] = stats
        s = summary(stats)
        rows.append(f"| {engine} | {s['acc']:.1%} ({s['right']}/{s['total']}) | {s['p']:.2f} ({s['fp']} false) | "
                    f"{s['r']:.2f} ({s['fn']} missed) | {s['strong']:.0f} | {s['adequate']:.0f} | {s['weak']:.0f} |")
    rows += ["", "Per rubric, criterion accuracy:", "", "| rubric | answers | regex | semantic |", "|---|---:|---:|---:|"]
    for name in sorted(per["regex"]):
        a, b = per["regex"][name], per["semantic"][name]
        n = sum(len(v) for v in a.scores.values())
        rows.append(f"| {name} | {n} | {a.criteria_right / a.criteria_total:.0%} | {b.criteria_right / b.criteria_total:.0%} |")
    fit = json.loads((ROOT / "simulator" / "rubric" / "data" / "semantic_fit.json").read_text())
    cv, ins = fit.get("cv_errors", {}), fit.get("in_sample_errors", {})
    total = summary(per["semantic"])["total"]
    rows += ["", f"Semantic engine, 5-fold cross-validated on the devset (heads and thresholds refitted per fold): "
             f"{cv.get('criteria')} criterion errors of {total} ({1 - cv.get('criteria', 0) / total:.1%} accuracy), "
             f"{cv.get('flags')} red-flag errors; in-sample at fit time: {ins.get('criteria')} and {ins.get('flags')}. "
             f"Head mix {fit.get('head_mix')}, default threshold {fit.get('default_threshold')}."]
    text = "\n".join(rows)
    print(text)
    if "--write" in argv:
        (ROOT / "bench" / "results" / "semantic_vs_regex.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
