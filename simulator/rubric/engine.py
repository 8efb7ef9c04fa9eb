"""The content scoring engine: a transcript and a rubric in, a :class:`ContentScore` out.

Method (deterministic, explainable, offline): the answer is normalised (fillers blanked, offsets
kept) and cut into clauses without trusting punctuation. Each criterion's cue patterns (data, in
``scenarios/rubrics/*.yaml``) are matched over the whole answer; a hit counts once per clause, at
the cue's weight, unless a negation sits just before it in the same phrase ("I would never hang
up"). A criterion's strength is the summed weight over ``needs``, capped at 1; met means >= 0.5
and at least one full cue's worth of evidence (supporting cues of weight < 1 need corroboration).
Cues are matched on the answer with whitespace runs squeezed, so a blanked filler between two
words ("i um called") does not hide a cue.
The strongest clause is the evidence. Red flags work the same way, minus the criteria that excuse
them. The 0-100 score is the weighted mean strength minus each flag's penalty. Pure regex: a
3,000-word answer takes milliseconds on one core.

That is the "regex" engine. The default, "hybrid", judges criteria by meaning
(:mod:`simulator.rubric.semantic`), these cue patterns settling the close calls, and raises a red
flag that either finds; "semantic" is meaning alone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from simulator.errors import UsageError
from simulator.rubric import fitted, semantic
from simulator.config import CONTENT_ENGINES, DEFAULT_CONTENT_ENGINE, settings
from simulator.rubric.bank import ScenarioBank, load_bank
from simulator.rubric.encoder import preload as preload_encoder
from simulator.rubric.tense import preload as preload_verb_table
from simulator.rubric.feedback import build_feedback
from simulator.rubric.jobterms import job_terms
from simulator.rubric.metrics import find_metrics
from simulator.rubric.models import CompanyProfile, Criterion, Cue, Question, RedFlag, Rubric
from simulator.rubric.result import ContentScore, CriterionResult, Evidence, RedFlagHit, StarBalance
from simulator.rubric.text import Span, assess, clauses, normalise, span_at

FALLBACK_RUBRIC = "skills-metrics"
ENGINES = CONTENT_ENGINES
DEFAULT_ENGINE = DEFAULT_CONTENT_ENGINE
BY_MEANING = ("hybrid", "semantic")
"""The engines that judge criteria by meaning, so need the sentence encoder."""


def chosen_engine(engine: str | None = None) -> str:
    """``engine`` if given, else the ``content_engine`` setting (``$INTERVIEW_SIM_CONTENT_ENGINE``, the
    settings file, else :data:`DEFAULT_ENGINE`)."""
    name = engine or settings().content_engine
    if name not in ENGINES:
        raise UsageError(f"unknown content engine {name!r}: use one of {', '.join(ENGINES)}")
    return name
MET_THRESHOLD = 0.5
# A criterion is never met on supporting cues alone: the hits must add up to at least one full
# cue's worth of evidence (weight 1.0). A weight-0.5 cue ("at my last job", "stay calm") says the
# answer is heading the right way; it needs a second, corroborating hit before it counts as met.
MIN_EVIDENCE = 1.0
NEGATION_WINDOW_WORDS = 4
_NEGATORS = frozenset(
    "never not no nothing without dont don't didnt didn't wouldnt wouldn't wont won't cant can't "
    "couldnt couldn't shouldnt shouldn't isnt isn't wasnt wasn't avoid instead".split()
)
# A new subject ends a negation's reach: "if i don't know i'd make up an answer" is not negated.
_SUBJECTS = frozenset("i i'd i'll i'm im id ill he she they we you it".split())
_TOKEN = re.compile(r"[a-z0-9']+")
_log = logging.getLogger(__name__)


@lru_cache(maxsize=1024)
def _prompt_cue(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern, flags=regex.VERSION0)


def _prompt_cue_hit(pattern: str, norm: str) -> bool:
    try:
        return _prompt_cue(pattern).search(norm, timeout=_match_timeout(norm)) is not None
    except TimeoutError:
        return False


@dataclass(frozen=True)
class _Hit:
    span: Span
    weight: float
    start: int
    end: int


def fitted_data_warning(engine: str | None = None) -> str | None:
    """What to tell the user when content by meaning runs without its fitted files (missing or
    damaged: it then falls back on the example sentences alone, so its scores drift without a word);
    None when they are whole or the engine does not use them."""
    if chosen_engine(engine) not in BY_MEANING:
        return None
    problems = fitted.data_problems()
    if not problems:
        return None
    return (f"content by meaning is running without its fitted data ({problems[0]}); scores may differ. "
            "Reinstall interview-sim; `interview-sim doctor` lists what is wrong.")


def preload(engine: str | None = None) -> None:
    """Start loading what ``engine`` needs in the background (the encoder for "semantic"), so the
    first answer's score does not wait for it. Cheap and safe to call more than once."""
    if chosen_engine(engine) in BY_MEANING:
        preload_encoder()
        preload_verb_table()


def warm(text: str, engine: str | None = None) -> None:
    """Do ahead of time what scoring ``text`` (an answer so far) will need: with the semantic engine,
    embed its clauses. Called in the background while the candidate talks; a no-op for regex.
    The semantic engine and hybrid share it (criteria by meaning)."""
    if chosen_engine(engine) not in BY_MEANING:
        return
    norm = normalise(text)
    if assess(norm).ok:
        semantic.warm(norm, clauses(text, norm))


@lru_cache(maxsize=1)
def default_bank() -> ScenarioBank:
    """The bundled + user bank, loaded once per process."""
    return load_bank()


def score_content(
    text: str,
    *,
    question: Question | None = None,
    rubric: Rubric | str | None = None,
    prompt: str | None = None,
    job_description: str | None = None,
    company: CompanyProfile | None = None,
    bank: ScenarioBank | None = None,
    engine: str | None = None,
    turn: bool = False,
) -> ContentScore:
    """Judge what was said. Rubric choice: ``rubric``, else the question's, else inferred from
    ``prompt``, else the generic skills rubric. ``engine``: "hybrid" (criteria by meaning, the cue
    patterns settling close calls; a red flag raised by either), "semantic" (both by example sentences
    matched by meaning, :mod:`simulator.rubric.semantic`) or "regex" (both by cue patterns); see
    :func:`chosen_engine`. ``turn``: ``text`` is one role-play turn said *to* a customer, not an answer
    about one: by meaning its criteria are judged with the heads and thresholds fitted on turns
    (:data:`semantic.TURN_PREFIX`) and meaning alone decides them, since the cue patterns that settle
    an answer's close calls are written for answers."""
    engine = chosen_engine(engine)
    bank = bank or default_bank()
    chosen = resolve_rubric(bank, question=question, rubric=rubric, prompt=prompt)
    norm = normalise(text)
    terms = job_terms(text, job_description, company)
    check = assess(norm)
    if not check.ok:
        empty = tuple(CriterionResult(c.id, c.label, False, 0.0, None) for c in chosen.criteria)
        score = ContentScore(chosen.id, empty, (), 0, False, check.reason, job_terms=terms,
                             word_count=check.word_count, question_id=question.id if question else None)
        return _with_feedback(score, chosen, bank, question)

    spans = clauses(text, norm)
    metrics = find_metrics(text, norm)
    if engine in BY_MEANING:
        flags_by_meaning = _applicable_flags(chosen, bank)
        # Hybrid: the cue patterns settle the criteria that meaning finds a close call (those that
        # have cues), and judge alone a criterion written with cues but no example sentences.
        second = ({c.id: _judge(c, text, norm, spans) for c in chosen.criteria if c.cues}
                  if engine == "hybrid" and not turn else None)
        # Hybrid raises a flag either detector finds; meaning only on a clause without a negation of
        # the speaker's own (the cue patterns have their own negation rule; clause_facts.speaker_negation).
        # On h6, left out of the fit, the gate found 27 of 48 flags where the cue patterns found 18,
        # at precision 0.73 against 0.75 (bench/agreement.py --flag-negation).
        results, flags, balance = semantic.judge(chosen, flags_by_meaning, norm, spans, len(metrics), second=second,
                                                 affirmative_flags=engine == "hybrid",
                                                 prefix=semantic.TURN_PREFIX if turn else None)
        if engine == "hybrid":
            results = tuple(r if c.examples or second is None or c.id not in second else second[c.id]
                            for c, r in zip(chosen.criteria, results))
            met = {r.id for r in results if r.met}
            by_cues = tuple(_flags(_applicable_flags(chosen, bank), text, norm, spans, met, len(metrics)))
            flags = by_cues + tuple(f for f in flags if f.id not in {c.id for c in by_cues})
    else:
        results = tuple(_judge(c, text, norm, spans) for c in chosen.criteria)
        met = {r.id for r in results if r.met}
        flags = tuple(_flags(_applicable_flags(chosen, bank), text, norm, spans, met, len(metrics)))
        balance = _balance(chosen, norm, spans) if chosen.star_balance else None
    results = _not_met_by_a_platitude(results, flags, bank)
    total_w = sum(c.weight for c in chosen.criteria)
    base = 100.0 * sum(c.weight * r.score for c, r in zip(chosen.criteria, results)) / total_w
    penalty = sum(bank.red_flags[f.id].penalty for f in flags)
    score = ContentScore(
        rubric=chosen.id, criteria=results, red_flags=flags,
        score=int(round(max(0.0, min(100.0, base - penalty)))), assessable=True,
        balance=balance, metrics_mentioned=metrics, job_terms=terms,
        word_count=check.word_count, question_id=question.id if question else None,
    )
    return _with_feedback(score, chosen, bank, question)


def _with_feedback(score: ContentScore, rubric: Rubric, bank: ScenarioBank, q: Question | None) -> ContentScore:
    return replace(score, feedback=build_feedback(score, rubric, bank.red_flags, q))


def resolve_rubric(
    bank: ScenarioBank, *, question: Question | None = None, rubric: Rubric | str | None = None,
    prompt: str | None = None,
) -> Rubric:
    if isinstance(rubric, Rubric):
        return rubric
    if isinstance(rubric, str):
        return bank.get_rubric(rubric)
    if question is not None:
        return bank.get_rubric(question.rubric)
    if prompt:
        return infer_rubric(bank, prompt)
    return bank.get_rubric(FALLBACK_RUBRIC)


def infer_rubric(bank: ScenarioBank, prompt: str) -> Rubric:
    """Pick the rubric for a free-text question: an exact bank question wins, then prompt cues."""
    norm = normalise(prompt)
    words = set(_TOKEN.findall(norm))
    best_q, best_overlap = None, 0.0
    for q in bank.questions.values():
        qw = set(_TOKEN.findall(normalise(q.text)))
        overlap = len(words & qw) / max(1, len(words | qw))
        if overlap > best_overlap:
            best_q, best_overlap = q, overlap
    if best_q is not None and best_overlap >= 0.6:
        return bank.get_rubric(best_q.rubric)
    ranked = sorted(
        ((sum(_prompt_cue_hit(p, norm) for p in r.prompt_cues), r.id) for r in bank.rubrics.values()),
        key=lambda t: (-t[0], t[1]),
    )
    if ranked and ranked[0][0] > 0:
        return bank.get_rubric(ranked[0][1])
    if best_q is not None and best_overlap >= 0.3:
        return bank.get_rubric(best_q.rubric)
    return bank.get_rubric(FALLBACK_RUBRIC)


def _negated(norm: str, span: Span, start: int) -> bool:
    before = _TOKEN.findall(norm, span.start, start)
    for tok in reversed(before[-NEGATION_WINDOW_WORDS:]):
        if tok in _NEGATORS or tok.endswith("n't"):
            return True
        if tok in _SUBJECTS:
            return False
    return False


_SPACE_RUN = re.compile(r"\s+")


@lru_cache(maxsize=64)
def _squeezed(norm: str) -> tuple[str, tuple[int, ...]]:
    """``norm`` with every run of whitespace as one space, and each character's offset in ``norm``.

    Blanked fillers leave runs of spaces ("i um called" -> "i    called") and transcripts carry
    line breaks; cue patterns are written with single spaces, so they are matched here and the
    match offsets mapped back to the answer.
    """
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _SPACE_RUN.finditer(norm):
        out.append(norm[pos:m.start()])
        index.extend(range(pos, m.start()))
        out.append(" ")
        index.append(m.start())
        pos = m.end()
    out.append(norm[pos:])
    index.extend(range(pos, len(norm)))
    index.append(len(norm))
    return "".join(out), tuple(index)


def _hits(cues: Iterable[Cue], norm: str, spans: list[Span], met: set[str] | None = None) -> list[_Hit]:
    """Best hit per clause across ``cues`` (one clause cannot count twice for one criterion)."""
    text, index = _squeezed(norm)
    best: dict[int, _Hit] = {}
    for cue in cues:
        if met is not None and any(c in met for c in cue.unless_met):
            continue
        for m in _finditer(cue, text):
            start, end = index[m.start()], index[m.end() - 1] + 1 if m.end() > m.start() else index[m.start()]
            span = span_at(spans, start)
            if span is None or (cue.negatable and _negated(norm, span, start)):
                continue
            prev = best.get(span.start)
            if prev is None or cue.weight > prev.weight:
                best[span.start] = _Hit(span, cue.weight, start, end)
    return sorted(best.values(), key=lambda h: h.start)


MATCH_SECONDS_PER_MB = 5.0
"""Time one cue may take on a 1 MB answer (at least one second whatever the length); a cue that
needs longer is skipped with a warning instead of freezing scoring."""


def _match_timeout(text: str) -> float:
    return max(1.0, MATCH_SECONDS_PER_MB * len(text) / 1_000_000)


def _finditer(cue: Cue, text: str) -> list:
    """Every match of ``cue`` in ``text``, or none if it runs out of time (a pattern that slipped
    through the load-time check, or an answer that makes a slow pattern crawl)."""
    try:
        return list(cue.regex.finditer(text, timeout=_match_timeout(text)))
    except TimeoutError:
        _log.warning("interview-sim: warning: cue pattern %.60r took too long on this answer and was "
                     "skipped", cue.pattern)
        return []


def _judge(criterion: Criterion, original: str, norm: str, spans: list[Span]) -> CriterionResult:
    hits = _hits(criterion.cues, norm, spans)
    total = sum(h.weight for h in hits)
    strength = min(1.0, total / criterion.needs)
    met = strength >= MET_THRESHOLD and total >= MIN_EVIDENCE
    evidence = None
    if hits:
        top = max(hits, key=lambda h: (h.weight, -h.start))
        evidence = Evidence.of(top.span)
    return CriterionResult(criterion.id, criterion.label, met, round(strength, 3), evidence)


def _not_met_by_a_platitude(results: tuple[CriterionResult, ...], flags: Sequence[RedFlagHit],
                            bank: ScenarioBank) -> tuple[CriterionResult, ...]:
    """A criterion whose only evidence is a clause a platitude flag (``only_if_vague``: "nothing
    concrete") was raised on is not met: the feedback praised "customer services, you know, um,
    helping people" as the answer's relevance and flagged it as a platitude at once, and
    ``attempts`` offered it as the model outline (stop 43)."""
    vague = [f.evidence for f in flags
             if f.evidence is not None and f.id in bank.red_flags and bank.red_flags[f.id].only_if_vague]
    if not vague:
        return results

    def on_a_platitude(r: CriterionResult) -> bool:
        e = r.evidence
        return r.met and e is not None and any(e.start < v.end and v.start < e.end for v in vague)

    return tuple(replace(r, met=False, score=min(r.score, 0.49), evidence=None) if on_a_platitude(r) else r
                 for r in results)


def _applicable_flags(rubric: Rubric, bank: ScenarioBank) -> list[RedFlag]:
    ids = rubric.red_flags if rubric.red_flags is not None else tuple(bank.red_flags)
    return [bank.red_flags[i] for i in ids if i in bank.red_flags and i not in rubric.exclude_red_flags]


def _flags(flags: list[RedFlag], original: str, norm: str, spans: list[Span], met: set[str],
           metric_count: int) -> Iterable[RedFlagHit]:
    concrete = len(met) >= 2 or metric_count > 0
    for flag in flags:
        if flag.only_if_vague and concrete:
            continue
        hits = _hits(flag.cues, norm, spans, met)
        if hits:
            h = hits[0]
            yield RedFlagHit(flag.id, flag.label, Evidence.of(h.span))


def _balance(rubric: Rubric, norm: str, spans: list[Span]) -> StarBalance | None:
    """Label each clause context / action / reflection by the STAR cues it holds; unlabelled
    clauses continue the previous part, as spoken stories do."""
    order = {"action": 3, "reflection": 2, "context": 1}
    part_of: dict[int, str] = {}
    for c in rubric.criteria:
        if c.star_part is None:
            continue
        for h in _hits(c.cues, norm, spans):
            current = part_of.get(h.span.start)
            if current is None or order[c.star_part] > order[current]:
                part_of[h.span.start] = c.star_part
    counts = {"context": 0, "action": 0, "reflection": 0}
    current = "context"
    for s in spans:
        current = part_of.get(s.start, current)
        counts[current] += len(_TOKEN.findall(norm, s.start, s.end))
    total = sum(counts.values())
    if total == 0:
        return None
    return StarBalance(counts["action"] / total, counts["context"] / total, counts["reflection"] / total)
