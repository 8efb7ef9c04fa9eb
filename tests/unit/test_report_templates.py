"""The HTML report from Jinja2 templates: hostile text from the candidate, the question bank or a
role-play persona ends up escaped, never markup or template code; the templates ship with the package."""

from __future__ import annotations

import fnmatch
import html
import re
import tomllib
from pathlib import Path

import pytest

import simulator.report
from simulator.report.html import render_html
from simulator.store import QuestionRef, SessionStore
from simulator.store.roleplays import ROLEPLAY_MODE, SUMMARY_KEY, roleplay_turn_question
from tests.unit.test_store_fakes import question, scored_answer

SCRIPT = "<script>alert(1)</script>"
BRACES = "{{ 7*191 }} {% include 'base.html.j2' %}"
HOSTILE = f"So um {SCRIPT} I said \"no\" and 'yes' {BRACES} & like, uh, <img src=x onerror=alert(2)> helped."
ROOT = Path(__file__).resolve().parents[2]


def _assert_escaped(page: str) -> None:
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "1337" not in page and "{{ 7*191 }}" in page  # template syntax in data is text, not code
    assert "{% include &#39;base.html.j2&#39; %}" in page
    assert "&#34;no&#34;" in page and "&#39;yes&#39;" in page
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert SCRIPT in text and BRACES in text


def test_hostile_answer_and_question_are_escaped(private_data_dir):
    with SessionStore.open() as store:
        s = store.start_session(role=f"retail {SCRIPT}", mode="practice", engine="fake", model="fake-1")
        report, samples = scored_answer(HOSTILE)
        store.add_answer(s.id, QuestionRef(None, f"Why {SCRIPT} \"this\" {BRACES}?"), report, samples)
        store.add_answer(s.id, question(), *scored_answer())
        page = render_html(store.get_session(s.id), store.answers(s.id))
    _assert_escaped(page)
    assert page.count("<script") == 0 and page.count("<mark class=\"filler\">") >= 4
    assert '<mark class="filler">um</mark>' in page  # the template's own markup is not escaped
    assert "<svg class=\"chart pace\"" in page and "&lt;svg" not in page and "&lt;mark" not in page


def test_hostile_role_play_persona_title_customer_and_debrief_are_escaped(private_data_dir):
    with SessionStore.open() as store:
        s = store.start_session(
            role="retail", mode=ROLEPLAY_MODE, engine="fake", model="fake-1",
            settings={"roleplay": "refund-outside-policy", "title": f"Refund {BRACES}",
                      "persona": f"angry \"{SCRIPT}\"", "turn_limit_s": 60, "end_silence_s": None})
        for i in (1, 2):
            line = roleplay_turn_question("refund-outside-policy", i, f"Customer {SCRIPT} 'now'")
            store.add_answer(s.id, line, *scored_answer(HOSTILE))
        store.update_session_settings(s.id, **{SUMMARY_KEY: {
            "outcome": f"resolved {SCRIPT}", "mood_trail": [20, 40, 70], "overall": 71, "de_escalation": 66,
            "final_mood": 70, "outcome_points": 10, "criteria_met": [], "red_flags": [f"blamed {SCRIPT}"],
            "debrief": [f"Good {BRACES}", "<img src=x onerror=alert(2)>"]}})
        page = render_html(store.get_session(s.id), store.answers(s.id))
    _assert_escaped(page)
    assert page.count('<section class="turn"') == 2 and '<svg class="chart mood"' in page
    assert "angry &#34;&lt;script&gt;" in page and "<strong>resolved &lt;script&gt;" in page


def test_templates_ship_as_package_data():
    """Every template is matched by pyproject's package-data, so a built wheel can render a report."""
    folder = Path(simulator.report.__file__).parent / "templates"
    files = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert {"base.html.j2", "session.html.j2", "roleplay.html.j2", "report.css"} <= set(files)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["simulator.report"]
    assert [f for f in files if not any(fnmatch.fnmatch(f"templates/{f}", g) for g in globs)] == []
    assert any(d.lower().startswith("jinja2") for d in config["project"]["dependencies"])


@pytest.mark.parametrize("name", ["session.html.j2", "roleplay.html.j2", "pace_chart.svg.j2"])
def test_the_environment_autoescapes_and_rejects_unknown_names(name):
    from jinja2 import UndefinedError

    from simulator.report.templating import environment

    env = environment()
    assert env.autoescape is True or env.autoescape(name)
    with pytest.raises(UndefinedError):
        env.get_template(name).render()
