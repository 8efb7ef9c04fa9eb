"""Background workers are given a moment to finish before a command exits (simulator.background)."""

from __future__ import annotations

import threading
import time

from simulator.background import settle


def _worker(name: str, seconds: float) -> threading.Thread:
    t = threading.Thread(target=time.sleep, args=(seconds,), name=name, daemon=True)
    t.start()
    return t


def test_settle_waits_for_a_running_worker():
    t = _worker("content-warmer", 0.3)
    assert settle(5.0) == []
    assert not t.is_alive()


def test_settle_gives_up_at_its_limit_and_names_the_late_worker():
    t = _worker("warm-up-report", 2.0)
    started = time.monotonic()
    assert settle(0.2) == ["warm-up-report"]
    assert time.monotonic() - started < 1.0
    t.join()


def test_settle_leaves_other_threads_alone():
    stop = threading.Event()
    t = threading.Thread(target=stop.wait, name="tts-owner", daemon=True)
    t.start()
    started = time.monotonic()
    assert settle(5.0) == []
    assert time.monotonic() - started < 1.0
    stop.set()
    t.join()


def test_every_command_settles_before_it_returns(monkeypatch):
    from simulator import cli

    calls = []
    monkeypatch.setattr(cli, "settle", lambda: calls.append("settled"))
    assert cli.main(["scenarios", "list"]) == 0
    assert calls == ["settled"]
