"""Job-description and company terms: which the answer used and which it missed.

The seeds insist answers be specific to the posting and the company ("high-volume inbound calls",
the company's mission). Terms come from the company profile as written (name, values, products,
keywords, and a few distinctive words of the mission) and from the job description: repeated
two-word phrases first, then frequent content words.
Matching is by word stem (first five letters) so "troubleshooting" counts for "troubleshoot".
"""

from __future__ import annotations

import re
from collections import Counter

from simulator.rubric.models import CompanyProfile
from simulator.rubric.result import JobTerms
from simulator.rubric.text import normalise

MAX_TERMS = 12
_WORD = re.compile(r"[a-z][a-z'-]+")
_BREAK = re.compile(r"[.!?;:\n•*,()]+")
# Posting boilerplate words carry no signal about the job itself.
STOPWORDS = frozenset(
    """
    a about above after again all also am an and any are as at be been being below between both but
    by can could did do does doing down during each few for from further had has have having he her
    here hers him his how i if in into is it its itself just me more most my no nor not of off on once
    only or other our ours out over own same she should so some such than that the their theirs them
    then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours able ability across etc including must
    role job position candidate candidates team looking seeking join work working company we're you'll
    experience required requirements preferred plus strong excellent great good new key well within
    per using use make ensure provide providing responsible responsibilities opportunity day days year
    years like want need needs help across based around someone anyone everyone keep handle percent
    get take give find always often every high low hiring hire hired skills skill apply applicants
    applicant successful ideal
    """.split()
)
MISSION_TERMS = 3  # a mission statement is a sentence: its longest content words stand for it


def _stem(word: str) -> str:
    return word[:5]


def extract_terms(job_description: str | None, company: CompanyProfile | None) -> list[str]:
    """The terms an answer could be expected to echo, most important first, deduplicated."""
    terms: list[str] = []
    if company is not None:
        terms.append(company.name)
        terms.extend(company.values)
        terms.extend(company.products)
        terms.extend(company.keywords)
        terms.extend(_mission_terms(company.mission))
    if job_description:
        text = normalise(job_description)
        phrases: Counter[str] = Counter()
        singles: Counter[str] = Counter()
        first_seen: dict[str, int] = {}
        for chunk in _BREAK.split(text):
            ws = [w.strip("'-") for w in _WORD.findall(chunk)]
            content = [w if w not in STOPWORDS and len(w) > 2 else None for w in ws]
            for i, w in enumerate(content):
                if w is None:
                    continue
                singles[w] += 1
                first_seen.setdefault(w, len(first_seen))
                if i + 1 < len(content) and content[i + 1] is not None:
                    p = f"{w} {content[i + 1]}"
                    phrases[p] += 1
                    first_seen.setdefault(p, len(first_seen))
        chosen = [p for p, n in phrases.items() if n >= 2]
        covered = {w for p in chosen for w in p.split()}
        chosen += [w for w, n in singles.items() if w not in covered and len(w) >= 4]
        rank = {t: (-(phrases.get(t) or singles.get(t, 0)), first_seen[t]) for t in chosen}
        terms.extend(sorted(chosen, key=lambda t: rank[t]))
    seen: set[str] = set()
    unique = []
    for t in terms:
        key = t.strip().lower()
        if key and key not in seen:
            seen.add(key)
            unique.append(t.strip())
    return unique[:MAX_TERMS]


def _mission_terms(mission: str) -> list[str]:
    """A few content words of the mission ("Keep everyone connected" -> "connected"), longest first.

    The whole sentence would be an impossible term to echo; its distinctive words are what an answer
    that "shows research" repeats.
    """
    ws: list[str] = []
    for w in _WORD.findall(normalise(mission)):
        w = w.strip("'-")
        if len(w) >= 4 and w not in STOPWORDS and w not in ws:
            ws.append(w)
    return sorted(ws, key=lambda w: (-len(w), ws.index(w)))[:MISSION_TERMS]


def job_terms(answer: str, job_description: str | None, company: CompanyProfile | None) -> JobTerms | None:
    """Used and missed terms, or None when no job description or company profile was given."""
    if not job_description and company is None:
        return None
    said = {_stem(w) for w in _WORD.findall(normalise(answer))}
    used, missed = [], []
    for term in extract_terms(job_description, company):
        parts = [w for w in _WORD.findall(term.lower()) if w not in STOPWORDS] or _WORD.findall(term.lower())
        (used if parts and all(_stem(w) in said for w in parts) else missed).append(term)
    return JobTerms(tuple(used), tuple(missed))
