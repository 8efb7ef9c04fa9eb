#!/usr/bin/env python3
"""Filler-word counts on synthetic voices: tests/data/voices/{dev,heldout,heldout2,...,heldout9}.json through `score --json`.

    PYTHONPATH=. .venv/bin/python bench/fillers_voices.py --set dev [--write PATH] [--jobs N] [--keep DIR]

Renders the set with tests/data/voices/render.py into a temporary folder, runs the CLI
(`python -m simulator score FILE --json`, one process per file, as a user would) and compares the
report's `delivery.fillers.counts` with the labels.

THE RULE: a blind set (none now: the next one is written before the change it judges) is never used to choose the engine's words, thresholds or
features. It is run once, at the end, and its figure is reported whatever it is. `--set heldout`
to `--set heldout9` were that set until their one measurements (stop 19, 25.7%; stop 20, 37.2%;
stop 24, 22.7% and 43.3%; stop 26, 38.3% and 41.8%; stop 27, 39.8%; stop 28, 52.7% and 45.7%; bench/results/fillers_voices_heldout*.md): they are spent, and tuning
data since, beside `--set dev`.

Metric (fixed before anything was measured; see tests/data/voices/README.md):

  true(a)  = um + uh + like_filler + you_know_filler           (labels of answer a)
  found(a) = sum of the report's delivery.fillers.counts       (every filler the app reports;
                                                                the texts contain no other discourse
                                                                marker, so any other kind is an error)
  per-answer filler count error = mean over answers with true(a) >= 1 of |found(a) - true(a)| / true(a)
  target: < 0.15

  invented hesitations = sum over answers with um + uh == 0 of the hesitations found there (target: 0);
  the per-answer "invented" column is max(0, hesitations found - hesitations true).

  Hesitation keys: um-class = um umm uhm erm hmm hm mm mmm mhm; uh-class = uh uhh er ah ahh eh.
  Everything else the report counts is "other" (the labels' other = like_filler + you_know_filler).
  Recall / precision are matched by count within an answer (no timestamps in the labels):
  matched = min(found, true) per answer and class; recall = sum matched / sum true,
  precision = sum matched / sum found. "hesitations" pools um and uh (an um heard as uh still matches).
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOICES = ROOT / "tests" / "data" / "voices"
sys.path.insert(0, str(VOICES))
import render  # noqa: E402  (tests/data/voices/render.py)

sys.path.insert(0, str(ROOT))
from tests.wer import word_edits  # noqa: E402  (the tests' word error rate: same normalisation)

UM_KEYS = {"um", "umm", "uhm", "erm", "hmm", "hm", "mm", "mmm", "mhm"}
UH_KEYS = {"uh", "uhh", "er", "ah", "ahh", "eh"}
TARGET_ERROR = 0.15


def score_file(path: Path, python: str, timeout: float) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    r = subprocess.run([python, "-m", "simulator", "score", str(path), "--json"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"score {path.name} exited {r.returncode}: {r.stderr.strip()[-500:]}")
    return json.loads(r.stdout)


def found_counts(report: dict) -> dict:
    """{'um': n, 'uh': n, 'other': n, 'other_keys': {...}, 'total': n} from one answer report."""
    fillers = (report.get("delivery") or {}).get("fillers") or {}
    counts = fillers.get("counts")
    if counts is None:  # fall back on the items
        counts = {}
        for it in fillers.get("items", []):
            k = str(it.get("text", "")).lower().strip(" ,.!?")
            counts[k] = counts.get(k, 0) + 1
    out = {"um": 0, "uh": 0, "other": 0, "other_keys": {}}
    for k, n in counts.items():
        key = str(k).lower().strip(" ,.!?")
        if key in UM_KEYS:
            out["um"] += n
        elif key in UH_KEYS:
            out["uh"] += n
        else:
            out["other"] += n
            out["other_keys"][key] = out["other_keys"].get(key, 0) + n
    out["total"] = out["um"] + out["uh"] + out["other"]
    return out


def true_counts(a: dict) -> dict:
    lab = a["labels"]
    t = {"um": lab["um"], "uh": lab["uh"], "other": lab["like_filler"] + lab["you_know_filler"]}
    t["total"] = t["um"] + t["uh"] + t["other"]
    return t


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def pooled_wer(rows: list[dict]) -> float:
    """Word edits over reference words, summed over the answers."""
    edits = [word_edits(re.sub(r"<[^>]*>", " ", r["text"]), r["transcript"]) for r in rows]
    return sum(e for e, _ in edits) / max(1, sum(n for _, n in edits))


def build_report(set_name: str, rows: list[dict], meta: dict) -> str:
    lines = [f"# Filler counts on synthetic voices: `{set_name}` set", "",
             f"- measured {meta['when']} on commit `{meta['commit']}`; {meta['espeak']}; engine {meta['engine']}",
             f"- command: `{meta['command']}`",
             "- metric (defined before measuring): per-answer filler count error = mean over answers with >= 1 "
             "true filler of |found - true| / true, where found is every filler the report counts; "
             f"target < {TARGET_ERROR:.0%}. Invented hesitations: um/uh found on answers with no true um/uh (target 0).",
             "",
             "| id | voice | rate | pitch | dur s | true um | true uh | true other | found um | found uh | found other "
             "| other kinds found | content like / you know | abs err / true | invented hes |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        t, f = r["true"], r["found"]
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(f["other_keys"].items())) or "-"
        err = f"{abs(f['total'] - t['total']) / t['total']:.2f}" if t["total"] else "-"
        inv = max(0, f["um"] + f["uh"] - t["um"] - t["uh"])
        lines.append(f"| {r['id']} | {r['voice']} | {r['rate']} | {r['pitch']} | {r['dur']:.1f} | {t['um']} | {t['uh']} "
                     f"| {t['other']} | {f['um']} | {f['uh']} | {f['other']} | {kinds} | {r['content']} | {err} | {inv} |")
    scored = [r for r in rows if r["true"]["total"] >= 1]
    err = sum(abs(r["found"]["total"] - r["true"]["total"]) / r["true"]["total"] for r in scored) / len(scored) if scored else float("nan")
    zero_hes = [r for r in rows if r["true"]["um"] + r["true"]["uh"] == 0]
    invented = sum(r["found"]["um"] + r["found"]["uh"] for r in zero_hes)
    zero_all = [r for r in rows if r["true"]["total"] == 0]
    invented_any = sum(r["found"]["total"] for r in zero_all)
    content_rows = [r for r in rows if r["content_n"] > 0 and r["true"]["other"] == 0]
    content_fp = sum(r["found"]["other"] for r in content_rows)

    def pr(cls: str) -> tuple[str, str, int, int, int]:
        if cls == "hes":
            tv = [r["true"]["um"] + r["true"]["uh"] for r in rows]
            fv = [r["found"]["um"] + r["found"]["uh"] for r in rows]
        else:
            tv = [r["true"][cls] for r in rows]
            fv = [r["found"][cls] for r in rows]
        m = sum(min(a, b) for a, b in zip(tv, fv))
        return ratio(m, sum(tv)), ratio(m, sum(fv)), m, sum(tv), sum(fv)

    lines += ["", "## Totals", "",
              f"- **per-answer filler count error: {err:.1%}** over {len(scored)} answers with >= 1 true filler "
              f"(target < {TARGET_ERROR:.0%}: {'met' if err < TARGET_ERROR else 'NOT met'})",
              f"- **invented hesitations on the {len(zero_hes)} answers with no true um/uh: {invented}** (target 0)",
              f"- fillers of any kind found on the {len(zero_all)} answers with no filler at all: {invented_any}",
              f"- like / you know counted on the {len(content_rows)} answers whose only like / you know are content: {content_fp}",
              f"- all fillers: true {sum(r['true']['total'] for r in rows)}, found {sum(r['found']['total'] for r in rows)}",
              f"- word error rate, pooled over the answers (tests/wer.py: hesitations, case and punctuation "
              f"ignored; SSML breaks left out of the text): {pooled_wer(rows):.1%}",
              "", "| class | recall | precision | matched | true | found |", "|---|---|---|---|---|---|"]
    for cls, name in (("um", "um"), ("uh", "uh"), ("hes", "hesitations (um + uh pooled)"),
                      ("other", "like / you know (filler use)")):
        rc, pc, m, tt, ff = pr(cls)
        lines.append(f"| {name} | {rc} | {pc} | {m} | {tt} | {ff} |")
    lines += ["", "Recall and precision are matched by count within each answer (min(found, true)); the labels carry "
              "no timestamps. Found 'other' counts every non-hesitation filler the report lists.", ""]
    return "\n".join(lines)


BLIND: str | None = "heldout22"
"""The blind set: ``heldout22`` (written at stop 45 by a fresh-context helper, frozen unread; measured
once, with ``--once``, after the next filler change). ``heldout21`` (stop 45, 11.1%, after the prompt-echo
guard), ``heldout20`` (stop 45, 9.4%, one hesitation made up: stop 44's engine with this stop's like /
you know rules), ``heldout19`` (stop 44, 10.7%: stop 38's listener
with stop 44's double-count guard), ``heldout18`` (stop 41, 23.6%: stop 38's listener
unchanged, this stop's transcript guards on), ``heldout17`` (stop 40, 15.7%, stop 38's listener
unchanged), ``heldout15`` and ``heldout16`` (stop 38, 13.9% and
18.5%, both on the listener refit with heldout14 and a lower candidate level), ``heldout14`` (stop 37, 18.3%, the listener refit
with its noise gate), ``heldout13`` (stop 36, 16.9%, the hesitation
listener), ``heldout12`` (stop 32,
34.6%), ``heldout11`` (stop 31,
36.9%), ``heldout10`` (stop 30,
45.8%), ``heldout`` (stop 19, 25.7%), ``heldout2`` (stop 20, 37.2%), ``heldout3``
and ``heldout4`` (stop 24, 22.7% and 43.3%), ``heldout5`` and ``heldout6`` (stop 26, 38.3% and 41.8%
with Whisper base), ``heldout7`` (stop 27, 39.8%), ``heldout8`` and ``heldout9`` (stop 28, 52.7% and
45.7%) were each measured once and are spent: tuning data since."""


WAITING: tuple[str, ...] = ()
"""Blind sets written ahead, frozen until the current blind set is spent: not even rendered before."""

SPENT: tuple[str, ...] = ("dev", "heldout") + tuple(f"heldout{i}" for i in range(2, 22))
"""The voice sets already measured: the only ones anything may be fitted or tuned on (the hesitation
listener's scripts in ``bench/hesitation_probe/`` and ``bench/fit_hesitation_probe.py`` read this)."""
assert BLIND not in SPENT and not set(WAITING) & set(SPENT)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Filler counts on the synthetic voice sets (dev and the spent heldout sets, all tuning data now).")
    ap.add_argument("--set", choices=sorted((p.stem for p in VOICES.glob("*.json")),
                                                key=lambda name: (len(name), name)), required=True)
    ap.add_argument("--write", metavar="PATH", help="also write the Markdown report to PATH")
    ap.add_argument("--jobs", type=int, default=1, help="score this many files at once (default 1)")
    ap.add_argument("--keep", metavar="DIR", help="render into DIR and keep the audio (default: a temporary folder)")
    ap.add_argument("--python", default=sys.executable, help="interpreter that runs `-m simulator` (default: this one)")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per file")
    ap.add_argument("--once", action="store_true", help="the blind set's one measurement (refused without it)")
    args = ap.parse_args(argv)

    if args.set in WAITING:
        print(f"{args.set} is frozen for the measurement after {BLIND}'s: not run now", file=sys.stderr)
        return 2
    spec = render.load_spec(VOICES / f"{args.set}.json")
    if args.set == BLIND:
        if not args.once:
            print(f"{BLIND} is the blind set: it is measured once, at the end, with --once", file=sys.stderr)
            return 2
        print(f"{BLIND}: measured once, reported whatever it is; never tune on it.", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix=f"fillers-{args.set}-") as tmp:
        out_dir = Path(args.keep) if args.keep else Path(tmp)
        rendered = render.render_spec(spec, out_dir, "wav")
        reports = {}
        with cf.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
            futs = {ex.submit(score_file, p, args.python, args.timeout): a["id"] for a, p, _ in rendered}
            for fu in cf.as_completed(futs):
                reports[futs[fu]] = fu.result()
                print(f"scored {futs[fu]}", file=sys.stderr)
    rows = []
    for a, p, d in rendered:
        lab = a["labels"]
        rep = reports[a["id"]]
        rows.append({"id": a["id"], "voice": a["voice"], "rate": a["rate"], "pitch": a["pitch"], "dur": d,
                     "true": true_counts(a), "found": found_counts(rep),
                     "content": f"{lab['like_content']} / {lab['you_know_content']}",
                     "content_n": lab["like_content"] + lab["you_know_content"],
                     "text": a["text"], "transcript": (rep.get("transcript") or {}).get("text", "")})
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    espeak = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True).stdout.split("Data at")[0].strip()
    eng = next(iter(reports.values())).get("engine", {}) if reports else {}
    meta = {"when": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "commit": commit or "?", "espeak": espeak,
            "engine": f"{eng.get('name', '?')} {eng.get('model', '?')} {eng.get('compute_type', '')}".strip(),
            "command": f"PYTHONPATH=. python bench/fillers_voices.py --set {args.set}" + (" --once" if args.once else "")}
    md = build_report(args.set, rows, meta)
    if args.set != BLIND:  # transcripts help tuning; they are left out of the blind set's report on purpose
        md += "\n## Transcripts (tuning sets only)\n\n" + "\n".join(f"- {r['id']}: {r['transcript']}" for r in rows) + "\n"
    print(md)
    if args.write:
        Path(args.write).parent.mkdir(parents=True, exist_ok=True)
        Path(args.write).write_text(md, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
