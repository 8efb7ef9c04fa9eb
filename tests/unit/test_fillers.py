"""The filler rules: hesitations always count, discourse words only in their filler sense."""

import pytest

from simulator.analysis.fillers import find_fillers
from simulator.speech.transcript import Word


def words(text: str) -> list[Word]:
    return [Word(t, i * 0.5, i * 0.5 + 0.4, 0.9) for i, t in enumerate(text.split())]


def fillers(text: str) -> list[str]:
    return [f.text for f in find_fillers(words(text))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("um I think uh it went well", ["um", "uh"]),
        ("Umm, hmm. Er, erm", ["umm", "hmm", "er", "erm"]),
        ("it was like really busy", ["like"]),
        ("she was, like, really upset", ["like"]),
        ("it took like twenty minutes", ["like"]),
        ("it was like a hundred calls on a bad day", ["like"]),
        ("we had like a couple of complaints", ["like"]),
        ("and like I said it was fine", ["like"]),
        ("I listened, you know, and then I called", ["you know"]),
        ("it was hard you know", ["you know"]),
        ("Well, I mean, it was kind of hard", ["i mean", "kind of"]),
        ("So, um, I was working", ["so", "um"]),
        ("So I was working the front desk", ["so"]),
        ("it was basically a billing error", ["basically"]),
        ("Actually, I called her back", ["actually"]),
        ("last month I, like, presented the checklist", ["like"]),  # set off by commas after a subject
        ("he told my supervisor that, you know, it was the first time", ["you know"]),
        # Spent voice sets (stop 45): number words past fifty, and "and you know" with no commas
        ("on a sunny Saturday we wash like ninety cars", ["like"]),
        ("a man had waited like half an hour", ["like"]),
        ("I booked them a hotel and you know the kids thought it was a holiday", ["you know"]),
        ("she laughed and you know she still rings in", ["you know"]),
    ],
)
def test_fillers_are_found(text, expected):
    assert fillers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I like helping people",
        "we offered options like an exchange or store credit",
        "I would like to work here",
        "it feels like a real team",
        "it was like a zoo that morning",
        "something like twenty minutes",
        "it looks like a hundred people signed up",
        "I would like a dozen of them",
        "do you know what I mean",
        "you know how to reset a password",
        "what kind of customer was she",
        "and so I called my manager",
        "I stayed late so that she could get her order",
        "what actually happened was a billing error",
        "customers like you keep us going",
        "I will let you know by the end of the day",
        "I told new starters, you know more than you think",
        "you know exactly where the form is",
        "I read the guide and you know what the customer will ask",
        "you know this building better than anyone",
    ],
)
def test_content_words_are_not_fillers(text):
    assert fillers(text) == []


def test_filler_times_span_their_words():
    ws = words("I was, you know, tired")
    (you_know,) = find_fillers(ws)
    assert you_know.text == "you know"
    assert (you_know.start_s, you_know.end_s) == (ws[2].start_s, ws[3].end_s)


def test_no_punctuation_still_works():
    assert fillers("um so basically I like my job and uh I like people") == ["um", "so", "basically", "uh"]
