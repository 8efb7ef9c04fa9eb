"""A private PulseAudio daemon with a null sink: a virtual speaker whose monitor is a virtual microphone.

Recipe from ../shared/RESEARCH.md §2: own config, own socket, own HOME/XDG_RUNTIME_DIR; started and
stopped by PID with time limits. Audio code runs in a subprocess so that PULSE_SERVER is set before
sounddevice (PortAudio) is imported.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0


def heard(text: str, words: str, at_least: int = 2) -> bool:
    """At least ``at_least`` of ``words`` in ``text``. Whisper mishears espeak-ng's voices differently
    from run to run and from CPU to CPU ("parcel" / "pastel", "garden" / "dog", "blender" / "blend
    her"), so no single word is required: a lost or clipped part loses several at once."""
    said = text.lower()
    return sum(w in said for w in words.split()) >= at_least


@pytest.fixture
def pulse_server(tmp_path):
    """Yield the environment for a child process that uses the private daemon."""
    if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
        pytest.skip("pulseaudio/pactl not installed (apt install pulseaudio pulseaudio-utils libasound2-plugins)")
    home = tmp_path / "pulse-home"
    runtime = home / "run"
    runtime.mkdir(parents=True, mode=0o700)
    socket = runtime / "pulse.sock"
    config = home / "default.pa"
    config.write_text(
        f"load-module module-native-protocol-unix socket={socket} auth-anonymous=1\n"
        "load-module module-null-sink sink_name=vsink rate=48000\n"
        "load-module module-null-sink sink_name=mic rate=48000\n"  # for a candidate on headphones
        "set-default-sink vsink\n"
        "set-default-source vsink.monitor\n"
    )
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime), "PULSE_SERVER": f"unix:{socket}"}
    log = open(home / "daemon.log", "wb")  # noqa: SIM115
    daemon = subprocess.Popen(
        ["pulseaudio", "-n", "-F", str(config), "--daemonize=no", "--exit-idle-time=-1", "--log-target=stderr"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if daemon.poll() is not None:
                pytest.fail(f"pulseaudio exited at start: {(home / 'daemon.log').read_text()[-500:]}")
            ok = subprocess.run(["pactl", "info"], env=env, capture_output=True, timeout=5).returncode == 0
            if ok:
                break
            if time.monotonic() > deadline:
                pytest.fail("pulseaudio did not answer within 10 s")
            time.sleep(0.05)
        yield env
    finally:
        if daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait(STOP_TIMEOUT_S)
        log.close()


ROOT = Path(__file__).resolve().parents[2]
