"""How answers to one kind of question score when judged as answers to another.

Takes the labelled strong answers of each rubric outside the blind set (the first ``--per``, default
12) and scores each under every rubric with the default (hybrid) engine. The diagonal is an answer
judged against its own question; off it, an answer to a different question. A high score off the
diagonal is feedback that does not notice the question was not answered (a customer story given to
"why customer service?"). Some overlap is fair: about-yourself, why-hire-you and motivation answers
share their material.

    python bench/cross_rubric.py [--per=12] [--write]   (writes bench/results/cross_rubric.md)
"""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.rubric_sets import _expected  # noqa: E402

DATA = ROOT / "tests" / "data"


def strong_answers() -> dict[str, list[str]]:
    by_rubric: dict[str, list[str]] = defaultdict(list)
    for path in sorted(DATA.rglob("*.yaml")):
        if "heldout" in path.relative_to(DATA).parts:
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not (isinstance(doc, dict) and "rubric" in doc and isinstance(doc.get("answers"), list)):
            continue
        for item in doc["answers"]:
            if isinstance(item, dict) and "text" in item and _expected(item)[2] == "strong":
                by_rubric[doc["rubric"]].append(item["text"])
    return by_rubric


def main(argv: list[str]) -> int:
    from simulator.rubric import load_bank, score_content  # noqa: PLC0415

    per = int(next((a.split("=", 1)[1] for a in argv if a.startswith("--per=")), 12))
    bank = load_bank()
    answers = strong_answers()
    names = sorted(bank.rubrics)
    lines = ["Mean content score (hybrid) of strong answers to the row's questions, judged as answers to the "
             f"column's (first {per} per rubric, outside the blind set).", "",
             "| answers to \\ judged as | " + " | ".join(names) + " |",
             "|---|" + "---:|" * len(names)]
    off = []
    for a in names:
        row = []
        for b in names:
            scores = [score_content(t, rubric=b, bank=bank).score for t in answers[a][:per]]
            mean = statistics.mean(scores) if scores else float("nan")
            row.append(f"**{mean:.0f}**" if a == b else f"{mean:.0f}")
            if a != b and scores:
                off.append(mean)
        lines.append(f"| {a} | " + " | ".join(row) + " |")
    lines += ["", f"Off the diagonal: median {statistics.median(off):.0f}, "
              f"{sum(m >= 60 for m in off)} of {len(off)} pairs at 60 or more."]
    text = "\n".join(lines) + "\n"
    print(text)
    if "--write" in argv:
        (ROOT / "bench" / "results" / "cross_rubric.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
