"""A drop-down choice that survives the app closing while it mounts."""

from __future__ import annotations

from textual.css.query import NoMatches
from textual.widgets import Select


class Choice(Select):
    """Textual's :class:`~textual.widgets.Select`, except when the app closes while it mounts.

    A Select writes its first value into its label on mount. The home screen's form composes in
    the background after a launch straight into a question, and a quit at that moment (or a test
    ending there) closes the app between the two: the label is gone, Textual 8.2 raises
    ``NoMatches`` out of the shutdown and the terminal shows a traceback. The value is kept
    either way; only the label of a form that will never be seen is not written.
    """

    def _watch_value(self, value) -> None:  # noqa: ANN001 - Select's own (generic) value type
        try:
            super()._watch_value(value)
        except NoMatches:
            if self.app.is_running:
                raise
