"""The role-play engine: a headless, deterministic state machine for one drill.

:class:`RolePlaySession` holds the customer's state and mood. ``respond(text)`` takes one candidate
turn, hears its cues and the ``de-escalation`` rubric criteria it meets
(:func:`simulator.roleplay.hearing.hear_turn`), moves the mood (:mod:`simulator.roleplay.mood`),
picks the next state by the script's rules and returns the customer's reply as a :class:`Turn`.
The UI, the text CLI and the tests all drive it the same way; :func:`play` is the lazy generator
form. Same turns in, same conversation out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace

from simulator.roleplay.hearing import MOVES, RUBRIC, hear_turn
from simulator.roleplay.models import Condition, Persona, RolePlay, Transition
from simulator.roleplay.mood import level, move_mood
from simulator.roleplay.result import OUTCOME_POINTS, RolePlayResult, RolePlayScore, Turn
from simulator.rubric.bank import ScenarioBank
from simulator.rubric.engine import default_bank, score_content
from simulator.rubric.feedback import build_feedback
from simulator.rubric.result import ContentScore, CriterionResult, Evidence

# Which reaction a bad turn earns when the script stays put, worst first.
REACTION_ORDER = ("blame", "bare_policy", "repetition", "bluff", "silence", "over_time", "long_turn", "nothing_new")
# The criterion a turn's cue shows in the drill as a whole: each move's own, and a spoken apology as
# empathy (a "sorry" is heard by rule, and the debrief should not then ask for empathy).
_CUE_CRITERIA = {cue: crit for crit, cue in MOVES.items()} | {"apology": "empathy"}
NOT_ASSESSABLE_HINT = ("Too little was said to judge de-escalation: acknowledge how the customer feels, "
                       "ask what happened, offer options and agree the next steps with a time.")


class RolePlaySession:
    """One run of a role-play. Read ``opening`` first, then call ``respond`` until ``finished``."""

    def __init__(self, roleplay: RolePlay, persona: Persona, *, bank: ScenarioBank | None = None) -> None:
        self.roleplay = roleplay
        self.persona = persona
        self._bank = bank
        self.state = roleplay.start
        start_mood = roleplay.start_mood if roleplay.start_mood is not None else persona.temperament.start_mood
        self.mood = start_mood
        self.outcome: str | None = None
        self.failures = 0
        self.streak = 0
        self.elapsed_s = 0.0
        self._visits: Counter[str] = Counter()
        self._reaction_count: Counter[str] = Counter()
        self.turns: list[Turn] = [self._customer(roleplay.opening)]

    @property
    def opening(self) -> Turn:
        return self.turns[0]

    @property
    def finished(self) -> bool:
        return self.outcome is not None

    @property
    def candidate_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.speaker == "candidate"]

    def respond(self, text: str, elapsed_s: float | None = None, content: ContentScore | None = None) -> Turn:
        """Take one candidate turn; return the customer's reply (the drill may end with it).

        Args:
            text: what the candidate said or typed.
            elapsed_s: how long the candidate took, if timed; over ``turn_limit_s`` is a cue.
            content: the turn's score already taken by :func:`~simulator.roleplay.hearing.judge_turn`
                on ``text`` (the turn's report), so that it is not judged twice.
        """
        if self.finished:
            raise ValueError(f"the role-play is over ({self.outcome}); start a new session")
        earlier = [t.text for t in self.candidate_turns]
        heard = hear_turn(text, earlier, self._bank, content)
        cues, evidence, criteria = list(heard.cues), dict(heard.evidence), heard.criteria
        if elapsed_s is not None:
            self.elapsed_s += elapsed_s
            if elapsed_s > self.roleplay.turn_limit_s:
                cues.append("over_time")
        cues_t = tuple(cues)
        move = move_mood(self.mood, cues_t, self.persona.temperament)
        self.mood = move.after
        if move.raw < 0:
            self.failures += 1
            self.streak += 1
        elif move.raw > 0:
            self.streak = 0
        turn_no = len(earlier) + 1
        transition = self._next(cues_t, criteria, turn_no)
        feedback = move.explain() + (f" {transition.why}" if transition and transition.why else "")
        self.turns.append(Turn("candidate", text, self.mood, level(self.mood), self.state, cues_t, criteria,
                               evidence, move.delta, feedback, elapsed_s))
        reply = self._reply(transition, cues_t, turn_no)
        self.turns.append(reply)
        return reply

    def result(self) -> RolePlayResult:
        """The record so far: outcome (``unfinished`` if the drill has not ended), turns, score."""
        content = self._overall_content()
        outcome = self.outcome or "unfinished"
        points = OUTCOME_POINTS[outcome]
        de_esc = content.score if content.assessable else 0
        overall = int(round(min(100.0, 0.5 * de_esc + 0.3 * self.mood + points)))
        score = RolePlayScore(overall, de_esc, self.mood, points, tuple(sorted(content.met_ids)),
                              tuple(sorted(content.flag_ids)))
        debrief = [f"Turn {i}: {t.feedback}" for i, t in enumerate(self.candidate_turns, 1)]
        debrief.append(f"Outcome: {outcome}; final mood {self.mood} ({level(self.mood)}).")
        if content.assessable:
            debrief.extend(f.text for f in content.feedback if f.kind in ("improve", "flag"))
        else:
            debrief.append(NOT_ASSESSABLE_HINT)
        return RolePlayResult(self.roleplay.id, self.persona.id, outcome, tuple(self.turns), score,  # type: ignore[arg-type]
                              tuple(debrief))

    # -- internals ---------------------------------------------------------------------------------

    def _overall_content(self) -> ContentScore:
        """The ``de-escalation`` rubric over all the candidate's turns, with what the turn cues showed.

        Said together, the turns read as one answer to the rubric, which may miss what a single turn
        showed: a criterion counts as met when a turn's cues showed it (a question asked counts as
        ``clarify``, an apology as ``empathy``), quoting that turn, so the score and the debrief's
        advice agree with the per-turn feedback.
        """
        said = ". ".join(t.text.strip().rstrip(".") for t in self.candidate_turns if t.text.strip())
        bank = self._bank or default_bank()
        content = score_content(said or "", rubric=RUBRIC, bank=bank)
        if not content.assessable or RUBRIC not in bank.rubrics:
            return content
        shown: dict[str, str] = {}
        for turn in self.candidate_turns:
            for cue in turn.cues:
                crit = _CUE_CRITERIA.get(cue)
                if crit is not None and crit not in shown:
                    shown[crit] = turn.evidence.get(cue) or turn.text
        if not any(c.id in shown and not c.met for c in content.criteria):
            return content
        rubric = bank.get_rubric(RUBRIC)
        criteria = tuple(self._credit(c, shown[c.id], said) if c.id in shown and not c.met else c
                         for c in content.criteria)
        weights = {c.id: c.weight for c in rubric.criteria}
        total_w = sum(weights.get(c.id, 1.0) for c in criteria) or 1.0
        base = 100.0 * sum(weights.get(c.id, 1.0) * c.score for c in criteria) / total_w
        penalty = sum(bank.red_flags[f.id].penalty for f in content.red_flags if f.id in bank.red_flags)
        merged = replace(content, criteria=criteria, score=int(round(max(0.0, min(100.0, base - penalty)))))
        return replace(merged, feedback=build_feedback(merged, rubric, bank.red_flags, None))

    @staticmethod
    def _credit(crit: CriterionResult, quote: str, said: str) -> CriterionResult:
        start = max(0, said.find(quote))
        return replace(crit, met=True, score=1.0, evidence=Evidence(quote, start, start + len(quote)))

    def _next(self, cues: tuple[str, ...], criteria: tuple[str, ...], turn_no: int) -> Transition | None:
        for t in self.roleplay.always:
            if t.to != self.state and self._holds(t.when, cues, criteria, turn_no):
                return t
        for t in self.roleplay.states[self.state].transitions:
            if self._holds(t.when, cues, criteria, turn_no):
                return t
        return None

    def _holds(self, c: Condition, cues: tuple[str, ...], criteria: tuple[str, ...], turn_no: int) -> bool:
        return (
            all(x in cues for x in c.cues_all)
            and (not c.cues_any or any(x in cues for x in c.cues_any))
            and not any(x in cues for x in c.cues_none)
            and all(x in criteria for x in c.criteria)
            and (c.mood_min is None or self.mood >= c.mood_min)
            and (c.mood_max is None or self.mood <= c.mood_max)
            and (c.streak_min is None or self.streak >= c.streak_min)
            and (c.failures_min is None or self.failures >= c.failures_min)
            and (c.turn_min is None or turn_no >= c.turn_min)
        )

    def _reply(self, transition: Transition | None, cues: tuple[str, ...], turn_no: int) -> Turn:
        rp = self.roleplay
        moving = transition is not None and transition.to != self.state
        ends = moving and rp.states[transition.to].outcome is not None  # type: ignore[union-attr]
        # Out of turns or time: only a turn that reaches an outcome still counts.
        if not ends and (turn_no >= rp.max_turns or self.elapsed_s > rp.total_limit_s):
            self.outcome = "abandoned"
            return self._customer(rp.timeout_line)
        if moving:
            self.state = transition.to  # type: ignore[union-attr]
            self.outcome = rp.states[self.state].outcome
            return self._customer(self._state_line())
        reaction = self._reaction(cues)
        return self._customer(reaction if reaction is not None else self._state_line())

    def _state_line(self) -> str:
        lines = self.roleplay.states[self.state].lines
        n = self._visits[self.state]
        self._visits[self.state] += 1
        return lines[n % len(lines)] if lines else ""

    def _reaction(self, cues: tuple[str, ...]) -> str | None:
        """The stock line for the worst cue of a bad turn that kept the script in place.

        Worst first, but a cue whose lines have all been said gives way to a later cue with a line
        still unsaid, so the customer does not say the same sentence twice in a row when the turn
        did more than one thing wrong ("as I said, it's our policy": bare policy *and* repetition).
        """
        candidates = []
        for cue in REACTION_ORDER:
            lines = self.roleplay.reactions.get(cue) or self.persona.reactions.get(cue)  # type: ignore[call-overload]
            if cue in cues and lines:
                candidates.append((cue, lines))
        if not candidates:
            return None
        fresh = [(c, ls) for c, ls in candidates if self._reaction_count[c] < len(ls)]
        cue, lines = (fresh or candidates)[0]
        i = self._reaction_count[cue]
        self._reaction_count[cue] += 1
        return lines[i % len(lines)]

    def _customer(self, text: str) -> Turn:
        return Turn("customer", text, self.mood, level(self.mood), self.state)


def play(roleplay: RolePlay, persona: Persona, turns: Iterable[str], *,
         bank: ScenarioBank | None = None) -> Iterator[Turn]:
    """Yield the opening, then each candidate turn's reply, until the turns run out or it ends.

    The generator's ``return`` value (``StopIteration.value``) is the :class:`RolePlayResult`.
    """
    session = RolePlaySession(roleplay, persona, bank=bank)
    yield session.opening
    for text in turns:
        if session.finished:
            break
        yield session.respond(text)
    return session.result()
