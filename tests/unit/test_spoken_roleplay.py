"""Spoken role-play, headless: the persona's voice reaches the TTS, a spoken turn is recorded,
transcribed and answered by the customer, the turn limit ends a turn, the debrief explains moves."""

from __future__ import annotations

import numpy as np

from simulator.audio.capture import ArraySource
from simulator.audio.playback import NullPlayer
from simulator.roleplay.engine import RolePlaySession
from simulator.roleplay.library import load_library
from simulator.session.roleplay_turns import (
    Ended, TurnCutOff, TurnTaken, debrief_items, persona_speech_kwargs, run_turn, speak_customer, take_turn,
)
from simulator.session.events import Resumed
from simulator.speech.tts import SilentSpeaker, Utterance, cache_key
from tests.tui.fakes import ScriptedTranscriber, speech_like

LIB = load_library()
REFUND = LIB.get_roleplay("refund-outside-policy")
ANGRY = LIB.persona_for(REFUND)


class RecordingSpeaker:
    """A fake TTS that lists voices and records every render with its voice settings."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []

    def installed_voices(self) -> list[tuple[str, str]]:
        return [("en-us", "English (America)"), ("en+m3", "English male 3"), ("fr", "French")]

    def render(self, text: str) -> Utterance:
        self.calls.append((text, {}))
        return Utterance(np.zeros(10, np.float32), 22050)

    def render_as(self, text: str, **kwargs) -> Utterance:
        self.calls.append((text, kwargs))
        return Utterance(np.zeros(10, np.float32), 22050)

    def close(self) -> None:
        pass


class CountingPlayer(NullPlayer):
    def __init__(self) -> None:
        super().__init__()
        self.played: list[int] = []

    def play(self, samples, sample_rate):  # noqa: ANN001
        self.played.append(len(samples))


def test_persona_voice_settings_reach_the_tts():
    voice = ANGRY.voice_settings()
    speaker, player = RecordingSpeaker(), CountingPlayer()
    speak_customer(speaker, player, ANGRY, REFUND.opening)
    text, kwargs = speaker.calls[0]
    assert text == REFUND.opening and player.played == [10]
    assert kwargs == {"voice": voice.pick_voice(speaker.installed_voices()), "rate": voice.rate, "pitch": voice.pitch}
    assert kwargs["voice"] == "en+m3" and kwargs["rate"] == 200  # "male" hint matched an installed voice
    # Each persona keeps its own voice.
    others = {p.id: persona_speech_kwargs(p, speaker) for p in LIB.personas.values()}
    assert len({(k["rate"], k["pitch"]) for k in others.values()}) > 1


def test_speaker_without_voices_still_gets_rate_and_pitch():
    speaker = SilentSpeaker()
    speak_customer(speaker, NullPlayer(), ANGRY, "Hello")
    assert speaker.voiced == [("Hello", {"voice": None, "rate": ANGRY.voice.rate, "pitch": ANGRY.voice.pitch})]
    assert speaker.spoken == ["Hello"]


def test_pitch_is_part_of_the_tts_cache_key_only_when_not_neutral():
    assert cache_key("hi", "v", 150) == cache_key("hi", "v", 150, 50) == cache_key("hi", "v", 150, None)
    assert cache_key("hi", "v", 150, 40) != cache_key("hi", "v", 150)


def test_spoken_turn_is_transcribed_and_answered(tmp_path):
    session = RolePlaySession(REFUND, ANGRY)
    transcriber = ScriptedTranscriber(["That's our policy, refunds are only within 30 days"])
    source = ArraySource(speech_like([(0.3, 2.3)], 2.6))
    events = list(run_turn(session, source, transcriber, end_silence_s=0.8, audio_path=tmp_path / "t1.wav"))
    ended = [e for e in events if isinstance(e, Ended)]
    taken = events[-1]
    assert len(ended) == 1 and ended[0].reason.value == "silence"
    assert isinstance(taken, TurnTaken) and taken.text.startswith("That's our policy")
    assert "not even listening" in taken.reply.text and "bare_policy" in taken.candidate.cues
    assert taken.audio_path == tmp_path / "t1.wav" and taken.audio_path.stat().st_size > 44
    assert session.candidate_turns[0].elapsed_s == taken.duration_s > 2


def test_a_turn_the_microphone_cut_off_is_not_answered_and_its_recording_is_kept(tmp_path):
    """Half a sentence is not a turn: the customer does not react to it (before stop 41 it did, and the
    mood moved on a device failure); the words so far come back to be shown, the audio stays on disk."""
    session = RolePlaySession(REFUND, ANGRY)
    source = ArraySource(speech_like([(0.3, 4.0)], 5.0), lose_after_s=1.5)
    events = list(run_turn(session, source, ScriptedTranscriber(["I'm so sorry, let me"]), end_silence_s=0.8,
                           audio_path=tmp_path / "t1.wav"))
    cut = events[-1]
    assert isinstance(cut, TurnCutOff) and cut.said == "I'm so sorry, let me"
    assert "stopped sending audio" in cut.message and 1.4 < cut.duration_s < 1.7
    assert not any(isinstance(e, TurnTaken) for e in events) and session.candidate_turns == []
    assert (tmp_path / "t1.wav").stat().st_size > 44 + 2 * 16000  # the second and a half heard is kept


def test_turn_limit_ends_a_spoken_turn():
    session = RolePlaySession(REFUND.model_copy(update={"turn_limit_s": 1.0}), ANGRY)
    source = ArraySource(speech_like([(0.0, 10.0)], 10.0))  # never pauses
    events = list(run_turn(session, source, ScriptedTranscriber(["I understand"]), end_silence_s=0.8))
    assert next(e for e in events if isinstance(e, Ended)).reason.value == "time limit"
    assert isinstance(events[-1], TurnTaken) and events[-1].end_reason == "time limit"


def test_silence_counts_as_silence_and_debrief_explains_each_turn():
    session = RolePlaySession(REFUND, ANGRY)
    first = take_turn(session, "   ", 5.0)
    assert first.text == "..." and "silence" in first.candidate.cues
    take_turn(session, "I'm so sorry, that sounds really frustrating. Can you tell me what happened?", 6.0)
    items = debrief_items(session.result())
    assert [i.number for i in items] == [1, 2]
    assert items[0].effect == "escalated" and items[1].effect == "calmed"
    assert items[1].mood_before == items[0].mood_after and items[1].mood_after > items[1].mood_before
    assert "acknowledged" in items[1].why and items[1].reply


# -- turns as stored answers ------------------------------------------------------------------------
def test_spoken_turn_carries_a_de_escalation_report_and_streams_to_a_writer(tmp_path):
    from simulator.store import SessionStore

    session = RolePlaySession(REFUND, ANGRY)
    transcriber = ScriptedTranscriber(["I'm so sorry, that sounds really frustrating. What happened?"])
    source = ArraySource(speech_like([(0.3, 2.3)], 2.6))
    with SessionStore.open(tmp_path / "sessions.db") as store:
        s = store.start_session(role="retail", mode="roleplay")
        writer = store.open_answer_audio(s.id, 1, REFUND.opening)
        events = list(run_turn(session, source, transcriber, end_silence_s=0.8, writer=writer))
        taken = events[-1]
        assert isinstance(taken, TurnTaken) and taken.report is not None
        assert taken.report.content.rubric == "de-escalation" and taken.report.content.assessable
        assert taken.samples is not None and len(taken.samples) / 16_000 > 2
        assert taken.audio_path == writer.path and writer.path.stat().st_size > 44  # streamed as captured
        record = store.add_answer(s.id, REFUND.opening, taken.report, taken.samples, position=1)
        assert record.content.rubric == "de-escalation" and record.audio_path.suffix == ".flac"
        assert not writer.path.exists()  # the partial recording is gone once the turn is stored


def test_typed_turn_gets_a_typed_de_escalation_report():
    session = RolePlaySession(REFUND, ANGRY)
    taken = take_turn(session, "That's our policy, refunds are only within 30 days", 3.0)
    assert taken.report.options.get("typed") and taken.report.transcript.text.startswith("That's our policy")
    assert taken.report.content.rubric == "de-escalation" and taken.samples is None


def test_a_turns_stored_report_holds_what_the_customer_heard():
    session = RolePlaySession(REFUND, ANGRY)
    taken = take_turn(session, "Okay. I can send you a link by text. One step", 3.0)  # answer-style: no options
    assert taken.candidate.criteria and set(taken.candidate.criteria) == set(taken.report.content.met_ids)


def test_roleplay_summary_keeps_outcome_mood_trail_and_scores():
    from simulator.roleplay.engine import play
    from simulator.session.session_log import roleplay_summary, roleplay_turn_question

    turns = ["I'm so sorry, that sounds really frustrating. Can you tell me what happened?",
             "Thank you for explaining. I can offer you a replacement or store credit, which would you prefer?",
             "I'll put a replacement aside for you now and text you the confirmation within the hour"]
    gen = play(REFUND, ANGRY, turns)
    try:
        while True:
            next(gen)
    except StopIteration as stop:
        result = stop.value
    summary = roleplay_summary(result)
    assert summary["outcome"] == "resolved" and summary["overall"] == result.score.overall
    assert summary["mood_trail"][0] == result.turns[0].mood and len(summary["mood_trail"]) == 4
    assert summary["mood_trail"][-1] == result.score.final_mood
    ref = roleplay_turn_question(REFUND.id, 2, "Fine. What can you do?")
    assert ref.id == "roleplay:refund-outside-policy:2" and ref.text == "Fine. What can you do?"


def test_persona_voice_reaches_the_pyttsx3_engine(tmp_path, monkeypatch):
    """Through the real Pyttsx3Speaker down to pyttsx3's ``setProperty``, with a fake pyttsx3 module."""
    import sys  # noqa: PLC0415
    import types  # noqa: PLC0415

    import soundfile  # noqa: PLC0415

    from simulator.speech import tts  # noqa: PLC0415
    from simulator.speech.tts import Pyttsx3Speaker  # noqa: PLC0415

    class FakeEngine:
        def __init__(self) -> None:
            self.props: list[tuple[str, object]] = []
            self.saved: list[tuple[str, str, dict]] = []
            self._pending: list[str] = []
            self._finished = None

        def getProperty(self, name):  # noqa: N802 - pyttsx3's API
            assert name == "voices"
            return [types.SimpleNamespace(id="gmw/en-us", name="English (America)"),
                    types.SimpleNamespace(id="gmw/en-us+m3", name="English (America) male")]

        def setProperty(self, name, value):  # noqa: N802
            self.props.append((name, value))

        def connect(self, topic, callback):
            self._finished = callback

        def save_to_file(self, text, path):
            self.saved.append((text, path, dict(self.props)))
            self._pending.append(path)

        def runAndWait(self):  # noqa: N802
            for path in self._pending:
                soundfile.write(path, np.full(2205, 0.1, np.float32), 22050, format="WAV")
            self._pending.clear()
            self._finished("utt", True)

        def stop(self) -> None:
            pass

    engine = FakeEngine()
    monkeypatch.setitem(sys.modules, "pyttsx3", types.SimpleNamespace(init=lambda: engine))
    # The engine owner is one per process; this test gets its own, driving the fake engine.
    monkeypatch.setattr(tts._EngineOwner, "_instance", None)
    speaker = Pyttsx3Speaker(cache_dir=tmp_path)
    try:
        utterance = speak_customer(speaker, CountingPlayer(), ANGRY, REFUND.opening)
    finally:
        speaker.close()
    voice = ANGRY.voice_settings()
    assert (voice.voice, voice.rate, voice.pitch) == ("male", 200, 40)
    text, _, props = engine.saved[-1]
    assert text == REFUND.opening and utterance.sample_rate == 22050
    assert props == {"voice": "gmw/en-us+m3", "rate": voice.rate, "pitch": voice.pitch}


# -- a turn with a pause in it ----------------------------------------------------------------------
def test_a_second_sentence_after_a_pause_stays_in_the_turn():
    """A complete sentence, a breath of 1.2 s, a second sentence: one turn holds both, the customer
    answers once (before, the turn ended at the pause and the second sentence was never recorded)."""
    session = RolePlaySession(REFUND, ANGRY)
    transcriber = ScriptedTranscriber(["I'm so sorry about this.", "Let me see what I can do for you."])
    source = ArraySource(speech_like([(0.3, 2.0), (3.2, 5.5)], 6.0))
    events = list(run_turn(session, source, transcriber))
    taken = [e for e in events if isinstance(e, TurnTaken)]
    assert len(taken) == 1 and len(session.candidate_turns) == 1
    assert taken[0].text == "I'm so sorry about this. Let me see what I can do for you."
    assert any(isinstance(e, Resumed) for e in events)
    assert taken[0].samples is not None and len(taken[0].samples) >= 5.5 * 16_000


def test_space_during_the_customers_wait_ends_the_turn_at_once():
    import threading

    session = RolePlaySession(REFUND, ANGRY)
    stop = threading.Event()
    source = ArraySource(speech_like([(0.3, 2.0)], 8.0))
    events = []
    for event in run_turn(session, source, ScriptedTranscriber(["I'm so sorry about this."]), stop=stop):
        events.append(event)
        if isinstance(event, Ended):
            stop.set()  # the candidate pressed space: the customer answers without waiting
    assert isinstance(events[-1], TurnTaken) and len(session.candidate_turns) == 1


def test_a_turn_is_judged_once_for_its_report_and_for_the_customer(monkeypatch):
    import simulator.roleplay.hearing as hearing

    calls: list[str] = []
    judge = hearing.score_content
    monkeypatch.setattr(hearing, "score_content", lambda text, **kw: (calls.append(text), judge(text, **kw))[1])
    session = RolePlaySession(REFUND, ANGRY)
    said = "I'm so sorry, that sounds really frustrating. Can you tell me what happened?"
    taken = take_turn(session, said, 6.0)
    # Counted for this text only: an earlier test's answer loop may still be warming up its scorer
    # on a thread of its own ("I am a real people person...") while this one runs.
    assert calls.count(said) == 1
    met = {c.id for c in taken.report.content.criteria if c.met}
    assert set(taken.candidate.criteria) <= met and "empathy" in met  # the customer heard the report's verdict
