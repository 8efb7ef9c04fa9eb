"""Scenario bank and content rubric engine: what the candidate said, judged as a hiring manager would.

Public API::

    from simulator.rubric import load_bank, score_content, ContentScore

``load_bank`` reads the YAML question banks, rubrics and red flags (bundled, user folder, extra
folders) into a :class:`ScenarioBank`; ``score_content`` judges a transcript against a rubric and
returns a :class:`ContentScore` whose every judgement points at its evidence. The CLI helpers
(``add_content_arguments``, ``content_from_args``, ``render_content_text``) let ``interview-sim
score`` add a content section without knowing the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.lazy import lazy_exports

if TYPE_CHECKING:
    from simulator.rubric.bank import LoadError, ScenarioBank, load_bank, load_company
    from simulator.rubric.cli_support import add_content_arguments, content_from_args, render_content_text
    from simulator.rubric.engine import infer_rubric, score_content, warm
    from simulator.rubric.models import CompanyProfile, Criterion, Question, RedFlag, Rubric
    from simulator.rubric.result import (
        ContentScore,
        CriterionResult,
        Evidence,
        FeedbackLine,
        JobTerms,
        RedFlagHit,
        StarBalance,
    )

_FROM = {
    "simulator.rubric.bank": ("LoadError", "ScenarioBank", "load_bank", "load_company"),
    "simulator.rubric.cli_support": ("add_content_arguments", "content_from_args", "render_content_text"),
    "simulator.rubric.engine": ("infer_rubric", "score_content", "warm"),
    "simulator.rubric.models": ("CompanyProfile", "Criterion", "Question", "RedFlag", "Rubric"),
    "simulator.rubric.result": ("ContentScore", "CriterionResult", "Evidence", "FeedbackLine", "JobTerms",
                                "RedFlagHit", "StarBalance"),
}
"""Where each name of the public API lives. A name is imported from its module the first time it is
asked for (:func:`__getattr__`), so that ``from simulator.rubric import load_bank`` reads the bank
without loading the scoring engine (its cue patterns, the semantic encoder's code), which is only
needed once an answer is scored: loading it at the top cost every start of the app about 0.05 s."""
_MODULE_OF = {name: module for module, names in _FROM.items() for name in names}


__getattr__ = lazy_exports(__name__, _MODULE_OF, globals())


__all__ = [
    "warm",
    "CompanyProfile", "ContentScore", "Criterion", "CriterionResult", "Evidence", "FeedbackLine",
    "JobTerms", "LoadError", "Question", "RedFlag", "RedFlagHit", "Rubric", "ScenarioBank",
    "StarBalance", "add_content_arguments", "content_from_args", "infer_rubric", "load_bank",
    "load_company", "render_content_text", "score_content",
]
