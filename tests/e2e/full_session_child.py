"""Run in a subprocess by test_full_session.py, with PULSE_SERVER already set: the real app (real
``build_backends``: pyttsx3, sounddevice, the bundled model) through the virtual sound card, for a
whole practice: a rehearsal whose story has no result (so the interviewer's follow-up asks for it),
answered aloud twice; then a spoken role-play turn and the debrief; then history, replay and the
HTML export of both sessions. Prints what each screen showed as JSON.

    python -m tests.e2e.full_session_child STORY.wav OUTCOME.wav TURN.wav
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading

from textual.widgets import DataTable

from simulator.audio.files import read_audio
from simulator.audio.playback import SoundDevicePlayer
from simulator.rubric import load_bank
from simulator.session.interview import Plan
from simulator.tui.app import create_app
from simulator.tui.launch import AudioOptions, build_backends
from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.question import QuestionScreen
from simulator.tui.screens.replay import ReplayScreen
from simulator.tui.screens.roleplay import RolePlayScreen
from simulator.tui.screens.roleplay_debrief import RolePlayDebriefScreen
from simulator.tui.screens.summary import SummaryScreen
from tests.e2e.pulse_app_child import OneQuestionBank, plain, until

QUESTION = "proud-of-service"  # a STAR question
ROLEPLAY = "refund-outside-policy"


def say(samples) -> None:  # noqa: ANN001 - the candidate speaks into the virtual sink (the microphone)
    threading.Thread(target=SoundDevicePlayer().play, args=(samples, 16000), daemon=True).start()


async def answer_aloud(pilot, samples) -> None:  # noqa: ANN001
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, QuestionScreen) and app.screen.phase == "recording",
                "listening")
    await until(pilot, lambda: app.screen._elapsed_s > 0.0, "first microphone block")
    say(samples)
    await until(pilot, lambda: isinstance(app.screen, FeedbackScreen), "feedback")


async def main(story: str, outcome: str, turn: str) -> dict:
    backends = build_backends(AudioOptions(beam_size=1, silence_s=1.5))
    backends.recover_fillers = False  # one decode per phrase: keep the shared CPU for the rest
    backends.bank = OneQuestionBank(load_bank(), QUESTION)
    out: dict = {"microphone": backends.source_factory is not None}
    app = create_app(backends, Plan(role="general", mode="rehearsal", count=1, follow_ups="one"),
                     start_immediately=True)
    async with app.run_test(size=(120, 50)) as pilot:
        # -- the rehearsal: the story, the follow-up it draws, the summary
        await answer_aloud(pilot, read_audio(story).samples)
        out["story_feedback"] = plain(app.screen.query_one("#fb-content"))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, QuestionScreen) and app.interview.follow_up is not None,
                    "the follow-up question")
        out["follow_up"] = app.interview.current.text
        await answer_aloud(pilot, read_audio(outcome).samples)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen), "summary")
        out["answers"] = [{"question": a.question.text, "parent": a.parent_id, "text": a.report.transcript.text,
                           "rubric": a.report.content.rubric if a.report.content else None}
                          for a in app.interview.answers]
        rehearsal_id = app.session_log.store.list_sessions()[0].id
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")

        # -- the role-play: the customer speaks, one spoken turn, the customer replies, leave: debrief
        app.start_roleplay(ROLEPLAY)
        await until(pilot, lambda: isinstance(app.screen, RolePlayScreen) and app.screen.phase == "recording",
                    "role-play listening")
        screen = app.screen
        await until(pilot, lambda: screen._elapsed_s > 0.0, "first microphone block (role-play)")
        say(read_audio(turn).samples)
        await until(pilot, lambda: len(screen.taken) == 1 and screen.phase in ("speaking", "recording", "ready"),
                    "the turn taken")
        out["turn_text"] = screen.taken[0].text
        out["customer_reply"] = screen.taken[0].reply.text
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RolePlayDebriefScreen), "debrief")
        out["debrief"] = plain(app.screen.query_one("#db-outcome"))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home again")

        # -- history: both sessions; replay the rehearsal; export both as HTML
        await pilot.press("h")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.query_one(
            "#hist-sessions", DataTable).row_count == 2, "history with both sessions")
        table = app.screen.query_one("#hist-sessions", DataTable)
        out["history_rows"] = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        exported = []
        for row in range(2):
            table.move_cursor(row=row)
            await pilot.pause(0.2)
            exported.append(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))
            await pilot.press("x")
            await pilot.pause(0.5)
        out["exported"] = exported
        out["errors"] = [n.message for n in app._notifications if n.severity == "error"]
        table.move_cursor(row=exported.index(rehearsal_id))
        await pilot.pause(0.2)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReplayScreen)
                    and plain(app.screen.query_one("#replay-transcript")).strip() != "", "replay")
        out["replay_transcript"] = plain(app.screen.query_one("#replay-transcript"))
        out["rehearsal_id"] = rehearsal_id
        out["data_dir"] = str(app.session_log.store.root)
        await pilot.press("ctrl+q")
    backends.speaker.close()
    return out


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(*sys.argv[1:4]))), flush=True)
