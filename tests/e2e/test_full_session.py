"""A whole practice through the real app and the virtual sound card: a rehearsal answered aloud
with the follow-up it draws, a spoken role-play turn, then history, replay and the HTML export of
both sessions, each export rendered by headless Chromium and compared with its snapshot."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.e2e.conftest import ROOT, heard

pytestmark = pytest.mark.e2e

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and Path(p).exists()), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         "--disable-default-apps", "--metrics-recording-only", "--disable-dev-shm-usage", "--hide-scrollbars"]
SNAPSHOTS = Path(__file__).parent / "snapshots"
SHOT_SIZE = (1000, 1600)

STORY = ["Last year at the shop a customer was shouting because her parcel was missing.",
         "My job was to sort it out. I listened, apologised, checked the system and called the warehouse to trace it."]
OUTCOME = ["In the end she got the parcel the next morning and thanked us,",
           "and complaints about missing parcels went down twenty percent that quarter."]
TURN = ["I'm really sorry, that sounds so frustrating.",
        "Can you tell me your order number, so I can look at a replacement or a refund for you?"]


LAYOUT_TOP_PX = 1000
"""The part of the page compared: the header and the first answer's figures and charts. Below it the
page's length follows what was said (transcript, feedback lines), which differs from run to run."""


def layout(png: Path) -> np.ndarray:
    """The top of the page as a coarse grey map (25 x 25 blocks): where text, charts and white space
    are, not which words; robust to a changed word, not to a missing or moved section."""
    from PIL import Image  # noqa: PLC0415 - test extra

    img = Image.open(png).convert("L")
    img = img.crop((0, 0, img.width, LAYOUT_TOP_PX)).resize((25, 25), Image.Resampling.BOX)
    return np.asarray(img, dtype=np.float32) / 255.0


def similar(shot: Path, snapshot: Path) -> float:
    a, b = layout(shot).ravel(), layout(snapshot).ravel()
    return float(np.corrcoef(a, b)[0, 1])


def screenshot(html: Path, out: Path, profile: Path) -> None:
    r = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={out}",
                        f"--window-size={SHOT_SIZE[0]},{SHOT_SIZE[1]}", html.as_uri()],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and out.exists(), r.stderr[-2000:]


def test_a_rehearsal_with_a_follow_up_and_a_role_play_end_to_end(pulse_server, tmp_path):
    from tests.speech_renders import answer  # noqa: PLC0415

    wavs = []
    for name, parts in (("story", STORY), ("outcome", OUTCOME), ("turn", TURN)):
        path = tmp_path / f"{name}.wav"
        soundfile.write(path, answer(parts, [0.4] * (len(parts) - 1), voice="en-gb", rate=165, tail_s=0.3), 16000)
        wavs.append(str(path))
    data = tmp_path / "data"
    env = {**pulse_server, "PYTHONPATH": str(ROOT), "INTERVIEW_SIM_DATA_DIR": str(data)}
    proc = subprocess.run([sys.executable, "-m", "tests.e2e.full_session_child", *wavs], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (proc.stdout[-1500:], proc.stderr[-2500:])
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    print(json.dumps(out, indent=1))
    assert out["microphone"] and out["errors"] == []

    # The rehearsal: the story without a result drew the follow-up asking for it, judged as a story.
    main, follow = out["answers"]
    assert heard(main["text"], "customer shouting missing system parcel") and main["parent"] is None
    assert main["rubric"] == "star"
    assert follow["parent"] is not None and follow["rubric"] == "star"
    assert heard(follow["text"], "end parcel morning thanked missing") and out["follow_up"] == follow["question"]
    # The role-play: the turn was heard and the customer answered it; the debrief has the outcome.
    assert heard(out["turn_text"], "sorry frustrating order replacement refund") and out["customer_reply"]
    assert "Outcome:" in out["debrief"]
    # History lists both, with their kinds; replay shows the rehearsal's words.
    rows = " ".join(" ".join(r) for r in out["history_rows"]).lower()
    assert "rehearsal" in rows and "roleplay" in rows.replace("-", "")
    assert "".join(out["replay_transcript"].split()) == "".join(main["text"].split())  # shown word by word

    # Both exports exist, render in Chromium, and look like their snapshots.
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed: the exports were written but not rendered")
    for session_id in out["exported"]:
        html = data / "reports" / f"{session_id}.html"
        text = html.read_text(encoding="utf-8")
        kind = "rehearsal" if session_id == out["rehearsal_id"] else "roleplay"
        said = main["text"] if kind == "rehearsal" else out["turn_text"]
        assert said.split()[-1].rstrip(".,?!").lower() in text.lower()
        shot = tmp_path / f"{kind}.png"
        screenshot(html, shot, tmp_path / f"profile-{kind}")
        snapshot = SNAPSHOTS / f"{kind}-report.png"
        if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not snapshot.exists():
            SNAPSHOTS.mkdir(exist_ok=True)
            shutil.copy(shot, snapshot)
            if os.environ.get("UPDATE_SNAPSHOTS") != "1":
                pytest.fail(f"no snapshot yet: wrote {snapshot}; check it by eye and commit it")
        score = similar(shot, snapshot)
        print(kind, "layout similarity", round(score, 3))
        assert score > 0.85, f"the {kind} report no longer looks like {snapshot.name} (similarity {score:.2f})"
