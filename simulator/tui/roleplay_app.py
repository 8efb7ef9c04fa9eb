"""The app opened straight into a role-play (``interview-sim roleplay --scenario ID``).

A small subclass of :class:`~simulator.tui.app.InterviewApp`: the home screen stays underneath, so
leaving the role-play (or its debrief) lands on the home screen as usual.
"""

from __future__ import annotations

from simulator.audio.devices import quiet_stderr
from simulator.roleplay.library import load_library
from simulator.roleplay.models import Persona, RolePlay
from simulator.tui.app import InterviewApp
from simulator.tui.backends import Backends
from simulator.store.connection import saving_folder
from simulator.tui.launch import AudioOptions, build_backends, require_terminal, say_farewell
from simulator.tui.screens.roleplay import RolePlayScreen


class RolePlayApp(InterviewApp):
    def __init__(self, backends: Backends, roleplay: RolePlay, persona: Persona):
        super().__init__(backends)
        self.roleplay = roleplay
        self.persona = persona

    def on_mount(self) -> None:
        # Textual runs InterviewApp.on_mount too (handlers run along the MRO): it pushes the home
        # screen; push the role-play after it so it sits on top.
        # The store is open by then, so the role-play is stored as a session.
        self.call_after_refresh(lambda: self.push_screen(
            RolePlayScreen(self.roleplay, self.persona, session_log=self.session_log)))


def create_roleplay_app(backends: Backends, roleplay: RolePlay, persona: Persona) -> RolePlayApp:
    """Build the app on a role-play; tests pass fake backends, the CLI real ones."""
    return RolePlayApp(backends, roleplay, persona)


def run_roleplay(roleplay_id: str, opts: AudioOptions | None = None, scenario_dirs: list | tuple = ()) -> int:
    """``interview-sim roleplay --scenario ID``: the app opened on that spoken role-play."""
    lib = load_library(scenario_dirs)
    roleplay = lib.get_roleplay(roleplay_id)  # an unknown id fails here, before the screen opens
    persona = lib.persona_for(roleplay)
    log = saving_folder() / "audio.log"  # a spoken role-play records every turn
    require_terminal()
    with quiet_stderr(log):
        backends = build_backends(opts or AudioOptions())
        app = create_roleplay_app(backends, roleplay, persona)
        app.run()
        backends.speaker.close()
    say_farewell(app, log)
    return int(app.return_code or 0)
