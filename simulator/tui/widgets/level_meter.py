"""A horizontal input-level meter in dBFS, green while speech is detected."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

FLOOR_DB = -70.0


class LevelMeter(Static):
    level_db: reactive[float] = reactive(FLOOR_DB)
    speaking: reactive[bool] = reactive(False)

    def render(self) -> str:
        width = max(10, self.size.width - 12)
        frac = min(1.0, max(0.0, (self.level_db - FLOOR_DB) / -FLOOR_DB))
        filled = int(round(frac * width))
        colour = "green" if self.speaking else "grey50"
        return f"[{colour}]{'█' * filled}[/][grey23]{'░' * (width - filled)}[/] {self.level_db:5.0f} dB"
