"""The HTML report rendered by a real browser: headless Chromium loads it offline, and the DOM and a
screenshot show the charts and transcript are there. Skipped when Chromium is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from simulator.report.html import render_html
from simulator.store import SessionStore
from tests.unit.test_store_fakes import question, scored_answer

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and Path(p).exists()), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (Debian package `chromium`); HTML render test skipped"
)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         "--disable-default-apps", "--metrics-recording-only", "--disable-dev-shm-usage"]


def test_html_report_renders_in_chromium(private_data_dir, tmp_path):
    with SessionStore.open() as store:
        s = store.start_session(role="retail")
        store.add_answer(s.id, question(), *scored_answer())
        page = render_html(store.get_session(s.id), store.answers(s.id))
    html = tmp_path / "report.html"
    html.write_text(page, encoding="utf-8")
    profile = tmp_path / "profile"
    common = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run([*common, "--dump-dom", html.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count("<svg") == 4  # pace, fillers, moments, criteria
    assert '<mark class="filler">um</mark>' in dom.stdout and "partner hotels" in dom.stdout
    shot = tmp_path / "shot.png"
    r = subprocess.run([*common, f"--screenshot={shot}", "--window-size=900,2400", html.as_uri()],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and shot.exists(), r.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (900, 2400)
    assert len(png) > 20_000  # not a blank page: text and charts compress far less than white
