"""Speaking questions: a :class:`Speaker` renders text to audio; a player plays it.

pyttsx3 on Linux has threading and queueing bugs (RESEARCH.md §2): the first ``runAndWait`` may
return before the file is written, a rate set just before saving may be ignored, two queued saves
write one file, and every save prints to stdout. So one engine lives on one long-lived owner thread
that renders one utterance at a time to a WAV file and waits for it; every other thread submits jobs.
Rendered prompts are cached on disk (keyed by text, voice and rate) so a question speaks at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import sys
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from simulator.errors import SimulatorError
from simulator.paths import data_dir

RENDER_TIMEOUT_S = 15.0
NEUTRAL_PITCH = 50  # espeak's default on its 0-100 scale


class SpeechError(SimulatorError):
    """Text-to-speech is unavailable or failed."""


@dataclass(frozen=True)
class Utterance:
    samples: np.ndarray  # float32 mono
    sample_rate: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate


class Speaker(Protocol):
    def render(self, text: str) -> Utterance: ...

    def close(self) -> None: ...


class SilentSpeaker:
    """Renders a short silence: for tests and for ``--no-voice``."""

    def __init__(self, duration_s: float = 0.05, sample_rate: int = 22050):
        self.duration_s = duration_s
        self.sample_rate = sample_rate
        self.spoken: list[str] = []
        self.voiced: list[tuple[str, dict[str, str | int | None]]] = []
        """Every :meth:`render_as` call: the text and the voice settings it asked for."""

    def render(self, text: str) -> Utterance:
        self.spoken.append(text)
        return Utterance(np.zeros(int(self.duration_s * self.sample_rate), np.float32), self.sample_rate)

    def render_as(self, text: str, *, voice: str | None = None, rate: int | None = None,
                  pitch: int | None = None) -> Utterance:
        self.voiced.append((text, {"voice": voice, "rate": rate, "pitch": pitch}))
        return self.render(text)

    def close(self) -> None:
        pass


def cache_key(text: str, voice: str | None, rate: int | None, pitch: int | None = None) -> str:
    # A neutral or unset pitch keeps the key prompts were cached under before pitch existed.
    tone = f"\0pitch={pitch}" if pitch is not None and pitch != NEUTRAL_PITCH else ""
    return hashlib.sha256(f"pyttsx3\0{voice or ''}\0{rate or ''}{tone}\0{text}".encode()).hexdigest()[:32]


Props = tuple[str | None, int | None, int | None]
"""Voice, rate (words per minute) and pitch (0-100) of one utterance; None is the engine's own."""


class _EngineOwner:
    """The one thread that drives pyttsx3, for the whole process.

    pyttsx3 keeps one engine per driver and process (``pyttsx3.init`` hands back the same object),
    and espeak-ng's state is global, so two owners — one per speaker — would drive one engine from
    two threads: renders then hung for the full timeout or took another job's rate (seen in
    tests/unit/test_tts.py). Speakers come and go; the owner stays, rendering one job at a time.
    """

    _instance: _EngineOwner | None = None
    _lock = threading.Lock()

    @classmethod
    def shared(cls) -> _EngineOwner:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def __init__(self) -> None:
        self.ready: Future = Future()
        self.installed: list[tuple[str, str]] = []
        self._defaults: Props = (None, None, None)
        self._jobs: queue.Queue[tuple[str, Path, Future, Props, Pyttsx3Speaker | None]] = queue.Queue()
        threading.Thread(target=self._run, name="tts-owner", daemon=True).start()

    def submit(self, text: str, path: Path, props: Props, speaker: Pyttsx3Speaker | None) -> Future:
        fut: Future = Future()
        self._jobs.put((text, path, fut, props, speaker))
        return fut

    def _run(self) -> None:
        try:
            engine, finished = self._init_engine()
        except Exception as e:  # noqa: BLE001 - reported to whoever renders
            self.ready.set_exception(SpeechError(
                f"text-to-speech is unavailable ({e}); install espeak-ng (sudo apt install espeak-ng). "
                "Questions are still shown on screen."))
            return
        self.ready.set_result(True)
        current = self._defaults
        while True:
            text, path, fut, props, speaker = self._jobs.get()
            if path.exists():
                fut.set_result(path)
                continue
            try:
                # "Unset" means the engine's own value: a job with no rate after one at 110 wpm goes
                # back to the default rather than keeping 110.
                wanted: Props = tuple(p if p is not None else d for p, d in zip(props, self._defaults))  # type: ignore[assignment]
                if wanted != current:
                    _apply(engine, current, wanted)
                    current = wanted
                _render_one(engine, finished, text, path)
                if speaker is not None:
                    speaker.renders += 1
                    speaker.render_threads.add(threading.current_thread().name)
                fut.set_result(path)
            except Exception as e:  # noqa: BLE001
                fut.set_exception(SpeechError(f"could not speak the question: {e}"))

    def _init_engine(self):  # noqa: ANN202
        import pyttsx3  # noqa: PLC0415 - loads the platform speech driver; only when speaking

        engine = pyttsx3.init()
        _quiet_driver_prints()
        with contextlib.suppress(Exception):
            self.installed = [(v.id, v.name or "") for v in engine.getProperty("voices")]
        self._defaults = tuple(_get(engine, name) for name in ("voice", "rate", "pitch"))  # type: ignore[assignment]
        finished = threading.Event()
        engine.connect("finished-utterance", lambda name, completed: finished.set())
        return engine, finished


class Pyttsx3Speaker:
    """pyttsx3 behind the process's one owner thread, with an on-disk cache of rendered prompts.

    ``voice``, ``rate`` and ``pitch`` are the defaults; :meth:`render_as` speaks one utterance in
    another voice (a role-play persona) and the owner thread switches the engine's properties per job.
    """

    def __init__(self, voice: str | None = None, rate: int | None = None, cache_dir: Path | None = None,
                 pitch: int | None = None):
        self.voice = voice
        self.rate = rate
        self.pitch = pitch
        self.cache_dir = cache_dir or data_dir() / "tts-cache"
        # Private like the data directory (0700): the prompts may quote the user's own answers back.
        self.cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        mode = self.cache_dir.stat().st_mode & 0o777
        if mode & 0o077:
            self.cache_dir.chmod(mode & 0o700)
        self.renders = 0  # how many times the engine actually ran for this speaker (cache misses)
        self.render_threads: set[str] = set()  # names of the threads the engine ran on (only the owner's)
        self._owner = _EngineOwner.shared()

    def cache_path(self, text: str, voice: str | None = None, rate: int | None = None,
                   pitch: int | None = None) -> Path:
        key = cache_key(text, voice or self.voice, rate or self.rate,
                        pitch if pitch is not None else self.pitch)
        return self.cache_dir / f"{key}.wav"

    def render(self, text: str) -> Utterance:
        return self.render_as(text)

    def render_as(self, text: str, *, voice: str | None = None, rate: int | None = None,
                  pitch: int | None = None) -> Utterance:
        """Render in the given voice, rate (words per minute) and pitch (0-100); None keeps the default."""
        props = self._props(voice, rate, pitch)
        path = self.cache_path(text, *props)
        if not path.exists():
            try:
                self._owner.ready.result(timeout=RENDER_TIMEOUT_S)  # raises the engine's start-up error
                self._owner.submit(text, path, props, self).result(timeout=RENDER_TIMEOUT_S)
            except FutureTimeout as e:
                raise SpeechError(f"speech synthesis did not answer within {RENDER_TIMEOUT_S:.0f} s; "
                                  "the question is shown on screen") from e
        return _read_wav(path)

    def installed_voices(self) -> list[tuple[str, str]]:
        """``(id, name)`` of the engine's voices (empty until the engine has started, or if it failed)."""
        try:
            self._owner.ready.result(timeout=RENDER_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - no engine, no voices
            return []
        return list(self._owner.installed)

    def prefetch(self, texts: list[str]) -> None:
        """Render in the background so the questions speak at once later."""
        props = self._props(None, None, None)
        for text in texts:
            if not self.cache_path(text).exists():
                self._owner.submit(text, self.cache_path(text), props, self)

    def _props(self, voice: str | None, rate: int | None, pitch: int | None) -> Props:
        return (voice or self.voice, rate or self.rate, pitch if pitch is not None else self.pitch)

    def close(self) -> None:
        """Nothing to stop: the engine and its owner thread live as long as the process."""


def _render_one(engine, finished: threading.Event, text: str, path: Path) -> None:  # noqa: ANN001
    tmp = path.with_suffix(f".{os.getpid()}.tmp.wav")
    tmp.unlink(missing_ok=True)
    finished.clear()
    engine.save_to_file(text, str(tmp))
    engine.runAndWait()
    finished.wait(RENDER_TIMEOUT_S)
    _wait_for_file(tmp)
    os.replace(tmp, path)


def _quiet_driver_prints() -> None:
    """pyttsx3's espeak driver prints "Audio saved to ..." on stdout after every save.

    Swapping ``sys.stdout`` around a render (contextlib.redirect_stdout) is process-wide, not
    per thread: while a question rendered in the background, the app's or a benchmark's own output
    vanished into the swap. Shadowing ``print`` in that one module is what stays local.
    """
    driver = sys.modules.get("pyttsx3.drivers.espeak")
    if driver is None or getattr(driver, "print", None) is _driver_print:
        return
    driver.print = _driver_print  # type: ignore[attr-defined]


def _driver_print(*args: object, **kwargs: object) -> None:
    if args and str(args[0]).startswith("Audio saved to"):
        return
    print(*args, file=sys.stderr)


def _apply(engine, old: tuple, new: tuple) -> None:  # noqa: ANN001
    """Set the properties that change between two jobs (voice, rate, pitch); only those: setting
    the voice before the first utterance of a process made espeak hang now and then."""
    for name, before, after in zip(("voice", "rate", "pitch"), old, new):
        if after is None or after == before:
            continue
        with contextlib.suppress(Exception):  # SAPI and NSSpeech have no pitch
            engine.setProperty(name, after if name == "voice" else int(after))
    time.sleep(0.05)  # a property set right before saving is sometimes ignored


def _get(engine, name: str):  # noqa: ANN001, ANN202
    with contextlib.suppress(Exception):  # not every driver has every property
        return engine.getProperty(name)
    return None


def _wait_for_file(path: Path, timeout_s: float = RENDER_TIMEOUT_S) -> None:
    """The first runAndWait can return before the file is complete: wait for a stable size."""
    deadline = time.monotonic() + timeout_s
    last = -1
    while time.monotonic() < deadline:
        size = path.stat().st_size if path.exists() else -1
        if size > 44 and size == last:
            return
        last = size
        time.sleep(0.03)
    raise SpeechError("speech synthesis produced no audio")


def _read_wav(path: Path) -> Utterance:
    import soundfile  # noqa: PLC0415

    data, rate = soundfile.read(str(path), dtype="float32", always_2d=False)
    if data.ndim == 2:
        data = data.mean(axis=1)
    return Utterance(np.ascontiguousarray(data, dtype=np.float32), int(rate))


def make_speaker(voice: str | None = None, rate: int | None = None, *, silent: bool = False) -> Speaker:
    return SilentSpeaker() if silent else Pyttsx3Speaker(voice=voice, rate=rate)
