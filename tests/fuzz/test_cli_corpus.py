"""A fixed corpus of hostile files, each run through the real CLI in its own process under a memory
limit and a time limit: nothing may hang, exhaust memory or print a traceback.

Every case is a fresh ``python -m simulator`` with ``RLIMIT_AS`` set (1 GB for commands that never
load a model, 2 GB for those that do) and a wall-clock timeout; the expected outcome is an exit code
and, on failure, one line on stderr with no control characters in it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
GB = 1_000_000_000


@dataclass
class Case:
    argv: list[str]
    ok: bool  # exit 0 expected (else non-zero with one line)
    needle: str = ""  # in the error line
    memory: int = GB
    seconds: float = 60
    stdin: bytes = b""
    files: dict[str, bytes | str] = field(default_factory=dict)


_Q = "kind: questions\nrole: retail\nquestions:\n"
_RUBRIC = """kind: rubric
rubric:
  id: hostile
  label: Hostile
  criteria:
    - id: anything
      label: Anything
      cues: ["called", {pattern: "PATTERN"}]
      praise: Good.
      advice: Say more.
"""


def _alias_bomb() -> str:
    lines = [_Q.rstrip("\n").replace("questions:", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]")]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\nquestions: *a9\n"


def _lexicon_bomb() -> str:
    lex = ["  l0: 'aaaaaaaaaa|bbbbbbbbbb'"] + [f"  l{i}: '" + "{l%d}" % (i - 1) * 10 + "'" for i in range(1, 9)]
    return ("kind: red_flags\nlexicons:\n" + "\n".join(lex)
            + "\nred_flags:\n  - id: boom\n    label: Boom\n    cues: ['{l8}']\n    advice: No.\n")


def _wav(samples: np.ndarray, rate: int = 16000, subtype: str = "FLOAT") -> bytes:
    import io

    buf = io.BytesIO()
    sf.write(buf, samples, rate, format="WAV", subtype=subtype)
    return buf.getvalue()


def _nan_speech() -> bytes:
    data, rate = sf.read(FIXTURES / "star_clean.flac", dtype="float32")
    data = data.copy()
    data[len(data) // 3] = np.nan
    return _wav(data, rate)


_ANSWER = "I called the customer back the same day, apologised, and fixed the order myself. " * 3

CASES = {
    "deep-yaml": Case(["scenarios", "validate", "{d}"], False, "scenario files are invalid",
                      files={"deep.yaml": _Q + "- " + "[" * 5000 + "]" * 5000 + "\n"}),
    "deep-yaml-500": Case(["scenarios", "validate", "{d}"], False, "scenario files are invalid",
                          files={"deep.yaml": _Q + "- " + "[" * 500 + "]" * 500 + "\n"}),
    "alias-bomb": Case(["scenarios", "validate", "{d}"], False, "invalid", files={"lol.yaml": _alias_bomb()}),
    "lexicon-bomb": Case(["scenarios", "validate", "{d}"], False, "invalid", files={"f.yaml": _lexicon_bomb()}),
    "regex-bomb": Case(["scenarios", "validate", "{d}"], False, "invalid",
                       files={"r.yaml": _RUBRIC.replace("PATTERN", "(?:a|aa)+$")}),
    "regex-bomb-score": Case(["score", "--text", "{d}/a.txt", "--rubric", "hostile", "--scenarios", "{d}"], True,
                             files={"r.yaml": _RUBRIC.replace("PATTERN", r"(?:\\w+\\s?)+$"),
                                    "a.txt": "word " * 9_000 + "!"}),  # under the 50 KB typed-answer limit
    "huge-scenario": Case(["scenarios", "validate", "{d}"], False, "invalid", files={"big.yaml": "50MB"}),
    "binary-scenario": Case(["scenarios", "validate", "{d}"], False, "invalid",
                            files={"junk.yaml": bytes(range(256)) * 64}),
    "duplicate-keys": Case(["scenarios", "validate", "{d}"], False, "invalid",
                           files={"dup.yaml": _Q.replace("questions:", "role: hospitality\nquestions: []")}),
    "dev-zero-text": Case(["score", "--text", "/dev/zero", "--rubric", "star"], False, "limit"),
    "dev-zero-jd": Case(["score", "--text", "{d}/a.txt", "--rubric", "star", "--job-description", "/dev/zero"],
                        False, "limit", files={"a.txt": _ANSWER}),
    "alias-bomb-company": Case(["score", "--text", "{d}/a.txt", "--company", "{d}/lol.yaml"], False, "company",
                               files={"a.txt": _ANSWER, "lol.yaml": _alias_bomb()}),
    "binary-stdin": Case(["score", "--text", "-", "--rubric", "star"], False, "not text",
                         stdin=b"\x7fELF\x02\x01\x01" + bytes(200)),
    "big-text": Case(["score", "--text", "{d}/a.txt", "--rubric", "star"], False, "limit",
                     files={"a.txt": "word " * 600_000}),
    "longest-answer": Case(["score", "--text", "{d}/a.txt", "--rubric", "star"], True, seconds=120,
                           files={"a.txt": (_ANSWER * 5000)[:49_000]}),
    "one-mb-answer": Case(["score", "--text", "{d}/a.txt", "--rubric", "star"], False, "limit",
                          files={"a.txt": (_ANSWER * 5000)[:1_000_000]}),
    "beam-huge": Case(["score", "{d}/a.wav", "--beam-size", "100000"], False, "beam-size"),
    "beam-zero": Case(["score", "{d}/a.wav", "--beam-size", "0"], False, "beam-size"),
    "silence-nan": Case(["practice", "--silence", "nan"], False, "silence"),
    "random-wav": Case(["score", "{d}/a.wav"], False, "a.wav", files={"a.wav": os.urandom(50_000)}),
    "truncated-flac": Case(["score", "{d}/a.flac"], False, "a.flac",
                           files={"a.flac": (FIXTURES / "star_clean.flac").read_bytes()[:3000]}),
    "control-chars": Case(["score", "{d}/evil\x1b[2J\x07.wav"], False, "\\x1b"),
    "nan-sample": Case(["score", "{d}/a.wav", "--beam-size", "1", "--no-filler-recovery", "--json"], True,
                       memory=2 * GB, seconds=300, files={"a.wav": _nan_speech()}),
}


def _limits(memory: int):  # noqa: ANN202
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return apply


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input(name, tmp_path, private_data_dir):
    case = CASES[name]
    folder = tmp_path / "in"
    folder.mkdir()
    for fname, content in case.files.items():
        path = folder / fname
        if content == "50MB":
            with open(path, "wb") as f:
                f.write(_Q.encode())
                f.truncate(50_000_000)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    argv = [a.replace("{d}", str(folder)) for a in case.argv]
    env = {**os.environ, "INTERVIEW_SIM_DATA_DIR": str(private_data_dir), "PYTHONPATH": str(ROOT),
           "OMP_NUM_THREADS": "1"}
    try:
        r = subprocess.run([sys.executable, "-m", "simulator", *argv], input=case.stdin, capture_output=True,
                           timeout=case.seconds, preexec_fn=_limits(case.memory), env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: still running after {case.seconds} s")
    err = r.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "MemoryError" not in err, err[-3000:]
    assert "\x1b" not in err and "\x07" not in err
    if case.ok:
        assert r.returncode == 0, err
        if name == "nan-sample":  # one NaN must not turn 40 s of clear speech into "no speech"
            import json

            assert len(json.loads(r.stdout)["transcript"]["text"].split()) > 30
    else:
        assert r.returncode not in (0, None) and r.returncode > 0, (r.returncode, err)
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1, err
        assert case.needle in lines[0], lines[0]
