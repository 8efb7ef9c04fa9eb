"""Tone, wording and filler counts in the delivery metrics, the stored form, and the delivery notes
that join the feedback."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from simulator.analysis.delivery import analyse_delivery
from simulator.analysis.fillers import Filler
from simulator.analysis.notes import delivery_notes
from simulator.analysis.pitch import merge_tracks, track_phrase
from simulator.analysis.tone import NOT_ENOUGH, ToneMetrics
from simulator.analysis.tone_moments import ToneMoment
from simulator.answer.report import AnswerReport
from simulator.report.json_report import report_to_dict
from simulator.store.models import delivery_from_json
from tests.unit.synth import transcript_of
from tests.unit.test_tone import SR, speech, swing

TEXT = ("so um when a guest called about a late order i think maybe i listened and uh checked the "
        "tracking then i guess i offered a refund and um called her back the next day")


def spoken(seconds: float = 16.0, amplitude_st: float = 3.0):
    audio, words = speech(seconds, swing(amplitude_st))
    texts = (TEXT.split() * 3)[: len(words)]
    return audio, transcript_of([(t, w.start_s, w.end_s) for t, w in zip(texts, words)])


def test_delivery_carries_tone_language_and_um_uh_apart():
    audio, tr = spoken()
    d = analyse_delivery(audio, tr, recovered_fillers=[Filler("umm", 15.7, 15.9, recovered=True)])
    assert d.tone is not None and d.tone.ok and d.tone.variety == "varied"
    said = [w.text for w in tr.words]
    assert d.fillers.counts["um"] == said.count("um") + 1  # the recovered "umm" counts as an um
    assert d.fillers.counts["uh"] == said.count("uh") >= 1
    assert {h.text for h in d.language.hedges} == {"i think maybe", "i guess"}
    out = d.to_dict()
    assert out["tone"]["verdicts"] == {"variety": "varied", "volume": "flat"}
    assert out["fillers"]["counts"]["um"] == d.fillers.counts["um"]
    assert out["language"]["hedge_count"] >= 2


def test_typed_answers_have_no_tone_and_silent_recordings_say_why():
    typed = analyse_delivery(np.zeros(0, np.float32), transcript_of([]))
    assert typed.tone is None and typed.to_dict()["tone"] is None
    silent = analyse_delivery(np.zeros(3 * SR, np.float32), transcript_of([]))
    assert silent.tone.status == NOT_ENOUGH and silent.tone.reason


def test_a_track_computed_phrase_by_phrase_gives_the_same_delivery():
    audio, tr = spoken()
    whole = analyse_delivery(audio, tr)
    cuts = [0.0, 4.0, 8.4, 12.0, len(audio) / SR]
    track = merge_tracks(track_phrase(audio[int(a * SR) : int(b * SR)], a) for a, b in zip(cuts, cuts[1:]))
    live = analyse_delivery(audio, tr, tone_track=track)
    assert live.tone.pitch_sd_st == pytest.approx(whole.tone.pitch_sd_st, abs=0.1)
    assert live.tone.variety == whole.tone.variety


def test_stored_delivery_round_trips_and_old_rows_still_load():
    audio, tr = spoken()
    d = analyse_delivery(audio, tr)
    stored = json.loads(json.dumps(d.to_dict()))
    assert delivery_from_json(stored) == d
    for key in ("tone", "language"):
        stored.pop(key)
    stored["fillers"].pop("counts")
    old = delivery_from_json(stored)
    assert old.tone is None and old.language is None and old.fillers.counts == {}


# --- notes -------------------------------------------------------------------------------------


def delivery(**changes):
    audio, tr = spoken()
    d = analyse_delivery(audio, tr)
    return replace(d, **changes)


def test_at_most_three_notes_problems_first_and_specific():
    d = delivery()
    d = replace(d, wpm=190.0, verdicts=replace(d.verdicts, pace="fast", fillers="distracting", length="too short"),
                tone=replace(d.tone, variety="monotone", pitch_sd_st=1.1))
    notes = delivery_notes(d)
    assert 2 <= len(notes) <= 3 and all(kind == "improve" for kind, _ in notes)
    assert "“um” 3 times" in notes[0][1]  # the worst problem first, with the candidate's own fillers
    assert "190 words a minute" in notes[1][1]


def test_a_strength_joins_when_little_is_wrong():
    d = delivery()
    d = replace(d, wpm=140.0, verdicts=replace(d.verdicts, pace="good", fillers="rare", length="good"),
                language=None, tone=replace(d.tone, volume="varied"))
    notes = delivery_notes(d)
    assert notes[0][0] == "strength" and "140 words a minute" in notes[0][1]


def test_tone_moments_become_notes_that_quote_the_answer():
    tone = ToneMetrics(status="ok", voiced_s=30, pitch_median_hz=120, pitch_sd_st=2.5, pitch_range_st=9,
                       loudness_db=-20, loudness_sd_db=5, variety="varied", volume="varied", moments=(
                           ToneMoment("trailing_off", 3.0, 3.4, "", 12.0, "… a breakfast voucher"),
                           ToneMoment("uptalk", 8.0, 8.4, "", 4.5, "… at the same price"),
                       ))
    d = delivery(tone=tone)
    d = replace(d, verdicts=replace(d.verdicts, pace="good", fillers="rare", length="good"), language=None)
    texts = [t for _, t in delivery_notes(d)]
    assert any("faded at the end of one sentence" in t and "“… a breakfast voucher”" in t for t in texts)
    assert any("One statement rose" in t and "“… at the same price”" in t for t in texts)


def test_notes_judge_the_delivery_never_the_person():
    d = delivery()
    d = replace(d, wpm=80.0, verdicts=replace(d.verdicts, pace="slow", fillers="noticeable", length="too long"),
                tone=replace(d.tone, variety="monotone", volume="quiet", pitch_sd_st=0.8, loudness_db=-45))
    text = " ".join(t for _, t in delivery_notes(d)).lower()
    for word in ("boring", "nervous", "shy", "lazy", "unconfident", "insecure", "weak", "bad"):
        assert word not in text.split()


def test_no_notes_without_speech():
    d = analyse_delivery(np.zeros(3 * SR, np.float32), transcript_of([]))
    assert delivery_notes(d) == []


def test_reports_add_delivery_notes_to_content_feedback_once():
    from simulator.rubric import load_bank, score_content  # noqa: PLC0415

    audio, tr = spoken()
    d = analyse_delivery(audio, tr)
    content = score_content(tr.text, rubric="star", bank=load_bank())
    report = AnswerReport(transcript=tr, delivery=d, content=content)
    notes = [t for _, t in delivery_notes(d)]
    texts = [f.text for f in report.content.feedback]
    assert notes and texts[-len(notes):] == notes
    assert texts[: len(content.feedback)] == [f.text for f in content.feedback]
    again = AnswerReport(transcript=tr, delivery=d, content=report.content)  # e.g. a stored answer
    assert [f.text for f in again.content.feedback] == texts
    assert [f["text"] for f in report_to_dict(report)["feedback"]] == texts
    bare = report_to_dict(AnswerReport(transcript=tr, delivery=d))
    assert [f["text"] for f in bare["feedback"]] == notes


def test_the_filler_note_counts_every_filler_not_only_the_two_named():
    """The note named two kinds ("“um” twice and “so” once") while the table counted six (stop 43)."""
    from simulator.analysis.notes import _quoted_fillers

    audio, tr = spoken()
    d = analyse_delivery(audio, tr)
    top = list(d.fillers.counts.items())[:2]
    rest = d.fillers.count - sum(n for _, n in top)
    assert rest > 0, d.fillers.counts
    assert _quoted_fillers(d).endswith(f"and {rest} other filler{'s' if rest != 1 else ''}")
