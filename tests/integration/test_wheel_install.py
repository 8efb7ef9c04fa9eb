"""The built wheel carries the question bank: installed into a fresh virtual environment, the
``interview-sim`` it installs lists the questions and scores a typed answer from an unrelated folder.

No network: the wheel is built without build isolation from a copy of the sources, installed with
``--no-deps --no-index``, and the new environment reaches its dependencies (numpy, pydantic, ...)
through a ``.pth`` line naming this interpreter's site-packages. That line only adds folders to
``sys.path`` (``.pth`` files inside them are not run), so the editable install of the checkout stays
out of the new environment and ``simulator`` is imported from the wheel; the test checks that too.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from simulator.rubric import load_bank, score_content
from tests.conftest import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]

ANSWER = ("A customer shouted at me because her order was two weeks late. I listened, apologised and "
          "checked the tracking myself. I offered a refund or a replacement sent overnight; she chose "
          "the replacement, thanked me and ordered again the next month. I learned to call first when "
          "an order slips.")


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"{cmd} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh venv with the wheel built from this checkout installed; its bin folder and an env."""
    tmp = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONNOUSERSITE="1")

    # A copy, so the build's build/ and *.egg-info neither litter the checkout nor leak stale files in.
    src = tmp / "src"
    src.mkdir()
    shutil.copytree(ROOT / "simulator", src / "simulator", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    dist = tmp / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist),
          str(src)], tmp, env)
    (wheel,) = dist.glob("interview_sim-*.whl")

    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], tmp, env)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index",
          str(wheel)], tmp, env)
    # Dependencies from the environment running the tests (itself usually a venv, which
    # --system-site-packages alone would not reach), after the new environment's own packages.
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                        tmp, env).stdout.strip())
    ours = dict.fromkeys([*site.getsitepackages(), sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (purelib / "zz_test_dependencies.pth").write_text("".join(f"{p}\n" for p in ours), encoding="utf-8")
    return venv / "bin", env


@pytest.fixture
def elsewhere(tmp_path: Path, installed: tuple[Path, dict[str, str]]) -> tuple[Path, Path, dict[str, str]]:
    """An empty working folder with no scenarios/ in sight, and a private data directory."""
    bin_dir, env = installed
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    return bin_dir, cwd, {**env, "INTERVIEW_SIM_DATA_DIR": str(tmp_path / "data")}


def test_simulator_comes_from_the_wheel(elsewhere):
    bin_dir, cwd, env = elsewhere
    where = _run([str(bin_dir / "python"), "-c", "import simulator; print(simulator.__file__)"], cwd, env)
    assert Path(where.stdout.strip()).is_relative_to(bin_dir.parent), where.stdout
    assert not Path(where.stdout.strip()).is_relative_to(ROOT)


def test_scenarios_list_from_another_folder(elsewhere):
    bin_dir, cwd, env = elsewhere
    done = _run([str(bin_dir / "interview-sim"), "scenarios", "list"], cwd, env)
    ids = [line.split()[0] for line in done.stdout.splitlines() if line.strip()]
    assert "tell-me-about-yourself" in ids and "angry-customer-time" in ids
    assert len(ids) >= 40, done.stdout
    assert done.stderr == ""  # no warnings about scenario files that did not load

    done = _run([str(bin_dir / "interview-sim"), "roleplay", "--list"], cwd, env)
    assert "refund-outside-policy" in done.stdout


def test_score_a_typed_answer_from_another_folder(elsewhere):
    bin_dir, cwd, env = elsewhere
    (cwd / "answer.txt").write_text(ANSWER, encoding="utf-8")
    done = _run([str(bin_dir / "interview-sim"), "score", "--text", "answer.txt", "--question",
                 "angry-customer-time", "--json"], cwd, env)
    report = json.loads(done.stdout)
    assert report["content"]["rubric"] == "star"
    # The same score as from the checkout: the wheel carries the content detector's fitted heads and
    # thresholds and the verb table (without them it silently scored on default thresholds).
    here = score_content(ANSWER, question=load_bank().get_question("angry-customer-time"))
    assert report["content"]["score"] == here.score


def test_the_hesitation_listener_weights_come_with_the_wheel(elsewhere):
    # Without them the listener turns itself off (a warning in the log) and hidden "uh"s go uncounted.
    bin_dir, cwd, env = elsewhere
    code = ("from simulator.speech import hesitation_probe as hp; m = hp.read_model(); "
            "print(hp.MODEL_FILE, m.threshold)")
    done = _run([str(bin_dir / "python"), "-c", code], cwd, env)
    assert Path(done.stdout.split()[0]).is_relative_to(bin_dir.parent), done.stdout
