"""ONE measurement of both content engines on a frozen blind set (default tests/data/heldout/h17/).

Run once, after the detector is committed, and report whatever it says; nothing is tuned on it.
Prints, per engine (regex, hybrid, semantic): criterion accuracy, red-flag precision/recall and mean score by level, per
rubric; then the minimal pairs in the set's pairs.yaml (both texts of each pair scored by each
engine, with the pair's own expectation fields printed beside them).
Run: ``python bench/heldout.py --once [--set=DIR] [--write]`` (writes bench/results/heldout_<set>.md);
``--pairs`` prints the minimal pairs alone, for the default (hybrid) engine. A set under
tests/data/heldout/ is scored only with ``--once`` (bench/blind.py); ``--help`` scores nothing.
The retired sets stay measurable: ``--set=tests/data/retired/h4`` (now fitting data, so memory).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import devset_accuracy as bench  # noqa: E402 - beside this script, which Python puts on sys.path
from blind import refuse_unasked_blind_runs  # noqa: E402 - beside this script too

from simulator.rubric import load_bank, score_content  # noqa: E402

SET = ROOT / "tests" / "data" / "heldout" / "h17"
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


# What each kind of pair must show (the minimal-pair requirements), and the default limits.
GAP = {"tense": 10, "dialect": 15}
KEYWORDS_MAX = 25
PLAIN_MIN = 70


def _verdict(e: dict, scores: dict) -> bool | None:
    """Whether one engine's scores (text key -> ContentScore) hold the pair's expectation."""
    kind = e.get("kind")
    vals = [s.score for s in scores.values()]
    if kind in GAP and len(vals) == 2:
        return abs(vals[0] - vals[1]) <= int(e.get("max_score_gap", GAP[kind]))
    if kind == "keywords":
        return all(v <= int(e.get("max_score", KEYWORDS_MAX)) for v in vals)
    if kind == "plain_words":
        return all(v >= int(e.get("min_score", PLAIN_MIN)) for v in vals)
    if kind == "stance" and {"a", "b"} <= scores.keys():
        # "a" raises the flags it should; "b", on the same topic, raises none of them.
        want = set((e.get("expect_a") or {}).get("red_flags") or [])
        raised = {k: {h.id for h in s.red_flags} for k, s in scores.items()}
        return want <= raised["a"] and not (want & raised["b"])
    return None


def pairs_report(bank, folder: Path, engines=ENGINES) -> list[str]:
    """The pairs table (each engine's scores and whether the pair held), then held / pairs per kind."""
    path = folder / "pairs.yaml"
    if not path.exists():
        return ["(no pairs.yaml)"]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = data.get("pairs", data) if isinstance(data, dict) else data
    if isinstance(entries, dict):
        entries = [dict(v, id=k) if isinstance(v, dict) else {"id": k, "value": v} for k, v in entries.items()]
    rows = ["| pair | rubric | expectation | " + " | ".join(engines) + " |", "|---|---|---|" + "---|" * len(engines)]
    held: dict[tuple[str, str], list[bool]] = {}
    for e in entries or []:
        if not isinstance(e, dict):
            continue
        rubric = e.get("rubric")
        texts = _texts(e)
        meta = {k: v for k, v in e.items() if not isinstance(v, (dict, list)) and k not in dict(texts) and k != "rubric"}
        cells = []
        for engine in engines:
            scores = {key: score_content(text, rubric=rubric, bank=bank, engine=engine) if rubric else
                      score_content(text, bank=bank, engine=engine) for key, text in texts}
            ok = _verdict(e, scores)
            if ok is not None:
                held.setdefault((str(e.get("kind")), engine), []).append(ok)
            mark = "" if ok is None else (" (held)" if ok else " (**not held**)")
            cells.append(", ".join(f"{k} {s.score}" for k, s in scores.items()) + mark)
        rows.append(f"| {e.get('id', '?')} | {rubric} | {'; '.join(f'{k}={v}' for k, v in meta.items() if k != 'id')} | "
                    + " | ".join(cells) + " |")
    kinds = sorted({k for k, _ in held})
    rows += ["", "| kind | " + " | ".join(f"{e} held" for e in engines) + " |", "|---|" + "---:|" * len(engines)]
    for kind in kinds:
        rows.append(f"| {kind} | " + " | ".join(f"{sum(held.get((kind, e), []))}/{len(held.get((kind, e), []))}"
                                                for e in engines) + " |")
    return rows


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default=str(SET), metavar="DIR", help="the set's folder (default: h17)")
    ap.add_argument("--write", action="store_true", help="also write bench/results/heldout_<set>.md")
    ap.add_argument("--pairs", action="store_true", help="the minimal pairs alone, hybrid engine only")
    ap.add_argument("--once", action="store_true",
                    help="this is the blind set's one measurement (needed for a set under tests/data/heldout/)")
    args = ap.parse_args(argv)
    folder = Path(args.set).resolve()
    refused = refuse_unasked_blind_runs([folder], args.once)
    if refused:
        print(refused, file=sys.stderr)
        return 2
    if args.pairs:  # the minimal pairs alone, hybrid (the default engine) only
        print("\n".join(pairs_report(load_bank(), folder, ("hybrid",))))
        return 0
    out = []
    for engine in ENGINES:
        stats = bench.evaluate(folder, engine)
        out += [f"### {engine} engine", "", bench.table(stats), "", bench.criterion_table(stats), ""]
    out += [f"### Minimal pairs ({folder.name}/pairs.yaml)", ""] + pairs_report(load_bank(), folder)
    text = "\n".join(out)
    print(text)
    if args.write:
        (ROOT / "bench" / "results" / f"heldout_{folder.name}.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
