"""How much of a sound's start the PulseAudio virtual card drops, by the player's latency (a rig check).

The end-to-end tests play the candidate into a null sink whose monitor is the app's microphone. A
sound whose stream opens as it starts loses its first 50-100 ms there at ``paplay``'s default
latency (stop 43); at ``--latency-msec=20`` it keeps every sample, which is what the tests use
(``tests/e2e/candidate.py``). This plays a rendered answer that starts at its first sample into the
sink ``mic`` while a PortAudio input stream (as the app's) records ``mic.monitor``, RUNS times for
each latency, and prints how well the recording holds the first 0.1 s of voice
(:func:`tests.e2e.candidate.opening_kept`: about 0.99 whole, 0.1-0.5 with the hole).

Needs a private PulseAudio with a null sink ``mic`` (as in ``bench/talk_over_card.py``), espeak-ng
and sox; with ``PULSE_SERVER`` set::

    python bench/card_onset.py [RUNS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import soundfile
import soxr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.audio.devices import load_sounddevice  # noqa: E402
from tests.e2e.candidate import opening_kept  # noqa: E402

RATE = 16000
TEXT = "When I worked at a garden centre a man came back with a dead lemon tree."


def record_while_playing(wav: Path, latency_ms: int | None) -> np.ndarray:
    """Open an input stream on the default source, wait for it to hear, play ``wav`` into ``mic``."""
    sd = load_sounddevice()
    blocks: list[np.ndarray] = []
    heard = threading.Event()

    def callback(indata, frames, time_info, status) -> None:  # noqa: ANN001
        blocks.append(indata[:, 0].copy())
        heard.set()

    with sd.InputStream(samplerate=RATE, channels=1, dtype="float32", blocksize=1600, callback=callback):
        heard.wait(5.0)
        time.sleep(0.5)
        latency = [f"--latency-msec={latency_ms}"] if latency_ms else []
        subprocess.run(["paplay", *latency, "-d", "mic", str(wav)], check=True, timeout=60)
        time.sleep(0.5)
    return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)


def main(runs: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        raw, wav = Path(tmp) / "raw.wav", Path(tmp) / "answer.wav"
        subprocess.run(["espeak-ng", "-v", "en-gb", "-s", "165", "-w", str(raw), TEXT], check=True, timeout=60)
        # From its first loud sample, at 48 kHz as the sink plays it.
        subprocess.run(["sox", str(raw), "-r", "48000", str(wav), "silence", "1", "0.01", "1%"], check=True,
                       timeout=60)
        said, rate = soundfile.read(wav, dtype="float32")
        said16 = soxr.resample(said, rate, RATE)
        print("| player latency | runs | opening kept (median) | min | max |")
        print("|---|---:|---:|---:|---:|")
        for latency in (None, 20):
            kept = [opening_kept(said16, record_while_playing(wav, latency), RATE) for _ in range(runs)]
            name = "paplay default" if latency is None else f"--latency-msec={latency}"
            print(f"| {name} | {runs} | {statistics.median(kept):.3f} | {min(kept):.3f} | {max(kept):.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
