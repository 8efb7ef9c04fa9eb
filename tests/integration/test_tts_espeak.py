"""Text-to-speech through the real pyttsx3 and espeak-ng: renders are cached, run on one owner thread,
honour the rate, prefetch in the background and leave everyone else's stdout alone.

These run espeak-ng and wait for background renders in real time; the cache key, the silent fake
and the cache folder's mode are checked in tests/unit/test_tts.py.
"""

from __future__ import annotations

import shutil

import pytest

from simulator.speech.tts import Pyttsx3Speaker


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_pyttsx3_renders_once_then_serves_from_cache(tmp_path, capfd):
    speaker = Pyttsx3Speaker(cache_dir=tmp_path)
    try:
        first = speaker.render("Tell me about a time you helped a customer.")
        again = speaker.render("Tell me about a time you helped a customer.")
        other = speaker.render("Why do you want this job?")
    finally:
        speaker.close()
    assert speaker.renders == 2  # the repeat came from the cache
    assert first.duration_s > 1.0 and abs(first.samples).max() > 0.05
    assert (first.samples == again.samples).all()
    assert other.duration_s < first.duration_s
    assert len(list(tmp_path.glob("*.wav"))) == 2
    assert "Audio saved" not in capfd.readouterr().out  # pyttsx3's print is swallowed


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_renders_from_many_threads_run_on_the_one_owner_thread_and_honour_the_rate(tmp_path):
    """pyttsx3 is only ever driven by its owner thread, however many threads ask at once; a rate
    set for one utterance is applied to it (RESEARCH.md §2: a rate set just before saving can be
    ignored), and queued jobs each get their own file (two queued saves must not write one)."""
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    speaker = Pyttsx3Speaker(cache_dir=tmp_path)
    text = "Tell me about a time you went above and beyond for a customer."
    try:
        with ThreadPoolExecutor(4) as pool:
            slow, fast, normal, other = pool.map(
                lambda args: speaker.render_as(args[0], rate=args[1]),
                [(text, 110), (text, 260), (text, None), ("Why do you want to work here?", None)])
    finally:
        speaker.close()
    assert speaker.render_threads == {"tts-owner"}
    assert speaker.renders == 4 and len(list(tmp_path.glob("*.wav"))) == 4
    assert slow.duration_s > 1.5 * fast.duration_s  # each job got its own rate
    assert fast.duration_s < normal.duration_s < slow.duration_s
    assert other.duration_s < normal.duration_s  # not another job's text


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_prefetch_fills_the_cache_so_the_next_question_needs_no_render(tmp_path):
    import time  # noqa: PLC0415

    speaker = Pyttsx3Speaker(cache_dir=tmp_path)
    questions = ["Why this company?", "What does good service mean to you?"]
    try:
        speaker.prefetch(questions)
        deadline = time.monotonic() + 15
        while not all(speaker.cache_path(q).exists() for q in questions) and time.monotonic() < deadline:
            time.sleep(0.05)
        rendered = speaker.renders
        speaker.render(questions[1])
    finally:
        speaker.close()
    assert rendered == 2 and speaker.renders == 2  # served from the cache


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_a_background_render_leaves_everyone_elses_stdout_alone(tmp_path, capsys):
    """The app prints, logs and draws while the next questions render on the owner thread; a
    process-wide stdout swap around each render swallowed that output (the launch benchmark's
    result vanished)."""
    import threading  # noqa: PLC0415

    speaker = Pyttsx3Speaker(cache_dir=tmp_path)
    texts = [f"Question number {i}: tell me about a time you turned a complaint around." for i in range(6)]
    done = threading.Event()
    worker = threading.Thread(target=lambda: ([speaker.render(t) for t in texts], done.set()))
    worker.start()
    printed = 0
    while not done.is_set() or printed < 50:
        print(f"line {printed}")
        printed += 1
    worker.join()
    out = capsys.readouterr().out
    assert speaker.renders == 6 and "Audio saved" not in out
    assert out.count("line ") == printed
