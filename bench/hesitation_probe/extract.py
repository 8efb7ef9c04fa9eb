"""Encoder frames (and, for the spent sets, the shipped analysis) of every training answer, as the app
computes them: ``simulator.speech.phrase_decoder.encoder_frames``, the frames the decode hands the
hesitation listener.

    OMP_NUM_THREADS=1 PYTHONPATH=. .venv/bin/python bench/hesitation_probe/extract.py SET [SET ...] [--noise DB] [--frames-only]

SET is a spent voice set (``fillers_voices.SPENT``) or "extra" / "extra3" (the training answers, make_extra.py).
Writes /tmp/probe/feats/SET[_nDB]/ID.pkl: the frames and, for the spent sets (not the noisy copies), the shipped
analysis' fillers and the main transcript's words (the word guard of the listener reads them); a file
missing its words is completed. With --frames-only an existing file keeps its shipped analysis and gets
new frames. Never a blind set.
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT / "tests" / "data" / "voices")); sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "bench"))
import render  # noqa: E402
from fillers_voices import SPENT  # noqa: E402  (never a blind set)
from simulator.answer.build import analyse_clip  # noqa: E402
from simulator.audio.clip import AudioClip  # noqa: E402
from simulator.audio.energy import EnergyProfile  # noqa: E402
from simulator.audio.files import read_audio  # noqa: E402
from simulator.speech import hesitation_probe  # noqa: E402
from simulator.speech.engines import make_transcriber  # noqa: E402
from simulator.speech.phrase_decoder import encoder_frames  # noqa: E402

OUT = Path("/tmp/probe")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="+")
    ap.add_argument("--noise", type=float, default=None, help="white noise at this dBFS (answers without um/uh)")
    ap.add_argument("--frames-only", action="store_true")
    args = ap.parse_args()
    tr = make_transcriber("faster-whisper", None, threads=1)
    # The shipped analysis without the listener: the fit adds its events to these fillers itself.
    hesitation_probe.load_model = lambda: None
    rng = np.random.default_rng(7)
    for name in args.sets:
        assert name in SPENT or name.startswith("extra"), name
        spec_path = OUT / name / "spec.json" if name.startswith("extra") else ROOT / "tests/data/voices" / f"{name}.json"
        spec = json.loads(spec_path.read_text())
        tag = name if args.noise is None else f"{name}_n{int(-args.noise)}"
        od = OUT / "feats" / tag; od.mkdir(parents=True, exist_ok=True)
        ad = OUT / "audio" / name; ad.mkdir(parents=True, exist_ok=True)
        for a in spec["answers"]:
            if args.noise is not None and a["labels"]["um"] + a["labels"]["uh"]:
                continue
            dst = od / f"{a['id']}.pkl"
            if dst.exists() and not args.frames_only and (name.startswith("extra") or args.noise is not None
                                                                 or "words" in pickle.load(open(dst, "rb"))):
                continue
            wav = ad / f"{a['id']}.wav"
            if not wav.exists():
                render.render_answer(a, ad, "wav")
            samples = read_audio(wav).samples.astype(np.float32)
            if args.noise is not None:
                samples = (samples + rng.normal(0, 10 ** (args.noise / 20), len(samples))).astype(np.float32)
            rec = pickle.load(open(dst, "rb")) if dst.exists() else {
                "set": name, "id": a["id"], "voice": a["voice"], "rate": a["rate"], "pitch": a["pitch"],
                "labels": a["labels"], "text": a["text"], "dur": len(samples) / 16000}
            t0 = time.perf_counter()
            rec["frames"], rec["times"] = encoder_frames(tr._model, samples)
            rec["t_enc"] = time.perf_counter() - t0
            if args.noise is not None:  # the listener's gate reads it (hesitation_probe.MIN_SPEECH_OVER_NOISE_DB)
                rec["speech_over_floor_db"] = EnergyProfile.of(samples).speech_over_floor_db
            if ("fillers" not in rec or "words" not in rec) and not name.startswith("extra") and args.noise is None:
                rep = analyse_clip(AudioClip(samples), tr, recover=True)
                rec["fillers"] = [(f.text, f.start_s, f.end_s, f.recovered) for f in rep.delivery.fillers.items]
                rec["words"] = [(w.text, w.start_s, w.end_s, w.probability) for w in rep.transcript.words]
            with open(dst, "wb") as f:
                pickle.dump(rec, f)
            print(f"{tag} {a['id']} enc {rec['t_enc']:.2f}s", flush=True)


if __name__ == "__main__":
    main()
