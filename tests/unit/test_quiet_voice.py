"""A voice too quiet to open a phrase (a microphone set very low) is read from the whole recording
at the end, and the candidate is told, instead of "no speech detected" (stop 43: a helper's answer
at -51 dBFS RMS was reported as nothing said, while ``score`` read it word for word)."""

from __future__ import annotations

import numpy as np

from simulator.audio.capture import ArraySource
from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.endpoint import EndpointConfig, EndReason
from simulator.session.answer_loop import QUIET_NOTE, AnswerOptions, run_answer
from simulator.session.events import Ended, Reported
from tests.tui.fakes import ScriptedTranscriber, speech_like

SAID = "I rebuilt the order and upgraded the delivery."


def _answer(audio: np.ndarray) -> tuple[Ended, Reported, ScriptedTranscriber]:
    transcriber = ScriptedTranscriber([SAID])
    options = AnswerOptions(EndpointConfig(early_after_s=None, no_speech_timeout_s=len(audio) / SAMPLE_RATE + 5.0),
                            mode="drill", recover_fillers=False)
    events = list(run_answer(ArraySource(audio, realtime=False, trailing_silence_s=5.0), transcriber, options=options))
    ended = next(e for e in events if isinstance(e, Ended))
    return ended, next(e for e in events if isinstance(e, Reported)), transcriber


def test_a_voice_too_quiet_for_a_phrase_is_read_from_the_whole_recording():
    ended, reported, transcriber = _answer(0.02 * speech_like([(0.5, 8.0)], 9.0))  # about -47 dBFS at its peaks
    assert reported.live.phrases == 0 and ended.reason is EndReason.NO_SPEECH  # nothing opened live
    assert ended.note == QUIET_NOTE
    assert reported.report.transcript.text == SAID and not reported.report.no_speech
    assert transcriber.calls == [len(reported.samples) / SAMPLE_RATE]  # the whole recording, once


def test_a_room_with_knocks_in_it_is_still_no_speech():
    room = np.zeros(9 * SAMPLE_RATE, dtype=np.float32)
    for at in (1.0, 3.0, 5.5):  # 40 ms knocks: shorter than any phrase
        i = int(at * SAMPLE_RATE)
        room[i:i + 640] = 0.02 * np.sin(np.arange(640) * 0.3)
    ended, reported, transcriber = _answer(room)
    assert reported.report.no_speech and ended.note == "" and transcriber.calls == []


def test_a_quiet_take_cut_short_is_kept_and_a_quiet_room_is_not():
    """Quitting mid-answer keeps a take that holds speech. The test was -40 dBFS for 0.2 s, which a
    microphone set very low never reaches: such a take was deleted (stop 43)."""
    from simulator.session.session_log import holds_speech

    room = np.random.default_rng(3).normal(0, 0.0005, 9 * SAMPLE_RATE).astype(np.float32)
    assert holds_speech(room + 0.02 * speech_like([(0.5, 8.0)], 9.0))
    assert not holds_speech(room)


def test_the_quiet_note_stands_beside_time_is_up_and_noise_read_as_a_word_or_two_is_not_taken():
    """The review of stop 43: a quiet drill answer runs to its limit, and "time is up" took the note's
    place; and a fan starting up counts as voice until the room's level catches up, so the whole
    recording was read and Whisper's "Thank you." was taken for the answer."""
    audio = 0.02 * speech_like([(0.5, 9.0)], 9.0)
    transcriber = ScriptedTranscriber(["Thank you."])
    options = AnswerOptions(EndpointConfig(early_after_s=None, max_s=6.0), mode="drill", recover_fillers=False)
    events = list(run_answer(ArraySource(audio, realtime=False, trailing_silence_s=5.0), transcriber, options=options))
    ended = next(e for e in events if isinstance(e, Ended))
    reported = next(e for e in events if isinstance(e, Reported))
    assert ended.reason is EndReason.TIME_LIMIT and "time is up" in ended.note and QUIET_NOTE in ended.note
    assert transcriber.calls and reported.report.no_speech  # read, and two words were not taken
