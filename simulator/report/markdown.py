"""The Markdown report of one session: per answer, the delivery figures, the transcript with fillers
in bold, the rubric checklist with evidence, red flags and the feedback.

What is shown comes from :mod:`simulator.report.view`, shared with the HTML report.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.analysis.marking import MarkedWord
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

__all__ = ["engines_used", "is_typed", "local_time", "render_markdown", "render_roleplay_markdown"]


def _md(text: str) -> str:
    """Escape Markdown control characters in the candidate's words."""
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def render_markdown(session: SessionRecord, answers: list[AnswerRecord]) -> str:
    rp = roleplay_record(session, answers)
    if rp is not None:
        return render_roleplay_markdown(session, answers, rp)
    lines = [
        f"# Interview practice — {local_time(session.started_at)}",
        "",
        f"- Session: `{session.id}`",
        f"- Role: {_md(session.role or '—')} · Mode: {_md(session.mode or '—')} · Status: {session.shown_status}",
        f"- Engine: {_md(engines_used(session, answers) or '—')}",
        f"- Answers: {len(answers)}",
        "",
    ]
    if session.settings.get("rescores"):
        last = session.settings["rescores"][-1]
        lines[-1:-1] = [f"- Rescored: {local_time(str(last.get('at', '')))} ({len(session.settings['rescores'])} "
                        f"time(s)){rescore_status(last)}; first recorded with {_md(session.engine or '—')} "
                        f"{_md(session.model)}".rstrip()]
    for a in answers:
        lines += _answer(a)
    return "\n".join(lines).rstrip() + "\n"


def _answer(a: AnswerRecord) -> list[str]:
    title = _md(a.question.text) if a.question.text else "(question not recorded)"
    out = [f"## {a.position}. {title}", ""]
    if is_typed(a):
        return out + ["_Typed answer (no recording; content only)._", "", "### Answer", "",
                      _md(a.transcript.text if a.transcript else "") or "_(empty)_", ""] + _content_md(a)
    if a.audio_missing:
        out += ["_Audio missing: the recording of this answer is no longer on disk._", ""]
    if a.delivery is None or a.transcript is None:
        out += [f"_Not scored yet ({a.duration_s:.1f} s of recovered audio): run `interview-sim rescore "
                f"{a.session_id}`._", ""]
        return out
    d = a.delivery
    out += ["| Measure | Value | Verdict |", "|---|---|---|"]
    out += [f"| {k} | {v} | {verdict} |" if verdict else f"| {k} | {v} | |"
            for k, v, verdict in delivery_rows(d)]
    if a.content is not None:
        out.append(f"| Content | {content_score_text(a.content)} ({_md(a.content.rubric)}) | |")
    words = _words(transcript_tokens(a))
    out += ["", "### Transcript", "", words or "_(no speech detected)_", ""]
    if d.long_pauses:
        out.append("Long pauses: " + ", ".join(f"{p.start_s:.1f}-{p.end_s:.1f} s" for p in d.long_pauses))
        out.append("")
    return out + _content_md(a)


def _words(tokens: Sequence[MarkedWord]) -> str:
    """The transcript with fillers in bold, recovered hesitations in brackets."""
    return " ".join(
        (f"**[{_md(t.text)}]**" if t.recovered else f"**{_md(t.text)}**") if t.filler else _md(t.text)
        for t in tokens
    )


def _content_md(a: AnswerRecord) -> list[str]:
    out: list[str] = []
    if a.content is not None:
        c = a.content
        out += ["### Rubric", ""]
        if not c.assessable:
            out += [f"_{_md(c.reason)}_", ""]
        for cr in c.criteria:
            ev = f' — “{_md(cr.evidence.text)}”' if cr.evidence and cr.met else ""
            out.append(f"- [{'x' if cr.met else ' '}] {_md(cr.label)} ({cr.score:.2f}){ev}")
        for f in c.red_flags:
            out.append(f"- ⚠ {_md(f.label)} — “{_md(f.evidence.text)}”")
        out.append("")
    if a.feedback:
        out += ["### Feedback", ""]
        out += [f"- **{f.kind}**: {_md(f.text)}" for f in a.feedback]
        out.append("")
    return out


def render_roleplay_markdown(session: SessionRecord, answers: list[AnswerRecord], rp) -> str:  # noqa: ANN001
    """A role-play as its debrief told it: outcome, score, the customer's mood over the turns, the 3C
    checklist across the conversation, the debrief, then the conversation turn by turn (each turn's
    pace and fillers, but no interview length target: a reply to a customer is not an answer)."""
    lines = [
        f"# Role-play practice — {local_time(session.started_at)}",
        "",
        f"- Session: `{session.id}`",
        f"- Role-play: {_md(rp.title or rp.roleplay_id or '—')} · Customer: {_md(rp.persona or '—')} · "
        f"Role: {_md(session.role or '—')} · Status: {session.shown_status}",
        f"- Engine: {_md(engines_used(session, answers) or '—')}",
        f"- Turns: {len(rp.turns)}",
        "",
        "## Outcome",
        "",
        "| Measure | Value |",
        "|---|---|",
        f"| Outcome | {_md(rp.outcome)} |",
        f"| Overall score | {score_text(rp.overall)} |",
        f"| De-escalation (3C) | {score_text(rp.de_escalation)} |",
        f"| Final mood | {'—' if rp.final_mood is None else rp.final_mood} |",
        f"| Mood over the turns | {mood_trail_text(rp.mood_trail)} |",
        "",
        "## 3C across the conversation",
        "",
    ]
    lines += [f"- [{'x' if c.met else ' '}] {_md(c.label)}" for c in rp.checklist]
    lines += [f"- ⚠ {_md(red_flag_label(f))}" for f in rp.red_flags]
    lines.append("")
    if rp.debrief:
        lines += ["## Debrief", ""] + [f"- {_md(d)}" for d in rp.debrief] + [""]
    lines += ["## Conversation", ""]
    for t in roleplay_turn_rows(rp):
        lines += [f"### Turn {t.number}", "", f"> **Customer:** {_md(t.customer)}", ""]
        if not t.scored:
            lines += [f"_Not scored yet ({t.recovered_audio_s:.1f} s of recovered audio)._", ""]
            continue
        said = _words(t.tokens) or _md(t.said) or "_(silence)_"
        lines += [f"**You:** {said}", ""]
        if t.facts:
            lines += ["_" + " · ".join(t.facts) + "_", ""]
    return "\n".join(lines).rstrip() + "\n"
