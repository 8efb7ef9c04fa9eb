"""The hesitation listener's mechanics with hand-made frames and weights: candidates, the fitted
encoder only, the same hesitation never counted twice, and a damaged weights file turning the
listener off instead of failing. What it hears in real speech: tests/integration/test_hesitation_listener.py."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pytest

from simulator.audio.energy import EnergyProfile
from simulator.speech import hesitation_probe as hp
from simulator.speech.filler_recovery import FILLER_PROMPT, transcribe_and_recover
from tests.unit.synth import tone_track, transcript_of

WIDTH = hp.ENCODER["width"]


def _model(threshold: float = 0.5) -> hp.ProbeModel:
    """Frame dimension 0 is the 'hesitation' direction, 1 says 'um'; the window score is the
    candidate's mean of dimension 0 (the first block of the window features)."""
    frame_w = np.zeros((WIDTH, 3), np.float32)
    frame_w[0, 0] = frame_w[0, 1] = 1.0
    frame_w[1, 2] = 2.0
    window_w = np.zeros(4 * WIDTH + 8, np.float32)
    window_w[0] = 1.0
    return hp.ProbeModel(frame_w, np.zeros(3, np.float32), window_w, 0.0, threshold, {"test": True})


def _encoded(marks: list[tuple[float, float, float]], length_s: float = 4.0, *, um: bool = False,
             encoder: dict | None = None) -> hp.EncodedSpeech:
    """Frames with dimension 0 at ``level`` over each (start, end, level) span."""
    times = (np.arange(int(length_s / hp.FRAME_S)) + 0.5) * hp.FRAME_S
    frames = np.zeros((len(times), WIDTH), np.float16)
    for start, end, level in marks:
        on = (times >= start) & (times <= end)
        frames[on, 0] = level
        frames[on, 1] = level if um else 0.0
    return hp.EncodedSpeech(frames, times, dict(encoder or hp.ENCODER))


def test_a_marked_stretch_is_heard_with_its_time_and_kind():
    found = hp.heard(_encoded([(1.0, 1.3, 1.0)]), _model())
    assert [h.kind for h in found] == ["uh"]
    assert (found[0].start_s, found[0].end_s) == pytest.approx((1.0, 1.3), abs=0.05)  # smoothing: a frame
    found = hp.heard(_encoded([(2.0, 2.4, 1.0)], um=True), _model())
    assert [h.kind for h in found] == ["um"]


def test_weak_short_or_sub_threshold_marks_are_not_heard():
    model = _model(threshold=0.5)
    assert hp.heard(_encoded([(1.0, 1.3, 0.1)]), model) == []  # under the candidate level
    assert hp.heard(_encoded([(1.0, 1.01, 1.0)]), model) == []  # one frame: a flicker
    assert hp.heard(_encoded([(1.0, 1.3, 0.4)]), model) == []  # a candidate the window model turns down
    assert hp.heard(_encoded([]), model) == []


def test_a_mark_split_by_a_dip_is_one_hesitation():
    found = hp.heard(_encoded([(1.0, 1.2, 1.0), (1.3, 1.5, 1.0)]), _model())
    assert len(found) == 1
    assert (found[0].start_s, found[0].end_s) == pytest.approx((1.0, 1.5), abs=0.05)


@pytest.mark.parametrize("encoder", [
    {**hp.ENCODER, "model": "tiny.en"}, {**hp.ENCODER, "compute_type": "float32"},
    {**hp.ENCODER, "engine": "openai-whisper"}])
def test_only_the_fitted_encoder_is_read(encoder):
    assert hp.heard(_encoded([(1.0, 1.3, 1.0)], encoder=encoder), _model()) == []


def test_frames_of_another_width_are_not_read():
    enc = hp.EncodedSpeech(np.ones((100, 384), np.float16), np.arange(100) * 0.02, dict(hp.ENCODER))
    assert hp.heard(enc, _model()) == []


def test_a_hesitation_already_counted_a_little_early_is_the_same_one():
    # Whisper wrote "um" at 24.38-24.45 s; the sound itself is at 24.94 s: one hesitation, not two
    assert not hp.is_new((24.90, 25.20), [(24.38, 24.45)], 0.5)
    assert hp.is_new((26.0, 26.3), [(24.38, 24.45)], 0.5)
    assert hp.is_new((1.0, 1.2), [], 0.5)


def test_the_shipped_weights_read_and_fit_the_default_engine():
    model = hp.read_model()
    assert model.frame_w.shape == (WIDTH, 3) and 0.0 < model.threshold < 2.0
    assert model.meta["encoder"] == hp.ENCODER
    assert _blind_voice_set() not in model.meta["sets"]  # the blind voices are never fitted on


def _blind_voice_set() -> str:
    """The blind filler set's name, as the bench that measures it once declares it."""
    text = (Path(__file__).resolve().parents[2] / "bench" / "fillers_voices.py").read_text()
    return re.search(r'^BLIND: str \| None = "(\w+)"', text, re.M).group(1)


def test_damaged_weights_turn_the_listener_off_with_a_warning(tmp_path, monkeypatch, caplog):
    bad = tmp_path / "hesitation_probe.npz"
    hp.write_model(bad, _model())
    bad.write_bytes(bad.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ValueError, match="damaged"):
        hp.read_model(bad)
    monkeypatch.setattr(hp, "MODEL_FILE", bad)
    hp.load_model.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            assert hp.load_model() is None
            assert hp.heard(_encoded([(1.0, 1.3, 1.0)])) == []
        assert "not listened for" in caplog.text
    finally:
        hp.load_model.cache_clear()


def test_missing_weights_read_as_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="unreadable"):
        hp.read_model(tmp_path / "none.npz")


class ListeningEngine:
    """Hears 'i called the hotel' (and an 'um' at 1.5 s in the prompted pass, if ``prompted_um``);
    its encoder frames mark a hesitation at 1.3-1.7 s and another at 2.6-2.9 s."""

    engine, model_name, parallel_decodes = "scripted", "scripted", 2
    encoder = hp.ENCODER

    def __init__(self, prompted_um: bool) -> None:
        self.prompted_um = prompted_um

    def transcribe(self, samples, *, prompt=None, frames_out=None):  # noqa: ANN001, ANN201
        words = [("i", 0.2, 0.4), ("called", 0.5, 0.9), ("the", 1.0, 1.1), ("hotel", 1.9, 2.4)]
        if prompt == FILLER_PROMPT and self.prompted_um:
            words.insert(3, ("um", 1.3, 1.45))
        if frames_out is not None:
            frames_out.append(_encoded([(1.3, 1.7, 1.0), (2.6, 2.9, 1.0)]))
        return transcript_of(words)


@pytest.mark.parametrize("prompted_um", [False, True])
def test_what_the_listener_hears_joins_the_second_look_once(monkeypatch, prompted_um):
    monkeypatch.setattr(hp, "load_model", _model)
    audio = tone_track([(0.2, 2.4), (2.6, 2.9)], 3.5)
    _, fillers = transcribe_and_recover(ListeningEngine(prompted_um), audio, None)
    starts = [round(f.start_s, 1) for f in fillers]
    assert starts == [1.3, 2.6]  # the 'um' at 1.3 s once, whether the prompted pass wrote it or not
    assert all(f.recovered for f in fillers)


def test_the_listener_stays_quiet_in_a_noisy_recording(monkeypatch):
    """Speech less than MIN_SPEECH_OVER_NOISE_DB above the room's noise: what the encoder marks is not
    counted (the listener, fitted on clean speech, heard an "um" in "every" under loud noise)."""
    monkeypatch.setattr(hp, "load_model", _model)
    clean = tone_track([(0.2, 2.4), (2.6, 2.9)], 3.5)
    loud = float(np.sqrt(np.mean(clean[clean != 0] ** 2)))
    noisy = clean + np.random.default_rng(3).normal(0, loud / 10 ** (12 / 20), len(clean)).astype(np.float32)
    assert EnergyProfile.of(noisy).speech_over_floor_db < hp.MIN_SPEECH_OVER_NOISE_DB
    assert EnergyProfile.of(clean).speech_over_floor_db >= hp.MIN_SPEECH_OVER_NOISE_DB
    _, fillers = transcribe_and_recover(ListeningEngine(prompted_um=False), noisy, None)
    assert fillers == []
    _, fillers = transcribe_and_recover(ListeningEngine(prompted_um=False), clean, None)
    assert [round(f.start_s, 1) for f in fillers] == [1.3, 2.6]


def test_a_phrase_said_in_one_breath_is_judged_against_the_rooms_floor(monkeypatch):
    """A phrase with no quiet of its own has its speech for a floor; the room around it (the answer so
    far, in the live loop) tells that it is clean, and the listener is heard."""
    monkeypatch.setattr(hp, "load_model", _model)
    dense = tone_track([(0.0, 3.5)], 3.5, noise_db=-80)
    assert EnergyProfile.of(dense).speech_over_floor_db < hp.MIN_SPEECH_OVER_NOISE_DB
    _, alone = transcribe_and_recover(ListeningEngine(prompted_um=False), dense, None)
    _, in_room = transcribe_and_recover(ListeningEngine(prompted_um=False), dense, None, room_floor_db=-80.0)
    assert alone == [] and [round(f.start_s, 1) for f in in_room] == [1.3, 2.6]
    # ...and a noisy room stays noisy: its floor is no help.
    _, noisy_room = transcribe_and_recover(ListeningEngine(prompted_um=False), dense, None, room_floor_db=-15.0)
    assert noisy_room == []


def test_the_live_loop_gives_a_phrase_the_rooms_floor(monkeypatch):
    from simulator.audio.buffer import AudioBuffer
    from simulator.audio.endpoint import SpeechSegment
    from simulator.speech.streaming import StreamingTranscriber

    monkeypatch.setattr(hp, "load_model", _model)
    audio = AudioBuffer()
    audio.append(tone_track([], 2.0, noise_db=-80))  # the room before the answer
    audio.append(tone_track([(0.0, 3.5)], 3.5, noise_db=-80))  # one breath, no gap
    stream = StreamingTranscriber(ListeningEngine(prompted_um=False), audio)
    stream.submit(SpeechSegment(2 * 16000, int(5.5 * 16000)))
    _, fillers = stream.finish()
    assert [round(f.start_s, 1) for f in fillers] == [3.3, 4.6]  # on the answer's clock


def test_the_apps_lazy_model_hands_the_frames_over(monkeypatch):
    """The app decodes through a stand-in that loads the model in the background: it must pass the
    encoder on, or the listener never runs in the app (it did not, until stop 36's user check)."""
    import threading

    from simulator.tui.backends import LazyTranscriber

    monkeypatch.setattr(hp, "load_model", _model)
    lazy = LazyTranscriber(lambda: ListeningEngine(prompted_um=False))
    threading.Thread(target=lazy.load, daemon=True).start()
    audio = tone_track([(0.2, 2.4), (2.6, 2.9)], 3.5)
    _, fillers = transcribe_and_recover(lazy, audio, None)  # waits for the model
    assert lazy.encoder == hp.ENCODER
    assert [round(f.start_s, 1) for f in fillers] == [1.3, 2.6]


def test_a_lazy_model_without_frames_decodes_as_before():
    from simulator.tui.backends import LazyTranscriber
    from tests.unit.test_filler_recovery import TwoPassEngine

    lazy = LazyTranscriber(lambda: TwoPassEngine(2))
    lazy.load()
    assert lazy.encoder is None
    _, fillers = transcribe_and_recover(lazy, tone_track([(0.2, 2.4)], 3.0), None)
    assert [f.text for f in fillers] == ["um"]
