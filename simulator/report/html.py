"""The self-contained HTML report of one session: one file, inline CSS and SVG, no scripts, no
external assets, so it opens offline and can be mailed to a coach.

Per answer: headline delivery figures, pace-over-time and filler-timeline charts, the transcript with
fillers highlighted, a score-per-criterion chart, the rubric checklist with evidence, red flags and
feedback. The page comes from the Jinja2 templates in ``templates/`` with autoescape, so everything
from the user's data is HTML-escaped without a call at each site; what is shown is prepared by
:mod:`simulator.report.view`, shared with the Markdown report.
"""

from __future__ import annotations

from typing import Any

from simulator.analysis.delivery import chart_pace
from simulator.analysis.moments import delivery_moments
from simulator.report.charts import criterion_bars, filler_timeline, mood_chart, pace_chart
from simulator.report.strip import moments_strip
from simulator.report.templating import render
from simulator.report.view import (
    content_score_text,
    delivery_rows,
    engines_used,
    is_typed,
    local_time,
    mood_trail_text,
    red_flag_label,
    rescore_status,
    roleplay_turn_rows,
    score_text,
    transcript_tokens,
)
from simulator.store.models import AnswerRecord, SessionRecord
from simulator.store.roleplays import roleplay_record


def render_html(session: SessionRecord, answers: list[AnswerRecord]) -> str:
    rp = roleplay_record(session, answers)
    if rp is not None:
        return render_roleplay_html(session, answers, rp)
    rescores = session.settings.get("rescores") or []
    rescored = None
    if rescores:
        rescored = {"at": local_time(str(rescores[-1].get("at", ""))), "times": len(rescores),
                    "status": rescore_status(rescores[-1]),
                    "first": f"{session.engine} {session.model}".strip() or "—"}
    return str(render(
        "session.html.j2", session=session, started=local_time(session.started_at),
        engines=engines_used(session, answers), rescored=rescored, answers=[_answer(a) for a in answers],
    )) + "\n"


def _answer(a: AnswerRecord) -> dict[str, Any]:
    """One answer as the template shows it."""
    typed = is_typed(a)
    v: dict[str, Any] = {
        "position": a.position, "title": a.question.text, "typed": typed, "session_id": a.session_id,
        "text": a.transcript.text if a.transcript else "", "audio_missing": a.audio_missing,
        "duration_s": a.duration_s, "scored": a.scored,
        "content": a.content, "feedback": a.feedback,
        "criteria_chart": criterion_bars([(cr.label, cr.score, cr.met) for cr in a.content.criteria])
        if a.content is not None else "",
    }
    if typed or not v["scored"]:
        return v
    d = a.delivery
    rows = delivery_rows(d)
    if a.content is not None:
        rows.append(("Content", content_score_text(a.content), a.content.rubric))
    v.update(
        rows=rows, tokens=transcript_tokens(a),
        pace_chart=pace_chart(chart_pace(d.pace_series, a.words), duration_s=d.duration_s),
        filler_chart=filler_timeline(d.duration_s, [(f.start_s, f.text) for f in d.fillers.items],
                                     [(p.start_s, p.end_s) for p in d.long_pauses]),
    )
    moments = delivery_moments(d)
    tone = d.tone
    v.update(moments=moments, moments_chart=moments_strip(
        d.duration_s, moments, tone.pitch_series if tone is not None else (),
        tone.loudness_series if tone is not None else ()))
    return v


def render_roleplay_html(session: SessionRecord, answers: list[AnswerRecord], rp) -> str:  # noqa: ANN001
    """A role-play as its debrief told it: outcome, score, a chart of the customer's mood over the
    turns, the 3C checklist across the conversation, the debrief, then the conversation (each turn's
    pace and fillers, no interview length target)."""
    return str(render(
        "roleplay.html.j2", session=session, rp=rp, started=local_time(session.started_at),
        engines=engines_used(session, answers), overall=score_text(rp.overall),
        de_escalation=score_text(rp.de_escalation), mood_trail=mood_trail_text(rp.mood_trail),
        mood_chart=mood_chart(rp.mood_trail), turns=roleplay_turn_rows(rp),
        red_flags=[red_flag_label(f) for f in rp.red_flags],
    )) + "\n"
