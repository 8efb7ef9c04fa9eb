"""ONE measurement of both content engines on a frozen blind set (default tests/data/heldout/h9/).

Run once, after the detector is committed, and report whatever it says; nothing is tuned on it.
Prints, per engine (regex, hybrid, semantic): criterion accuracy, red-flag precision/recall and mean score by level, per
rubric; then the minimal pairs in the set's pairs.yaml (both texts of each pair scored by each
engine, with the pair's own expectation fields printed beside them).
Run: ``python bench/heldout.py [--set=DIR] [--write]`` (writes bench/results/heldout_<set>.md).
The retired sets stay measurable: ``--set=tests/data/retired/h4`` (now fitting data, so memory).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import devset_accuracy as bench  # noqa: E402 - beside this script, which Python puts on sys.path

from simulator.rubric import load_bank, score_content  # noqa: E402

SET = ROOT / "tests" / "data" / "heldout" / "h9"
ENGINES = ("regex", "hybrid", "semantic")


def _texts(node) -> list[tuple[str, str]]:
    """(key, text) for the answer texts inside one pair entry, whatever the key names are."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, str) and len(v.split()) >= 8:
                out.append((str(k), v))
            elif isinstance(v, dict) and isinstance(v.get("text"), str):
                out.append((str(k), v["text"]))
    return out


def pairs_report(bank, folder: Path) -> list[str]:
    path = folder / "pairs.yaml"
    if not path.exists():
        return ["(no pairs.yaml)"]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = data.get("pairs", data) if isinstance(data, dict) else data
    if isinstance(entries, dict):
        entries = [dict(v, id=k) if isinstance(v, dict) else {"id": k, "value": v} for k, v in entries.items()]
    rows = ["| pair | rubric | expectation | " + " | ".join(ENGINES) + " |", "|---|---|---|" + "---|" * len(ENGINES)]
    for e in entries or []:
        if not isinstance(e, dict):
            continue
        rubric = e.get("rubric")
        texts = _texts(e)
        meta = {k: v for k, v in e.items() if not isinstance(v, (dict, list)) and k not in dict(texts) and k != "rubric"}
        cells = []
        for engine in ENGINES:
            scores = []
            for key, text in texts:
                s = score_content(text, rubric=rubric, bank=bank, engine=engine) if rubric else \
                    score_content(text, bank=bank, engine=engine)
                scores.append(f"{key} {s.score}")
            cells.append(", ".join(scores))
        rows.append(f"| {e.get('id', '?')} | {rubric} | {'; '.join(f'{k}={v}' for k, v in meta.items() if k != 'id')} | "
                    + " | ".join(cells) + " |")
    return rows


def main(argv: list[str]) -> int:
    folder = Path(next((a.split("=", 1)[1] for a in argv if a.startswith("--set=")), SET)).resolve()
    out = []
    for engine in ENGINES:
        stats = bench.evaluate(folder, engine)
        out += [f"### {engine} engine", "", bench.table(stats), "", bench.criterion_table(stats), ""]
    out += [f"### Minimal pairs ({folder.name}/pairs.yaml)", ""] + pairs_report(load_bank(), folder)
    text = "\n".join(out)
    print(text)
    if "--write" in argv:
        (ROOT / "bench" / "results" / f"heldout_{folder.name}.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
