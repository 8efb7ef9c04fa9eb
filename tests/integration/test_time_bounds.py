"""Time bounds, measured on the wall clock: hostile patterns and inputs are refused or scored within
seconds, and scoring time grows linearly with the answer.

These depend on real time (the regex module's match timeouts, the load-time probe of a pattern,
a ratio of timings), so they live here and not in the unit tier; what is refused and what is
reported is also checked in-process in tests/unit/test_hostile_inputs.py and test_rubric_engine.py.
"""

from __future__ import annotations

import time

import pytest

from tests.unit.test_hostile_inputs import _bank_errors, lexicon_bomb
from tests.unit.test_rubric_engine import BANK, LONG_STORY

_RUBRIC = """kind: rubric
rubric:
  id: hostile
  label: Hostile
  criteria:
    - id: anything
      label: Anything
      cues:
        - "called"
        - {pattern: "PATTERN"}
      praise: Good.
      advice: Say more.
"""


@pytest.mark.parametrize("pattern", [r"(?:a|aa)+$", r"(?:\\w|\\w\\w)+!"])
def test_a_pattern_that_can_hang_is_refused_at_load_time(tmp_path, pattern):
    from simulator.rubric import load_bank

    (tmp_path / "r.yaml").write_text(_RUBRIC.replace("PATTERN", pattern))
    bank = load_bank([tmp_path], include_default=False)
    assert "hostile" not in bank.rubrics
    (err,) = [e for e in bank.errors if e.field == "rubric.criteria[0].cues[1].pattern"]
    assert err.path.name == "r.yaml" and err.line == 10
    assert "unbounded time" in err.message


def test_the_issue_pattern_scores_a_long_answer_quickly(tmp_path):
    from simulator.rubric import load_bank, score_content

    (tmp_path / "r.yaml").write_text(_RUBRIC.replace("PATTERN", r"(?:\\w+\\s?)+$"))
    bank = load_bank([tmp_path])
    t0 = time.monotonic()
    result = score_content("I called the customer back. " * 2000 + "!", rubric="hostile", bank=bank)
    assert time.monotonic() - t0 < 10
    assert result.criteria[0].met


def test_scoring_with_a_pattern_that_slipped_through_is_bounded_in_time(caplog):
    from simulator.rubric import load_bank, score_content
    from simulator.rubric.models import Cue

    bank = load_bank()
    rubric = next(iter(bank.rubrics.values()))
    bad = Cue.model_construct(pattern=r"(?:a|aa)+$", weight=1.0, negatable=True, unless_met=())
    first = rubric.criteria[0].model_copy(update={"cues": (bad, *rubric.criteria[0].cues)})
    rubric = rubric.model_copy(update={"criteria": (first, *rubric.criteria[1:])})
    text = "I helped the customer and " + "a" * 40 + " then I called back"
    t0 = time.monotonic()
    result = score_content(text, rubric=rubric, bank=bank)
    assert time.monotonic() - t0 < 10
    assert result.rubric == rubric.id
    assert "took too long" in caplog.text


def test_typed_scoring_is_linear_in_the_answer_length():
    from simulator.rubric import score_content
    from tests.unit.test_store_fakes import STAR_TEXT

    def seconds(n: int) -> float:
        text = (STAR_TEXT + " ") * (n // len(STAR_TEXT))
        t0 = time.perf_counter()
        score_content(text, prompt="Tell me about a time you helped a customer")
        return time.perf_counter() - t0

    seconds(10_000)
    small, large = seconds(50_000), seconds(400_000)
    assert large / small < 8 * 2.5  # 8 times the text; quadratic would be 64 times the time


def test_a_huge_scenario_file_is_refused_without_parsing(tmp_path):
    t0 = time.monotonic()
    errors = _bank_errors(tmp_path, "big.yaml", "kind: questions\nrole: retail\n# " + "x" * 50_000_000 + "\n")
    assert time.monotonic() - t0 < 5
    (err,) = errors
    assert "larger than the 1 MB limit" in err.message


def test_a_lexicon_bomb_is_refused_quickly(tmp_path):
    text = lexicon_bomb()
    t0 = time.monotonic()
    errors = _bank_errors(tmp_path, "flags.yaml", text)
    assert time.monotonic() - t0 < 5
    assert any("expands to more than" in e.message for e in errors), errors


def test_very_long_answer_is_scored_within_a_second():
    from simulator.rubric import score_content

    score_content("a warm-up answer", rubric="star", bank=BANK)  # compile the cues before timing
    text = " ".join([LONG_STORY] * 80)  # about 3,000 words
    t0 = time.perf_counter()
    r = score_content(text, rubric="star", bank=BANK)
    elapsed = time.perf_counter() - t0
    assert r.assessable
    assert elapsed < 1.0, elapsed
