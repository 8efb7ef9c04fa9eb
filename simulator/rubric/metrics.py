"""Finding numbers and service metrics in an answer ("cut handle time by 20 percent", "CSAT").

The seeds ask for measurable results; counting them lets feedback say "add a number" only when
there is none. Number words are part of English, not of any rubric, so they live here, not in YAML.
"""

from __future__ import annotations

import re

from simulator.rubric.result import Evidence

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|half|double|triple"
)
_UNITS = (
    r"percent|per ?cent|%|minutes?|mins?|hours?|days?|weeks?|months?|years?|stars?|calls?|tickets?|"
    r"chats?|emails?|customers?|guests?|points?|dollars|pounds|euros|k|a day|an hour|per day|per hour"
)
METRIC_PATTERN = re.compile(
    rf"(?:\b(?:\d[\d,.]*|(?:{_NUMBER_WORDS})(?:[ -](?:{_NUMBER_WORDS}))*)\s?(?:{_UNITS})\b)"
    r"|\b(?:csat|nps|fcr|aht|sla|net promoter score|first (?:call|contact) resolution|"
    r"(?:average )?handl(?:e|ing) time|satisfaction scores?|response time|resolution rate)\b"
)


def find_metrics(original: str, norm: str) -> tuple[Evidence, ...]:
    """Every number-with-unit or named service metric, in order, as evidence spans."""
    return tuple(Evidence(original[m.start() : m.end()], m.start(), m.end()) for m in METRIC_PATTERN.finditer(norm))
