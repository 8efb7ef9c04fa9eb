"""The app's screens.

The app imports the home and question screens at the top: they are all that starting straight into
a question needs. The other screens, and what they bring in (the report and chart templates, the
Markdown help, the role-play engine, the text editor of the typed answer), are loaded by
:func:`preload` on a background thread once the first question is playing, and the app and the
question screen reach them as ``screens.FeedbackScreen`` and so on: an attribute of this package,
imported by :func:`__getattr__` the first time it is asked for (at once if :func:`preload` has
run). Importing them at the top cost every start about 0.1 s of CPU.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.lazy import lazy_exports

if TYPE_CHECKING:
    from simulator.tui.screens.devices import DeviceScreen
    from simulator.tui.screens.feedback import FeedbackScreen
    from simulator.tui.screens.help import HelpScreen
    from simulator.tui.screens.history import HistoryScreen
    from simulator.tui.screens.replay import ReplayScreen
    from simulator.tui.screens.roleplay import RolePlayScreen
    from simulator.tui.screens.summary import SummaryScreen
    from simulator.tui.screens.typed_answer import TypedAnswerScreen

LATER = {
    "TypedAnswerScreen": "simulator.tui.screens.typed_answer",
    "FeedbackScreen": "simulator.tui.screens.feedback",
    "SummaryScreen": "simulator.tui.screens.summary",
    "HelpScreen": "simulator.tui.screens.help",
    "DeviceScreen": "simulator.tui.screens.devices",
    "HistoryScreen": "simulator.tui.screens.history",
    "ReplayScreen": "simulator.tui.screens.replay",
    "RolePlayScreen": "simulator.tui.screens.roleplay",
}
"""The screens not needed to ask the first question, and their modules (in the order preloaded:
those an interview reaches first come first)."""

__all__ = ["DeviceScreen", "FeedbackScreen", "HelpScreen", "HistoryScreen", "ReplayScreen",
           "RolePlayScreen", "SummaryScreen", "TypedAnswerScreen", "preload"]


__getattr__ = lazy_exports(__name__, LATER, globals())


def preload() -> None:
    """Import every screen in :data:`LATER` (on a worker thread, so the app never waits for them)."""
    for name in LATER:
        __getattr__(name)
