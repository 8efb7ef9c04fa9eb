#!/usr/bin/env python3
"""How live phrases are decoded: word error rate, hesitations and time per phrase, by decoding mode.

The voice loop transcribes an answer phrase by phrase, as the endpointer closes them (typically
2-8 s each), with the question as the prompt and the filler-recovery second look beside it. This
bench cuts spoken answers into phrases exactly as the app does (the app's own endpointer, end of
answer disabled) and decodes every phrase in each mode:

- ``transcribe``: faster-whisper's ``transcribe`` (30 s encoder window, a new window at the last
  word's end), how phrases were decoded before ``simulator.speech.phrase_decoder``;
- ``one window, 30 s``: one pass, the encoder still given a full 30 s window;
- ``one window, +N s``: one pass, the encoder given the phrase plus N s of padding.

Answers: the spoken fixtures in ``audio_fixtures/`` plus ``--devset N`` answers of the labelled
development set (tests/data/devset, written as spoken transcripts with their "um"s and "uh"s),
rendered with espeak-ng in turn with the voices en-us and en-gb at 140-190 words a minute.
WER is pooled over all answers (edits / reference words); hesitations: "um"/"uh"/"er"/"erm"/"hmm"
found (by Whisper or recovered) against spoken, capped per answer. Time: one phrase's main and
prompted decodes running side by side, as in the app (median and 90th percentile).

    .venv/bin/python bench/phrase_decoding.py [--devset 30] [--modes transcribe,30,1,2,3,5]
        [--max-phrase 5] [--no-prompt]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.analysis.fillers import HESITATIONS, is_hesitation  # noqa: E402
from tests.wer import normalise_words, word_edits  # noqa: E402
from simulator.audio.endpoint import EndpointConfig, Endpointer  # noqa: E402
from simulator.audio.files import read_audio  # noqa: E402
from simulator.speech.filler_recovery import transcribe_and_recover  # noqa: E402

VOICES = [("en-us", 160), ("en-gb", 150), ("en-us", 185), ("en-gb", 140), ("en-us", 170), ("en-gb", 190)]


def answers(devset: int) -> list[tuple[str, str, np.ndarray, str]]:
    """(id, reference text, 16 kHz samples, question) for the fixtures and ``devset`` rendered answers."""
    import json  # noqa: PLC0415

    import yaml  # noqa: PLC0415

    from simulator.rubric import load_bank  # noqa: PLC0415

    bank = load_bank()
    out = []
    for fx in json.loads((ROOT / "audio_fixtures" / "fixtures.json").read_text())["fixtures"]:
        if "parts" in fx:
            clip = read_audio(ROOT / "audio_fixtures" / f"{fx['id']}.flac")
            out.append((fx["id"], " ".join(fx["parts"]), clip.samples, question_text(bank, fx["question"])))
    items = []
    for path in sorted((ROOT / "tests" / "data" / "devset").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text()).get("answers", []):
            items.append((path.stem, item))
    step = max(1, len(items) // max(1, devset))
    with tempfile.TemporaryDirectory() as tmp:
        for n, (stem, item) in enumerate(items[::step][:devset]):
            voice, rate = VOICES[n % len(VOICES)]
            wav = Path(tmp) / f"{n}.wav"
            subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(wav), item["text"]], check=True)
            question = question_text(bank, item.get("question", ""))
            out.append((f"{stem}/{item.get('id', n)}", item["text"], read_audio(wav).samples, question))
    return out


def question_text(bank, question_id: str) -> str:
    """The question asked (the main decode's prompt), or "" for an id the bank does not have."""
    try:
        return bank.get_question(question_id).text
    except KeyError:
        return ""


def phrases(samples: np.ndarray, max_phrase_s: float) -> list[tuple[int, int]]:
    ep = Endpointer(EndpointConfig(end_silence_s=1e9, max_phrase_s=max_phrase_s))
    found = []
    for i in range(0, len(samples), 1600):
        found += ep.feed(samples[i:i + 1600]).closed
    tail = ep.finish()
    found += [tail] if tail else []
    return [(s.start, s.end) for s in found]


def spoken_hesitations(text: str) -> int:
    return sum(w.strip(",.!?").lower() in HESITATIONS for w in text.split())


def run_mode(mode: str, corpus, *, max_phrase_s: float, prompt: bool) -> dict:
    from simulator.speech.bundle import resolve_ct2_model  # noqa: PLC0415
    from simulator.speech.faster_engine import FasterWhisperTranscriber  # noqa: PLC0415

    path, label = resolve_ct2_model(None)
    kwargs = {"one_window": False} if mode == "transcribe" else {
        "context_pad_s": None if mode == "30" else float(mode)}
    transcriber = FasterWhisperTranscriber(path, model_name=label, **kwargs)
    transcriber.transcribe(corpus[0][2][:16000], prompt=None)  # warm up
    edits = ref_words = found = spoken = 0
    times = []
    for _id, ref, samples, question in corpus:
        texts, heard = [], 0
        for start, end in phrases(samples, max_phrase_s):
            t0 = time.perf_counter()
            part, recovered = transcribe_and_recover(transcriber, samples[start:end],
                                                     (question or None) if prompt else None)
            times.append(time.perf_counter() - t0)
            texts.append(part.text)
            heard += len(recovered) + sum(is_hesitation(w.text) for w in part.words)
        e, n = word_edits(ref, " ".join(texts))
        edits, ref_words = edits + e, ref_words + n
        said = spoken_hesitations(ref)
        found, spoken = found + min(heard, said), spoken + said
    return {"wer": edits / max(1, ref_words), "found": found, "spoken": spoken, "phrases": len(times),
            "median": float(np.median(times)), "p90": float(np.percentile(times, 90))}


def label(mode: str) -> str:
    return {"transcribe": "faster-whisper transcribe (before)", "30": "one window, 30 s"}.get(
        mode, f"one window, phrase + {mode} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devset", type=int, default=30, help="devset answers to render and add (default 30)")
    ap.add_argument("--modes", default="transcribe,30,1,2,3,5")
    ap.add_argument("--max-phrase", type=float, default=EndpointConfig().max_phrase_s,
                    help="the endpointer's max_phrase_s (default: the app's)")
    ap.add_argument("--no-prompt", action="store_true", help="main decode without the question as prompt")
    args = ap.parse_args()
    corpus = answers(args.devset)
    seconds = sum(len(c[2]) for c in corpus) / 16000
    words = sum(len(normalise_words(c[1])) for c in corpus)
    print(f"{len(corpus)} answers, {seconds / 60:.1f} min of speech, {words} reference words; 2 decodes at once, "
          f"1 thread each; phrases close at a 0.2 s gap after {args.max_phrase:g} s; main decode prompted with "
          f"{'nothing' if args.no_prompt else 'the question'}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} before\n")
    print("| decoding | WER | hesitations found / spoken | phrases | s per phrase, median | 90th pct |")
    print("|---|---:|---:|---:|---:|---:|")
    for mode in args.modes.split(","):
        r = run_mode(mode, corpus, max_phrase_s=args.max_phrase, prompt=not args.no_prompt)
        print(f"| {label(mode)} | {r['wer']:.3f} | {r['found']} / {r['spoken']} | {r['phrases']} "
              f"| {r['median']:.2f} | {r['p90']:.2f} |", flush=True)
    print(f"\nload average {os.getloadavg()[0]:.2f} after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
