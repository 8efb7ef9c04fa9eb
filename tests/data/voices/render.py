#!/usr/bin/env python3
"""Render a filler-word voice spec (dev.json / heldout.json) to 16 kHz mono audio with espeak-ng + sox.

    python tests/data/voices/render.py tests/data/voices/dev.json OUT_DIR [--format wav|flac] [--ids a,b]
    python tests/data/voices/render.py tests/data/voices/heldout.json --check     # labels and lint only

Deterministic: the same spec, espeak-ng and sox give the same samples (no dither, no noise, no
randomness). Nothing rendered is committed; render into a temporary folder.

Spelling policy (see README.md): a hesitation is written "um" or "uh" and nothing else; the renderer
speaks every such token a little drawn out, wrapped in <prosody rate="slow">, the same for every set.
Pauses are written inline as SSML, e.g. <break time="600ms"/>.

Standard library only; needs the espeak-ng and sox programs on PATH.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SAMPLE_RATE = 16000
LEAD_S, TAIL_S = 0.3, 0.5          # silence padded before and after the speech
HESITATION_RE = re.compile(r"\b(um|uh)\b", re.IGNORECASE)
TAG_RE = re.compile(r"<[^>]+>")
# Other words the app may treat as discourse markers. The texts avoid them entirely, so every filler
# the app reports is either one of the labelled um / uh / like / you know or an error.
BANNED = ["so", "well", "actually", "basically", "literally", "i mean", "kind of", "sort of",
          "right", "okay", "ok", "er", "erm", "hmm", "mm", "ah", "oh", "umm", "uhm", "uhh", "yeah"]
LABEL_KEYS = ["um", "uh", "like_filler", "you_know_filler", "like_content", "you_know_content"]


def spoken_words(text: str) -> str:
    """The text without SSML tags, lower case, punctuation turned into spaces."""
    plain = TAG_RE.sub(" ", text).lower().replace("’", "'")
    return " " + re.sub(r"[^a-z']+", " ", plain).strip() + " "


def count_phrase(words: str, phrase: str) -> int:
    return words.count(" " + phrase + " ")


def check_answer(a: dict) -> list[str]:
    """Problems with one answer's labels and text (empty when it is consistent)."""
    problems = []
    lab = a.get("labels", {})
    for k in LABEL_KEYS:
        if not isinstance(lab.get(k), int) or lab[k] < 0:
            problems.append(f"label {k} missing or not a count")
    if problems:
        return problems
    w = spoken_words(a["text"])
    checks = [("um", count_phrase(w, "um"), lab["um"]),
              ("uh", count_phrase(w, "uh"), lab["uh"]),
              ("like", count_phrase(w, "like"), lab["like_filler"] + lab["like_content"]),
              ("you know", count_phrase(w, "you know"), lab["you_know_filler"] + lab["you_know_content"])]
    for name, in_text, labelled in checks:
        if in_text != labelled:
            problems.append(f"'{name}' occurs {in_text}x in the text but the labels say {labelled}")
    for b in BANNED:
        if count_phrase(w, b):
            problems.append(f"banned word or marker '{b}' in the text")
    if "mb-" in a["voice"] or "mbrola" in a["voice"]:
        problems.append("mbrola voices are not allowed")
    total = true_fillers(a)
    if total > 8:
        problems.append(f"{total} fillers; the sets use 0-8 per answer")
    return problems


def true_fillers(a: dict) -> int:
    lab = a["labels"]
    return lab["um"] + lab["uh"] + lab["like_filler"] + lab["you_know_filler"]


def to_ssml(text: str) -> str:
    body = text.replace("&", " and ")
    body = HESITATION_RE.sub(lambda m: f'<prosody rate="slow">{m.group(1)}</prosody>', body)
    return f"<speak>{body}</speak>"


def voice_arg(a: dict) -> str:
    return a["voice"]


def render_answer(a: dict, out_dir: Path, fmt: str = "wav") -> Path:
    out = out_dir / f"{a['id']}.{fmt}"
    with tempfile.TemporaryDirectory() as tmp:
        ssml = Path(tmp) / "in.ssml"
        raw = Path(tmp) / "raw.wav"
        ssml.write_text(to_ssml(a["text"]), encoding="utf-8")
        subprocess.run(["espeak-ng", "-m", "-v", voice_arg(a), "-s", str(a["rate"]), "-p", str(a["pitch"]),
                        "-w", str(raw), "-f", str(ssml)], check=True, capture_output=True)
        # -D: no dither, so the output is bit-for-bit repeatable
        subprocess.run(["sox", "-D", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(out),
                        "pad", str(LEAD_S), str(TAIL_S)], check=True, capture_output=True)
    return out


def duration_s(path: Path) -> float:
    r = subprocess.run(["soxi", "-D", str(path)], check=True, capture_output=True, text=True)
    return float(r.stdout.strip())


def load_spec(path: str | Path) -> dict:
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    ids = [a["id"] for a in spec["answers"]]
    if len(ids) != len(set(ids)):
        raise SystemExit(f"{path}: duplicate ids")
    bad = {a["id"]: p for a in spec["answers"] if (p := check_answer(a))}
    if bad:
        for i, p in bad.items():
            print(f"{path}: {i}: " + "; ".join(p), file=sys.stderr)
        raise SystemExit(1)
    return spec


def render_spec(spec: dict, out_dir: Path, fmt: str = "wav", ids: set[str] | None = None) -> list[tuple[dict, Path, float]]:
    for tool in ("espeak-ng", "sox", "soxi"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    done = []
    for a in spec["answers"]:
        if ids and a["id"] not in ids:
            continue
        p = render_answer(a, out_dir, fmt)
        done.append((a, p, duration_s(p)))
    return done


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("spec")
    ap.add_argument("out_dir", nargs="?")
    ap.add_argument("--format", choices=["wav", "flac"], default="wav")
    ap.add_argument("--ids", help="comma-separated answer ids (default: all)")
    ap.add_argument("--check", action="store_true", help="only check the labels against the texts")
    args = ap.parse_args(argv)
    spec = load_spec(args.spec)
    if args.check or not args.out_dir:
        n = len(spec["answers"])
        print(f"{args.spec}: {n} answers, labels consistent with the texts")
        return 0
    ids = set(args.ids.split(",")) if args.ids else None
    for a, p, d in render_spec(spec, Path(args.out_dir), args.format, ids):
        flag = "" if 15.0 <= d <= 40.0 else "  <-- outside 15-40 s"
        print(f"{a['id']}\t{a['voice']}\t{a['rate']}\t{a['pitch']}\t{d:.1f} s\t{true_fillers(a)} fillers\t{p}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
