"""The content warmer: the answer so far is prepared in the background, newest text first, and
the semantic engine's clause vectors prepared then are the ones scoring uses."""

from __future__ import annotations

import threading
import time

from simulator.rubric import semantic
from simulator.rubric.tense import tenseless
from simulator.rubric.text import clauses, normalise
from simulator.session.content_warmer import ContentWarmer


def _wait(pred, timeout_s: float = 5.0) -> None:
    end = time.monotonic() + timeout_s
    while not pred() and time.monotonic() < end:
        time.sleep(0.01)


def test_texts_sent_while_busy_collapse_to_the_newest():
    seen: list[str] = []
    release = threading.Event()

    def prepare(text: str) -> None:
        seen.append(text)
        release.wait(5)

    warmer = ContentWarmer(prepare)
    warmer.submit("one")
    _wait(lambda: seen == ["one"])
    for text in ("two", "three", "four"):
        warmer.submit(text)
    release.set()
    _wait(lambda: len(seen) == 2)
    time.sleep(0.05)
    assert seen == ["one", "four"]


def test_a_failing_preparation_is_only_a_lost_head_start():
    calls: list[str] = []

    def prepare(text: str) -> None:
        calls.append(text)
        raise RuntimeError("encoder gone")

    warmer = ContentWarmer(prepare)
    warmer.submit("a")
    _wait(lambda: calls == ["a"])
    warmer.submit("b")
    _wait(lambda: calls == ["a", "b"])
    assert calls == ["a", "b"]


def test_clauses_warmed_while_talking_are_not_encoded_again(monkeypatch):
    so_far = "at my last job a customer came in really upset about a parcel. i rang the depot twice"
    whole = so_far + " and it arrived the next morning, she still shops with us."
    norm = normalise(so_far)
    semantic.warm(norm, clauses(so_far, norm))
    encoded: list[str] = []
    real = semantic.get_encoder().encode

    def counting(texts, *a, **k):
        encoded.extend(texts)
        return real(texts, *a, **k)

    monkeypatch.setattr(semantic.get_encoder(), "encode", counting)
    norm = normalise(whole)
    cs = semantic.embed_clauses(norm, clauses(whole, norm))
    assert len(cs.spans) >= 3
    # Only the clauses said after the warm-up, each as said and in base form (semantic.tenseless).
    new = [semantic.clause_text(norm, s) for s in cs.spans[2:]]
    assert sorted(encoded) == sorted(new + [tenseless(t) for t in new])
