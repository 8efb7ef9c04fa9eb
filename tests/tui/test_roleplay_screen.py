"""Pilot tests of the spoken role-play screen with fake audio and a scripted transcriber."""

from __future__ import annotations

from textual.widgets import Static, TextArea

from simulator.audio.capture import ArraySource
from simulator.roleplay.library import load_library
from simulator.tui.roleplay_app import create_roleplay_app
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.roleplay import RolePlayScreen
from simulator.tui.screens.roleplay_debrief import RolePlayDebriefScreen
from simulator.tui.screens.typed_answer import TimedTypedAnswer
from simulator.tui.widgets.mood_meter import MoodMeter
from tests.tui.fakes import GatedSource, speech_like
from tests.tui.test_flow import SIZE, plain, wait_for

LIB = load_library()
REFUND = LIB.get_roleplay("refund-outside-policy")
ANGRY = LIB.persona_for(REFUND)
GOOD = [
    "I'm so sorry, that sounds really frustrating. Can you tell me what happened?",
    "Thank you for explaining. I can offer you a replacement or store credit, which would you prefer?",
    "I'll put a replacement aside for you now and text you the confirmation within the hour",
]
BAD = [
    "That's our policy, refunds are only within 30 days",
    "That's our policy, refunds are only within 30 days",
    "You should have read the receipt",
]


def spoken_backends(make_backends, phrases):
    """Each turn: one spoken phrase, then silence that ends the turn."""
    backends = make_backends(phrases=phrases)
    backends.fake_transcriber.phrases = list(phrases)  # exactly one phrase per turn, no repeats
    backends.fake_transcriber.delay_s = 0.2  # slow enough for the test to watch the meter move
    backends.source_factory = lambda: ArraySource(speech_like([(0.3, 2.3)], 2.6))
    return backends


def talking_past_the_limit(make_backends):
    """(backends, gate): one turn, "That's our policy", said without a pause for 2.5 s; the
    microphone stays silent until the test opens ``gate`` (after it has seen the turn timer)."""
    backends = make_backends(phrases=["That's our policy"])
    backends.fake_transcriber.phrases = ["That's our policy"]
    gate = GatedSource.gate()
    backends.source_factory = lambda: GatedSource(ArraySource(speech_like([(0.0, 2.5)], 2.5)), gate)
    return backends, gate


def on_debrief(app) -> bool:
    return isinstance(app.screen, RolePlayDebriefScreen) and bool(app.screen.query("#db-turns"))


def on_typed(app) -> bool:
    return isinstance(app.screen, TimedTypedAnswer) and bool(app.screen.query(TextArea))


def on_roleplay(app) -> bool:
    return isinstance(app.screen, RolePlayScreen) and app.screen.session is not None


async def test_good_spoken_path_resolves_and_debriefs(make_backends):
    backends = spoken_backends(make_backends, GOOD)
    app = create_roleplay_app(backends, REFUND, ANGRY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: on_roleplay(app))
        screen = app.screen
        assert REFUND.opening in plain(screen.query_one("#rp-log-text", Static))
        start = screen.query_one(MoodMeter).mood
        moods: list[int] = []

        def progressed() -> bool:
            if isinstance(app.screen, RolePlayScreen) and app.screen.taken:
                moods.append(app.screen.query_one(MoodMeter).mood)
            return on_debrief(app)

        await wait_for(pilot, progressed, timeout_s=20)
        assert [t.text for t in screen.taken] == GOOD
        assert moods and max(moods) > start  # the meter moved up as the customer calmed
        debrief = app.screen
        assert debrief.result.outcome == "resolved"
        outcome = plain(debrief.query_one("#db-outcome", Static))
        assert "resolved" in outcome and f"overall {debrief.result.score.overall}/100" in outcome
        turns = plain(debrief.query_one("#db-turns", Static))
        assert "Turn 1" in turns and "calmed" in turns and "acknowledged" in turns
        # each customer line went through the speaker; each turn's audio was kept
        assert backends.speaker.spoken[0] == REFUND.opening and len(backends.speaker.spoken) == 4
        assert all(t.audio_path is not None and t.audio_path.stat().st_size > 44 for t in screen.taken)
        # the role-play is a stored session: one answer per turn, audio, transcript and score
        [session] = app.store.list_sessions()
        assert session.mode == "roleplay" and session.role == "retail" and session.status == "complete"
        answers = app.store.answers(session.id)
        assert [a.question.text for a in answers] == [REFUND.opening, *[t.reply.text for t in screen.taken[:-1]]]
        assert [a.transcript.text for a in answers] == GOOD
        assert all(a.audio_path is not None and a.audio_path.suffix == ".flac" for a in answers)
        assert [a.audio_path for a in answers] == [t.audio_path for t in screen.taken]
        assert all(a.content.rubric == "de-escalation" and a.duration_s > 2 for a in answers)
        assert answers[0].question.id == "roleplay:refund-outside-policy:1"
        stored = session.settings["roleplay_result"]
        assert stored["outcome"] == "resolved" and stored["overall"] == debrief.result.score.overall
        assert len(stored["mood_trail"]) == 4 and stored["mood_trail"][0] == start
        assert not list(app.store.audio_dir(session.id).glob("*.partial.*"))  # no stray partial recordings
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_bad_spoken_path_escalates_and_says_not_listening(make_backends):
    backends = spoken_backends(make_backends, BAD)
    app = create_roleplay_app(backends, REFUND, ANGRY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: on_roleplay(app))
        screen = app.screen
        start = screen.query_one(MoodMeter).mood
        seen: list[str] = []

        def first_reply() -> bool:
            if isinstance(app.screen, RolePlayScreen) and app.screen.taken:
                seen.append(plain(app.screen.query_one("#rp-customer", Static)))
                seen.append(app.screen.query_one(MoodMeter).describe())
                return True
            return False

        await wait_for(pilot, first_reply, timeout_s=15)
        assert "not even listening" in seen[0]
        assert screen.query_one(MoodMeter).mood < start and "furious" in seen[1]
        assert "not even listening" in plain(screen.query_one("#rp-log-text", Static))
        await wait_for(pilot, lambda: on_debrief(app), timeout_s=20)
        result = app.screen.result
        assert result.outcome == "abandoned" and result.score.overall < 40
        assert "escalated" in plain(app.screen.query_one("#db-turns", Static))


async def test_turn_timer_ends_a_spoken_turn(make_backends):
    quick = REFUND.model_copy(update={"turn_limit_s": 1.0})
    # The candidate talks past the limit without a pause: the limit ends the turn and the words said
    # past it are kept with it (recording goes on until they are quiet). The microphone stays silent
    # until the test has seen the turn timer, so a busy CPU cannot make the turn end unseen.
    backends, gate = talking_past_the_limit(make_backends)
    app = create_roleplay_app(backends, quick, ANGRY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, RolePlayScreen) and app.screen.phase == "recording")
        screen = app.screen
        await wait_for(pilot, lambda: "Turn time left" in plain(screen.query_one("#rp-timer", Static)))
        gate.set()
        await wait_for(pilot, lambda: bool(screen.taken), timeout_s=8)
        taken = screen.taken[0]
        assert taken.end_reason == "time limit" and 2.4 <= taken.duration_s < 4.5
        assert "time's up" in plain(screen.query_one("#rp-log-text", Static))
        await pilot.press("escape")  # leaving mid-drill shows the debrief so far
        await wait_for(pilot, lambda: on_debrief(app))
        assert app.screen.result.outcome == "unfinished"


async def test_typed_turn_times_out_at_the_turn_limit(make_backends):
    quick = REFUND.model_copy(update={"turn_limit_s": 1.5})
    backends = make_backends(microphone=False)
    app = create_roleplay_app(backends, quick, ANGRY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: on_typed(app))
        screen = next(s for s in app.screen_stack if isinstance(s, RolePlayScreen))
        app.screen.query_one(TextArea).text = "That's our policy"
        await wait_for(pilot, lambda: bool(screen.taken), 5)
        taken = screen.taken[0]
        assert taken.end_reason == "time limit" and "over_time" in taken.candidate.cues
        # the next turn is typed (no microphone), and a typed reply is taken as is
        await wait_for(pilot, lambda: on_typed(app) and app.screen.started > 0)
        app.screen.limit_s = 60  # this turn is not under test for time
        app.screen.query_one(TextArea).text = GOOD[0]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.taken[-1].text == GOOD[0], 5)
        assert screen.taken[-1].end_reason == "typed" and screen.taken[-1].candidate.mood_delta > 0


async def test_elapsed_clock_clears_while_the_customer_speaks(make_backends):
    import threading  # noqa: PLC0415

    from simulator.speech.tts import SilentSpeaker  # noqa: PLC0415

    class HeldSpeaker(SilentSpeaker):
        """Holds the customer's second line 'on air' until the test has looked at the screen."""

        def __init__(self) -> None:
            super().__init__()
            self.release = threading.Event()

        def render(self, text):  # noqa: ANN001, ANN201
            if self.spoken:  # the opening plays at once; the reply waits
                self.release.wait(10)
            return super().render(text)

    backends = spoken_backends(make_backends, GOOD)
    backends.speaker = HeldSpeaker()
    app = create_roleplay_app(backends, REFUND, ANGRY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: on_roleplay(app))
        screen = app.screen
        shown: list[str] = []

        def customer_speaking_again() -> bool:
            shown.append(plain(screen.query_one("#rp-elapsed", Static)))
            return bool(screen.taken) and screen.phase == "speaking"

        await wait_for(pilot, customer_speaking_again, timeout_s=20)
        assert any("Elapsed" in text for text in shown)  # the clock ran during the turn
        await pilot.pause(0.3)  # any level still queued from the finished turn arrives
        try:
            assert plain(screen.query_one("#rp-elapsed", Static)).strip() == ""
        finally:
            backends.speaker.release.set()
        await wait_for(pilot, lambda: screen.phase == "recording", timeout_s=10)


async def test_going_on_after_a_pause_stays_in_the_same_turn(make_backends):
    """A finished sentence, a 1.2 s breath, a second sentence: the screen goes back to recording
    while the customer waits, and the turn holds both sentences (one customer reply, not two)."""
    phrases = ["I'm so sorry about this.", "Can you tell me what happened?"]
    backends = make_backends(phrases=phrases)
    backends.fake_transcriber.phrases = list(phrases)
    backends.source_factory = lambda: ArraySource(speech_like([(0.3, 2.0), (3.2, 5.0)], 5.5))
    app = create_roleplay_app(backends, REFUND, ANGRY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: on_roleplay(app))
        screen = app.screen
        phases: list[str] = []
        set_phase = screen.set_phase
        screen.set_phase = lambda phase, hint=None: (phases.append(phase), set_phase(phase, hint))[1]
        await wait_for(pilot, lambda: bool(screen.taken), timeout_s=15)
        assert screen.taken[0].text == " ".join(phrases)
        assert len(screen.session.candidate_turns) == 1
        first_turn = phases[:phases.index("speaking")] if "speaking" in phases else phases
        assert first_turn[-3:] == ["analysing", "recording", "analysing"], phases  # ended, resumed, ended


async def test_leaving_while_the_customer_waits_keeps_the_turn_just_said(make_backends):
    """Escape in the moment between the end of a turn and the customer's answer: the turn counts in
    the debrief and is stored scored, not dropped as a take cut short."""
    backends = make_backends(phrases=GOOD[:1])
    backends.fake_transcriber.phrases = GOOD[:1]
    # After the turn ends, the microphone sends nothing: the 1.5 s wait passes on the wall clock.
    backends.source_factory = lambda: ArraySource(speech_like([(0.3, 2.3)], 2.3), trailing_silence_s=1.2)
    app = create_roleplay_app(backends, REFUND, ANGRY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: on_roleplay(app))
        screen = app.screen
        await wait_for(pilot, lambda: screen.phase == "analysing", timeout_s=10)
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_debrief(app), timeout_s=10)
        assert [t.text for t in screen.taken] == GOOD[:1]
        assert len(app.screen.result.turns) >= 2  # the opening and the turn (with the customer's reply)
        [session] = app.store.list_sessions()
        [answer] = app.store.answers(session.id)
        assert answer.transcript.text == GOOD[0] and answer.content is not None


async def test_words_said_over_the_end_of_the_customers_line_are_in_the_turn(make_backends):
    # The microphone used to open only once the customer had finished: "I'm so sorry" said over
    # their last word was never recorded. Now it opens while they speak, as for a question.
    from tests.tui.test_flow import spoken_over_microphone, voice_recorded_s

    backends = spoken_backends(make_backends, GOOD)
    spoken_over_microphone(backends)  # each turn begun 0.6 s before the customer stopped, 2.6 s long
    app = create_roleplay_app(backends, REFUND, ANGRY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: on_roleplay(app) and bool(app.screen.taken), timeout_s=20)
        [first, *_] = app.screen.taken
        assert voice_recorded_s(first.audio_path) >= 2.5  # all 2.6 s, not the 2.0 s after the line
