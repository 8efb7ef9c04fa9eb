"""The customer's mood during a role-play: a 0-100 bar, red when furious, green when calm, with the
named level (:func:`simulator.roleplay.mood.level`) and the last move."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from simulator.roleplay.mood import level

COLOURS = ((25, "red"), (45, "dark_orange"), (65, "yellow"), (101, "green"))


def mood_colour(mood: int) -> str:
    return next(colour for upper, colour in COLOURS if mood < upper)


class MoodMeter(Static):
    DEFAULT_CSS = """
    MoodMeter { height: 1; width: 1fr; }
    """

    mood: reactive[int] = reactive(50)
    delta: reactive[int] = reactive(0)

    @property
    def level_name(self) -> str:
        return level(self.mood)

    def describe(self) -> str:
        """The meter as plain text (for tests and screen readers)."""
        move = f" ({self.delta:+d})" if self.delta else ""
        return f"Customer mood {self.mood:3d}/100 {self.level_name}{move}"

    def render(self) -> str:
        width = max(10, self.size.width - 36)
        filled = int(round(max(0, min(100, self.mood)) / 100 * width))
        colour = mood_colour(self.mood)
        return f"[{colour}]{'█' * filled}[/][grey23]{'░' * (width - filled)}[/] {self.describe()}"
