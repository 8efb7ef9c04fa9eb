"""The one marking of a transcript (fillers, recovered hesitations, long pauses) every renderer uses."""

from __future__ import annotations

from simulator.audio.energy import Span
from simulator.analysis.fillers import Filler, find_fillers
from simulator.analysis.marking import mark_words
from simulator.speech.transcript import Word


def words_at(*items: tuple[str, float, float]) -> list[Word]:
    return [Word(text, start, end, 0.9) for text, start, end in items]


def shown(marked) -> list[str]:  # noqa: ANN001
    """Tokens as a renderer would write them: fillers in asterisks, recovered ones in brackets."""
    out = []
    for t in marked.tokens:
        out += [f"<pause {p.duration_s:.1f}>" for p in t.pauses_before]
        out.append(f"[{t.text}]" if t.recovered else f"*{t.text}*" if t.filler else t.text)
    return out + [f"<pause {p.duration_s:.1f}>" for p in marked.trailing_pauses]


def test_fillers_are_the_words_the_detector_flagged():
    ws = words_at(("So", 0.0, 0.2), ("um", 0.3, 0.5), ("I", 0.6, 0.7), ("like", 0.8, 1.0),
                  ("helping", 1.0, 1.4),
                  ("you", 1.5, 1.6), ("know,", 1.6, 1.8), ("people.", 1.9, 2.3))
    marked = mark_words(ws, find_fillers(ws))
    assert shown(marked) == ["*So*", "*um*", "I", "like", "helping", "*you*", "*know,*", "people."]
    assert [t.index for t in marked.tokens] == list(range(len(ws)))


def test_cases_where_the_old_routines_disagreed():
    """The app marked a word when it *started* in a filler's span (10 ms early counted); the reports
    when it lay *inside* the span. A zero-length "um" (Whisper gives some) was a filler in the HTML
    and Markdown but not in the app; a word overlapping a filler's end was one in the app only; a
    zero-length word at a filler's start was one in both."""
    ws = words_at(("I", 1.0, 1.0), ("um", 1.0, 1.3), ("went", 1.25, 1.6),  # Whisper's times overlap
                  ("uh", 2.0, 2.0), ("there", 2.0, 2.4))
    fillers = find_fillers(ws)
    assert [(f.text, f.start_s, f.end_s) for f in fillers] == [("um", 1.0, 1.3), ("uh", 2.0, 2.0)]
    assert shown(mark_words(ws, fillers)) == ["I", "*um*", "went", "*uh*", "there"]

    def old_app(w: Word) -> bool:
        return any(f.start_s - 0.01 <= w.start_s < f.end_s for f in fillers)

    def old_reports(w: Word) -> bool:
        return any(f.start_s - 1e-3 <= w.start_s and w.end_s <= f.end_s + 1e-3 for f in fillers)

    assert [w.text for w in ws if old_app(w)] == ["I", "um", "went"]
    assert [w.text for w in ws if old_reports(w)] == ["I", "um", "uh"]


def test_a_recovered_hesitation_inside_a_stretched_word_is_kept():
    """The app dropped a recovered "um" whose time fell inside a word Whisper stretched over it; the
    reports showed it. Now every renderer shows it, after the word it starts in."""
    ws = words_at(("so", 0.5, 2.0), ("I", 2.1, 2.2), ("called", 2.2, 2.6))
    recovered = [Filler("um", 1.2, 1.2, recovered=True), Filler("uh", 2.7, 2.8, recovered=True)]
    marked = mark_words(ws, recovered)
    assert shown(marked) == ["so", "[um]", "I", "called", "[uh]"]
    assert [t.index for t in marked.tokens] == [0, None, 1, 2, None]


def test_a_hesitation_recovered_at_a_words_start_comes_after_it():
    ws = words_at(("well", 1.0, 1.3), ("yes", 1.4, 1.6))
    assert shown(mark_words(ws, [Filler("uh", 1.0, 1.0, recovered=True)])) == ["well", "[uh]", "yes"]


def test_long_pauses_are_shown_once_before_the_next_word():
    ws = words_at(("first", 0.0, 0.5), ("a", 0.6, 0.62), ("b", 4.0, 4.2), ("c", 4.3, 4.5),
                  ("stretched", 5.0, 9.0))
    pauses = [
        Span(0.63, 3.9),  # just after the very short "a": the app showed this one twice
        Span(5.4, 8.0),   # inside a word Whisper stretched over the silence: the app never showed it
    ]
    marked = mark_words(ws, (), pauses)
    assert shown(marked) == ["first", "a", "<pause 3.3>", "b", "c", "stretched", "<pause 2.6>"]
    assert marked.tokens[2].pause_before_s == Span(0.63, 3.9).duration_s
    assert marked.tokens[0].pause_before_s is None


def test_a_pause_starting_just_before_a_words_end_goes_before_the_next_word():
    ws = words_at(("one", 0.0, 0.5), ("ok", 0.45, 0.5), ("two", 3.0, 3.3))
    marked = mark_words(ws, (), [Span(0.47, 2.9)])
    assert shown(marked) == ["one", "ok", "<pause 2.4>", "two"]


def test_a_word_stretched_back_over_the_pause_gets_it_before():
    ws = words_at(("one", 0.0, 0.5), ("two", 0.6, 3.3), ("three", 3.4, 3.6))
    assert shown(mark_words(ws, (), [Span(0.6, 3.1)])) == ["one", "<pause 2.5>", "two", "three"]


def test_a_filler_stored_with_another_spelling_is_matched_by_time():
    ws = words_at(("Umm,", 0.0, 0.4), ("right", 0.5, 0.8))
    assert shown(mark_words(ws, [Filler("erm", 0.0, 0.4)])) == ["*Umm,*", "right"]


def test_no_words():
    marked = mark_words([], [Filler("um", 0.2, 0.3, recovered=True)], [Span(1.0, 3.5)])
    assert shown(marked) == ["[um]", "<pause 2.5>"]
    assert mark_words([]).tokens == ()


# -- every renderer shows the same marking --------------------------------------------------------

AGREEMENT_WORDS = [("Well", 0.5, 0.8), ("I", 1.0, 1.0), ("um", 1.0, 1.3), ("went", 1.25, 1.6),
                   ("uh", 2.0, 2.0), ("there", 2.0, 2.4), ("and", 2.5, 4.5), ("helped.", 4.6, 5.0)]


def _stored_answer():
    """A stored answer whose word times gave the old routines different answers: zero-length words
    at a filler's start and as a filler, a word overlapping a filler's end, and a recovered
    hesitation inside a word Whisper stretched over it."""
    from simulator.analysis.delivery import analyse_delivery
    from simulator.answer.report import AnswerReport
    from simulator.store import QuestionRef, SessionStore
    from tests.unit.synth import tone_track, transcript_of

    transcript = transcript_of(AGREEMENT_WORDS)
    samples = tone_track([(s, max(e, s + 0.1)) for _, s, e in AGREEMENT_WORDS], 5.5)
    recovered = [Filler("um", 3.0, 3.0, recovered=True)]
    delivery = analyse_delivery(samples, transcript, recovered_fillers=recovered)
    report = AnswerReport(transcript=transcript, delivery=delivery)
    store = SessionStore.open()
    s = store.start_session(role="retail", mode="practice", engine="fake", model="fake-1")
    store.add_answer(s.id, QuestionRef(None, "Tell me"), report, samples)
    session, answers = store.get_session(s.id), store.answers(s.id)
    store.close()
    return report, session, answers[0]


def _marked_in_rich(text) -> list[str]:  # noqa: ANN001
    from rich.style import Style

    out = []
    for span in text.spans:
        style = Style.parse(span.style) if isinstance(span.style, str) else span.style
        if style.bgcolor is not None and style.bgcolor.name == "yellow":
            out.append(text.plain[span.start:span.end])
    return out


def test_every_renderer_marks_the_same_words(private_data_dir):
    import re

    from simulator.report.html import render_html
    from simulator.report.markdown import render_markdown
    from simulator.report.text_report import render_text
    from simulator.tui.widgets.replay_transcript import replay_text
    from simulator.tui.widgets.transcript_view import transcript_text

    report, session, answer = _stored_answer()
    marked = mark_words(answer.words, answer.fillers, answer.long_pauses)
    assert shown(marked)[:8] == ["Well", "I", "*um*", "went", "*uh*", "there", "and", "[um]"]
    expected = [t.text for t in marked.tokens if t.filler]
    assert expected == ["um", "uh", "um"]

    page = render_html(session, [answer])
    transcript = re.search(r'<p class="transcript">(.*?)</p>', page, re.S).group(1)
    assert re.findall(r'<mark class="filler(?: recovered)?">(.*?)</mark>', transcript) == expected
    assert '<mark class="filler recovered">um</mark>' in transcript

    md = render_markdown(session, [answer])
    line = md.split("### Transcript\n\n", 1)[1].split("\n", 1)[0]
    assert re.findall(r"\*\*\[?(.*?)\]?\*\*", line) == expected

    assert _marked_in_rich(transcript_text(report)) == ["um", "uh", "(um)"]
    assert _marked_in_rich(replay_text(marked, None)) == ["um", "uh", "(um)"]
    assert _marked_in_rich(replay_text(marked, 6)) == ["um", "uh", "(um)"]
    assert "and [um] helped." in render_text(report)
