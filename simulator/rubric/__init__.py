"""Scenario bank and content rubric engine: what the candidate said, judged as a hiring manager would.

Public API::

    from simulator.rubric import load_bank, score_content, ContentScore

``load_bank`` reads the YAML question banks, rubrics and red flags (bundled, user folder, extra
folders) into a :class:`ScenarioBank`; ``score_content`` judges a transcript against a rubric and
returns a :class:`ContentScore` whose every judgement points at its evidence. The CLI helpers
(``add_content_arguments``, ``content_from_args``, ``render_content_text``) let ``interview-sim
score`` add a content section without knowing the engine.
"""

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

__all__ = [
    "warm",
    "CompanyProfile", "ContentScore", "Criterion", "CriterionResult", "Evidence", "FeedbackLine",
    "JobTerms", "LoadError", "Question", "RedFlag", "RedFlagHit", "Rubric", "ScenarioBank",
    "StarBalance", "add_content_arguments", "content_from_args", "infer_rubric", "load_bank",
    "load_company", "render_content_text", "score_content",
]
