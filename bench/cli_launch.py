#!/usr/bin/env python3
"""Launch through the real command line: process start → the app about to start.

Runs ``python -m simulator practice --seed 1 --questions 3`` (what a user types, through
:func:`simulator.cli.main`: the argument parser, the settings, the ``practice`` command's module,
the app's modules) in fresh processes, with :func:`simulator.tui.launch.run_app` replaced by a stub
that records the moment it is called and exits. What comes after (devices, the app, the first
question) is what ``bench/voice_loop.py --only launch`` measures. Shown: the median wall time from
just before the child is spawned, the median CPU time of the child by then, and the load average.

    .venv/bin/python bench/cli_launch.py [--repeats 7] [--checkout DIR]

``--checkout DIR`` measures another checkout's code (e.g. a ``git archive`` of an older commit)
with the same command, for before/after comparisons. Never part of the tests: machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGV = ["practice", "--seed", "1", "--questions", "3"]

# The child: replace run_app as simulator.tui.launch finishes loading (an import hook), then run the
# real entry point. The stub prints the times and exits at once.
CHILD = """
import importlib.abc, json, os, sys, time
T_SPAWN = float(sys.argv[1])

class Stub(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "simulator.tui.launch":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            def run_app(*args, **kwargs):
                print(json.dumps({"wall_s": time.time() - T_SPAWN, "cpu_s": time.process_time(),
                                  "modules": len(sys.modules)}), flush=True)
                os._exit(0)
            module.run_app = run_app
        spec.loader.exec_module = exec_module
        return spec

import importlib.util
sys.meta_path.insert(0, Stub())
sys.argv = ["interview-sim"] + sys.argv[2:]
from simulator.cli import main
raise SystemExit(main())
"""


def run_once(checkout: Path) -> dict | None:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    t_spawn = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, repr(t_spawn), *ARGV], cwd=checkout, env=env,
                         capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if out.returncode != 0 or not lines:
        print(f"  failed: {(out.stderr.strip().splitlines() or ['?'])[-1]}", file=sys.stderr)
        return None
    return json.loads(lines[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7, help="fresh processes (default 7)")
    ap.add_argument("--checkout", type=Path, default=ROOT, help="the checkout whose code runs (default: this one)")
    args = ap.parse_args()
    load_before = os.getloadavg()
    runs = [r for r in (run_once(args.checkout.resolve()) for _ in range(args.repeats)) if r]
    load_after = os.getloadavg()
    if not runs:
        return 1
    print("| checkout | process start → run_app s | CPU by then s | modules loaded |")
    print("|---|---:|---:|---:|")
    print(f"| {args.checkout} | {statistics.median(r['wall_s'] for r in runs):.2f} "
          f"| {statistics.median(r['cpu_s'] for r in runs):.2f} "
          f"| {statistics.median(r['modules'] for r in runs):.0f} |")
    print(f"\nMedians of {len(runs)} runs of `interview-sim {' '.join(ARGV)}`; load average "
          f"{load_before[0]:.2f} before, {load_after[0]:.2f} after.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
