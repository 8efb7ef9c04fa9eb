"""Run in a subprocess by test_pulse_loop.py, with PULSE_SERVER already set: record from the virtual
microphone, restart PortAudio to look for new devices (the device picker's "look again"), and
record again while a tone plays into the sink. Prints the result as JSON."""

from __future__ import annotations

import json
import threading
import time

import numpy as np

from simulator.audio.capture import SoundDeviceSource
from simulator.audio.devices import list_devices, rescan_devices
from simulator.audio.playback import SoundDevicePlayer


def record(seconds: float) -> tuple[float, float, int]:
    """(seconds captured, loudest block dBFS, overflows) while a 440 Hz tone plays into the sink."""
    t = np.arange(int(16000 * (seconds + 1.0))) / 16000
    tone = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    player = SoundDevicePlayer()
    playing = threading.Thread(target=player.play, args=(tone, 16000), daemon=True)
    source = SoundDeviceSource()
    source.start()
    playing.start()
    got, loudest = [], -100.0
    deadline = time.monotonic() + seconds + 4.0  # the virtual card's playback starts about 2 s late
    while time.monotonic() < deadline:
        block = source.read(0.2)
        if block is not None and len(block):
            got.append(block)
            loudest = max(loudest, 10 * float(np.log10(np.mean(block.astype(np.float64) ** 2) + 1e-12)))
    source.stop()
    player.stop()
    playing.join(5)
    return sum(len(b) for b in got) / 16000, loudest, source.overflows


def main() -> None:
    before = [d.name for d in list_devices()]
    first = record(1.0)
    after = [d.name for d in rescan_devices()]
    second = record(1.0)
    print(json.dumps({"before": before, "after": after, "first": first, "second": second}))


if __name__ == "__main__":
    main()
