"""Text-to-speech: rendered prompts are cached by text, voice and rate; the silent fake records.

Renders through the real pyttsx3 and espeak-ng are in tests/integration/test_tts_espeak.py."""

from __future__ import annotations

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


def test_tts_cache_dir_is_private_like_the_data_dir(tmp_path, monkeypatch):
    import simulator.speech.tts as tts  # noqa: PLC0415

    monkeypatch.setenv("INTERVIEW_SIM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(tts._EngineOwner, "shared", classmethod(lambda cls: None))
    speaker = Pyttsx3Speaker()
    assert speaker.cache_dir == tmp_path / "data" / "tts-cache"
    assert speaker.cache_dir.stat().st_mode & 0o777 == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    assert Pyttsx3Speaker(cache_dir=loose).cache_dir.stat().st_mode & 0o777 == 0o700  # an old 0755 one is tightened
