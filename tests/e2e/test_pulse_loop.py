"""End to end through a virtual sound card: TTS question out, fixture answer in, real model, report."""

from __future__ import annotations

import json
import subprocess
import sys
from difflib import SequenceMatcher

import numpy as np
import pytest
import soundfile

from simulator.audio.files import read_audio

from tests.e2e.candidate import card_recording, opening_held
from tests.e2e.conftest import ROOT, heard

pytestmark = pytest.mark.e2e


def test_spoken_question_and_answer_through_pulseaudio(pulse_server, tmp_path):
    fixture = ROOT / "audio_fixtures" / "definition_fast.flac"
    out = tmp_path / "answer.wav"
    env = {**pulse_server, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "tests.e2e.pulse_child", str(fixture), str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(result)
    assert result["question_completed"] and result["question_spoken_s"] >= result["question_s"] * 0.8
    assert result["reason"] == "silence"
    assert result["overflows"] == 0
    assert heard(result["text"], "service refund loyal business", 3), result["text"]
    assert result["speech"] == "speech" and 150 < result["wpm"] < 260  # rendered at 205 wpm
    # Transcription kept up while the answer played: at the end at most about one model call was left
    # (the target, under 1 s, holds on an idle 2-core machine; the shared test machine is slower).
    assert result["latency_s"] < 2 * result["one_call_s"] + 0.5
    data, rate = soundfile.read(out)
    assert rate == 16000 and len(data) / rate >= 16.0  # the whole answer is on disk


def test_the_app_speaks_listens_and_shows_feedback_through_pulseaudio(pulse_server, tmp_path):
    """The real app on the virtual sound card: build_backends finds the devices, pyttsx3 speaks the
    question into the sink, the fixture answer comes back through the monitor (the microphone), the
    real model transcribes it, the feedback screen shows the transcript and the report, and the
    answer is stored with its audio."""
    data = tmp_path / "data"
    fixture = ROOT / "audio_fixtures" / "definition_fast.flac"
    env = {**pulse_server, "PYTHONPATH": str(ROOT), "INTERVIEW_SIM_DATA_DIR": str(data)}
    proc = subprocess.run([sys.executable, "-m", "tests.e2e.pulse_app_child", str(fixture), "define-customer-service"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=150)
    assert proc.returncode == 0, (proc.stdout[-1000:], proc.stderr[-2000:])
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(result)
    assert result["microphone"] and result["speaker_problem"] == ""  # the virtual card was found
    assert result["question_renders"] == 1  # the question was rendered by pyttsx3 (then played)
    assert result["errors"] == []  # nothing failed: no playback, capture or model error
    text = result["text"].lower()
    # The test's own player thread can underrun on a loaded machine (ALSA says so on stderr) and blur
    # a word as it is played into the sink ("customer service" once came back "customers are
    # business"), and Whisper reads this fast fixture differently from run to run ("custom service",
    # "problems solved": stop 42's CI machine): most of the answer's key words must be heard (as in
    # the other end-to-end checks, no phrase is required whole), and each shown on the screen.
    heard = [w for w in ("customer", "service", "problem", "solved", "refund", "loyal") if w in text]
    assert len(heard) >= 4, text
    assert all(w in result["feedback_transcript"].lower() for w in heard)
    assert result["speech"] == "speech" and 150 < result["wpm"] < 260
    assert "wpm" in result["feedback_delivery"]
    assert result["rubric"] == "definition" and "Content score" in result["feedback_content"]
    assert {"principle", "example"} <= set(result["met"])
    from simulator.store import SessionStore  # noqa: PLC0415

    with SessionStore.open(data / "sessions.db") as store:
        [answer] = store.answers(result["session_id"])
        assert answer.audio_path is not None and answer.duration_s >= 16.0  # the whole answer is kept


def test_looking_again_for_devices_restarts_portaudio_and_the_microphone_still_works(pulse_server):
    """The device picker's "look again" (r) terminates and re-initialises PortAudio: the same virtual
    devices come back, and capture and playback work on them afterwards."""
    env = {**pulse_server, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "tests.e2e.rescan_child"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(result)
    assert result["before"] and result["after"] == result["before"]
    for captured_s, loudest_db, overflows in (result["first"], result["second"]):
        # Blocks flowed (the first stream on a fresh daemon starts late: 3.3 s of the 5 s window
        # measured before the rescan, 5.1 s after) and none were dropped.
        assert captured_s >= 2.0 and overflows == 0
        assert loudest_db > -30  # and it heard the tone played into the sink (0.3 amplitude: about -13 dBFS)


OPENING = "when i worked at a garden".split()


def _opening_kept(words: str) -> bool:
    """Whether the transcript starts with the answer's opening, "When I worked at a garden".
    Whisper mishears espeak-ng's voice in different ways from machine to machine ("and i worked
    at a garden", "when i woke up to garden", "when i worked at a dog"), so no single word is
    required: three of the six opening words must come back in order within the first eight,
    and the first of them must be "when" or "i". A start clipped by half a second begins at
    "worked" or later and fails."""
    heard = [w.strip(",.!?") for w in words.split()[:8]]
    blocks = [b for b in SequenceMatcher(None, OPENING, heard, autojunk=False).get_matching_blocks() if b.size]
    return sum(b.size for b in blocks) >= 3 and blocks[0].a <= 1


def _answer_through_the_app(pulse_server, tmp_path, parts, pauses, *flags,  # noqa: ANN001, ANN202
                            question: str = "angry-customer-time"):
    """Render ``parts`` (espeak-ng, with ``pauses`` between them), play them into the real app
    (``tests.e2e.pulse_app_child`` with ``flags``, asking ``question``) and check the stored answer
    holds all of it. Returns (the child's result, its transcript in lower case)."""
    from simulator.store import SessionStore  # noqa: PLC0415
    from tests.speech_renders import answer  # noqa: PLC0415

    data = tmp_path / "data"
    wav = tmp_path / "answer.wav"
    audio = answer(parts, pauses, lead_s=0.0, voice="en-gb", rate=165)
    soundfile.write(wav, audio, 16000)
    env = {**pulse_server, "PYTHONPATH": str(ROOT), "INTERVIEW_SIM_DATA_DIR": str(data)}
    if "--over-question" in flags:  # headphones: the microphone hears the candidate, not the question
        subprocess.run(["pactl", "set-default-source", "mic.monitor"], env=pulse_server, check=True, timeout=10)
    with card_recording(pulse_server) as card:
        proc = subprocess.run([sys.executable, "-m", "tests.e2e.pulse_app_child", str(wav), question,
                               *flags], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, (proc.stdout[-1000:], proc.stderr[-2000:])
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(result)
    assert result["errors"] == []
    words = result["text"].lower()
    assert heard(words, "listen story checked receipt offered money", 4), words  # nothing after the pause lost
    with SessionStore.open(data / "sessions.db") as store:  # the recording and the report kept it all too
        [stored] = store.answers(result["session_id"])
        assert stored.audio_path is not None and stored.duration_s >= len(audio) / 16000
        assert stored.transcript.text == result["text"]
        recorded = read_audio(data / stored.audio_path).samples
    result["voice_recorded_s"], result["voice_said_s"] = _voice_s(recorded), _voice_s(audio)
    result["opening_held"], result["opening"] = opening_held(audio, recorded, card[0], OPENING_SAMPLES_KEPT)
    print(result["opening"])
    return result, words


OPENING_SAMPLES_KEPT = 0.97
"""The first 0.1 s of voice, said and recorded, correlate at 0.988-0.998 when nothing is lost (9
runs) and at 0.13-0.52 when 50-100 ms of it is; 0.95 in two runs that lost less (the virtual card's
own hole, ``tests/e2e/candidate.py``, before the tests played the candidate at a short latency)."""


def _voice_s(samples) -> float:  # noqa: ANN001
    """From the first to the last sample louder than a tenth of the loudest, in seconds."""
    loud = np.flatnonzero(np.abs(samples) > 0.1 * np.abs(samples).max())
    return (loud[-1] - loud[0]) / 16000


def test_a_quick_start_and_a_thinking_pause_through_the_real_app(pulse_server, tmp_path):
    """The candidate starts the moment the app listens and stops mid-sentence for 6 s to think:
    the first words and everything after the pause reach the transcript, and the app's own
    end-of-turn judge (no fixed silence) waits through the pause."""
    parts = ["When I worked at a garden centre a man came back with a dead lemon tree and he was furious, so I",
             "listened to the whole story, checked the receipt and offered him a new tree or his money back."]
    result, words = _answer_through_the_app(pulse_server, tmp_path, parts, [6.0], "--quick", "--judged")
    assert _opening_kept(words), words  # a clipped start loses "When I worked"
    assert result["opening_held"], result  # and the recording, its first syllable
    # 17 s is short for a 90-150 s story: rehearsal waited (30 s) rather than ending the answer.
    assert any("no reply" in note for note in result["notes"]), result["notes"]


def test_an_answer_begun_over_the_whole_question_is_kept_from_its_first_word(pulse_server, tmp_path):
    """The candidate reads the first question on screen and answers as it starts to play, on
    headphones. The app used to keep only the last 1.5 s said over a question, and to ask the first
    one before the microphone heard anything: "My strength is staying calm" lost its first words,
    in the transcript and in the recording."""
    parts = ["When I worked at a garden centre a man came back with a dead lemon tree and he was furious, so I",
             "listened to the whole story, checked the receipt and offered him a new tree or his money back."]
    result, words = _answer_through_the_app(pulse_server, tmp_path, parts, [0.8], "--judged", "--over-question", "0.0",
                                            question="tell-me-about-yourself")
    assert _opening_kept(words), words
    assert result["voice_recorded_s"] >= result["voice_said_s"] - 0.2, result  # the recording holds it all
    assert result["opening_held"], result


def _turn_through_the_app(pulse_server, tmp_path, parts, pauses, *flags):  # noqa: ANN001, ANN202
    """Render ``parts`` (espeak-ng, ``pauses`` between them) and play them into the real role-play
    app as the candidate's first turn (``tests.e2e.pulse_roleplay_child`` with ``flags``). Returns
    the child's result, the rendered turn and the data folder."""
    from tests.speech_renders import answer  # noqa: PLC0415

    wav = tmp_path / "turn.wav"
    audio = answer(parts, pauses, voice="en-gb", rate=160)
    soundfile.write(wav, audio, 16000)
    env = {**pulse_server, "PYTHONPATH": str(ROOT), "INTERVIEW_SIM_DATA_DIR": str(tmp_path / "data")}
    with card_recording(pulse_server) as card:
        proc = subprocess.run([sys.executable, "-m", "tests.e2e.pulse_roleplay_child", str(wav), "refund-outside-policy",
                               *flags], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, (proc.stdout[-1000:], proc.stderr[-2000:])
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(result)
    assert result["microphone"] and result["errors"] == []
    result["card"] = card[0]
    return result, audio, tmp_path / "data"


def test_a_role_play_turn_with_a_pause_in_it_stays_one_turn(pulse_server, tmp_path):
    """A finished sentence, a 1.2 s breath, a second sentence, through the real role-play app: the
    customer waits, the turn holds both sentences and the store keeps both (before, the turn ended
    at the breath and the second sentence was spoken over the customer's reply, never recorded)."""
    parts = ["I am so sorry about this, that sounds really frustrating.",
             "Can you tell me what happened with the blender?"]
    result, said, _ = _turn_through_the_app(pulse_server, tmp_path, parts, [1.2])
    said_s = len(said) / 16000
    text = result["text"]
    assert heard(text, "sorry sounds frustrating") and heard(text, "tell happened blender"), text  # both in the one turn
    # On an idle machine the first sentence is decoded within the breath: the turn ends there and
    # resumes when the second begins (analysing, recording, analysing, speaking). On a loaded one
    # (CI, stop 41) that decode is still running when the second sentence starts, so the turn never
    # ends at the breath (analysing, speaking). Either way it is one turn, answered once, after both
    # sentences; tests/tui/test_roleplay_screen.py drives the resume path itself.
    assert result["turns"] == 1 and result["phases"].count("speaking") == 1, result["phases"]
    assert result["phases"][-1] == "speaking", result["phases"]
    [stored] = result["stored"]
    assert heard(stored["text"], "tell happened blender") and stored["duration_s"] >= said_s - 0.5


def test_a_role_play_turn_begun_the_moment_the_customer_stops_keeps_its_first_words(pulse_server, tmp_path):
    """The candidate answers the customer at once, before the microphone has sent its first block."""
    parts = ["I am so sorry about this, that sounds really frustrating.",
             "Can you tell me what happened with the blender?"]
    result, said, data = _turn_through_the_app(pulse_server, tmp_path, parts, [0.5], "--quick")
    opening = " ".join(result["text"].lower().split()[:5])
    assert heard(opening, "i am so sorry about", 3), result["text"]
    [stored] = result["stored"]
    assert heard(stored["text"], "tell happened blender") and stored["duration_s"] >= len(said) / 16000 - 0.5
    held, figures = opening_held(said, read_audio(data / stored["audio_path"]).samples, result["card"],
                                 OPENING_SAMPLES_KEPT)
    assert held, figures


def test_a_drill_answer_begun_during_the_think_time_is_recorded_from_its_first_word(pulse_server, tmp_path):
    """The candidate starts answering a second into a drill's think time, without pressing space.
    The app used to drop all it heard before the think time ran out (here 60 s: the answer would have
    been lost whole); speaking now starts the recording, from just before the first word."""
    parts = ["When I worked at a garden centre a man came back with a dead lemon tree and he was furious.",
             "I listened to the whole story, checked the receipt and offered him a new tree or his money back."]
    result, words = _answer_through_the_app(pulse_server, tmp_path, parts, [0.8], "--drill", "--judged")
    assert _opening_kept(words), words
    assert result["opening_held"], result
