"""The Markdown report of one session: per answer, the delivery figures, the transcript with fillers
in bold, the rubric checklist with evidence, red flags and the feedback.

:func:`marked_words` (the transcript as tokens with fillers flagged) is shared with the HTML report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from simulator.store.models import AnswerRecord, SessionRecord
from simulator.store.roleplays import roleplay_record


def local_time(iso: str) -> str:
    """A stored time (ISO 8601, UTC) as ``YYYY-MM-DD HH:MM`` in the user's time zone."""
    try:
        t = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return (iso or "")[:16].replace("T", " ")
    if t.tzinfo is not None:
        t = t.astimezone()
    return t.strftime("%Y-%m-%d %H:%M")


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


@dataclass(frozen=True)
class Token:
    text: str
    start_s: float
    filler: bool
    recovered: bool = False  # a hesitation Whisper left out, put back from the second look


def marked_words(answer: AnswerRecord) -> list[Token]:
    """The answer's words in time order, fillers flagged; recovered hesitations inserted."""
    spans = [(f.start_s - 1e-3, f.end_s + 1e-3) for f in answer.fillers if not f.recovered]
    tokens = [
        Token(w.text, w.start_s, any(a <= w.start_s and w.end_s <= b for a, b in spans))
        for w in answer.words
    ]
    tokens += [Token(f.text, f.start_s, True, True) for f in answer.fillers if f.recovered]
    return sorted(tokens, key=lambda t: t.start_s)


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
                        f"time(s)); first recorded with {_md(session.engine or '—')} {_md(session.model)}".rstrip()]
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
    out += [
        "| Measure | Value | Verdict |",
        "|---|---|---|",
        f"| Pace | {d.wpm:.0f} wpm | {d.verdicts.pace} |",
        f"| Fillers | {d.fillers.count} ({d.fillers.per_minute:.1f}/min) | {d.verdicts.fillers} |",
        f"| Length | {(d.speech_end_s or 0) - (d.speech_start_s or 0):.0f} s "
        f"(target {d.target_length_s[0]:.0f}-{d.target_length_s[1]:.0f} s) | {d.verdicts.length} |",
        f"| Long pauses | {len(d.long_pauses)} | |",
    ]
    if a.content is not None:
        out.append(f"| Content | {a.content.score}/100 ({_md(a.content.rubric)}) | |")
    words = " ".join(
        (f"**[{_md(t.text)}]**" if t.recovered else f"**{_md(t.text)}**") if t.filler else _md(t.text)
        for t in marked_words(a)
    )
    out += ["", "### Transcript", "", words or "_(no speech detected)_", ""]
    if d.long_pauses:
        out.append("Long pauses: " + ", ".join(f"{p.start_s:.1f}-{p.end_s:.1f} s" for p in d.long_pauses))
        out.append("")
    return out + _content_md(a)


def is_typed(a: AnswerRecord) -> bool:
    """A typed answer: content only, no recording was ever made (so none is missing)."""
    return bool(a.options.get("typed")) or a.source == "typed" or (
        a.transcript is not None and a.transcript.engine == "typed")


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
        f"| Overall score | {'—' if rp.overall is None else f'{rp.overall}/100'} |",
        f"| De-escalation (3C) | {'—' if rp.de_escalation is None else f'{rp.de_escalation}/100'} |",
        f"| Final mood | {'—' if rp.final_mood is None else rp.final_mood} |",
        f"| Mood over the turns | {' → '.join(str(m) for m in rp.mood_trail) or '—'} |",
        "",
        "## 3C across the conversation",
        "",
    ]
    lines += [f"- [{'x' if c.met else ' '}] {_md(c.label)}" for c in rp.checklist]
    lines += [f"- ⚠ {_md(f)}" for f in rp.red_flags]
    lines.append("")
    if rp.debrief:
        lines += ["## Debrief", ""] + [f"- {_md(d)}" for d in rp.debrief] + [""]
    lines += ["## Conversation", ""]
    for t in rp.turns:
        lines += [f"### Turn {t.number}", "", f"> **Customer:** {_md(t.customer)}", ""]
        a = t.answer
        if a.delivery is None or a.transcript is None:
            lines += [f"_Not scored yet ({a.duration_s:.1f} s of recovered audio)._", ""]
            continue
        said = " ".join(
            (f"**[{_md(w.text)}]**" if w.recovered else f"**{_md(w.text)}**") if w.filler else _md(w.text)
            for w in marked_words(a)
        ) or _md(a.transcript.text) or "_(silence)_"
        lines += [f"**You:** {said}", ""]
        facts = []
        if t.mood_after is not None:
            facts.append(f"mood after: {t.mood_after}")
        if not a.options.get("typed") and a.delivery.words:
            d = a.delivery
            facts += [f"{d.wpm:.0f} wpm ({d.verdicts.pace})", f"{d.fillers.count} filler(s)"]
        if facts:
            lines += ["_" + " · ".join(facts) + "_", ""]
    return "\n".join(lines).rstrip() + "\n"
