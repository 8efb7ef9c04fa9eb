"""The typed schema of the scenario bank: questions, rubrics, red flags and company profiles.

Career coaches write these as YAML under ``scenarios/``; pydantic validates them so that a typo is a
clear error naming the field instead of a silent mis-score. Every model forbids unknown keys for the
same reason. Cue patterns are regular expressions matched against a lowercased, filler-free
transcript (see :mod:`simulator.rubric.text`); they are compiled once here so a bad pattern is a load
error, not a crash mid-interview.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Annotated, Literal

import regex as _regex
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

CATEGORIES = (
    "opener", "definition", "motivation", "behavioural", "situational",
    "skills-and-systems", "culture-fit", "career", "salary", "closing",
)
ROLE_FAMILIES = ("general", "retail", "call-centre", "hospitality", "saas-support", "remote-support")

Category = Literal[
    "opener", "definition", "motivation", "behavioural", "situational",
    "skills-and-systems", "culture-fit", "career", "salary", "closing",
]
RoleFamily = Literal["general", "retail", "call-centre", "hospitality", "saas-support", "remote-support"]
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _check_slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"{value!r} is not a valid id (use lowercase letters, digits, '-' or '_')")
    return value


Slug = Annotated[str, AfterValidator(_check_slug)]


MAX_PATTERN_CHARS = 20_000
"""Longest cue pattern accepted, lexicons expanded (the longest bundled one is 2,445)."""
PROBE_TIMEOUT_S = 0.2
"""A pattern that needs longer than this on one of :func:`_probes` can take forever on an answer."""


def _compile(pattern: str, shown: str | None = None) -> _regex.Pattern[str]:
    """Compile a cue pattern, refusing one whose matching time cannot be bounded.

    Patterns are matched with the ``regex`` module (the ``re`` syntax, with a timeout on every
    match, and far less prone to catastrophic backtracking). Each is tried at load time on inputs
    that make nested repetition such as ``(a|aa)+$`` explode; one that runs out of time there is
    refused here, with its file and field, rather than freezing scoring later.
    """
    if len(pattern) > MAX_PATTERN_CHARS:
        raise ValueError(f"cue pattern is {len(pattern):,} characters long (lexicons expanded); the limit "
                         f"is {MAX_PATTERN_CHARS:,}")
    try:
        compiled = _regex.compile(pattern, flags=_regex.VERSION0)
    except (_regex.error, OverflowError, RecursionError) as e:
        raise ValueError(f"bad cue pattern {_short(shown or pattern)}: {e}") from e
    for probe in _probes(pattern):
        if not _finishes(compiled, probe, PROBE_TIMEOUT_S) and not _finishes(compiled, probe, 10 * PROBE_TIMEOUT_S):
            # (Tried twice, the second time ten times longer: a busy machine must not refuse a
            # good pattern. A backtracking one needs billions of steps here, not a second.)
            raise ValueError(
                f"cue pattern {_short(shown or pattern)} can take unbounded time to match (a repetition inside a "
                f"repetition, such as (a|aa)+, tries every way to split the text); simplify it"
            )
    return compiled


TRUSTED = "bundled"
"""Validation context key: the file ships with the package and its patterns passed :func:`_compile`
in the test suite (tests/unit/test_scenarios_bank.py), so loading it checks only their length and
compiles each pattern when it is first matched. Launch compiled 254 patterns it did not need yet
(about 0.4 s of the 1.7 s to the first question)."""


def _check_pattern(pattern: str, info: ValidationInfo, shown: str | None = None) -> None:
    """Full checks (:func:`_compile`) for a user's file; the length only for a bundled one."""
    if info.context and info.context.get(TRUSTED) and len(pattern) <= MAX_PATTERN_CHARS:
        return
    _compile(pattern, shown)


def _finishes(compiled: _regex.Pattern[str], text: str, timeout: float) -> bool:
    try:
        for _ in compiled.finditer(text, timeout=timeout):
            pass
    except TimeoutError:
        return False
    return True


def _short(pattern: str) -> str:
    return repr(pattern if len(pattern) <= 80 else pattern[:77] + "...")


_PROBE_WORD = re.compile(r"[a-z]{2,}")


def _probes(pattern: str) -> list[str]:
    """Texts on which a backtracking pattern shows itself: long runs of one character or word that
    almost match, then fail at the end."""
    units = ["a", "a ", "ab ", "1", " ", "aa a "]
    units += list(dict.fromkeys(_PROBE_WORD.findall(pattern)))[:4]
    out = []
    for unit in units:
        n = max(1, 64 // len(unit))
        out += [unit * n + "!", unit * n + " " + unit + "\x00"]
    return out


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cue(_Strict):
    """One pattern that is evidence for a criterion or a red flag.

    ``weight`` is how much of the criterion one hit supplies (1.0 = enough on its own);
    ``negatable`` means a negation just before the hit ("I would never hang up") cancels it;
    ``unless_met`` names criteria that excuse a red-flag cue when met (policy quoted *with* empathy).
    """

    pattern: str
    weight: float = Field(default=1.0, gt=0, le=2)
    negatable: bool = True
    unless_met: tuple[str, ...] = ()

    @field_validator("pattern")
    @classmethod
    def _valid_regex(cls, v: str, info: ValidationInfo) -> str:
        _check_pattern(r"\b(?:" + v + r")\b", info, shown=v)
        return v

    @cached_property
    def regex(self) -> _regex.Pattern[str]:
        """The pattern as matched; match with a ``timeout`` (see :mod:`simulator.rubric.engine`)."""
        return _regex.compile(r"\b(?:" + self.pattern + r")\b", flags=_regex.VERSION0)


def _cues_from_strings(value: object) -> object:
    """Let YAML authors write a bare string for a weight-1 cue."""
    if isinstance(value, list):
        return [{"pattern": v} if isinstance(v, str) else v for v in value]
    return value


_Sentence = Annotated[str, Field(min_length=3)]
Requirement = Literal["first_person", "number", "sentence", "told"]


class _Meaning(_Strict):
    """What the semantic detector matches by meaning (see :mod:`simulator.rubric.semantic`).

    ``definition`` says in plain words what counts; ``examples`` are sentences a candidate might say
    that meet it; ``near_misses`` are sentences that sound close but do not (a hoped-for result that
    never came, "I learned the system" as an insight). ``requires`` adds closed-fact rules on the
    matching clause: ``first_person`` (I/we did it, not someone else), ``number`` (a figure or
    metric), ``sentence`` (a real clause, not a keyword), ``told`` (it happened: not what the speaker
    *would* do).
    """

    definition: str = ""
    examples: tuple[_Sentence, ...] = ()
    near_misses: tuple[_Sentence, ...] = ()
    requires: tuple[Requirement, ...] = ()

    @model_validator(mode="after")
    def _examples_with_meaning(self) -> _Meaning:
        if (self.definition or self.near_misses or self.requires) and len(self.examples) < 2:
            raise ValueError("examples: give at least two example sentences that meet it")
        return self

    @property
    def has_examples(self) -> bool:
        return bool(self.examples)


class Criterion(_Meaning):
    """One thing a hiring manager listens for: example sentences (and/or legacy cue patterns) that
    show it, and what to say about it."""

    id: Slug
    label: str
    weight: float = Field(default=1.0, gt=0)
    cues: tuple[Cue, ...] = ()
    praise: str = Field(min_length=1, description="Feedback when met; {evidence} is the quoted span.")
    advice: str = Field(min_length=1, description="Kind, actionable feedback when missing.")
    needs: float = Field(default=1.0, gt=0, description="Cue weight (over clauses) for full score.")
    star_part: Literal["context", "action", "reflection"] | None = None
    exclusive: bool = Field(default=False, description=(
        "By meaning, a clause counts for this criterion only where it fits no other criterion of the "
        "rubric better: a story's result is not the clause that set the scene or told an action."))
    after: str | None = Field(default=None, description=(
        "By meaning, only a clause at or after the first one that meets this other criterion of the "
        "rubric counts: a story's result comes after what the speaker did, never before it."))

    @field_validator("cues", mode="before")
    @classmethod
    def _bare_strings(cls, v: object) -> object:
        return _cues_from_strings(v)

    @model_validator(mode="after")
    def _has_evidence(self) -> Criterion:
        if not self.examples and not self.cues:
            raise ValueError("examples: a criterion needs example sentences that meet it")
        return self


class Rubric(_Strict):
    """A named list of criteria; ``red_flags`` lists the flags that apply (default: all)."""

    id: Slug
    label: str
    description: str = ""
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    prompt_cues: tuple[str, ...] = ()
    red_flags: tuple[str, ...] | None = None
    exclude_red_flags: tuple[str, ...] = ()
    star_balance: bool = False


    @field_validator("prompt_cues")
    @classmethod
    def _valid_prompt_cues(cls, v: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        for p in v:
            _check_pattern(p, info)
        return v

    @model_validator(mode="after")
    def _unique_criteria(self) -> Rubric:
        seen: set[str] = set()
        for c in self.criteria:
            if c.id in seen:
                raise ValueError(f"criterion id {c.id!r} appears twice")
            seen.add(c.id)
        for c in self.criteria:
            if c.after is not None and (c.after == c.id or c.after not in seen):
                raise ValueError(f"criterion {c.id!r}: after: {c.after!r} is not another criterion of this rubric")
        return self

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)


class RedFlag(_Meaning):
    """A pattern that costs a candidate the job, e.g. blaming the customer.

    ``only_if_vague`` makes a platitude a flag only when nothing concrete surrounds it (the seeds'
    "I like helping people" with nothing after it): fewer than two criteria met and no numbers.
    """

    id: Slug
    label: str
    cues: tuple[Cue, ...] = ()
    advice: str = Field(min_length=1)
    penalty: float = Field(default=15.0, ge=0, le=100)
    only_if_vague: bool = False
    unless_met: tuple[str, ...] = Field(default=(), description="Criteria that excuse the flag (semantic engine).")

    @field_validator("cues", mode="before")
    @classmethod
    def _bare_strings(cls, v: object) -> object:
        return _cues_from_strings(v)

    @model_validator(mode="after")
    def _has_evidence(self) -> RedFlag:
        if not self.examples and not self.cues:
            raise ValueError("examples: a red flag needs example sentences that show it")
        return self


class Question(_Strict):
    """One interview question with everything a session needs to ask it and judge the answer."""

    id: Slug
    text: str = Field(min_length=3)
    category: Category
    rubric: str
    roles: tuple[RoleFamily, ...] = ()
    target_s: tuple[int, int] = Field(description="Target answer length in seconds, [min, max].")
    tips: tuple[str, ...] = Field(min_length=1)
    follow_ups: tuple[str, ...] = Field(min_length=1)
    source: str = ""


    @field_validator("target_s")
    @classmethod
    def _ordered(cls, v: tuple[int, int]) -> tuple[int, int]:
        if not 0 < v[0] <= v[1] <= 600:
            raise ValueError("target_s must be [min, max] seconds with 0 < min <= max <= 600")
        return v


class QuestionFile(_Strict):
    """``kind: questions`` — a bank for one role family (questions inherit ``role``)."""

    kind: Literal["questions"]
    role: RoleFamily
    title: str = ""
    questions: list[dict]  # validated one by one so one bad question does not lose the file


class RubricFile(_Strict):
    kind: Literal["rubric"]
    rubric: Rubric


_LEXICON_REF = re.compile(r"\{([a-z][a-z0-9_]*)\}")


class RedFlagFile(_Strict):
    """``kind: red_flags``. ``lexicons`` names reusable alternations (a flag's *targets*, *negative
    words*, ...) that cue patterns in the same file compose as ``{name}``: "a negative evaluation of a
    former employer" is written once as ``{target} {copula} {negative}`` and holds for any wording
    the two word lists cover, instead of one phrase per answer. Lexicons may use earlier lexicons."""

    kind: Literal["red_flags"]
    lexicons: dict[str, str] = Field(default_factory=dict)
    red_flags: tuple[RedFlag, ...]

    @model_validator(mode="before")
    @classmethod
    def _expand_lexicons(cls, data: object) -> object:
        if not isinstance(data, dict) or not data.get("lexicons"):
            return data
        lex: dict[str, str] = {}
        raw = data["lexicons"]
        if not isinstance(raw, dict):
            return data

        def expand(pattern: str, what: str = "a cue pattern") -> str:
            size = len(pattern)

            def sub(m: re.Match[str]) -> str:
                nonlocal size
                name = m.group(1)
                if name not in lex:
                    raise ValueError(f"cue pattern uses unknown lexicon {{{name}}}")
                size += len(lex[name]) + 4
                if size > MAX_PATTERN_CHARS:  # lexicons of lexicons grow exponentially
                    raise ValueError(f"{what} expands to more than {MAX_PATTERN_CHARS:,} characters")
                return "(?:" + lex[name] + ")"
            return _LEXICON_REF.sub(sub, pattern)

        for name, pattern in raw.items():
            lex[str(name)] = expand(" ".join(str(pattern).split()), f"lexicon {name!r}")
        flags = []
        for flag in data.get("red_flags") or []:
            if isinstance(flag, dict) and isinstance(flag.get("cues"), list):
                cues = []
                for cue in flag["cues"]:
                    if isinstance(cue, str):
                        cue = expand(cue)
                    elif isinstance(cue, dict) and isinstance(cue.get("pattern"), str):
                        cue = {**cue, "pattern": expand(cue["pattern"])}
                    cues.append(cue)
                flag = {**flag, "cues": cues}
            flags.append(flag)
        return {**data, "lexicons": lex, "red_flags": flags}


class CompanyProfile(_Strict):
    """What the candidate knows about the employer; its words count as job terms."""

    name: str
    mission: str = ""
    values: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
