"""Text trends over stored sessions: a one-line sparkline of each headline figure, and table rows.

Pure functions over :class:`~simulator.session.SessionSummary` values, shared by the home screen
(recent sessions, one-line trend) and the history screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from simulator.store import SessionSummary

BARS = "▁▂▃▄▅▆▇█"


def spark(values: Sequence[float]) -> str:
    """``values`` as a row of block characters, lowest to highest."""
    if not values:
        return ""
    lo, hi = min(values), max(values)
    if hi - lo < 1e-9:
        return BARS[3] * len(values)
    return "".join(BARS[round((v - lo) / (hi - lo) * (len(BARS) - 1))] for v in values)


def series(summaries: Sequence[SessionSummary], field: str) -> list[float]:
    """One headline figure (``mean_wpm``, ``fillers_per_min``, ``content_score``) over the interview
    sessions that have it, oldest first. Role-plays are left out: a conversation with a customer is
    not an interview answer, and mixing the two would make the trend say nothing."""
    return [v for s in summaries if not s.is_roleplay and (v := getattr(s, field)) is not None]


def trend_line(summaries: Sequence[SessionSummary], last: int = 10) -> Text:
    """``Content ▃▅▇ 72 · Pace ▅▅▆ 138 wpm · Fillers ▇▅▂ 1.2/min`` over the last sessions."""
    recent = list(summaries)[-last:]
    out = Text()
    parts = (("Content", "content_score", "{:.0f}"), ("Pace", "mean_wpm", "{:.0f} wpm"),
             ("Fillers", "fillers_per_min", "{:.1f}/min"))
    for label, field, fmt in parts:
        values = series(recent, field)
        if not values:
            continue
        if out:
            out.append("  ·  ", style="dim")
        out.append(f"{label} ")
        out.append(spark(values), style="cyan")
        out.append(" " + fmt.format(values[-1]), style="bold")
    if not out:
        return Text("No scored sessions yet: your trend appears here after the first one.", style="dim")
    return Text.assemble(f"Last {len(recent)} session(s): ", out)


def when(iso: str) -> str:
    """``2025-03-01 14:05`` in local time from a stored ISO time (UTC), as the CLI and exports show it."""
    # Imported when a session is first listed, not with the home screen: a launch straight into a
    # question lists none until the question is playing.
    from simulator.report.markdown import local_time  # noqa: PLC0415

    return local_time(iso)


def num(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def summary_row(s: SessionSummary) -> tuple[str, ...]:
    """(date, role, mode, answers, WPM, fillers/min, content) for a sessions table; a role-play's
    last column is its outcome and overall score (``resolved 66``), as its debrief gave them."""
    return (when(s.session.started_at), s.session.role or "–", s.session.mode or "–", str(s.answers),
            num(s.mean_wpm), num(s.fillers_per_min, 1), session_score(s))


def session_score(s: SessionSummary) -> str:
    """The content score of an interview, or a role-play's outcome and overall score."""
    if s.is_roleplay:
        return f"{s.outcome} {num(s.roleplay_score)}" if s.roleplay_score is not None else str(s.outcome)
    return num(s.content_score)
