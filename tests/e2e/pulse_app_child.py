"""Run in a subprocess by test_pulse_loop.py, with PULSE_SERVER already set: the real app, built by
the real ``build_backends`` (pyttsx3, sounddevice, the bundled model), runs headless. It speaks the
question into the virtual sink; once it listens, a fixture answer is played into the sink (whose
monitor is the default microphone); the feedback screen's content and the stored answer are printed
as JSON.

    python -m tests.e2e.pulse_app_child ANSWER QUESTION_ID [--quick] [--judged] [--drill] [--over-question S]

``--quick``: the answer starts the moment the app shows it listens (no wait for the microphone's
first block), as a candidate who answers at once. ``--judged``: the app's own end-of-turn judge
ends the answer (no fixed silence). ``--drill``: a timed drill whose think time (60 s) is still
counting down when the candidate starts to answer, without pressing a key. ``--over-question S``:
the answer starts ``S`` seconds after the question starts playing, over the rest of it, as a
candidate who knows the question from its first words; they wear headphones (the microphone is the
monitor of the sink ``mic`` the answer plays into; set it as the default source first)."""

from __future__ import annotations

import asyncio
import json
import sys
import time

from simulator.rubric import load_bank
from simulator.session.interview import Plan
from simulator.tui.app import create_app
from simulator.tui.launch import AudioOptions, build_backends
from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.question import QuestionScreen
from simulator.tui.screens.summary import SummaryScreen
from tests.e2e.candidate import speak

TIMEOUT_S = 90.0


class OneQuestionBank:
    """The bundled bank, asking only ``question_id`` (everything else is the real bank)."""

    def __init__(self, bank, question_id: str):  # noqa: ANN001
        self._bank = bank
        self._question = bank.get_question(question_id)

    def questions_for(self, **_kw):  # noqa: ANN003, ANN201
        return [self._question]

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._bank, name)


async def until(pilot, predicate, what: str, timeout_s: float = TIMEOUT_S) -> None:  # noqa: ANN001
    """Let the app run until ``predicate()`` holds on a screen that has finished mounting, or exit
    with ``what`` after ``timeout_s`` of wall time."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if predicate() and pilot.app.screen.is_mounted:
                return
        except Exception:  # noqa: BLE001, S110 - a screen between compose and mount
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{what}: not reached in time (screen {pilot.app.screen!r})")
        await pilot.pause(0.05)


def plain(widget) -> str:  # noqa: ANN001 - a Static
    import io  # noqa: PLC0415

    from rich.console import Console  # noqa: PLC0415

    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


async def main(fixture: str, question_id: str, *, quick: bool = False, judged: bool = False,
               drill: bool = False, over_question_s: float | None = None) -> dict:
    backends = build_backends(AudioOptions(beam_size=1, silence_s=None if judged else 1.5))
    backends.recover_fillers = False  # one decode per phrase: keep the shared CPU for the rest
    backends.bank = OneQuestionBank(load_bank(), question_id)
    result: dict = {"microphone": backends.source_factory is not None, "speaker_problem": backends.speaker_problem}
    plan = (Plan(role="general", mode="drill", count=1, follow_ups="off", think_s=60.0, limit_s=90.0) if drill
            else Plan(role="general", mode="rehearsal", count=1, follow_ups="off"))
    app = create_app(backends, plan, start_immediately=True)
    deadline = time.monotonic() + TIMEOUT_S
    async with app.run_test(size=(120, 50)) as pilot:
        if over_question_s is not None:
            await until(pilot, lambda: isinstance(app.screen, QuestionScreen) and app.screen._question_playing.is_set(),
                        "question playing", deadline - time.monotonic())
            await asyncio.sleep(over_question_s)
            # On headphones: the answer goes to the microphone's own sink, not over the question.
            speak(fixture, "mic")
        phase = "thinking" if drill else "recording"
        await until(pilot, lambda: isinstance(app.screen, QuestionScreen) and app.screen.phase == phase,
                    "listening", deadline - time.monotonic())
        result["question_renders"] = getattr(backends.speaker, "renders", None)
        # The app listens: "the candidate" answers into the sink, after the first input block arrives
        # (or at once, with --quick).
        if drill:
            await asyncio.sleep(1.0)  # a second into the think time, the candidate is ready
        elif not quick and over_question_s is None:
            await until(pilot, lambda: app.screen._elapsed_s > 0.0, "first microphone block",
                        deadline - time.monotonic())
        if over_question_s is None:
            speak(fixture)
        # until() also waits for the screen to finish mounting: a screen is current as soon as it
        # is pushed, its widgets exist a few frames later on a loaded machine.
        if drill:
            await until(pilot, lambda: app.screen.phase == "recording", "recording started by speaking", 10.0)
            result["session_id"] = app.session_log.session.id if app.session_log and app.session_log.session else None
            await until(pilot, lambda: isinstance(app.screen, SummaryScreen), "summary", deadline - time.monotonic())
        else:
            await until(pilot, lambda: isinstance(app.screen, FeedbackScreen), "feedback", deadline - time.monotonic())
            screen = app.screen
            result["feedback_transcript"] = plain(screen.query_one("#fb-transcript"))
            result["feedback_delivery"] = plain(screen.query_one("#fb-delivery"))
            result["feedback_content"] = plain(screen.query_one("#fb-content"))
        result["errors"] = [n.message for n in app._notifications if n.severity == "error"]
        result["notes"] = [n.message for n in app._notifications]
        report = app.interview.answers[0].report
        result.update(text=report.transcript.text, wpm=report.delivery.wpm, speech=report.delivery.verdicts.speech,
                      rubric=report.content.rubric if report.content else None,
                      met=[c.id for c in report.content.criteria if c.met] if report.content else [])
        if app.session_log and app.session_log.session:  # a drill's is closed by the summary: taken above
            result["session_id"] = app.session_log.session.id
        await pilot.press("ctrl+q")
    backends.speaker.close()
    return result


if __name__ == "__main__":
    over = sys.argv.index("--over-question") if "--over-question" in sys.argv else None
    out = asyncio.run(main(sys.argv[1], sys.argv[2], quick="--quick" in sys.argv, judged="--judged" in sys.argv,
                           drill="--drill" in sys.argv,
                           over_question_s=float(sys.argv[over + 1]) if over is not None else None))
    print(json.dumps(out), flush=True)
