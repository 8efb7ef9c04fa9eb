"""Glue for ``interview-sim score``: content options, turning them into a score, and a text section.

The score command owns audio and delivery; it calls :func:`add_content_arguments` on its parser and
:func:`content_from_args` with the transcript text, and prints :func:`render_content_text`. User
mistakes (unknown question id, missing file) become :class:`ScenarioError` with one clear line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator import limits
from simulator.errors import ScenarioError, printable
from simulator.rubric.bank import ScenarioBank, load_bank, load_company
from simulator.config import CONTENT_ENGINES
from simulator.rubric.engine import default_bank, fitted_data_warning, preload, score_content
from simulator.rubric.result import ContentScore


def add_content_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("content (what was said)")
    group.add_argument("--question", metavar="ID", type=limits.an_id, help="score against this bank question's rubric")
    group.add_argument("--rubric", metavar="NAME", type=limits.an_id, help="score against a rubric (star, de-escalation, ...)")
    group.add_argument("--job-description", metavar="FILE", type=Path,
                       help="text of the job posting; reports which of its terms you used")
    group.add_argument("--company", metavar="FILE", type=Path,
                       help="company profile YAML (name, mission, values, products)")
    group.add_argument("--content-engine", choices=CONTENT_ENGINES, default=None,
                       help="regex: criteria and red flags by cue patterns; hybrid: criteria by "
                            "meaning, red flags by cue patterns; semantic: both by meaning (default: the "
                            "content_engine setting, else regex)")
    if not any("--scenarios" in a.option_strings for a in parser._actions):
        group.add_argument("--scenarios", metavar="DIR", type=Path, action="append", default=[],
                           help="extra scenario folder (repeatable)")


def bank_from_args(args: argparse.Namespace) -> ScenarioBank:
    """The bank for this command: bundled + user folder, plus any ``--scenarios DIR``.

    A ``--scenarios`` folder that does not exist is a mistake worth one clear line, not a silent
    fallback to the bundled bank. The bank is loaded once per command (``score`` asks for it
    before and after transcription).
    """
    cached = getattr(args, "_content_bank", None)
    if cached is not None:
        return cached
    extra = [Path(d) for d in (getattr(args, "scenarios", None) or [])]
    for d in extra:
        if not d.exists():
            raise ScenarioError(f"--scenarios {d}: no such file or folder")
    bank = load_bank(extra) if extra else default_bank()
    for e in bank.errors if extra else ():  # a file of --scenarios that was left out, and why
        print(f"interview-sim: warning: {printable(str(e))}", file=sys.stderr)
    preload(getattr(args, "content_engine", None))  # loads while the audio is transcribed
    warn_of_damaged_detector(getattr(args, "content_engine", None))
    try:
        args._content_bank = bank
    except AttributeError:  # not a plain Namespace; loading again is only slower
        pass
    return bank


def warn_of_damaged_detector(engine: str | None = None) -> None:
    """Say once, on standard error, when content by meaning lacks its fitted data
    (:func:`simulator.rubric.engine.fitted_data_warning`)."""
    warning = fitted_data_warning(engine)
    if warning:
        print(f"interview-sim: warning: {warning}", file=sys.stderr)


def content_from_args(args: argparse.Namespace, text: str) -> ContentScore | None:
    """Score ``text`` when any content option (or ``--prompt``) was given; otherwise None."""
    qid = getattr(args, "question", None)
    rubric = getattr(args, "rubric", None)
    prompt = getattr(args, "prompt", None)
    jd_path = getattr(args, "job_description", None)
    company_path = getattr(args, "company", None)
    if not any((qid, rubric, prompt, jd_path, company_path)):
        return None
    bank = bank_from_args(args)
    question = None
    if qid:
        try:
            question = bank.get_question(qid)
        except KeyError:
            hint = "see `interview-sim scenarios list`"
            if bank.errors:
                # The question may sit in a file that failed to load: say so rather than hide it.
                hint += f" ({len({e.path for e in bank.errors})} scenario file(s) did not load; first: {bank.errors[0]})"
            raise ScenarioError(f"no question with id {qid!r}; {hint}") from None
    if rubric and rubric not in bank.rubrics:
        names = ", ".join(sorted(bank.rubrics))
        raise ScenarioError(f"no rubric named {rubric!r}; choose one of: {names}")
    job_description = None
    if jd_path:
        try:
            job_description = limits.read_limited(jd_path, limits.MAX_JOB_DESCRIPTION_BYTES,
                                                  what="job description")
        except FileNotFoundError:
            raise ScenarioError(f"cannot read job description {jd_path}: no such file") from None
        except UnicodeDecodeError:
            raise ScenarioError(f"cannot read job description {jd_path}: it is not UTF-8 text") from None
        except OSError as e:
            raise ScenarioError(f"cannot read job description {jd_path}: {e.strerror or e}") from None
        if not job_description.strip():
            raise ScenarioError(f"job description {jd_path} is empty")
    company = load_company(Path(company_path)) if company_path else None
    return score_content(text, question=question, rubric=rubric, prompt=prompt or (question.text if question else None),
                         job_description=job_description, company=company, bank=bank,
                         engine=getattr(args, "content_engine", None))


def render_content_text(score: ContentScore) -> str:
    """The readable report section: criteria with evidence, flags, balance, terms, feedback."""
    lines = [f"Content ({score.rubric})"]
    if not score.assessable:
        lines.append(f"  {score.reason}")
    else:
        lines.append(f"  score: {score.score}/100")
        for c in score.criteria:
            mark = "✓" if c.met else "✗"
            ev = f' — "{c.evidence.text}"' if c.evidence and c.met else ""
            lines.append(f"  {mark} {c.label} ({c.score:.2f}){ev}")
        for f in score.red_flags:
            lines.append(f'  ! {f.label} — "{f.evidence.text}"')
        if score.balance is not None:
            b = score.balance
            lines.append(f"  balance: {round(100 * b.action_result_share)}% action+result, "
                         f"{round(100 * b.context_share)}% context ({b.verdict}; aim for 60-70%)")
        if score.metrics_mentioned:
            lines.append("  numbers: " + ", ".join(m.text for m in score.metrics_mentioned))
    if score.job_terms is not None:
        lines.append("  job terms used: " + (", ".join(score.job_terms.used) or "none"))
        lines.append("  job terms missed: " + (", ".join(score.job_terms.missed) or "none"))
    if score.feedback:
        lines.append("Feedback")
        lines.extend(f"  [{f.kind}] {f.text}" for f in score.feedback)
    return "\n".join(lines)
