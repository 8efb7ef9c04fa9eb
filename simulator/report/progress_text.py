"""Progress on one question as lines of text: ``(kind, text)`` pairs the CLI prints and the app's
attempts screen colours by kind (:mod:`simulator.report.progress` builds what they say)."""

from __future__ import annotations

from simulator.report.progress import QUOTE_WORDS, Attempt, LineKind, QuestionProgress, Step
from simulator.report.view import local_time
from simulator.rubric.feedback import quote as _quote

# --- as lines of text ------------------------------------------------------------------------------------

NOTHING_TO_COMPARE = "Only one attempt so far: nothing to compare yet. Answer it again to see what changed."
NO_ATTEMPTS = "No attempts at this question yet."


def progress_lines(p: QuestionProgress) -> list[tuple[LineKind, str]]:
    """The whole view as ``(kind, text)`` lines, oldest attempt first."""
    out: list[tuple[LineKind, str]] = [("heading", f"{p.question_text or p.question_id}  [{p.question_id}]")]
    if p.rubric_label:
        out.append(("note", f"Judged as: {p.rubric_label}"))
    out.append(("heading", f"Attempts ({len(p.attempts)})"))
    out += [("attempt", attempt_line(a)) for a in p.attempts]
    return out + change_lines(p) + outline_lines(p)


def change_lines(p: QuestionProgress) -> list[tuple[LineKind, str]]:
    """What changed from each attempt to the next, or why there is nothing to compare."""
    if not p.attempts:
        return [("note", NO_ATTEMPTS)]
    if len(p.attempts) == 1:
        return [("note", NOTHING_TO_COMPARE)]
    return [line for s in p.steps for line in step_lines(s)]


def outline_lines(p: QuestionProgress) -> list[tuple[LineKind, str]]:
    if not p.outline:
        return []
    return [("heading", "Model outline from your own words"),
            *(("outline-met" if o.said else "outline-missing", o.line()) for o in p.outline)]


def attempt_line(a: Attempt) -> str:
    parts = [f"#{a.number}  {local_time(a.created_at)}", a.kind]
    if a.score is not None:
        parts.append(f"content {a.score}/100")
    if a.criteria_total:
        parts.append(f"{len(a.criteria_met)}/{a.criteria_total} criteria")
    d = a.delivery
    if d is not None:
        parts += [f"{d.wpm:.0f} wpm", f"{d.fillers_per_min:.1f} fillers/min", f"{d.length_s:.0f} s"]
    parts.append(f"session {a.session_id} answer {a.position}")
    return " · ".join(parts)


ATTEMPT_ROWS = ("When", "Answer", "Content", "Criteria met", "Red flags", "Pace", "Fillers/min", "Long pauses",
                "Length")
"""The rows of the side-by-side table, one column per attempt (:func:`attempt_cells`)."""


def attempt_cells(a: Attempt) -> list[str]:
    """One attempt's column of the side-by-side table, top to bottom as :data:`ATTEMPT_ROWS`."""
    d = a.delivery
    return [
        local_time(a.created_at),
        a.kind,
        f"{a.score}/100" if a.score is not None else "–",
        f"{len(a.criteria_met)}/{a.criteria_total}" if a.criteria_total else "–",
        str(len(a.red_flags)) if a.kind != "not scored" else "–",
        f"{d.wpm:.0f} wpm" if d is not None else "–",
        f"{d.fillers_per_min:.1f}" if d is not None else "–",
        str(d.long_pauses) if d is not None else "–",
        f"{d.length_s:.0f} s ({d.length})" if d is not None else "–",
    ]


def step_lines(s: Step) -> list[tuple[LineKind, str]]:
    score = ""
    if s.score_before is not None and s.score_after is not None:
        score = f": content {s.score_before} → {s.score_after}"
    out: list[tuple[LineKind, str]] = [("heading", f"Attempt {s.before} → {s.after}{score}")]
    for c in s.criteria:
        if c.change == "added":
            quote = f": “{_quote(c.evidence, QUOTE_WORDS)}”" if c.evidence else ""
            out.append(("added", f"+ now met: {c.label}{quote}"))
        else:
            quote = f" (before you said “{_quote(c.evidence, QUOTE_WORDS)}”)" if c.evidence else ""
            out.append(("dropped", f"- no longer met: {c.label}{quote}"))
    for f in s.flags:
        quote = f": “{_quote(f.evidence, QUOTE_WORDS)}”" if f.evidence else ""
        if f.change == "appeared":
            out.append(("flag-new", f"! new red flag: {f.label}{quote}"))
        else:
            out.append(("flag-gone", f"+ red flag gone: {f.label}{quote}"))
    if not s.criteria and not s.flags and not s.note:
        out.append(("same", "  same criteria met" + (f" ({', '.join(s.kept)})" if s.kept else "")))
    for d in s.delivery:
        verdict = "" if d.better is None else (", better" if d.better else ", worse")
        out.append(("delivery", f"  {d.label}: {d.before} → {d.after}{verdict}"))
    if s.note:
        out.append(("note", f"  ({s.note})"))
    return out
