"""Text-to-speech: rendered prompts are cached by text, voice and rate; the silent fake records."""

from __future__ import annotations

import shutil

import pytest

from simulator.speech.tts import Pyttsx3Speaker, SilentSpeaker, cache_key


def test_cache_key_depends_on_text_voice_and_rate():
    keys = {cache_key("Hi", None, None), cache_key("Hi", "en-gb", None), cache_key("Hi", None, 150),
            cache_key("Hello", None, None)}
    assert len(keys) == 4
    assert cache_key("Hi", None, None) == cache_key("Hi", None, None)


def test_silent_speaker_remembers_what_it_said():
    s = SilentSpeaker(duration_s=0.1)
    u = s.render("Why this job?")
    assert s.spoken == ["Why this job?"] and abs(u.duration_s - 0.1) < 0.01 and not u.samples.any()


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
