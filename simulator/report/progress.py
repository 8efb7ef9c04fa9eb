"""Progress on one question: every attempt side by side, what changed between them, and an outline.

Pure functions over stored :class:`~simulator.store.AnswerRecord` values (oldest first, as
:meth:`SessionStore.attempts` gives them), shared by ``interview-sim attempts`` and the app's
attempts screen; nothing here reads the store, the bank or the screen.

- :func:`compare_attempts` gives one :class:`Step` per pair of consecutive attempts: criteria newly
  met or no longer met (with the evidence quoted), red flags that appeared or went away, the content
  score, and how delivery moved (pace, fillers per minute, long pauses, length against the target,
  tone when both attempts have it).
- :func:`model_outline` builds a short outline from the rubric and the candidate's own words: for
  each criterion the best quote said for it in any attempt, or the rubric's own advice for what goes
  there when it was never met. The words are the rubric's (labels and ``advice``); this module adds
  only the template around them.
- :func:`question_progress` puts both together; :mod:`simulator.report.progress_text` renders it as
  ``(kind, text)`` lines that the CLI prints and the app colours by kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from simulator.rubric.feedback import quote as _quote
from simulator.rubric.models import Rubric
from simulator.store import AnswerRecord

QUOTE_WORDS = 20
"""Longest quote shown (in words); evidence spans are one clause, so this rarely cuts."""

AttemptKind = Literal["spoken", "typed", "not scored"]
LineKind = Literal["heading", "attempt", "added", "dropped", "flag-new", "flag-gone", "delivery", "same",
                   "note", "outline-met", "outline-missing"]


# --- what one attempt was ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryFigures:
    """How one spoken attempt sounded, as the comparison uses it."""

    wpm: float
    pace: str  # the pace verdict: slow | good | fast | n/a
    fillers_per_min: float
    fillers: str  # the fillers verdict
    long_pauses: int
    length_s: float  # from the first word to the last
    length: str  # the length verdict: too short | good | too long | n/a
    target_s: tuple[float, float]
    tone: str | None = None  # "varied" / "monotone" ... when the tone could be measured


@dataclass(frozen=True)
class Attempt:
    """One attempt at the question: where it is stored and its headline figures."""

    number: int  # 1 = the oldest
    answer_id: int
    session_id: str
    position: int
    created_at: str
    kind: AttemptKind
    rubric: str | None
    score: int | None  # None when the content could not be judged
    criteria_met: tuple[str, ...]
    criteria_total: int
    red_flags: tuple[str, ...]
    delivery: DeliveryFigures | None  # None for a typed or unscored attempt


def attempt_of(number: int, answer: AnswerRecord) -> Attempt:
    c, d = answer.content, answer.delivery
    typed = answer.audio_path is None  # as the history screen tells them
    kind: AttemptKind = "not scored" if not answer.scored else ("typed" if typed else "spoken")
    figures = None
    if kind == "spoken" and d is not None and d.words > 0:
        tone = d.tone
        figures = DeliveryFigures(
            wpm=round(d.wpm, 1), pace=d.verdicts.pace,
            fillers_per_min=round(d.fillers.per_minute, 2), fillers=d.verdicts.fillers,
            long_pauses=len(d.long_pauses),
            length_s=round(d.span_s, 1),
            length=d.verdicts.length, target_s=(float(d.target_length_s[0]), float(d.target_length_s[1])),
            tone=tone.variety if tone is not None and tone.ok and tone.variety != "n/a" else None,
        )
    return Attempt(
        number=number, answer_id=answer.id, session_id=answer.session_id, position=answer.position,
        created_at=answer.created_at, kind=kind,
        rubric=c.rubric if c is not None else answer.rubric,
        score=c.score if c is not None and c.assessable else None,
        criteria_met=tuple(x.id for x in c.criteria if x.met) if c is not None else (),
        criteria_total=len(c.criteria) if c is not None else 0,
        red_flags=tuple(f.id for f in c.red_flags) if c is not None else (),
        delivery=figures,
    )


# --- what changed between two attempts ------------------------------------------------------------


@dataclass(frozen=True)
class CriterionChange:
    """A criterion newly met (``added``, quoting the later attempt) or no longer met (``dropped``,
    quoting the earlier attempt, so the candidate sees what they left out)."""

    id: str
    label: str
    change: Literal["added", "dropped"]
    evidence: str | None


@dataclass(frozen=True)
class FlagChange:
    """A red flag that ``appeared`` in the later attempt (its words quoted) or is ``gone`` (the
    earlier attempt's words quoted)."""

    id: str
    label: str
    change: Literal["appeared", "gone"]
    evidence: str | None


@dataclass(frozen=True)
class DeliveryChange:
    """One delivery figure before and after; ``better`` is None when neither is better."""

    metric: str  # pace | fillers | long_pauses | length | tone
    label: str
    before: str
    after: str
    better: bool | None


@dataclass(frozen=True)
class Step:
    """From attempt ``before`` to attempt ``after`` (numbers as in :class:`Attempt`)."""

    before: int
    after: int
    score_before: int | None
    score_after: int | None
    criteria: tuple[CriterionChange, ...]
    flags: tuple[FlagChange, ...]
    delivery: tuple[DeliveryChange, ...]
    kept: tuple[str, ...]  # labels of criteria met in both
    note: str = ""  # why content or delivery could not be compared, when it could not


def compare_attempts(answers: Sequence[AnswerRecord]) -> tuple[Step, ...]:
    """One :class:`Step` per consecutive pair of ``answers`` (oldest first)."""
    attempts = [attempt_of(i, a) for i, a in enumerate(answers, 1)]
    return tuple(_step(answers[i - 1], answers[i], attempts[i - 1], attempts[i]) for i in range(1, len(answers)))


def _step(old: AnswerRecord, new: AnswerRecord, a: Attempt, b: Attempt) -> Step:
    notes = []
    criteria: list[CriterionChange] = []
    flags: list[FlagChange] = []
    kept: list[str] = []
    oc, nc = old.content, new.content
    if oc is None or nc is None:
        notes.append(f"attempt {a.number if oc is None else b.number} has no content score")
    elif oc.rubric != nc.rubric:
        notes.append(f"judged by different rubrics ({oc.rubric} → {nc.rubric}); criteria not compared")
    else:
        before = {c.id: c for c in oc.criteria}
        for c in nc.criteria:
            was = before.get(c.id)
            if was is None:
                continue
            if c.met and not was.met:
                criteria.append(CriterionChange(c.id, c.label, "added", _text(c.evidence)))
            elif was.met and not c.met:
                criteria.append(CriterionChange(c.id, c.label, "dropped", _text(was.evidence)))
            elif c.met:
                kept.append(short_label(c.label))
    if oc is not None and nc is not None:
        old_flags = {f.id: f for f in oc.red_flags}
        new_flags = {f.id: f for f in nc.red_flags}
        flags += [FlagChange(f.id, f.label, "appeared", _text(f.evidence))
                  for f in nc.red_flags if f.id not in old_flags]
        flags += [FlagChange(f.id, f.label, "gone", _text(f.evidence))
                  for f in oc.red_flags if f.id not in new_flags]
    if a.delivery is None or b.delivery is None:
        which = [x for x in (a, b) if x.delivery is None]
        notes.append(f"attempt {which[0].number} was {which[0].kind if which[0].kind != 'spoken' else 'silent'}: "
                     "delivery not compared")
        delivery: tuple[DeliveryChange, ...] = ()
    else:
        delivery = delivery_changes(a.delivery, b.delivery)
    return Step(a.number, b.number, a.score, b.score, tuple(criteria), tuple(flags), delivery, tuple(kept),
                "; ".join(notes))


def delivery_changes(a: DeliveryFigures, b: DeliveryFigures) -> tuple[DeliveryChange, ...]:
    """Pace, fillers per minute, long pauses, length against the target, and tone when both have it."""
    lo, hi = b.target_s
    out = [
        DeliveryChange("pace", "Pace", f"{a.wpm:.0f} wpm ({a.pace})", f"{b.wpm:.0f} wpm ({b.pace})",
                       _verdict_better(a.pace, b.pace)),
        DeliveryChange("fillers", "Fillers", f"{a.fillers_per_min:.1f}/min", f"{b.fillers_per_min:.1f}/min",
                       _lower_better(a.fillers_per_min, b.fillers_per_min, 0.5)),
        DeliveryChange("long_pauses", "Long pauses", str(a.long_pauses), str(b.long_pauses),
                       _lower_better(a.long_pauses, b.long_pauses, 0.5)),
        DeliveryChange("length", f"Length (target {lo:.0f}–{hi:.0f} s)", f"{a.length_s:.0f} s ({a.length})",
                       f"{b.length_s:.0f} s ({b.length})", _verdict_better(a.length, b.length)),
    ]
    if a.tone is not None and b.tone is not None:
        out.append(DeliveryChange("tone", "Tone", a.tone, b.tone, _verdict_better(a.tone, b.tone, good="varied")))
    return tuple(out)


def _verdict_better(before: str, after: str, *, good: str = "good") -> bool | None:
    """Better when the verdict became ``good``, worse when it stopped being ``good``."""
    if before == after:
        return None
    if after == good:
        return True
    if before == good:
        return False
    return None


def _lower_better(before: float, after: float, tolerance: float) -> bool | None:
    if abs(after - before) < tolerance:
        return None
    return after < before


# --- the model outline --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutlineItem:
    """One criterion of the rubric: the candidate's best quote for it, or what goes there."""

    criterion_id: str
    label: str  # the rubric's short label ("Result")
    quote: str | None
    attempt: int | None  # the attempt the quote is from
    prompt: str  # the rubric's advice for the criterion (what goes there)

    @property
    def said(self) -> bool:
        return self.quote is not None

    def line(self) -> str:
        if self.quote is not None:
            return f"{self.label} — yours: “{self.quote}” (attempt {self.attempt})"
        return f"{self.label} — not said yet: {self.prompt}"


def model_outline(answers: Sequence[AnswerRecord], rubric: Rubric | None) -> tuple[OutlineItem, ...]:
    """For each criterion of ``rubric`` (or, without it, of the latest scored attempt), the best
    evidence the candidate has given for it across ``answers``: the strongest met judgement, the
    latest of equals. Only attempts judged by that rubric count."""
    if rubric is not None:
        rubric_id = rubric.id
        criteria = [(c.id, c.label, c.advice) for c in rubric.criteria]
    else:
        latest = next((a.content for a in reversed(answers) if a.content is not None), None)
        if latest is None:
            return ()
        rubric_id = latest.rubric
        criteria = [(c.id, c.label, "") for c in latest.criteria]
    out = []
    for cid, label, advice in criteria:
        # Best: words that raised no red flag, then the strongest judgement, then the latest.
        best: tuple[bool, float, int, str] | None = None
        for number, a in enumerate(answers, 1):
            c = a.content
            if c is None or c.rubric != rubric_id:
                continue
            hit = next((x for x in c.criteria if x.id == cid and x.met and x.evidence is not None), None)
            if hit is None or hit.evidence is None:
                continue
            clean = not any(_overlaps(hit.evidence, f.evidence) for f in c.red_flags)
            if best is None or (clean, hit.score, number) >= best[:3]:
                best = (clean, hit.score, number, hit.evidence.text)
        short = short_label(label)
        if best is None:
            out.append(OutlineItem(cid, short, None, None, advice or f"say something for “{label}”"))
        else:
            out.append(OutlineItem(cid, short, _quote(best[3], QUOTE_WORDS), best[2], advice))
    return tuple(out)


def _overlaps(a: Any, b: Any) -> bool:
    return a is not None and b is not None and a.start < b.end and b.start < a.end


def short_label(label: str) -> str:
    """``Result`` from the rubric's ``Result — the outcome, ideally measurable``."""
    for sep in (" — ", " – ", " - ", ": "):
        if sep in label:
            return label.split(sep, 1)[0].strip()
    return label.strip()


# --- both together -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionProgress:
    question_id: str
    question_text: str
    rubric_id: str | None
    rubric_label: str
    attempts: tuple[Attempt, ...]
    steps: tuple[Step, ...]
    outline: tuple[OutlineItem, ...]

    @property
    def comparable(self) -> bool:
        return len(self.attempts) >= 2

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": {"id": self.question_id, "text": self.question_text},
            "rubric": {"id": self.rubric_id, "label": self.rubric_label},
            "attempts": [asdict(a) for a in self.attempts],
            "changes": [asdict(s) for s in self.steps],
            "outline": [{**asdict(o), "line": o.line()} for o in self.outline],
        }


def question_progress(question_id: str, answers: Sequence[AnswerRecord], *, question_text: str = "",
                      rubric: Rubric | None = None) -> QuestionProgress:
    """Attempts at one question (``answers`` oldest first), the changes between them, the outline."""
    text = question_text or next((a.question.text for a in reversed(answers) if a.question.text), "")
    rubric_id = rubric.id if rubric is not None else next(
        (a.content.rubric if a.content is not None else a.rubric for a in reversed(answers)
         if a.content is not None or a.rubric), None)
    return QuestionProgress(
        question_id=question_id, question_text=text, rubric_id=rubric_id,
        rubric_label=rubric.label if rubric is not None else (rubric_id or ""),
        attempts=tuple(attempt_of(i, a) for i, a in enumerate(answers, 1)),
        steps=compare_attempts(answers),
        outline=model_outline(answers, rubric),
    )


def progress_from_bank(question_id: str, answers: Sequence[AnswerRecord], bank: Any) -> QuestionProgress:
    """:func:`question_progress` with the question's text and rubric from ``bank`` (a
    :class:`~simulator.rubric.ScenarioBank`): the bank question's rubric, else (a follow-up, or a
    question since removed from the bank) the rubric its latest attempt was judged by."""
    question = bank.questions.get(question_id)
    rubric_id = question.rubric if question is not None else next(
        (a.rubric or (a.content.rubric if a.content is not None else None) for a in reversed(answers)
         if a.rubric or a.content is not None), None)
    rubric = bank.rubrics.get(rubric_id) if rubric_id else None
    text = next((a.question.text for a in reversed(answers) if a.question.text), "")
    return question_progress(question_id, answers, question_text=text or (question.text if question else ""),
                             rubric=rubric)


def _text(evidence: Any) -> str | None:
    return evidence.text if evidence is not None else None
