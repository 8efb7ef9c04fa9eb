"""What the app talks to, injectable: a transcriber (loaded lazily), a speaker, a player, a microphone.

The factory in :mod:`simulator.tui.app` takes a :class:`Backends`; the CLI builds real ones, tests
build fakes. No Textual imports here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from simulator.audio.capture import AudioSource
from simulator.audio.playback import NullPlayer, Player
from simulator.errors import ModelError, SimulatorError
from simulator.speech.transcript import Transcriber, Transcript
from simulator.speech.tts import SilentSpeaker, Speaker
from simulator.audio.capture import SoundDeviceSource
from simulator.audio.devices import list_devices
from simulator.audio.devices import rescan_devices
from simulator.audio.playback import SoundDevicePlayer
from simulator.rubric import load_bank
from simulator.scenarios import BANK_KINDS, read_scenarios


class LazyTranscriber:
    """Stands in for a model that loads in the background: ``transcribe`` waits for it."""

    def __init__(self, load: Callable[[], Transcriber], *, engine: str = "", model_name: str = ""):
        """``engine``, ``model_name``: what is being loaded, named until it is (a session started,
        or recovered after a crash, before the model was ready used to say "loading")."""
        self.engine = engine or "loading"
        self.model_name = model_name or "loading"
        self._load = load
        self._ready = threading.Event()
        self._inner: Transcriber | None = None
        self.error: str = ""

    def load(self) -> Transcriber:
        """Load the model (call from a worker thread)."""
        try:
            inner = self._load()
        except SimulatorError as e:
            self.error = str(e)
            raise
        except Exception as e:  # noqa: BLE001 - shown to the user, not a traceback
            self.error = f"the speech model could not be loaded: {e}"
            raise ModelError(self.error) from e
        finally:
            self._ready.set()
        self._inner = inner
        self.engine = inner.engine
        self.model_name = inner.model_name
        return inner

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and self._inner is not None

    @property
    def parallel_decodes(self) -> int:
        """How many decodes the model runs at once (asked just before decoding, so it waits for it)."""
        self._ready.wait(300)
        return getattr(self._inner, "parallel_decodes", 1)

    @property
    def encoder(self) -> dict[str, Any] | None:
        """The loaded engine's encoder, if it hands its frames over to the hesitation listener
        (asked just before decoding, so it waits for the model); None otherwise."""
        self._ready.wait(300)
        return getattr(self._inner, "encoder", None)

    def transcribe(self, samples: np.ndarray, *, prompt: str | None = None,
                   frames_out: list[Any] | None = None) -> Transcript:
        self._ready.wait(300)
        if self._inner is None:
            raise ModelError(self.error or "the speech model is not available")
        if frames_out is not None and getattr(self._inner, "encoder", None) is not None:
            return self._inner.transcribe(samples, prompt=prompt, frames_out=frames_out)  # type: ignore[call-arg]
        return self._inner.transcribe(samples, prompt=prompt)


class SoundDeviceChooser:
    """The app's device picker talks to this: PortAudio's devices, and a microphone or speaker on one.

    It lists the devices PortAudio found when it started; :meth:`rescan` looks again.
    """

    def devices(self) -> list[Any]:  # simulator.audio.devices.Device
        """Raises DeviceError (PortAudio missing, no audio server)."""
        return list_devices()

    def rescan(self) -> list[Any]:
        """Restart PortAudio so that devices plugged in since are found (nothing may be recording
        or playing). Raises DeviceError."""
        return rescan_devices()

    def microphone(self, index: int | None) -> Callable[[], AudioSource]:
        return lambda: SoundDeviceSource(index)

    def speaker(self, index: int | None) -> Player:
        return SoundDevicePlayer(index)


@dataclass
class Backends:
    transcriber: LazyTranscriber
    speaker: Speaker = field(default_factory=SilentSpeaker)
    player: Player = field(default_factory=NullPlayer)
    source_factory: Callable[[], AudioSource] | None = None
    """Opens the microphone; ``None`` means none is available and answers are typed."""
    microphone_problem: str = ""
    speaker_problem: str = ""
    """Why there is no speaker (the player is then a NullPlayer): shown on the home screen."""
    devices: Any = None
    """A :class:`SoundDeviceChooser` (or a fake) for the in-app device picker; ``None``: no picker."""
    input_device: int | None = None
    output_device: int | None = None
    """The devices in use (``None``: the system default), marked in the picker."""
    bank: Any = None  # simulator.rubric.ScenarioBank; loaded on demand when None
    recordings_dir: Path | None = None
    """Where answers are recorded when there is no session store (it could not be opened)."""
    store_path: Path | None = None
    """The session store's database; ``None`` with ``use_store`` means the data directory's."""
    use_store: bool = True
    clock: Callable[[], float] = time.monotonic
    """The replay screen's playback clock (a fake one in tests)."""
    end_silence_s: float | None = None
    """Silence that ends an answer by itself; ``None``: the end-of-turn judge decides from what was
    said (:mod:`simulator.session.end_of_turn`)."""
    resume_window_s: float | None = None
    """How long speaking again after the end resumes an answer; ``None``: the mode's default."""
    preview_every_s: float | None = 1.5
    """While a phrase is spoken, decode it this often for the live transcript (``None``: only at
    pauses). About one extra decode of a few seconds of audio per 1.5 s of speech, when the
    transcriber is otherwise idle."""
    recover_fillers: bool = True
    content_warning: str | None = None
    """Set by :meth:`warm_up` when content by meaning lacks its fitted data: the app shows it once."""

    roleplays: Any = None  # simulator.roleplay.RolePlayLibrary; loaded on demand when None
    _loading: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    """Held while the bank or the role-plays load (the app's warm-up loads them on a thread)."""

    def get_roleplays(self) -> Any:
        """The personas and role-plays (the bundled scenarios and the user's)."""
        with self._loading:
            if self.roleplays is None:
                from simulator.roleplay.library import load_library  # noqa: PLC0415 - see warm_up

                self.roleplays = load_library()
            return self.roleplays

    def get_bank(self) -> Any:
        with self._loading:
            if self.bank is None:
                # Only the bank's own files are parsed (not the personas and role-plays beside
                # them, about a third of the reading): the app shows no scenario file errors.
                self.bank = load_bank(files=read_scenarios(kinds=BANK_KINDS))
            return self.bank

    def warm_up(self) -> None:
        """Load ahead of need (on a worker thread, once the app is up): the role-plays the home
        screen lists, and for the semantic content engine its encoder, which then loads on a
        thread of its own while the question is asked; and check the engine's fitted data
        (:attr:`content_warning`). (Imported here, not at the top: the first question is asked
        before any of it is needed.)"""
        from simulator.rubric.engine import fitted_data_warning, preload  # noqa: PLC0415

        try:
            self.get_roleplays()
        except SimulatorError:  # the home screen says so when it lists them
            pass
        try:
            preload()
            self.content_warning = fitted_data_warning()
        except Exception:  # noqa: BLE001 - a bad engine name is reported when scoring
            pass
