"""The real app in a real pseudo-terminal: the screen is drawn and Ctrl+Q quits cleanly.

Pilot tests drive the app in-process; this one catches what only a terminal shows, such as the
screen being sent somewhere else by the stderr redirection that keeps ALSA's noise off it.
"""

import os
import pty
import select
import subprocess
import sys
import time


def read_until(fd: int, needle: bytes, timeout_s: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and needle not in seen:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def test_home_screen_reaches_the_terminal_and_ctrl_q_quits(tmp_path):
    primary, secondary = pty.openpty()
    env = dict(os.environ, INTERVIEW_SIM_DATA_DIR=str(tmp_path), TERM="xterm-256color", COLUMNS="120", LINES="40")
    env.pop("PULSE_SERVER", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator"], stdin=secondary, stdout=secondary, stderr=secondary,
        env=env, start_new_session=True,
    )
    os.close(secondary)
    try:
        screen = read_until(primary, b"Mock interview practice", timeout_s=60)
        assert b"Mock interview practice" in screen
        os.write(primary, b"\x11")  # Ctrl+Q
        proc.wait(timeout=30)
        assert proc.returncode == 0
        assert b"Traceback" not in screen + read_until(primary, b"\x00", timeout_s=0.5)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(primary)
