"""When audio misbehaves the app says so and carries on: quitting mid-answer stops capture at once,
a missing speaker or PortAudio is reported on the home screen, never a traceback."""

from __future__ import annotations

import time

from textual.widgets import Static, TextArea

from simulator.audio.capture import ArraySource
from simulator.errors import DeviceError
from simulator.session.interview import Plan
from simulator.tui.app import create_app
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.question import QuestionScreen
from simulator.tui.screens.typed_answer import TimedTypedAnswer
from tests.tui.fakes import speech_like
from tests.tui.test_flow import SIZE, plain, wait_for


def talking_for_a_minute(make_backends):
    """Backends whose microphone delivers a minute of speech in real time; and the sources opened."""
    backends = make_backends(end_silence_s=30.0)
    opened: list[ArraySource] = []

    def microphone() -> ArraySource:
        opened.append(ArraySource(speech_like([(0.0, 60.0)], 60.0), realtime=True))
        return opened[-1]

    backends.source_factory = microphone
    return backends, opened


async def test_quit_mid_answer_stops_capture_at_once_and_keeps_the_take(make_backends):
    backends, opened = talking_for_a_minute(make_backends)
    app = create_app(backends, Plan(mode="rehearsal", count=1), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen) and app.screen.phase == "recording")
        await wait_for(pilot, lambda: app.screen._elapsed_s > 0.5)
        session_id = app.session_log.session.id
        exit_messages = []
        app_exit = app.exit
        app.exit = lambda *a, **kw: (exit_messages.append(kw.get("message")), app_exit(*a, **kw))
        await pilot.press("ctrl+q")
        t_quit = time.monotonic()
    # Printed as the app exits: the take was kept, not scored, and how to score it.
    [message] = exit_messages
    assert "not scored" in message and f"rescore {session_id}" in message
    # The microphone was told to stop as the screen went away, not when 60 s of speech had played.
    deadline = t_quit + 5.0
    while not opened[0]._stopped.is_set() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert opened[0]._stopped.is_set()
    assert time.monotonic() - t_quit < 5.0
    from simulator.store import SessionStore  # noqa: PLC0415

    with SessionStore.open(backends.store_path) as store:
        assert store.get_session(session_id).status == "complete"
        [answer] = store.answers(session_id)  # the take so far is kept, unscored
        assert answer.duration_s > 0.3


async def test_home_says_when_there_is_no_speaker(make_backends):
    backends = make_backends()
    backends.speaker_problem = "no speaker or headphones found (test)"
    app = create_app(backends)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        status = plain(app.screen.query_one("#mic-status", Static))
        assert "Microphone ready" in status
        assert "no speaker or headphones found (test)" in status and "shown on screen" in status


def test_build_backends_without_portaudio_degrades_with_reasons(monkeypatch, tmp_path):
    """PortAudio missing: no microphone, no speaker, each with the install hint; nothing raises."""
    import simulator.audio.devices as devices  # noqa: PLC0415
    from simulator.audio.playback import NullPlayer  # noqa: PLC0415
    from simulator.tui.launch import AudioOptions, build_backends  # noqa: PLC0415

    def no_portaudio():  # noqa: ANN202
        raise DeviceError("PortAudio is not installed (test). Install it (sudo apt install libportaudio2).")

    monkeypatch.setenv("INTERVIEW_SIM_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(devices, "load_sounddevice", no_portaudio)
    backends = build_backends(AudioOptions())
    try:
        assert backends.source_factory is None
        assert "PortAudio is not installed" in backends.microphone_problem
        assert isinstance(backends.player, NullPlayer)
        assert "PortAudio is not installed" in backends.speaker_problem
        # A session started before the model has loaded names the model it will use, not "loading"
        # (stop 44's explorer: every app session with the default model was stored as "loading").
        assert (backends.transcriber.engine, backends.transcriber.model_name) == ("faster-whisper", "base")
    finally:
        backends.speaker.close()


def test_no_speaker_reason_does_not_tell_you_to_type():
    from simulator.audio.devices import no_devices_reason  # noqa: PLC0415

    assert "typing" in no_devices_reason("input")
    out = no_devices_reason("output")
    assert "typing" not in out and "shown on screen" in out


class FakeChooser:
    """Two devices, a microphone that plays the test answer, a speaker that plays nothing."""

    def __init__(self, make_source):  # noqa: ANN001
        from simulator.audio.devices import Device  # noqa: PLC0415

        self.list = [Device(0, "USB headset mic", "ALSA", 1, 0, 48000.0),
                     Device(1, "Built-in speakers", "ALSA", 0, 2, 48000.0, is_default_output=True)]
        self.make_source = make_source
        self.opened: list[int | None] = []
        self.rescans = 0
        self.after_rescan: list | None = None

    def devices(self):  # noqa: ANN201
        return self.list

    def rescan(self):  # noqa: ANN201
        self.rescans += 1
        self.list = self.after_rescan if self.after_rescan is not None else self.list
        return self.list

    def microphone(self, index):  # noqa: ANN001, ANN201
        self.opened.append(index)
        return self.make_source

    def speaker(self, index):  # noqa: ANN001, ANN201
        from simulator.audio.playback import NullPlayer  # noqa: PLC0415

        return NullPlayer()


async def test_no_microphone_then_choose_one_in_the_app_and_answer_aloud(make_backends):
    from textual.widgets import OptionList  # noqa: PLC0415

    from simulator.tui.screens.devices import DeviceScreen  # noqa: PLC0415
    from simulator.tui.screens.feedback import FeedbackScreen  # noqa: PLC0415
    from simulator.tui.screens.typed_answer import TypedAnswerScreen  # noqa: PLC0415

    spoken = make_backends()  # its microphone is what the chosen device will deliver
    backends = make_backends(microphone=False)
    backends.transcriber = spoken.transcriber
    backends.devices = chooser = FakeChooser(spoken.source_factory)
    app = create_app(backends, Plan(mode="rehearsal", count=1), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TypedAnswerScreen) and bool(app.screen.query(TextArea)))
        assert "no microphone found (test)" in str(app.screen.query_one("#typed-reason").render())
        await pilot.press("escape")  # not typing after all
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen) and app.screen.phase == "ready")
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DeviceScreen))
        options = app.screen.query_one("#dev-input", OptionList)
        assert options.option_count == 2  # "type my answers" and the one input device
        assert "USB headset mic" in str(options.get_option_at_index(1).prompt)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: chooser.opened == [0])
        assert "Microphone ready (USB headset mic)" in app.microphone_status
        assert str(app.screen.query_one("#dev-input", OptionList).get_option_at_index(1).prompt).startswith("●")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        answer = app.interview.answers[0]
        assert "reduced complaints" in answer.report.transcript.text
        assert answer.report.delivery.verdicts.speech == "speech"


async def test_rescan_finds_a_new_headset_and_keeps_the_chosen_microphone_by_name(make_backends):
    from textual.widgets import OptionList  # noqa: PLC0415

    from simulator.audio.devices import Device  # noqa: PLC0415
    from simulator.tui.screens.devices import DeviceScreen  # noqa: PLC0415

    backends = make_backends(end_silence_s=30.0)
    backends.devices = chooser = FakeChooser(backends.source_factory)
    app = create_app(backends, Plan(mode="rehearsal", count=1))
    async with app.run_test(size=SIZE) as pilot:
        app.action_devices()
        await wait_for(pilot, lambda: isinstance(app.screen, DeviceScreen))
        await pilot.press("down", "enter")  # the USB headset mic, device 0
        await wait_for(pilot, lambda: chooser.opened == [0])
        # A Bluetooth headset is plugged in; PortAudio renumbers: the USB mic is now device 2.
        chooser.after_rescan = [Device(0, "Built-in speakers", "ALSA", 0, 2, 48000.0, is_default_output=True),
                                Device(1, "Bluetooth headset", "pulse", 1, 2, 48000.0),
                                Device(2, "USB headset mic", "ALSA", 1, 0, 48000.0)]
        await pilot.press("r")
        await wait_for(pilot, lambda: chooser.rescans == 1)
        assert chooser.opened == [0, 2] and backends.input_device == 2  # same microphone, new number
        inputs = app.screen.query_one("#dev-input", OptionList)
        prompts = [str(inputs.get_option_at_index(i).prompt) for i in range(inputs.option_count)]
        assert any("Bluetooth headset" in p for p in prompts)
        assert [p for p in prompts if p.startswith("●")] == [p for p in prompts if "USB headset mic" in p]
        assert any("New: Bluetooth headset." in n.message for n in app._notifications)
        # Unplugged: the chosen microphone is gone, and the candidate is told to choose another.
        chooser.after_rescan = chooser.after_rescan[:2]
        await pilot.press("r")
        await wait_for(pilot, lambda: chooser.rescans == 2)
        assert any("USB headset mic is gone" in n.message for n in app._notifications)


async def test_device_lost_mid_answer_points_to_the_picker_and_typing(make_backends):
    from simulator.tui.screens.devices import DeviceScreen  # noqa: PLC0415
    from simulator.tui.screens.feedback import FeedbackScreen  # noqa: PLC0415

    backends = make_backends(lose_after_s=1.0)
    backends.devices = FakeChooser(backends.source_factory)
    app = create_app(backends, Plan(mode="rehearsal", count=1), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        notes = [n.message for n in app._notifications]
        assert any("stopped sending audio" in n and "Press d" in n for n in notes)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DeviceScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))


async def test_devices_cannot_change_while_recording(make_backends):
    from simulator.tui.screens.devices import DeviceScreen  # noqa: PLC0415

    backends = make_backends(end_silence_s=30.0, realtime=True)
    backends.devices = FakeChooser(backends.source_factory)
    app = create_app(backends, Plan(mode="rehearsal", count=1), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen) and app.screen.phase == "recording")
        await pilot.press("d")
        await pilot.pause(0.1)
        assert not isinstance(app.screen, DeviceScreen)
        assert any("stop this answer first" in n.message for n in app._notifications)
        await pilot.press("escape")


async def test_quit_mid_roleplay_turn_stops_capture_at_once(make_backends):
    from simulator.roleplay.library import load_library  # noqa: PLC0415
    from simulator.tui.roleplay_app import create_roleplay_app  # noqa: PLC0415
    from simulator.tui.screens.roleplay import RolePlayScreen  # noqa: PLC0415

    lib = load_library()
    roleplay = lib.get_roleplay("refund-outside-policy")
    backends, opened = talking_for_a_minute(make_backends)
    app = create_roleplay_app(backends, roleplay, lib.persona_for(roleplay))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, RolePlayScreen) and app.screen.phase == "recording")
        await wait_for(pilot, lambda: app.screen._elapsed_s > 0.5)
        await pilot.press("ctrl+q")
        t_quit = time.monotonic()
    while not opened[0]._stopped.is_set() and time.monotonic() < t_quit + 5.0:
        time.sleep(0.05)
    assert opened[0]._stopped.is_set()


async def test_roleplay_microphone_lost_waits_for_the_candidate_and_d_opens_the_picker(make_backends):
    from simulator.roleplay.library import load_library  # noqa: PLC0415
    from simulator.tui.roleplay_app import create_roleplay_app  # noqa: PLC0415
    from simulator.tui.screens.devices import DeviceScreen  # noqa: PLC0415
    from simulator.tui.screens.roleplay import RolePlayScreen  # noqa: PLC0415

    lib = load_library()
    roleplay = lib.get_roleplay("refund-outside-policy")
    backends = make_backends(lose_after_s=1.0)
    backends.devices = chooser = FakeChooser(backends.source_factory)
    app = create_roleplay_app(backends, roleplay, lib.persona_for(roleplay))
    async with app.run_test(size=SIZE) as pilot:
        # Not waiting for the "recording" phase: the fake microphone is not real-time, so its one
        # second can be read and lost between two checks, and the wait then never ended.
        await wait_for(pilot, lambda: isinstance(app.screen, RolePlayScreen))
        screen = app.screen
        # The microphone dies a second in: the customer did not hear a turn, so does not answer it,
        # and the app waits instead of opening the dead microphone again.
        await wait_for(pilot, lambda: screen.phase == "ready" and "did not hear it" in str(
            screen.query_one("#rp-hint").render()), timeout_s=20)
        assert screen.taken == [] and screen.session.candidate_turns == []
        assert any("Press d to choose another microphone" in n.message for n in app._notifications)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DeviceScreen))
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: chooser.opened == [0])
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("space")  # say it again, on the chosen microphone (this fake one dies too)
        lost = lambda: sum("Press d to choose another microphone" in n.message for n in app._notifications)  # noqa: E731
        await wait_for(pilot, lambda: lost() == 2 and screen.phase == "ready", timeout_s=20)
        assert screen.taken == []
        await pilot.press("t")  # type it instead: the box starts with the words the microphone caught
        await wait_for(pilot, lambda: isinstance(app.screen, TimedTypedAnswer))
        assert app.screen.draft == screen._draft
        app.screen.query_one(TextArea).insert(" I can refund you today.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(screen.taken) == 1, timeout_s=20)
        assert screen.taken[0].text.endswith("I can refund you today.")
        # Stored: both cut-off takes with their recordings, apart from the turn (which has none: typed).
        log = app.session_log
        ids = [a.question.id for a in log.store.answers(log.session.id)]
        assert ids == ["roleplay-cut-off:refund-outside-policy:1"] * 2 + ["roleplay:refund-outside-policy:1"]


async def test_the_app_says_once_when_content_by_meaning_lacks_its_fitted_data(make_backends, monkeypatch, tmp_path):
    from simulator.rubric import fitted  # noqa: PLC0415

    monkeypatch.setenv("INTERVIEW_SIM_CONTENT_ENGINE", "hybrid")
    bad = tmp_path / "semantic_heads.npz"
    bad.write_bytes(b"not a zip")
    monkeypatch.setattr(fitted, "HEAD_FILE", bad)
    app = create_app(make_backends())
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: any("fitted data" in n.message for n in app._notifications))
        notes = [n for n in app._notifications if "fitted data" in n.message]
        assert len(notes) == 1 and notes[0].severity == "warning"
        assert "semantic_heads.npz cannot be read" in notes[0].message and "doctor" in notes[0].message


async def test_the_app_is_quiet_about_fitted_data_that_is_whole(make_backends, monkeypatch):
    monkeypatch.setenv("INTERVIEW_SIM_CONTENT_ENGINE", "hybrid")
    app = create_app(make_backends())
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and app.backends.roleplays is not None)
        await pilot.pause(0.5)  # the warm-up has loaded the role-plays and checked the fitted data
        assert not any("fitted data" in n.message for n in app._notifications)


async def test_a_muted_microphone_is_asked_about_and_the_answer_can_still_be_stopped(make_backends):
    """A muted input sends exact zeros: after 5 s with no word the hint asks whether it is muted and
    says how to change it (devices change between answers); space still ends the answer."""
    from simulator.tui.screens.feedback import FeedbackScreen  # noqa: PLC0415

    backends = make_backends(end_silence_s=None)
    backends.source_factory = lambda: ArraySource(speech_like([], 8.0), noise=0.0, trailing_silence_s=60.0)
    app = create_app(backends, Plan(mode="rehearsal", count=1), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        hint = lambda: " ".join(plain(app.screen.query_one("#q-hint", Static)).split())  # noqa: E731
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen) and "is it muted" in hint())
        assert "then d for another microphone" in hint()
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))


async def test_a_full_disk_while_recording_says_so_not_the_microphone(make_backends, monkeypatch):
    """Stop 44's explorer: "something went wrong while recording: [Errno 28] No space left on device
    ... press d to choose another microphone", advice about a microphone that was fine."""
    import errno

    from simulator.store.recordings import AnswerWriter

    def full(self, block):  # noqa: ANN001, ANN202
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(AnswerWriter, "write", full)
    app = create_app(make_backends(), Plan(role="retail", mode="rehearsal", count=1, seed=1),
                     start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: any("disk is full" in n.message for n in app._notifications), timeout_s=20)
        [note] = [n.message for n in app._notifications if "disk is full" in n.message]
        assert "microphone" not in note and "Errno" not in note
