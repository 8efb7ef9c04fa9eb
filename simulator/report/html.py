"""The self-contained HTML report of one session: one file, inline CSS and SVG, no scripts, no
external assets, so it opens offline and can be mailed to a coach.

Per answer: headline delivery figures, pace-over-time and filler-timeline charts, the transcript with
fillers highlighted, a score-per-criterion chart, the rubric checklist with evidence, red flags and
feedback. Everything from the user's data is HTML-escaped.
"""

from __future__ import annotations

from html import escape

from simulator.report.charts import criterion_bars, filler_timeline, mood_chart, pace_chart
from simulator.report.markdown import engines_used, is_typed, local_time, marked_words
from simulator.store.models import AnswerRecord, SessionRecord
from simulator.store.roleplays import roleplay_record

_CSS = """
body{font-family:system-ui,sans-serif;max-width:820px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
h1{font-size:1.5em}h2{border-top:1px solid #ddd;padding-top:1em;font-size:1.2em}
table.metrics{border-collapse:collapse}table.metrics td,table.metrics th{padding:2px 12px 2px 0;text-align:left}
mark.filler{background:#ffd8a8;border-radius:3px;padding:0 2px}mark.recovered{background:#ffc9c9}
.transcript{background:#f8f9fa;padding:.8em;border-radius:6px}
ul.rubric{list-style:none;padding-left:0}li.met::before{content:"\\2713  ";color:#2b8a3e}
li.unmet::before{content:"\\2717  ";color:#c92a2a}li.flag::before{content:"\\26A0  ";color:#e67700}
.evidence{color:#555;font-style:italic}.missing{color:#c92a2a;font-weight:bold}
"""


def render_html(session: SessionRecord, answers: list[AnswerRecord]) -> str:
    rp = roleplay_record(session, answers)
    if rp is not None:
        return render_roleplay_html(session, answers, rp)
    started = escape(local_time(session.started_at))
    body = [
        f"<h1>Interview practice — {started}</h1>",
        '<table class="metrics session">',
        f"<tr><th>Session</th><td><code>{escape(session.id)}</code></td></tr>",
        f"<tr><th>Role</th><td>{escape(session.role or '—')}</td></tr>",
        f"<tr><th>Mode</th><td>{escape(session.mode or '—')}</td></tr>",
        f"<tr><th>Status</th><td>{escape(session.shown_status)}</td></tr>",
        f"<tr><th>Engine</th><td>{escape(engines_used(session, answers) or '—')}</td></tr>",
        f"<tr><th>Answers</th><td>{len(answers)}</td></tr></table>",
    ]
    rescores = session.settings.get("rescores") or []
    if rescores:
        first = escape(f"{session.engine} {session.model}".strip() or "—")
        body[-1:-1] = [
            f"<tr><th>Rescored</th><td>{escape(local_time(str(rescores[-1].get('at', ''))))} "
            f"({len(rescores)} time(s)); first recorded with {first}</td></tr>"
        ]
    body += [_answer(a) for a in answers]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Interview practice {escape(session.id)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


def _answer(a: AnswerRecord) -> str:
    title = escape(a.question.text) if a.question.text else "(question not recorded)"
    out = [f'<section class="answer" id="answer-{a.position}"><h2>{a.position}. {title}</h2>']
    if is_typed(a):
        text = escape(a.transcript.text if a.transcript else "") or "<em>(empty)</em>"
        out.append(f'<p><em>Typed answer (no recording; content only).</em></p>'
                   f'<h3>Answer</h3><p class="transcript">{text}</p>')
        return _content_html(a, out)
    if a.audio_missing:
        out.append('<p class="missing">Audio missing: the recording of this answer is no longer on disk.</p>')
    if a.delivery is None or a.transcript is None:
        out.append(f"<p>Not scored yet ({a.duration_s:.1f} s of recovered audio): run "
                   f"<code>interview-sim rescore {escape(a.session_id)}</code>.</p></section>")
        return "".join(out)
    d = a.delivery
    rows = [
        ("Pace", f"{d.wpm:.0f} wpm", d.verdicts.pace),
        ("Fillers", f"{d.fillers.count} ({d.fillers.per_minute:.1f}/min)", d.verdicts.fillers),
        ("Length", f"{(d.speech_end_s or 0) - (d.speech_start_s or 0):.0f} s (target "
                   f"{d.target_length_s[0]:.0f}-{d.target_length_s[1]:.0f} s)", d.verdicts.length),
        ("Long pauses", str(len(d.long_pauses)), ""),
    ]
    if a.content is not None:
        rows.append(("Content", f"{a.content.score}/100", a.content.rubric))
    out.append('<table class="metrics">' + "".join(
        f"<tr><th>{escape(k)}</th><td>{escape(v)}</td><td>{escape(verdict)}</td></tr>" for k, v, verdict in rows
    ) + "</table>")
    out.append("<h3>Pace over time</h3>" + pace_chart(d.pace_series, duration_s=d.duration_s))
    out.append("<h3>Fillers and long pauses</h3>" + filler_timeline(
        d.duration_s, [(f.start_s, f.text) for f in d.fillers.items],
        [(p.start_s, p.end_s) for p in d.long_pauses],
    ))
    words = " ".join(
        f'<mark class="filler{" recovered" if t.recovered else ""}">{escape(t.text)}</mark>' if t.filler
        else escape(t.text)
        for t in marked_words(a)
    )
    out.append(f'<h3>Transcript</h3><p class="transcript">{words or "<em>(no speech detected)</em>"}</p>')
    return _content_html(a, out)


def _content_html(a: AnswerRecord, out: list[str]) -> str:
    if a.content is not None:
        c = a.content
        out.append("<h3>Rubric</h3>" + criterion_bars([(cr.label, cr.score, cr.met) for cr in c.criteria]))
        if not c.assessable:
            out.append(f"<p><em>{escape(c.reason)}</em></p>")
        items = []
        for cr in c.criteria:
            ev = (f' <span class="evidence">“{escape(cr.evidence.text)}”</span>'
                  if cr.evidence and cr.met else "")
            items.append(f'<li class="{"met" if cr.met else "unmet"}">{escape(cr.label)} '
                         f"({cr.score:.2f}){ev}</li>")
        items += [f'<li class="flag">{escape(f.label)} <span class="evidence">“{escape(f.evidence.text)}”'
                  f"</span></li>" for f in c.red_flags]
        out.append(f'<ul class="rubric">{"".join(items)}</ul>')
    if a.feedback:
        out.append('<h3>Feedback</h3><ul class="feedback">' + "".join(
            f'<li class="{escape(f.kind)}"><strong>{escape(f.kind)}</strong>: {escape(f.text)}</li>'
            for f in a.feedback
        ) + "</ul>")
    out.append("</section>")
    return "".join(out)


def render_roleplay_html(session: SessionRecord, answers: list[AnswerRecord], rp) -> str:  # noqa: ANN001
    """A role-play as its debrief told it: outcome, score, a chart of the customer's mood over the
    turns, the 3C checklist across the conversation, the debrief, then the conversation (each turn's
    pace and fillers, no interview length target)."""
    started = escape(local_time(session.started_at))

    def score(v: int | None) -> str:
        return "—" if v is None else f"{v}/100"

    rows = [("Session", f"<code>{escape(session.id)}</code>"),
            ("Role-play", escape(rp.title or rp.roleplay_id or "—")), ("Customer", escape(rp.persona or "—")),
            ("Role", escape(session.role or "—")), ("Status", escape(session.shown_status)),
            ("Engine", escape(engines_used(session, answers) or "—")),
            ("Outcome", f"<strong>{escape(rp.outcome)}</strong>"), ("Overall score", score(rp.overall)),
            ("De-escalation (3C)", score(rp.de_escalation)),
            ("Final mood", "—" if rp.final_mood is None else str(rp.final_mood)),
            ("Mood over the turns", escape(" → ".join(str(m) for m in rp.mood_trail) or "—"))]
    body = [f"<h1>Role-play practice — {started}</h1>",
            '<table class="metrics session">' + "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>"
                                                       for k, v in rows) + "</table>",
            '<section class="roleplay-summary"><h2>Customer mood over the turns</h2>' + mood_chart(rp.mood_trail)]
    items = [f'<li class="{"met" if c.met else "unmet"}">{escape(c.label)}</li>' for c in rp.checklist]
    items += [f'<li class="flag">{escape(f)}</li>' for f in rp.red_flags]
    body.append(f'<h2>3C across the conversation</h2><ul class="rubric checklist">{"".join(items)}</ul>')
    if rp.debrief:
        body.append('<h2>Debrief</h2><ul class="debrief">' + "".join(f"<li>{escape(d)}</li>" for d in rp.debrief)
                    + "</ul>")
    body.append("</section><h2>Conversation</h2>")
    for t in rp.turns:
        a = t.answer
        out = [f'<section class="turn" id="turn-{t.number}"><h3>Turn {t.number}</h3>',
               f'<p class="customer"><strong>Customer:</strong> {escape(t.customer)}</p>']
        if a.delivery is None or a.transcript is None:
            out.append(f"<p>Not scored yet ({a.duration_s:.1f} s of recovered audio).</p></section>")
            body.append("".join(out))
            continue
        words = " ".join(
            f'<mark class="filler{" recovered" if w.recovered else ""}">{escape(w.text)}</mark>' if w.filler
            else escape(w.text)
            for w in marked_words(a)
        ) or escape(a.transcript.text) or "<em>(silence)</em>"
        out.append(f'<p class="transcript"><strong>You:</strong> {words}</p>')
        facts = []
        if t.mood_after is not None:
            facts.append(f"mood after: {t.mood_after}")
        if not a.options.get("typed") and a.delivery.words:
            d = a.delivery
            facts += [f"{d.wpm:.0f} wpm ({d.verdicts.pace})", f"{d.fillers.count} filler(s)"]
        if facts:
            out.append(f'<p class="turn-facts">{escape(" · ".join(facts))}</p>')
        out.append("</section>")
        body.append("".join(out))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Role-play practice {escape(session.id)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
