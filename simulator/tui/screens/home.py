"""Home: choose a role family, a mode (an interview, or a role-play picked from that family's) and
how many questions with how many follow-ups, then start; below, the recent sessions and a one-line
trend, with keys to the history and replay screens."""

from __future__ import annotations

from typing import get_args

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static

from simulator.errors import SimulatorError
from simulator.rubric.models import RoleFamily
from simulator.session.interview import Plan
from simulator.tui.home_prefs import load_home_prefs, save_home_prefs
from simulator.tui.widgets.choice import Choice
from simulator.tui.widgets.trend import summary_row, trend_line

RECENT = 5

DISCLAIMER = ("Scores are coaching aids for practice, not predictions of whether you will be hired. "
              "Everything stays on this computer.")
MODES = (("Rehearsal — untimed, feedback after each answer", "rehearsal"),
         ("Timed drill — think time, answer limit, auto-advance", "drill"),
         ("Rapid fire — short think time, 30 s answers", "rapid"),
         ("Role-play — answer an upset customer, turn by turn", "roleplay"))
ROLEPLAY = "roleplay"
FOLLOW_UPS = (("Off", "off"), ("One per question", "one"), ("Up to two per question", "two"))
FOLLOW_UP_PLAN: dict[str, str | int] = {"off": "off", "one": "one", "two": 2}


def follow_up_choice(follow_ups: str | int) -> str:
    """The home screen's choice for a plan's follow-up setting."""
    if follow_ups in ("off", 0, "0"):
        return "off"
    if follow_ups in ("one", 1, "1"):
        return "one"
    return "two"


def roleplay_choices(library, role: str) -> list[tuple[str, str]]:  # noqa: ANN001 - a RolePlayLibrary
    """``(label, id)`` for the role-plays of ``role``'s family, or all of them if it has none."""
    everything = sorted(library.roleplays.values(), key=lambda rp: (rp.role, rp.title))
    chosen = [rp for rp in everything if rp.role == role] or everything
    return [(f"{rp.title} ({rp.role.replace('-', ' ')})", rp.id) for rp in chosen]


def _seconds_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _seconds(text: str, low: float, high: float) -> float | None:
    """Seconds typed in a home field, kept within ``low``..``high`` (the CLI's range); blank or
    half-typed: ``None`` (the mode's default)."""
    try:
        return max(low, min(high, float(text)))
    except ValueError:
        return None


def _whole(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:  # "-" or "+": half-typed
        return default


class HomeScreen(Screen):
    BINDINGS = [("enter", "start", "Start"), ("h", "app.history", "History"), ("r", "replay", "Replay"),
                ("d", "app.devices", "Devices"), ("f1", "app.help", "Help"), ("ctrl+q", "app.quit", "Quit")]

    def __init__(self, plan: Plan | None = None, *, deferred: bool = False):
        super().__init__()
        if plan is None:  # a plain launch: the role and count chosen last time, if any
            plan = Plan(follow_ups="one", **load_home_prefs())
        self.plan = plan
        self.form = "deferred" if deferred else "ready"
        """The form's state: "ready" once composed. A home screen made ``deferred`` (the app started
        straight into a question, over it) composes nothing until :meth:`build` ("building" while
        the form mounts), so that the first question is asked without waiting for the form."""

    def compose(self) -> ComposeResult:
        if self.form == "deferred":
            return
        yield Header()
        with VerticalScroll(id="home-scroll"), Vertical(id="home-form"):
            yield Static("Mock interview practice for customer-service jobs", id="home-title")
            yield Label("Role family")
            yield Choice([(r.replace("-", " "), r) for r in get_args(RoleFamily)], value=self.plan.role,
                         allow_blank=False, id="role")
            yield Label("Mode")
            yield Choice(list(MODES), value=self.plan.mode, allow_blank=False, id="mode")
            with Vertical(id="interview-options"):
                yield Label("Questions")
                yield Input(str(self.plan.count), type="integer", id="count")
                yield Label("Think time, seconds (timed modes; blank: the mode's)")
                yield Input(_seconds_text(self.plan.think_s), type="number", placeholder="mode default", id="think")
                yield Label("Answer limit, seconds (timed modes; blank: the question's)")
                yield Input(_seconds_text(self.plan.limit_s), type="number", placeholder="mode default", id="limit")
                yield Label("Interviewer follow-ups")
                yield Choice(list(FOLLOW_UPS), value=follow_up_choice(self.plan.follow_ups), allow_blank=False,
                             id="follow-ups")
            with Vertical(id="roleplay-options"):
                yield Label("Role-play")
                options = self._roleplay_options(self.plan.role)
                yield Choice(options, allow_blank=not options, id="roleplay")
            with Horizontal(id="home-buttons"):
                yield Button("Start", variant="primary", id="start")
                yield Button("History", id="history")
                yield Button("Replay", id="replay")
                yield Button("Help", id="help")
            yield Static("", id="model-status")
            yield Static("", id="mic-status")
            yield Static("Recent sessions", classes="section")
            yield Static("", id="home-trend")
            yield DataTable(id="recent", cursor_type="row", show_cursor=True)
            yield Static(DISCLAIMER, id="disclaimer")
        yield Footer()

    def on_mount(self) -> None:
        if self.form == "ready":
            self._set_up()

    async def build(self) -> None:
        """Compose the form of a home screen made ``deferred`` (once, and only while the screen is
        in the app's stack and the app is running: a form mounting while the app shuts down fails
        inside Textual's Select, whose label is gone before it is set)."""
        if self.form != "deferred" or not self._in_stack() or not self.app.is_running:
            return
        self.form = "building"
        await self.recompose()
        if not self._in_stack() or not self.app.is_running or not self.query("#home-form"):
            return  # the app began closing while the form mounted
        self.form = "ready"
        self._set_up()

    def _in_stack(self) -> bool:
        return self.is_attached and self in self.app.screen_stack

    def _set_up(self) -> None:
        self._show_mode_options()
        self.refresh_status()
        self.refresh_sessions()
        self.query_one("#start", Button).focus()  # Enter starts; Tab moves through the form

    def _roleplay_options(self, role: str) -> list[tuple[str, str]]:
        try:
            library = self.app.backends.get_roleplays()  # type: ignore[attr-defined]
        except SimulatorError as e:
            self.notify(f"Role-plays unavailable: {e}", severity="error")
            return []
        return roleplay_choices(library, role)

    def _show_mode_options(self) -> None:
        roleplay = self.query_one("#mode", Select).value == ROLEPLAY
        self.query_one("#interview-options").display = not roleplay
        self.query_one("#roleplay-options").display = roleplay

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "mode":
            self._show_mode_options()
        elif event.select.id == "role":
            picker = self.query_one("#roleplay", Select)
            options = self._roleplay_options(str(event.value))
            current = picker.value
            if not options:
                return
            picker.set_options(options)
            if any(value == current for _, value in options):
                picker.value = current

    async def on_screen_resume(self) -> None:
        if self.form != "ready":
            if self.app.screen is self:  # back before the app built it (Escape at once): build it now
                await self.build()
            return  # (else pushed under the first question: the app builds it when that plays)
        self.refresh_sessions()  # a session may have been stored since
        # Back from a session: on Start again, so Enter starts (not on the sessions table, where
        # Tab-Tab-Enter opened a replay).
        self.query_one("#start", Button).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in ("count", "think", "limit"):  # Enter in a number field starts, like Start
            event.stop()
            self.action_start()

    def refresh_sessions(self) -> None:
        """The last few stored sessions, newest first, and the trend over the last ten."""
        store = self.app.store  # type: ignore[attr-defined]
        table = self.query_one("#recent", DataTable)
        trend = self.query_one("#home-trend", Static)
        table.clear(columns=True)
        if store is None:
            trend.update("Sessions are not being saved (the session store could not be opened).")
            table.display = False
            return
        summaries = store.summaries()
        line = trend_line(summaries)
        if summaries and line.plain.startswith("No scored sessions yet"):
            line = Text("No scores to chart yet: the sessions below have no pace, filler or content scores "
                        "(role-plays and unscored answers); your trend appears here after a scored one.",
                        style="dim")
        trend.update(line)
        table.display = bool(summaries)
        table.add_columns("Date", "Role", "Mode", "Answers", "WPM", "Fillers/min", "Content")
        for s in reversed(summaries[-RECENT:]):
            table.add_row(*summary_row(s), key=s.session.id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.action_replay(event.row_key.value)  # type: ignore[attr-defined]

    def action_replay(self) -> None:
        if self.form != "ready":
            return
        table = self.query_one("#recent", DataTable)
        session_id = None
        if table.has_focus and table.row_count:
            session_id = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self.app.action_replay(session_id)  # type: ignore[attr-defined]

    def refresh_status(self) -> None:
        if self.form != "ready":
            return  # shown when the form is set up
        self.query_one("#model-status", Static).update(self.app.model_status)  # type: ignore[attr-defined]
        audio = [self.app.microphone_status, self.app.speaker_status]  # type: ignore[attr-defined]
        self.query_one("#mic-status", Static).update("\n".join(line for line in audio if line))

    def chosen_plan(self) -> Plan:
        count_text = self.query_one("#count", Input).value or "5"
        return Plan(
            role=str(self.query_one("#role", Select).value),
            mode=self.query_one("#mode", Select).value,  # type: ignore[arg-type]
            count=max(1, min(20, _whole(count_text, 5))),
            think_s=_seconds(self.query_one("#think", Input).value, 0.0, 600.0),
            limit_s=_seconds(self.query_one("#limit", Input).value, 5.0, 900.0), seed=self.plan.seed,
            follow_ups=FOLLOW_UP_PLAN[str(self.query_one("#follow-ups", Select).value)],
        )

    def chosen_roleplay(self) -> str | None:
        """The role-play picked, when the mode is role-play."""
        if self.query_one("#mode", Select).value != ROLEPLAY:
            return None
        value = self.query_one("#roleplay", Select).value
        return str(value) if value != Select.NULL else None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()
        elif event.button.id == "history":
            self.app.action_history()  # type: ignore[attr-defined]
        elif event.button.id == "replay":
            self.action_replay()
        elif event.button.id == "help":
            self.app.action_help()  # type: ignore[attr-defined]

    def action_start(self) -> None:
        if self.form != "ready":
            return
        plan = self.chosen_plan()
        save_home_prefs(plan.role, plan.count)  # remembered for the next launch
        if self.query_one("#mode", Select).value != ROLEPLAY:
            self.app.start_interview(plan)  # type: ignore[attr-defined]
        elif (roleplay_id := self.chosen_roleplay()) is not None:
            self.app.start_roleplay(roleplay_id)  # type: ignore[attr-defined]
        else:
            self.notify("No role-play to start: choose one first.", severity="warning")
