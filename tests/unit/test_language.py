"""Hedges and repeated words in what the candidate said, with their own words quoted back."""

from simulator.analysis.language import analyse_language
from simulator.speech.transcript import Word


def words_of(text: str) -> list[Word]:
    return [Word(w, i * 0.4, i * 0.4 + 0.3, 0.9) for i, w in enumerate(text.split())]


def test_hedges_are_counted_longest_first_with_examples():
    stats = analyse_language(words_of(
        "I think maybe I would check the order. I guess I'd probably try to call her back. "
        "I guess it worked out and maybe she was happy."
    ))
    found = {h.text: h.count for h in stats.hedges}
    assert found == {"i guess": 2, "i think maybe": 1, "i'd probably try to": 1, "maybe": 1}
    assert stats.hedge_count == 5
    first = stats.hedges[0]
    assert first.text == "i guess" and len(first.examples) == 2
    assert "I guess I'd probably" in first.examples[0]
    assert first.examples[0].startswith("…")


def test_plain_statements_have_no_hedges():
    stats = analyse_language(words_of("I called the customer back the next day and offered a refund."))
    assert stats.hedges == () and stats.hedge_count == 0


def test_most_repeated_words_and_phrases_ignore_stopwords_and_fillers():
    stats = analyse_language(words_of(
        "The customer was upset, um, so the customer asked for the manager. I told the customer "
        "the front desk would help. The front desk team helped and um the customer left happy."
    ))
    assert stats.repeated_words[0].text == "customer" and stats.repeated_words[0].count == 4
    assert all(w.text not in {"the", "um", "was"} for w in stats.repeated_words)
    assert [p.text for p in stats.repeated_phrases] == ["front desk"]
    assert stats.repeated_phrases[0].count == 2
    assert "front desk" in stats.repeated_phrases[0].examples[0]


def test_round_trip_and_empty():
    stats = analyse_language(words_of("I guess I guess the refund the refund the refund worked"))
    from simulator.analysis.language import LanguageStats

    assert LanguageStats.from_dict(stats.to_dict()) == stats
    assert LanguageStats.from_dict(None) is None
    assert analyse_language([]).hedge_count == 0
    # A hedge is reported as a hedge, not again as a repeated phrase.
    assert "i guess" not in [p.text for p in stats.repeated_phrases]
