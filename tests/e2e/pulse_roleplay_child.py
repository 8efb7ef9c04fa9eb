"""Run in a subprocess by test_pulse_loop.py, with PULSE_SERVER already set: the real role-play app,
built by the real ``build_backends`` (pyttsx3, sounddevice, the bundled model), runs headless. The
customer's opening is spoken into the virtual sink; once the app records the candidate's turn, a
fixture turn is played into the sink (whose monitor is the default microphone); the first turn as
the screen took it and as the store kept it are printed as JSON.

    python -m tests.e2e.pulse_roleplay_child TURN ROLEPLAY_ID [--quick]

``--quick``: the turn starts the moment the app shows it records (no wait for the microphone's first
block), as a candidate who answers the customer at once.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from simulator.roleplay.library import load_library
from simulator.tui.launch import AudioOptions, build_backends
from simulator.tui.roleplay_app import create_roleplay_app
from simulator.tui.screens.roleplay import RolePlayScreen
from tests.e2e.candidate import speak
from tests.e2e.pulse_app_child import TIMEOUT_S, until


async def main(fixture: str, roleplay_id: str, *, quick: bool = False) -> dict:
    lib = load_library()
    roleplay = lib.get_roleplay(roleplay_id)
    backends = build_backends(AudioOptions(beam_size=1, silence_s=None))  # the app's own end-of-turn judge
    app = create_roleplay_app(backends, roleplay, lib.persona_for(roleplay))
    deadline = time.monotonic() + TIMEOUT_S
    result: dict = {"microphone": backends.source_factory is not None}
    async with app.run_test(size=(120, 50)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RolePlayScreen) and app.screen.phase == "recording",
                    "recording", deadline - time.monotonic())
        screen = app.screen
        phases: list[str] = []
        set_phase = screen.set_phase
        screen.set_phase = lambda phase, hint=None: (phases.append(phase), set_phase(phase, hint))[1]
        if not quick:
            await until(pilot, lambda: screen._elapsed_s > 0.0, "first microphone block", deadline - time.monotonic())
        speak(fixture)
        await until(pilot, lambda: bool(screen.taken), "the customer's reply", deadline - time.monotonic())
        taken = screen.taken[0]
        result.update(text=taken.text, end_reason=taken.end_reason, duration_s=taken.duration_s,
                      turns=len(screen.session.candidate_turns), phases=phases,
                      errors=[n.message for n in app._notifications if n.severity == "error"])
        [stored] = app.store.list_sessions()
        answers = app.store.answers(stored.id)
        result["stored"] = [{"text": a.transcript.text, "duration_s": a.duration_s,
                             "audio_path": a.audio_path and str(a.audio_path)} for a in answers]
        await pilot.press("ctrl+q")
    backends.speaker.close()
    return result


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1], sys.argv[2], quick="--quick" in sys.argv))), flush=True)
