"""The interview: the questions planned for a session, the answers given, and the follow-ups asked."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal


from simulator.errors import ScenarioError
from simulator.roleplay.followups import choose_follow_up, follow_up_limit
from simulator.roleplay.followups import follow_up_rubric
from simulator.rubric import load_bank
from simulator.session.planner import plan_questions

if TYPE_CHECKING:
    from simulator.answer.report import AnswerReport

Mode = Literal["rehearsal", "drill", "rapid"]


# -- the interview ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """What the candidate chose on the home screen."""

    role: str = "general"
    mode: Mode = "rehearsal"
    count: int = 5
    think_s: float | None = None
    limit_s: float | None = None
    seed: int | None = None
    follow_ups: str | int = "off"
    """Interviewer follow-ups per question: "off", "one" or a number N (the CLI defaults to "one")."""


@dataclass
class AnsweredQuestion:
    question: Any  # simulator.rubric.Question
    report: AnswerReport
    audio_path: Path | None = None
    parent_id: str | None = None
    """For the answer to a follow-up: the id of the main question it follows."""


@dataclass(frozen=True)
class FollowUp:
    """An interviewer follow-up being asked: its text, the main question, and which one it is (1, 2, ...)."""

    text: str
    parent: Any  # simulator.rubric.Question
    number: int

    def as_question(self, rubrics: Collection[str] | None = None) -> Any:
        """The follow-up as a question of its own: the main one's target length, and the rubric for
        what it asks (:func:`~simulator.roleplay.followups.follow_up_rubric`; ``rubrics`` are the
        ones the bank has), decided here once and stored with the answer."""
        rubric = follow_up_rubric(self.text, self.parent.rubric, rubrics)
        update: dict[str, Any] = {"id": f"{self.parent.id}-follow-up-{self.number}", "text": self.text,
                                  "follow_ups": (), "rubric": rubric}
        if rubric != self.parent.rubric:
            update["category"] = RUBRIC_CATEGORIES.get(rubric, self.parent.category)
        return self.parent.model_copy(update=update)


RUBRIC_CATEGORIES = {"star": "behavioural", "motivation": "motivation", "dont-know": "situational",
                     "five-years": "career", "skills-metrics": "skills-and-systems"}
"""The bank category of a follow-up judged by another rubric than its main question's."""


class Interview:
    """Which question is current, what was answered, what comes next. Pure state, no I/O."""

    def __init__(self, plan: Plan, questions: Sequence[Any], rubrics: Collection[str] | None = None):
        if not questions:
            raise ScenarioError(f"no questions for role {plan.role!r}")
        self.plan = plan
        self.questions = list(questions)
        self.index = 0
        self.answers: list[AnsweredQuestion] = []
        self.follow_up: FollowUp | None = None
        """The follow-up being asked now; ``current`` is then its question."""
        self.follow_up_due: str | None = None
        """The follow-up chosen after the last answer; ``advance`` asks it before the next question."""
        self._follow_up_question: Any = None
        self._asked: list[str] = []
        self.rubrics = frozenset(rubrics) if rubrics is not None else None
        """The bank's rubric ids (None: not known), for judging follow-ups."""

    @classmethod
    def from_bank(cls, plan: Plan, bank: Any = None, history: Any = None) -> Interview:
        """An interview on the questions :func:`~simulator.session.planner.plan_questions` picks for
        the plan (``history``: a :class:`~simulator.session.planner.PracticeHistory`, or None)."""
        if bank is None:
            bank = load_bank()
        pool = list(bank.questions_for(role=plan.role))
        questions = plan_questions(pool, plan.count, role=plan.role, seed=plan.seed, history=history)
        return cls(plan, questions, rubrics=set(bank.rubrics))

    @property
    def current(self) -> Any:
        if self.follow_up is not None:
            return self._follow_up_question
        return self.questions[self.index]

    @property
    def main_question(self) -> Any:
        """The bank question being worked on (the parent while a follow-up is asked)."""
        return self.questions[self.index]

    @property
    def finished(self) -> bool:
        return self.index >= len(self.questions)

    @property
    def every_question_answered(self) -> bool:
        """Each main question has an answer (its follow-ups aside): the candidate left on the last
        question's feedback, not part-way through the interview."""
        return {q.id for q in self.questions} <= {a.question.id for a in self.answers}

    @property
    def position(self) -> str:
        return f"{min(self.index + 1, len(self.questions))}/{len(self.questions)}"

    def think_s(self) -> float:
        if self.plan.think_s is not None:
            return self.plan.think_s
        return 5.0 if self.plan.mode == "rapid" else 15.0

    def limit_s(self) -> float | None:
        """The hard answer limit: the override, else the top of the question's target band."""
        if self.plan.mode == "rehearsal":
            return self.plan.limit_s
        if self.plan.limit_s is not None:
            return self.plan.limit_s
        top = float(self.current.target_s[1])
        return min(top, 30.0) if self.plan.mode == "rapid" else top

    def target_s(self) -> tuple[float, float]:
        """The length the current answer is judged against: the question's target band, scaled down
        to end at the answer limit when the limit comes first (a 15 s drill on a 45-90 s question
        judges against 7.5-15 s; it said "too short (45-90 s)" to an answer that used all 15 s)."""
        low, high = (float(x) for x in self.current.target_s)
        limit = self.limit_s()
        if limit is None or limit >= high:
            return low, high
        return round(low * limit / high, 1), limit

    def record(self, report: AnswerReport, audio_path: Path | None = None) -> None:
        """Keep the answer to the current question (a re-record replaces the previous take)."""
        q = self.current
        self.answers = [a for a in self.answers if a.question.id != q.id]
        parent_id = self.follow_up.parent.id if self.follow_up is not None else None
        self.answers.append(AnsweredQuestion(q, report, audio_path, parent_id))
        self.follow_up_due = self._choose_follow_up(report)

    def advance(self) -> None:
        """Ask the follow-up chosen for the last answer, if one is due; else move to the next question."""
        if self.follow_up_due is not None:
            self._asked.append(self.follow_up_due)
            self.follow_up = FollowUp(self.follow_up_due, self.main_question, len(self._asked))
            self._follow_up_question = self.follow_up.as_question(self.rubrics)
            self.follow_up_due = None
            return
        self.follow_up = None
        self._follow_up_question = None
        self._asked = []
        self.index += 1

    def _choose_follow_up(self, report: AnswerReport) -> str | None:
        if follow_up_limit(self.plan.follow_ups) == 0 or report.content is None:
            return None
        if not report.transcript.text.strip():
            return None  # nothing was said: an interviewer would not probe a silence
        return choose_follow_up(self.main_question, report.content, self.plan.follow_ups, asked=self._asked)
