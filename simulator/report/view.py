"""What the session reports show, prepared once for every format: plain functions that build the rows
(strings and numbers from the stored session), so the Markdown writer and the HTML templates only
decide how they look.

The transcript's marking (fillers, recovered hesitations) comes from
:func:`simulator.analysis.marking.mark_words`, the same one the app's screens use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from simulator.analysis.delivery import DeliveryMetrics
from simulator.analysis.marking import MarkedWord, mark_words
from simulator.rubric.engine import default_bank
from simulator.rubric.result import ContentScore
from simulator.store.models import AnswerRecord, SessionRecord


def red_flag_label(flag_id: str) -> str:
    """A stored red flag's id (a role-play keeps the ids) as the scenario files name it ("Blames the
    customer or hides behind policy"); the id itself if no file names it."""
    flag = default_bank().red_flags.get(flag_id)
    return flag.label if flag is not None else flag_id


def local_time(iso: str) -> str:
    """A stored time (ISO 8601, UTC) as ``YYYY-MM-DD HH:MM`` in the user's time zone."""
    try:
        t = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return (iso or "")[:16].replace("T", " ")
    if t.tzinfo is not None:
        t = t.astimezone()
    return t.strftime("%Y-%m-%d %H:%M")


def rescore_status(entry: dict) -> str:
    """What a session's last rescore note adds: ", stopped after N answer(s)" for a rescore that did
    not finish (killed or failed part-way: the answers it reached are rescored, the others as they
    were), ", the last one undone" after ``rescore --undo``, else ""."""
    if entry.get("undo"):
        return ", the last one undone"
    if entry.get("finished", True):
        return ""
    return f", stopped after {entry.get('answers', 0)} answer(s)"


def engines_used(session: SessionRecord, answers: list[AnswerRecord]) -> str:
    """The engine and model behind the answers shown (a rescore may have changed them), else the
    session's."""
    seen: list[str] = []
    for a in answers:
        if a.transcript is not None:
            name = f"{a.transcript.engine} {a.transcript.model}".strip()
            if name and name not in seen:
                seen.append(name)
    return ", ".join(seen) or f"{session.engine} {session.model}".strip()


def is_typed(a: AnswerRecord) -> bool:
    """A typed answer: content only, no recording was ever made (so none is missing)."""
    return bool(a.options.get("typed")) or a.source == "typed" or (
        a.transcript is not None and a.transcript.engine == "typed")


def transcript_tokens(a: AnswerRecord) -> tuple[MarkedWord, ...]:
    """The answer's words in time order, fillers flagged, recovered hesitations inserted."""
    return mark_words(a.words, a.fillers, a.long_pauses).tokens


def delivery_rows(d: DeliveryMetrics) -> list[tuple[str, str, str]]:
    """(measure, value, verdict) for the headline delivery figures of a spoken answer."""
    return [
        ("Pace", f"{d.wpm:.0f} wpm", d.verdicts.pace),
        ("Fillers", f"{d.fillers.count} ({d.fillers.per_minute:.1f}/min)", d.verdicts.fillers),
        ("Length", f"{d.span_s:.0f} s (target "
                   f"{d.target_length_s[0]:.0f}-{d.target_length_s[1]:.0f} s)", d.verdicts.length),
        ("Long pauses", str(len(d.long_pauses)), ""),
    ]


@dataclass(frozen=True)
class TurnRow:
    """One role-play exchange as both exports show it."""

    number: int
    customer: str
    scored: bool
    recovered_audio_s: float
    """Length of the recording when the turn is not scored (audio recovered after a crash)."""
    tokens: tuple[MarkedWord, ...]
    said: str
    """The transcript's text, shown when it has no timed words (a typed turn)."""
    facts: tuple[str, ...]
    """Mood after the turn, and for a spoken turn its pace and filler count."""


def roleplay_turn_rows(rp: Any) -> list[TurnRow]:
    """The conversation of a :class:`~simulator.store.roleplays.RolePlayRecord`, turn by turn (each
    turn's pace and fillers, but no interview length target: a reply to a customer is not an answer)."""
    rows = []
    for t in rp.turns:
        a = t.answer
        scored = a.delivery is not None and a.transcript is not None
        facts: list[str] = []
        if scored:
            if t.mood_after is not None:
                facts.append(f"mood after: {t.mood_after}")
            if not a.options.get("typed") and a.delivery.words:
                d = a.delivery
                facts += [f"{d.wpm:.0f} wpm ({d.verdicts.pace})", f"{d.fillers.count} filler(s)"]
        rows.append(TurnRow(
            number=t.number, customer=t.customer, scored=scored, recovered_audio_s=a.duration_s,
            tokens=transcript_tokens(a) if scored else (),
            said=a.transcript.text if a.transcript is not None else "", facts=tuple(facts),
        ))
    return rows


def score_text(value: int | None) -> str:
    return "—" if value is None else f"{value}/100"


def content_score_text(content: ContentScore) -> str:
    """An answer's content score, or why it was not judged (not a 0: history shows "-" for it too)."""
    return f"{content.score}/100" if content.assessable else (content.reason or "could not assess")


def mood_trail_text(trail: Sequence[int]) -> str:
    return " → ".join(str(m) for m in trail) or "—"
