"""Which questions a session asks: a sensible interview, varied between sessions.

:func:`plan_questions` is pure: a role's question pool, a count, a random source and what the user
has practised (:class:`PracticeHistory`) in, the questions in the order to ask them out. The app
(:meth:`~simulator.session.interview.Interview.from_bank`) and ``practice|drill --plan`` both use it.

The shape of an interview, as hiring guides describe it:

1. the *core* questions, one each while the count allows: an opener ("Tell me about yourself"), a
   behavioural story (the STAR rubric), a situational question ("A customer demands ...") and a
   motivation question ("Why this role?"). When the count is smaller than the core, the opener and
   the story stay and the others are the kinds the user has practised least;
2. then other questions, each on a rubric not asked yet: no two questions share a rubric unless the
   count exceeds the rubrics in the pool, and then the rubrics used least are repeated first.

Within each choice a question the user has never answered is preferred, then one they scored worst
on, then one asked least recently (the "attempts" count stands in for recency); questions written
for the role are preferred slightly over the general ones; the rest is chance, so two sessions
differ. With a ``seed`` the plan is fixed: the same seed, role and count give the same questions
whatever the history (the history is ignored).

The order asked: opener, motivation, story, situational, the others, and a closing question
("Do you have any questions for us?") last if chosen.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# (slot name, test on a question), in the priority order the core is filled.
CORE_SLOTS: tuple[tuple[str, Callable[[Any], bool]], ...] = (
    ("opener", lambda q: q.category == "opener"),
    ("story", lambda q: q.rubric == "star"),
    ("situational", lambda q: q.category == "situational"),
    ("motivation", lambda q: q.category == "motivation" or q.rubric == "motivation"),
)
ASK_ORDER = ("opener", "motivation", "story", "situational", "extra", "closing")
ROLE_BONUS = 0.5
"""How much a question written for the role outweighs a general one (chance adds up to 1)."""
NEW_BONUS = 2.0
"""How much a question never answered outweighs any answered one."""


@dataclass(frozen=True)
class Practised:
    """What the user has done with one question: how often answered, and their mean content score."""

    attempts: int = 0
    mean_score: float | None = None


@dataclass(frozen=True)
class PracticeHistory:
    """Per question id, what the user has practised; per rubric, their mean content score."""

    questions: Mapping[str, Practised] = field(default_factory=dict)
    rubric_scores: Mapping[str, float] = field(default_factory=dict)

    def of(self, question_id: str) -> Practised:
        return self.questions.get(question_id, Practised())

    @classmethod
    def from_answers(cls, answers: Iterable[tuple[str, str | None, float | None]]) -> PracticeHistory:
        """Build from ``(question_id, rubric, content score or None)`` for every stored answer."""
        counts: Counter[str] = Counter()
        scores: dict[str, list[float]] = {}
        by_rubric: dict[str, list[float]] = {}
        for qid, rubric, score in answers:
            counts[qid] += 1
            if score is not None:
                scores.setdefault(qid, []).append(float(score))
                if rubric:
                    by_rubric.setdefault(rubric, []).append(float(score))
        questions = {q: Practised(n, _mean(scores.get(q))) for q, n in counts.items()}
        return cls(questions, {r: _mean(v) for r, v in by_rubric.items()})  # type: ignore[misc]


def _mean(values: list[float] | None) -> float | None:
    return sum(values) / len(values) if values else None


def plan_questions(pool: Sequence[Any], count: int, *, role: str = "general", seed: int | None = None,
                   history: PracticeHistory | None = None, rng: random.Random | None = None) -> list[Any]:
    """The questions a session asks, in order (see the module docstring).

    Args:
        pool: the questions open to the role (bank ``Question`` objects: id, rubric, category, roles).
        count: how many to ask (capped at the pool's size; at least 1 when the pool has any).
        role: the role family; questions written for it are preferred a little.
        seed: a fixed plan: this seed, role and count always give the same questions (history ignored).
        history: what the user has practised (None: nothing known).
        rng: the random source when no seed is given (default: a fresh, unseeded one).
    """
    pool = sorted(pool, key=lambda q: q.id)  # the bank's file order must not matter
    count = min(max(1, count), len(pool))
    if count <= 0:
        return []
    if seed is not None:
        rng, history = random.Random(seed), None
    rng = rng or random.Random()
    history = history or PracticeHistory()
    weight = {q.id: _weight(q, role, history, rng) for q in pool}

    chosen: list[tuple[str, Any]] = []
    used_ids: set[str] = set()
    used_rubrics: Counter[str] = Counter()

    def take(slot: str, candidates: Iterable[Any]) -> bool:
        fresh = [q for q in candidates if q.id not in used_ids and not used_rubrics[q.rubric]]
        if not fresh:
            return False
        best = max(fresh, key=lambda q: weight[q.id])
        chosen.append((slot, best))
        used_ids.add(best.id)
        used_rubrics[best.rubric] += 1
        return True

    slots = [(name, test) for name, test in CORE_SLOTS if any(test(q) for q in pool)]
    if count < len(slots):
        keep = min(2, count)
        first, rest = slots[:keep], slots[keep:]
        # The opener and a story stay; of the others, the kinds practised least (then worst scored).
        rest.sort(key=lambda s: -max((weight[q.id] for q in pool if s[1](q)), default=0.0))
        slots = first + rest[: count - keep]
    for name, test in slots:
        if len(chosen) < count:
            take(name, (q for q in pool if test(q)))
    while len(chosen) < count:
        # Another rubric not asked yet; when every rubric has been asked, the least used ones again.
        if not take("extra", pool):
            least = min(used_rubrics[q.rubric] for q in pool if q.id not in used_ids)
            spare = [q for q in pool if q.id not in used_ids and used_rubrics[q.rubric] == least]
            best = max(spare, key=lambda q: weight[q.id])
            chosen.append(("extra", best))
            used_ids.add(best.id)
            used_rubrics[best.rubric] += 1
    order = {name: i for i, name in enumerate(ASK_ORDER)}
    ranked = [("closing" if q.category == "closing" else slot, q) for slot, q in chosen]
    return [q for _, q in sorted(ranked, key=lambda sq: order[sq[0]])]


def _weight(q: Any, role: str, history: PracticeHistory, rng: random.Random) -> float:
    """How much this question is wanted now: chance, plus never answered, plus scored badly (on the
    question or its rubric), minus answered often, plus written for the role."""
    w = rng.random()
    done = history.of(q.id)
    if done.attempts == 0:
        w += NEW_BONUS
        rubric_score = history.rubric_scores.get(q.rubric)
        if rubric_score is not None:
            w += (100.0 - rubric_score) / 200.0
    else:
        if done.mean_score is not None:
            w += (100.0 - done.mean_score) / 50.0  # a score of 0 counts as much as never answered
        w -= min(done.attempts, 5) * 0.1
    if role != "general" and role in getattr(q, "roles", ()):
        w += ROLE_BONUS
    return w


def history_from_store(store: Any) -> PracticeHistory:
    """What the user has practised, from the session store: every current answer to a bank question
    (not role-play turns, whose ids are ``roleplay:...``)."""
    rows = []
    for qid, _text, _n in store.questions_answered():
        if qid.startswith("roleplay:"):
            continue
        for a in store.attempts(qid):
            content = a.content
            score = content.score if content is not None and content.assessable else None
            rows.append((qid, a.rubric or (content.rubric if content is not None else None), score))
    return PracticeHistory.from_answers(rows)


def plan_rows(questions: Sequence[Any]) -> list[dict[str, str]]:
    """The plan as ``--plan --json`` prints it: ``[{id, rubric, text}]``."""
    return [{"id": q.id, "rubric": q.rubric, "text": q.text} for q in questions]
