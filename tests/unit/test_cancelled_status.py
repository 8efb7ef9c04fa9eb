"""A session cut short (Escape) is stored complete with settings.cancelled and shown as cancelled."""

from __future__ import annotations

from simulator.cli import main as cli_main
from simulator.store import SessionStore


def test_cancelled_session_is_listed_as_cancelled(capsys):
    with SessionStore.open() as store:
        s = store.start_session(role="retail", mode="rehearsal")
        store.finish_session(s.id)
        store.update_session_settings(s.id, cancelled=True)
        done = store.start_session(role="retail", mode="rehearsal")
        store.finish_session(done.id)
        assert store.get_session(s.id).shown_status == "cancelled"
        assert store.get_session(done.id).shown_status == "complete"
    assert cli_main(["sessions", "list"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:]}
    assert "cancelled" in lines[s.id] and "complete" in lines[done.id]
