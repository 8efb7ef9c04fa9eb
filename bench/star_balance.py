"""How often the STAR balance note ("too much context") fires on labelled stories, by quality.

The note tells a candidate to cut their background; on a strong story it is wrong advice. Counts, on
every labelled STAR answer outside the blind set (tests/data/devset, retired, train), how many strong,
adequate and weak stories get it (and "action heavy", over 90% action and result), and the mean
action+result share of each level. Tuning data all: the rule in ``simulator/rubric/story.py`` was
chosen on these stories.

    python bench/star_balance.py
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.rubric import load_bank, score_content  # noqa: E402

DATA = ROOT / "tests" / "data"
FOLDERS = ("devset", "retired", "train", "train-unfitted")


def answers():  # noqa: ANN201 - (set, level, text)
    for folder in FOLDERS:
        for path in sorted((DATA / folder).rglob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if not (isinstance(data, dict) and data.get("rubric") == "star" and "answers" in data):
                continue
            for item in data["answers"]:
                level = item.get("level") or item.get("quality")
                if level:
                    yield str(path.relative_to(DATA).parent), level, item["text"]


def main() -> int:
    bank = load_bank()
    noted, heavy, total, shares = defaultdict(int), defaultdict(int), defaultdict(int), defaultdict(list)
    for _, level, text in answers():
        r = score_content(text, rubric="star", bank=bank)
        if r.balance is None:
            continue
        total[level] += 1
        shares[level].append(r.balance.action_result_share)
        noted[level] += r.balance.verdict == "too much context"
        heavy[level] += r.balance.verdict == "action heavy"
    print("| level | stories | 'too much context' | 'action heavy' | mean action+result share |")
    print("|---|---:|---:|---:|---:|")
    for level in ("strong", "adequate", "weak"):
        if total[level]:
            mean = sum(shares[level]) / total[level]
            print(f"| {level} | {total[level]} | {noted[level]} ({noted[level] / total[level]:.0%}) | {heavy[level]} | "
                  f"{mean:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
