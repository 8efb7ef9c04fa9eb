"""The unit tier stays in-process and independent of bench/: a scan of every module in tests/unit.

A unit test never starts a process (subprocess, multiprocessing, fork, the CLI as a child), kills
one, plays audio at the speed of speech, or imports the benchmarks. Tests that need any of that
belong in tests/integration (real models, real processes, kills, Chromium, real time) or tests/e2e
(a real audio device); see the README's "Tests" section.
"""

from __future__ import annotations

import ast
from pathlib import Path

UNIT = Path(__file__).resolve().parent

FORBIDDEN_MODULES = {
    "subprocess": "starts a process",
    "multiprocessing": "starts a process",
    "concurrent.futures.process": "starts a process",
    "pty": "starts a process in a terminal",
    "bench": "imports the benchmarks (move what the test needs into tests/ or the package)",
    "tests.processes": "kills a real process",
}
FORBIDDEN_CALLS = {
    ("os", name) for name in (
        "fork", "forkpty", "kill", "killpg", "system", "popen", "posix_spawn", "posix_spawnp",
        "spawnl", "spawnle", "spawnlp", "spawnv", "spawnve", "spawnvp", "execv", "execve", "execvp",
    )
} | {("asyncio", "create_subprocess_exec"), ("asyncio", "create_subprocess_shell")}


def _forbidden_module(name: str) -> str | None:
    for mod, why in FORBIDDEN_MODULES.items():
        if name == mod or name.startswith(mod + "."):
            return f"imports {name}: {why}"
    return None


def problems(source: str) -> list[str]:
    """What in ``source`` (a test module's text) does not belong in the unit tier, with line numbers."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"line {node.lineno}: {p}" for a in node.names if (p := _forbidden_module(a.name))]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if p := _forbidden_module(node.module):
                found.append(f"line {node.lineno}: {p}")
            else:  # from concurrent.futures import ProcessPoolExecutor; from tests import processes
                found += [f"line {node.lineno}: {p}" for a in node.names
                          if (p := _forbidden_module(f"{node.module}.{a.name}"))
                          or (a.name == "ProcessPoolExecutor" and (p := "starts processes"))]
        elif isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and (f.value.id, f.attr) in FORBIDDEN_CALLS:
                found.append(f"line {node.lineno}: calls {f.value.id}.{f.attr}: starts or kills a process")
            if any(k.arg == "realtime" and isinstance(k.value, ast.Constant) and k.value.value is True
                   for k in node.keywords):
                found.append(f"line {node.lineno}: realtime=True: plays audio at the speed of speech")
            if isinstance(f, ast.Name) and f.id == "__import__" and node.args and isinstance(node.args[0], ast.Constant):
                if p := _forbidden_module(str(node.args[0].value)):
                    found.append(f"line {node.lineno}: {p}")
    return found


def test_no_unit_test_module_starts_a_process_or_imports_bench():
    bad = {str(path.relative_to(UNIT)): p for path in sorted(UNIT.rglob("*.py"))
           if (p := problems(path.read_text(encoding="utf-8")))}
    assert not bad, f"move these to tests/integration (or tests/e2e): {bad}"


def test_the_scan_finds_what_it_looks_for():
    assert problems("import subprocess") and problems("import multiprocessing as mp")
    assert problems("from multiprocessing import get_context") and problems("from subprocess import run")
    assert problems("import bench.devset_accuracy") and problems("from bench import devset_accuracy")
    assert problems("from tests.processes import reaped") and problems("from tests import processes")
    assert problems("from concurrent.futures import ProcessPoolExecutor")
    assert problems("import os\nos.kill(1, 9)") and problems("os.fork()")
    assert problems("src = ArraySource(audio, realtime=True)")
    assert problems("__import__('subprocess').run(['true'])")
    assert not problems("from concurrent.futures import ThreadPoolExecutor\nimport os\nos.environ.get('X')")
    assert not problems("src = ArraySource(audio, realtime=False)\nimport benchmark_helpers")
