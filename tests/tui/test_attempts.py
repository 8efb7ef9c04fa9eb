"""Issue 16 item 6 in the app: `a` on history or replay opens the attempts at a question side by side,
with what was added and dropped between attempts and a model outline from the candidate's words."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from simulator.tui.app import create_app
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.replay import ReplayScreen
from tests.attempts_seed import PAY_QUOTE, RELEVANCE_QUOTE, SKILLS_QUOTE, TEXTS, seed_attempts
from tests.tui.test_flow import SIZE, plain, wait_for


def attempts_screen_shown(app) -> bool:  # noqa: ANN001
    return type(app.screen).__name__ == "AttemptsScreen" and bool(app.screen.query("#attempts-outline"))


def shown(app, wid: str) -> str:  # noqa: ANN001
    return " ".join(plain(app.screen.query_one(wid, Static)).split())


async def test_history_a_opens_attempts_with_added_and_dropped_lines(make_backends, bank):
    backends = make_backends()
    seed_attempts(backends.store_path, bank)
    app = create_app(backends)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and bool(app.screen.query("#hist-attempts")))
        await pilot.press("a")
        await wait_for(pilot, lambda: attempts_screen_shown(app) and "Attempt 1 → 2" in shown(app, "#attempts-changes"))
        table = app.screen.query_one("#attempts-table", DataTable)
        assert len(table.columns) == 4  # the label column and three attempts, oldest first
        rows = {table.get_row_at(i)[0]: table.get_row_at(i)[1:] for i in range(table.row_count)}
        assert rows["Criteria met"] == ["1/3", "3/3", "2/3"] and rows["Red flags"] == ["0", "1", "0"]
        assert all(cell.endswith("wpm") for cell in rows["Pace"])
        changes = shown(app, "#attempts-changes")
        assert changes.index("Attempt 1 → 2") < changes.index("Attempt 2 → 3")
        first, second = changes.split("Attempt 2 → 3")
        assert "+ now met: Skills" in first and SKILLS_QUOTE in first
        assert f"! new red flag: Pay, perks or commute as the reason: “honestly {PAY_QUOTE}”" in first
        assert "- no longer met: Skills" in second and SKILLS_QUOTE in second  # what was said before
        assert "+ red flag gone: Pay" in second
        assert "Pace:" in second and "wpm" in second and "Long pauses:" in second
        outline = shown(app, "#attempts-outline")
        assert "Model outline from your own words" in outline
        assert f"Relevance — yours: “{RELEVANCE_QUOTE}” (attempt 3)" in outline
        assert "Skills — yours:" in outline and "(attempt 2)" in outline
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))


async def test_replay_a_opens_attempts_for_the_shown_answers_question(make_backends, bank):
    backends = make_backends()
    seed_attempts(backends.store_path, bank, texts=TEXTS[1:])
    app = create_app(backends)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplayScreen) and app.screen.answer is not None)
        await pilot.press("a")
        await wait_for(pilot, lambda: attempts_screen_shown(app) and "Attempt 1 → 2" in shown(app, "#attempts-changes"))
        changes = shown(app, "#attempts-changes")
        assert "- no longer met: Skills" in changes and "+ red flag gone: Pay" in changes
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplayScreen))


async def test_one_attempt_has_nothing_to_compare_but_shows_the_outline(make_backends, bank):
    backends = make_backends()
    seed_attempts(backends.store_path, bank, texts=TEXTS[:1])
    app = create_app(backends)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and bool(app.screen.query("#hist-attempts")))
        await pilot.press("a")
        await wait_for(pilot, lambda: attempts_screen_shown(app) and bool(shown(app, "#attempts-outline")))
        assert "nothing to compare yet" in shown(app, "#attempts-changes")
        outline = shown(app, "#attempts-outline")
        skills = bank.get_rubric("about-yourself").criterion("skills")
        assert "Background — yours: “I worked at a call centre for three years” (attempt 1)" in outline
        assert f"Skills — not said yet: {' '.join(skills.advice.split())}" in outline


def test_the_length_shown_for_an_attempt_is_the_one_its_feedback_judged(make_backends, bank):
    """History said 23 s where the feedback said 18 s for the same answer: the recording's length
    against the speaking span (hands-on review). Both now show the span, first word to last."""
    from simulator.store import SessionStore  # noqa: PLC0415
    from simulator.tui.screens.history import ATTEMPT_ROWS, attempt_column  # noqa: PLC0415

    backends = make_backends()
    seed_attempts(backends.store_path, bank)
    with SessionStore.open(backends.store_path) as store:
        answers = [a for s in store.list_sessions() for a in store.answers(s.id) if a.delivery is not None]
    assert answers
    for a in answers:
        length = attempt_column(a)[ATTEMPT_ROWS.index("Length")]
        assert length == f"{a.delivery.span_s:.0f} s"
