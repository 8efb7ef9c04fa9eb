"""Speak over the end of the app's second question on a PulseAudio virtual sound card (a hands-on check).

Needs a private PulseAudio with two null sinks, ``mic`` (its monitor is the default source: the
microphone) and ``spk`` (the default sink: the speaker), and the app running against it, e.g.::

    # default.pa: module-native-protocol-unix socket=$DIR/pulse.sock auth-anonymous=1;
    #   module-null-sink sink_name=mic rate=48000; module-null-sink sink_name=spk rate=48000;
    #   set-default-sink spk; set-default-source mic.monitor
    PULSE_SERVER=unix:$DIR/pulse.sock python bench/talk_over_card.py LEAD_S Q2_S FIRST.wav ANSWER.wav &
    PULSE_SERVER=unix:$DIR/pulse.sock interview-sim practice --role retail --questions 2 --seed 3 --follow-ups off

It listens to ``spk.monitor``. When question 1 ends it says FIRST.wav into ``mic``. When question 2
begins it waits until LEAD_S before that question's end (Q2_S is its spoken length, measured once
the same way; negative LEAD_S: after the end), then says ANSWER.wav. Press n on the feedback for
question 2 to be asked; read the answer's transcript on screen. Stop 35's figures (README, "words
said over its end") came from this with Q2_S 2.96 and LEAD_S 0.8, 0.5, 0.3, -0.2.

The candidate is played at a 20 ms latency: at ``paplay``'s default the virtual card drops the first
50-100 ms of a sound whose stream opens as it starts (``tests/e2e/candidate.py``; figures measured
before stop 43 had that hole).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np

LOUD = 0.01
"""A 20 ms frame of the speaker's monitor louder than this (peak) is the app speaking."""
GAP_S = 2.0
"""Quiet this long between two loud frames: the next question."""


def main(lead_s: float, q2_s: float, first: str, answer: str) -> None:
    env = dict(os.environ)
    monitor = subprocess.Popen(["parec", "-d", "spk.monitor", "--rate=16000", "--channels=1", "--format=s16le",
                                "--raw", "--latency-msec=20"], stdout=subprocess.PIPE, env=env)
    questions, started, last_loud, answered = 0, 0.0, None, False
    deadline = time.monotonic() + 180
    try:
        while time.monotonic() < deadline:
            frame = np.frombuffer(monitor.stdout.read(640), np.int16) / 32768
            now = time.monotonic()
            if np.abs(frame).max() > LOUD:
                if last_loud is None or now - last_loud > GAP_S:
                    questions, started = questions + 1, now
                    print(f"question {questions} heard", flush=True)
                    if questions == 2:
                        time.sleep(max(0.0, q2_s - lead_s - (time.monotonic() - started)))
                        print(f"answering {lead_s:+.2f} s before its end", flush=True)
                        subprocess.run(["paplay", "--latency-msec=20", "-d", "mic", answer], env=env, check=True)
                        return
                last_loud = now
            elif questions == 1 and not answered and last_loud is not None and now - last_loud > 0.4:
                answered = True
                subprocess.Popen(["paplay", "--latency-msec=20", "-d", "mic", first], env=env)
    finally:
        monitor.kill()


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit("usage: talk_over_card.py LEAD_S Q2_S FIRST.wav ANSWER.wav")
    main(float(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4])
