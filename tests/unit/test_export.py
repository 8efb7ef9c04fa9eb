"""Session reports: JSON in the answer-report shape, Markdown and self-contained HTML with SVG charts."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from simulator.report.html import render_html
from simulator.report.json_report import report_to_dict
from simulator.report.markdown import render_markdown
from simulator.report.view import transcript_tokens
from simulator.report.session_json import session_to_dict
from simulator.store import QuestionRef, SessionStore
from tests.unit.test_store_fakes import question, scored_answer


@pytest.fixture
def stored(private_data_dir):
    store = SessionStore.open()
    s = store.start_session(role="retail", mode="practice", engine="fake", model="fake-1")
    report, samples = scored_answer()
    store.add_answer(s.id, question(), report, samples)
    gone = store.add_answer(s.id, QuestionRef(None, "Why <this> & job?"), report, samples)
    gone.audio_path.unlink()
    other = store.start_session(role="OTHER-SESSION")
    store.add_answer(other.id, "other question", *scored_answer("Completely different secret words here."))
    yield store, store.get_session(s.id), store.answers(s.id), report
    store.close()


def test_json_export_uses_the_answer_report_shape(stored):
    _, session, answers, report = stored
    d = json.loads(json.dumps(session_to_dict(session, answers)))
    assert d["schema"] == "interview-sim/session-export/1"
    assert d["session"]["id"] == session.id and d["session"]["role"] == "retail"
    first, second = d["answers"]
    expected = report_to_dict(report)
    for key in expected:
        assert first[key] == json.loads(json.dumps(expected[key])), key
    assert first["question"] == {"id": "proud-of-service", "text": question().text}
    assert first["audio"]["missing"] is False and second["audio"]["missing"] is True
    assert first["content"]["score"] == report.content.score and first["feedback"]
    assert "Completely different" not in json.dumps(d)


def test_transcript_tokens_flag_fillers(stored):
    _, _, answers, _ = stored
    tokens = transcript_tokens(answers[0])
    assert [t.text for t in tokens if t.filler] == ["So", "um", "uh,"]
    assert len(tokens) == len(answers[0].words)


def test_markdown_export(stored):
    _, session, answers, report = stored
    md = render_markdown(session, answers)
    assert md.startswith("# Interview practice")
    assert session.id in md and "retail" in md
    assert "## 1. Can you tell me about a time you were proud" in md
    assert "**um**" in md and "**uh,**" in md and "**So**" in md and "partner hotels" in md
    assert f"{report.delivery.wpm:.0f} wpm" in md and f"{report.content.score}/100" in md
    for c in report.content.criteria:
        assert f"- [{'x' if c.met else ' '}] {c.label}" in md
    assert "### Feedback" in md and report.content.feedback[0].text.split()[0] in md
    assert "Why \\<this\\> & job?" in md and "Audio missing" in md
    assert "OTHER-SESSION" not in md and "secret words" not in md


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        a = dict(attrs)
        self.tags.append((tag, a))
        for key in ("src", "href"):
            if a.get(key) and not a[key].startswith("#"):
                self.external.append(a[key])


def test_html_export_is_self_contained_with_charts(stored):
    _, session, answers, report = stored
    page = render_html(session, answers)
    parser = _Collector()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert parser.external == [] and "script" not in tags and "link" not in tags
    assert not re.search(r"url\(|@import|https?://(?!www\.w3\.org/2000/svg)", page)
    classes = [a.get("class", "") for _, a in parser.tags]
    assert sum(c == "chart pace" for c in classes) == 2
    assert sum(c == "chart fillers" for c in classes) == 2
    assert sum(c == "chart criteria" for c in classes) == 2
    n_fillers = report.delivery.fillers.count
    ticks = [a for t, a in parser.tags if t == "line" and a.get("class") == "filler"]
    assert len(ticks) == 2 * n_fillers  # timeline ticks, both answers
    assert page.count('<mark class="filler">') == 2 * n_fillers
    assert "<mark class=\"filler\">um</mark>" in page
    met = sum(c.met for c in report.content.criteria)
    assert classes.count("met") == 2 * met
    assert classes.count("unmet") == 2 * (len(report.content.criteria) - met)
    assert "Why &lt;this&gt; &amp; job?" in page and "<this>" not in page
    assert page.count("Audio missing") == 1
    assert report.content.feedback[0].text.replace("'", "&#x27;").replace('"', "&quot;")[:20] in page
    assert "OTHER-SESSION" not in page and "secret words" not in page


def test_unscored_answer_renders_in_every_format(private_data_dir):
    import numpy as np

    with SessionStore.open() as store:
        s = store.start_session()
        w = store.open_answer_audio(s.id, 1, "What is service?")
        w.write(np.zeros(16000, np.float32))
        w.close()
        store.recover(include_live=True)
        session, answers = store.get_session(s.id), store.answers(s.id)
    assert "Not scored yet" in render_markdown(session, answers)
    assert "Not scored yet" in render_html(session, answers)
    d = session_to_dict(session, answers)
    assert d["answers"][0]["scored"] is False and d["answers"][0]["question"]["text"] == "What is service?"


def test_content_that_could_not_be_judged_is_not_exported_as_a_zero(private_data_dir):
    # The export said "Content 0/100" where history says "-": an answer too short to judge is not a 0.
    from dataclasses import replace

    store = SessionStore.open()
    s = store.start_session(role="retail", mode="practice")
    report, samples = scored_answer()
    report = replace(report, content=replace(report.content, score=0, assessable=False,
                                             reason="could not assess: the answer is empty (nothing was said)"))
    store.add_answer(s.id, question(), report, samples)
    session, answers = store.get_session(s.id), store.answers(s.id)
    md, page = render_markdown(session, answers), render_html(session, answers)
    store.close()
    assert "| Content | could not assess: the answer is empty (nothing was said) (" in md and "0/100" not in md
    assert "could not assess" in page and "0/100" not in page
