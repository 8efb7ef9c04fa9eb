"""Answer over the app's first line on a PulseAudio virtual sound card, as a user would (a hands-on check).

Needs a private PulseAudio with two null sinks, ``mic`` (its monitor is the default source: the
microphone) and ``spk`` (the default sink: the speaker; ``--speaker-sink`` names another), and
tmux. The candidate wears headphones: their answer goes into ``mic`` only. Set up as in
``bench/talk_over_card.py``, then, with ``PULSE_SERVER`` set::

    espeak-ng -v en-us -s 160 -w a.wav "My strength is staying calm. And when people are scared or angry, \\
      um, I slow down and I listen to them. ..."; sox a.wav -r 48000 answer.wav
    python bench/quick_start_card.py question answer.wav RUNS
    espeak-ng -v en-gb -s 160 -w t.wav "I am so sorry about this, that sounds really frustrating. \\
      Can you tell me what happened with the blender?"; sox t.wav -r 48000 turn.wav
    python bench/quick_start_card.py roleplay turn.wav RUNS --lead 4.67

``question``: the app runs ``practice --role retail --questions 1 --seed 3 --follow-ups off`` in tmux
and the answer is played the moment "Tell me about yourself" shows on screen (the question is spoken
after that: the answer runs over all of it). Each run prints the transcript's opening as shown, and
the stored recording's first 4 s as ``score`` reads them back.

``roleplay``: the app runs ``roleplay --scenario refund-outside-policy``; the turn is played
``--lead`` seconds after the customer is first heard on the speaker's monitor (the opening line is
5.3 s there, so 4.67 starts the turn 0.6 s before it ends). Each run prints the turn as the screen
shows it. Stop 39's figures (README, "words said over it" and the role-play bullet) came from this.

The candidate is played at a 20 ms latency: at ``paplay``'s default the virtual card drops the first
50-100 ms of a sound whose stream opens as it starts (``tests/e2e/candidate.py``; figures measured
before stop 43 had that hole).
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

ROOT = Path(__file__).resolve().parents[1]
APP = [sys.executable, "-m", "simulator"]
LOUD = 0.01
"""A 20 ms frame of the speaker's monitor louder than this (peak) is the app speaking."""


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def start_app(command: list[str], data: Path) -> None:
    tmux("kill-session", "-t", "qs")
    env = f"PULSE_SERVER={os.environ['PULSE_SERVER']} XDG_DATA_HOME={data} PYTHONPATH={ROOT}"
    tmux("new-session", "-d", "-s", "qs", "-x", "160", "-y", "50", f"cd {ROOT} && {env} {' '.join(APP + command)}")


def question_run(wav: str, data: Path) -> str:
    start_app(["practice", "--role", "retail", "--questions", "1", "--seed", "3", "--follow-ups", "off"], data)
    deadline = time.monotonic() + 60
    while "Tell me about yourself" not in tmux("capture-pane", "-p", "-t", "qs"):
        if time.monotonic() > deadline:
            return "the question never showed"
        time.sleep(0.05)
    subprocess.run(["paplay", "--latency-msec=20", "-d", "mic", wav], check=True)
    time.sleep(25)
    screen = tmux("capture-pane", "-p", "-t", "qs").splitlines()
    tmux("kill-session", "-t", "qs")
    shown = next((screen[i + 1].strip() for i, line in enumerate(screen[:-1]) if "Your answer" in line), "(none)")
    flacs = sorted(data.rglob("*.flac"))
    if not flacs:
        return f"shown: {shown[:70]} | no recording stored"
    head = data / "head.wav"
    subprocess.run(["sox", str(flacs[0]), str(head), "trim", "0", "4"], check=True)
    scored = subprocess.run([*APP, "score", str(head)], capture_output=True, text=True, cwd=ROOT).stdout.splitlines()
    heard = next((scored[i + 1].strip() for i, line in enumerate(scored[:-1]) if line.startswith("Transcript")), "")
    return f"shown: {shown[:70]} | recording's first 4 s: {heard}"


def roleplay_run(wav: str, data: Path, lead_s: float, speaker: str) -> str:
    monitor = subprocess.Popen(["parec", "-d", f"{speaker}.monitor", "--rate=16000", "--channels=1",
                                "--format=s16le", "--raw", "--latency-msec=20"], stdout=subprocess.PIPE)
    start_app(["roleplay", "--scenario", "refund-outside-policy"], data)
    began = None
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            frame = np.frombuffer(monitor.stdout.read(640), np.int16)
            if began is None and len(frame) and np.abs(frame).max() / 32768 > LOUD:
                began = time.monotonic()
            if began is not None and time.monotonic() - began >= lead_s:
                subprocess.Popen(["paplay", "--latency-msec=20", "-d", "mic", wav])
                break
    finally:
        monitor.kill()
    if began is None:
        return "the customer was never heard"
    time.sleep(14)
    screen = tmux("capture-pane", "-p", "-t", "qs").splitlines()
    tmux("kill-session", "-t", "qs")
    return next((line.strip() for line in screen if line.strip().startswith("You:")), "(no turn shown)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["question", "roleplay"])
    parser.add_argument("wav")
    parser.add_argument("runs", type=int)
    parser.add_argument("--lead", type=float, default=4.67, help="roleplay: seconds after the customer starts")
    parser.add_argument("--speaker-sink", default="spk")
    args = parser.parse_args()
    if "PULSE_SERVER" not in os.environ:
        sys.exit("set PULSE_SERVER to the private PulseAudio (see the docstring)")
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            out = (question_run(args.wav, data) if args.mode == "question"
                   else roleplay_run(args.wav, data, args.lead, args.speaker_sink))
        print(f"run {run}: {out}", flush=True)


if __name__ == "__main__":
    main()
