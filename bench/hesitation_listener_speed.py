#!/usr/bin/env python3
"""What the hesitation listener adds to a decode: its own work on the frames, and the frames' hand-over.

    OMP_NUM_THREADS=1 PYTHONPATH=. .venv/bin/python bench/hesitation_listener_speed.py [--set heldout12] [--repeats 5]

For each answer of a spent voice set (rendered with tests/data/voices/render.py), medians over
``--repeats`` of:

- *listener*: :func:`simulator.speech.hesitation_probe.heard` on the answer's frames (two ridge models
  and the candidate search), per minute of audio;
- *prompted decode* with and without ``frames_out`` (the copy of the encoder output and each frame's
  time): the difference is the hand-over's cost on the one-window path;
- *extra encoder pass* for speech longer than one window (``encoder_frames``), which ``transcribe``'s
  own windows cannot give: per answer whose speech passes 28 s;
- with ``--score N``: ``score``'s whole analysis (``analyse_clip``, both decodes and the second look) of
  the first N answers, the listener on and off in turn (off: the engine hands no frames over), medians.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT / "tests" / "data" / "voices"))
import render  # noqa: E402
from simulator.audio.files import read_audio  # noqa: E402
from simulator.speech import hesitation_probe as hp  # noqa: E402
from simulator.speech.engines import make_transcriber  # noqa: E402
from simulator.speech.filler_recovery import FILLER_PROMPT  # noqa: E402
from simulator.speech.phrase_decoder import MAX_PHRASE_S, encoder_frames  # noqa: E402
from simulator.speech.vad import speech_only  # noqa: E402
from fillers_voices import BLIND  # noqa: E402  (bench/: the blind set is measured there, once)


def median_s(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def analysis_on_off(tr, samples, repeats: int) -> tuple[float, float]:
    """Median seconds of ``analyse_clip`` with the listener on, then off (runs alternate)."""
    from simulator.answer.build import analyse_clip  # noqa: PLC0415
    from simulator.audio.clip import AudioClip  # noqa: PLC0415
    from simulator.speech.faster_engine import FasterWhisperTranscriber  # noqa: PLC0415

    encoder = FasterWhisperTranscriber.encoder
    times: dict[bool, list[float]] = {True: [], False: []}
    try:
        for _ in range(repeats):
            for on in (True, False):
                FasterWhisperTranscriber.encoder = encoder if on else None  # off: no frames handed over
                t0 = time.perf_counter()
                analyse_clip(AudioClip(samples), tr)
                times[on].append(time.perf_counter() - t0)
    finally:
        FasterWhisperTranscriber.encoder = encoder
    return statistics.median(times[True]), statistics.median(times[False])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default="heldout12")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--answers", type=int, default=8)
    ap.add_argument("--score", type=int, default=0, metavar="N", help="also time analyse_clip on the first N answers")
    args = ap.parse_args()
    if args.set == BLIND:
        print(f"refused: {BLIND} is the blind set", file=sys.stderr)
        return 2
    spec = render.load_spec(ROOT / "tests" / "data" / "voices" / f"{args.set}.json")
    tr = make_transcriber("faster-whisper", None, threads=1)
    model = hp.load_model()
    listen_ms_per_min, handover, extra, scored = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for a in spec["answers"][: args.answers]:
            render.render_answer(a, Path(tmp), "wav")
            x = read_audio(Path(tmp) / f"{a['id']}.wav").samples
            minutes = len(x) / 16000 / 60
            enc: list = []
            tr.transcribe(x, prompt=FILLER_PROMPT, frames_out=enc)
            listen_ms_per_min.append(1000 * median_s(lambda: hp.heard(enc[0], model), args.repeats) / minutes)
            speech_s = len(speech_only(x)[1]) / 16000
            if speech_s > MAX_PHRASE_S:
                extra.append((a["id"], speech_s, median_s(lambda: encoder_frames(tr._model, x), args.repeats)))
            else:
                with_frames = median_s(lambda: tr.transcribe(x, prompt=FILLER_PROMPT, frames_out=[]), args.repeats)
                without = median_s(lambda: tr.transcribe(x, prompt=FILLER_PROMPT), args.repeats)
                handover.append((a["id"], speech_s, with_frames, without))
            line = f"{a['id']}: {len(x) / 16000:.1f} s audio, {speech_s:.1f} s speech"
            if len(scored) < args.score:
                scored.append((a["id"], speech_s, *analysis_on_off(tr, x, args.repeats)))
                line += f"; analyse_clip listener on {scored[-1][2]:.2f} s, off {scored[-1][3]:.2f} s"
            print(line, flush=True)
    print(f"\nlistener: median {statistics.median(listen_ms_per_min):.1f} ms per minute of audio "
          f"(max {max(listen_ms_per_min):.1f}; {len(listen_ms_per_min)} answers)")
    if handover:
        d = [w - wo for _, _, w, wo in handover]
        print(f"prompted decode with the frames handed over minus without: median {1000 * statistics.median(d):+.0f} ms "
              f"(decode median {statistics.median([wo for *_, wo in handover]):.2f} s; {len(handover)} answers "
              "with one window of speech)")
    for aid, speech_s, s in extra:
        print(f"extra encoder pass, {aid} ({speech_s:.1f} s of speech): {s:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
