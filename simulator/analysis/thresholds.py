"""The bands that turn delivery figures into verdicts.

Each value is defined once, with where its number comes from, in :class:`simulator.config.Thresholds`;
a user overrides any of them in the ``[thresholds]`` table of the settings file or with an
``INTERVIEW_SIM_THRESHOLDS__<NAME>`` variable (README "Settings"). :data:`DEFAULT_THRESHOLDS` are the
built-in values (what library functions use when given none); :func:`current_thresholds` are the
effective ones (what the command line and the app judge with). Sources are listed in the README
("How delivery is judged").
"""

from __future__ import annotations

from simulator.config import Thresholds, settings

DEFAULT_THRESHOLDS = Thresholds()

PAUSE_MIN_S = DEFAULT_THRESHOLDS.pause_min_s
"""Silent pause threshold (built-in value; see :attr:`Thresholds.pause_min_s`)."""

LONG_PAUSE_S = DEFAULT_THRESHOLDS.long_pause_s
"""A pause a listener notices as hesitation (built-in value; see :attr:`Thresholds.long_pause_s`)."""


def current_thresholds() -> Thresholds:
    """The thresholds in effect: built-in values overridden by the settings file and environment."""
    return settings().thresholds


__all__ = ["DEFAULT_THRESHOLDS", "LONG_PAUSE_S", "PAUSE_MIN_S", "Thresholds", "current_thresholds"]
