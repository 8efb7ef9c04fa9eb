"""A clause with its verbs in their base form, so a story matches by meaning whatever its tense.

The sentence encoder hears "so i ring the surgery, i chase them twice" a little differently from
"so i rang the surgery, i chased them twice", and on a criterion's close call that difference is
enough to flip it. Criteria are therefore judged on a vector that also hears the clause with every
verb reduced to its lemma ("i ring the surgery, i chase them twice" for both); red flags keep the
clause as said (:mod:`simulator.rubric.semantic`).

The base forms come from a table made from lemminflect's dictionary (MIT) by
``scripts/verb_forms.py``: every inflected verb form it knows ("rang": "ring", 19,759 of them, 0.4 MB
in ``data/verb_forms.json``). Read at first use, about 3 MB in memory; lemminflect itself is not
imported at run time (its dictionary of every word would add about 35 MB). With no part-of-speech
tagger, a word is read as a verb whenever the dictionary knows it as one: "left" becomes "leave" even
in "on the left". That costs little here, because the criterion also hears the clause as said.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

_WORD = re.compile(r"[a-z]+")
# A pronoun's contracted verb, spelt out so it is lemmatised too: "she's flying" and "she was flying"
# both become "she be fly", "she'd been told" and "she's been told" both "she have be tell". Only
# after a pronoun: "the daughter's passport" is a possessive.
_PRONOUN = r"\b(i|you|he|she|it|we|they|that|there|who|what|here)"
_CONTRACTIONS = (
    (re.compile(_PRONOUN + r"'(?:s|d) (been|got|gone|had)\b"), r"\1 have \2"),
    (re.compile(_PRONOUN + r"'(?:s|re|m)\b"), r"\1 be"),
    (re.compile(_PRONOUN + r"'ve\b"), r"\1 have"),
    (re.compile(_PRONOUN + r"'ll\b"), r"\1 will"),
    (re.compile(_PRONOUN + r"'d\b"), r"\1 would"),
)
TABLE = Path(__file__).resolve().parent / "data" / "verb_forms.json"


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    try:
        return json.loads(TABLE.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # a damaged install: criteria then hear the clause as said, twice
        return {}


def base_form(word: str) -> str:
    """``word``'s base form as a verb ("rang" -> "ring"), or ``word`` itself if it is not a verb."""
    return _table().get(word, word)


def tenseless(text: str) -> str:
    """``text`` (lowercased) with each verb in its base form: "i rang and she's" -> "i ring and she be".
    A pronoun's contraction is spelt out first; the rest ("didn't", "daughter's") are left as they are."""
    for pattern, full in _CONTRACTIONS:
        text = pattern.sub(full, text)
    out, last = [], 0
    for m in _WORD.finditer(text):
        a, b = m.span()
        if (a and text[a - 1] == "'") or (b < len(text) and text[b] == "'"):
            continue
        out.append(text[last:a])
        out.append(base_form(m.group()))
        last = b
    out.append(text[last:])
    return "".join(out)


def is_verb_form(word: str) -> bool:
    """Whether the dictionary knows ``word`` as an inflected verb ("called", "phones", "arranging").
    A base form ("call") is not asked about: too many of them are nouns as well."""
    return word in _table()


def preload() -> None:
    """Read the table now (the engine's warm-up calls this off the app's main thread)."""
    _table()


_TOKEN = re.compile(r"[a-z0-9']+")
_WOULD = frozenset("would wouldn't wouldnt".split())
_SPEAKER_WOULD = frozenset("i'd we'd id wed".split())
_HAD_NOT_WOULD = frozenset("been had already just never got gone done seen told".split())
_NOT_A_PLAN_AFTER = frozenset("or otherwise else that so said told promised him her them me us".split())


def is_hypothetical(text: str) -> bool:
    """Whether a clause says what the speaker *would* do, not what happened: "first i would stay calm",
    "i'd call a colleague". Only the speaker's own "would" counts ("he wouldn't have to explain it all
    again" is part of a story), and not after "told him", "said", "or", "so"... ("i told him we would
    upgrade him", "or we'd be paying the chargebacks": said, or at stake, in a story that happened);
    an "i'd" before "been", "had", "already"... is "i had". A story's situation, task, action and
    result must have happened (stop 44's explorer: a hypothetical "I would..." answer was credited
    with all four)."""
    toks = _TOKEN.findall(text.lower())
    for k, t in enumerate(toks):
        before = toks[k - 1] if k else ""
        if t in _WOULD and before in ("i", "we"):
            lead = toks[k - 2] if k >= 2 else ""
        elif t in _SPEAKER_WOULD and k + 1 < len(toks) and toks[k + 1] not in _HAD_NOT_WOULD:
            lead = before
        else:
            continue
        if lead not in _NOT_A_PLAN_AFTER:
            return True
    return False
