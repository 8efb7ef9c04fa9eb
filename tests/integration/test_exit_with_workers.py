"""A command that returns while a background worker is inside onnxruntime still exits cleanly.

A daemon thread still in onnxruntime's native code when Python shuts down aborts the process
("terminate called without an active exception", SIGABRT) after the command's work is done:
found once by a fresh-clone run of ``listen --json`` (stop 25). ``simulator.background.settle``,
called by every command, waits for the app's workers first; here a worker named as the content
warmer is encoding when the main thread finishes, with the real encoder.
"""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import threading, time
from simulator.background import settle
from simulator.rubric.encoder import get_encoder

enc = get_encoder()
texts = [f"i rang the customer back on day {i} and went through the refund options" for i in range(64)]
started = threading.Event()

def work():
    started.set()
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        enc.encode(texts)

threading.Thread(target=work, name="content-warmer", daemon=True).start()
started.wait()
time.sleep(0.2)
assert settle() == []
print("done")
"""


def test_a_worker_inside_the_encoder_at_exit_does_not_abort_the_process():
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0 and out.stdout.strip() == "done", (out.returncode, out.stderr[-500:])
