"""Audio devices: loading PortAudio safely, listing and choosing devices, and keeping ALSA quiet.

Every failure here becomes a :class:`~simulator.errors.DeviceError` whose message says what to do:
PortAudio missing, no audio server, no device of the wanted kind, a name that matches nothing.
ALSA and PortAudio print warnings straight to file descriptor 2, which would garble a terminal UI, so
:func:`quiet_stderr` points fd 2 at a log file while the app runs.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Literal

from simulator.errors import DeviceError

Kind = Literal["input", "output"]


@dataclass(frozen=True)
class Device:
    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    is_default_input: bool = False
    is_default_output: bool = False


def load_sounddevice() -> ModuleType:
    """Import sounddevice, turning "PortAudio library not found" into a DeviceError."""
    try:
        import sounddevice  # noqa: PLC0415 - loads the PortAudio shared library
    except OSError as e:
        raise DeviceError(
            "PortAudio is not installed, so there is no microphone or speaker access. "
            "Install it (Debian/Ubuntu: sudo apt install libportaudio2) or answer by typing."
        ) from e
    except ImportError as e:
        raise DeviceError("the sounddevice package is missing: pip install sounddevice") from e
    return sounddevice


def list_devices() -> list[Device]:
    """All devices PortAudio can see (empty when there is no sound card or audio server)."""
    sd = load_sounddevice()
    try:
        raw = sd.query_devices()
        apis = sd.query_hostapis()
        default_in, default_out = _defaults(sd)
    except Exception as e:  # PortAudioError and friends
        raise DeviceError(f"cannot query audio devices: {e}") from e
    return [
        Device(
            index=i, name=d["name"], hostapi=apis[d["hostapi"]]["name"],
            max_input_channels=d["max_input_channels"], max_output_channels=d["max_output_channels"],
            default_samplerate=d["default_samplerate"],
            is_default_input=i == default_in, is_default_output=i == default_out,
        )
        for i, d in enumerate(raw)
    ]


def rescan_devices() -> list[Device]:
    """Look for devices again and list them: PortAudio finds devices only when it starts, so a
    headset plugged in later is invisible until it restarts (sounddevice's maintainers' recipe:
    terminate and initialise it again).

    Restarting PortAudio closes every open stream: call this only while nothing records or plays.
    Device numbers may change; match devices by name across a rescan.
    """
    sd = load_sounddevice()
    try:
        sd._terminate()  # noqa: SLF001 - the documented way to refresh the device list
        sd._initialize()  # noqa: SLF001
    except Exception as e:  # PortAudioError
        raise DeviceError(f"cannot restart PortAudio to look for new devices: {e}") from e
    return list_devices()


def _defaults(sd: ModuleType) -> tuple[int, int]:
    try:
        pair = sd.default.device
        return int(pair[0]), int(pair[1])
    except Exception:  # noqa: BLE001 - no defaults is a valid state
        return -1, -1


def resolve_device(spec: str | int | None, kind: Kind) -> int | None:
    """Turn ``--input-device``/``--output-device`` (index or part of a name) into an index.

    ``None`` means the system default, which must exist.

    Raises:
        DeviceError: no device of that kind, or nothing matches ``spec``.
    """
    devices = [d for d in list_devices() if _channels(d, kind) > 0]
    if not devices:
        raise DeviceError(no_devices_reason(kind))
    if spec is None or spec == "":
        if any(d.is_default_input if kind == "input" else d.is_default_output for d in devices):
            return None
        return devices[0].index
    if isinstance(spec, int) or str(spec).isdigit():
        index = int(spec)
        if any(d.index == index for d in devices):
            return index
        raise DeviceError(f"there is no {kind} device number {index}; `interview-sim devices` lists them")
    matches = [d for d in devices if str(spec).lower() in d.name.lower()]
    if not matches:
        raise DeviceError(f"no {kind} device matches {spec!r}; `interview-sim devices` lists them")
    return matches[0].index


def _channels(d: Device, kind: Kind) -> int:
    return d.max_input_channels if kind == "input" else d.max_output_channels


def no_devices_reason(kind: Kind) -> str:
    """Why there is no device, as far as we can tell, and what to do."""
    what = "microphone" if kind == "input" else "speaker or headphones"
    hints = []
    if not os.environ.get("PULSE_SERVER") and not Path("/dev/snd").exists():
        hints.append("this machine has no sound card (/dev/snd is missing) and no PULSE_SERVER is set")
    else:
        hints.append("check it is plugged in and not used by another program")
    carry_on = ("You can still practise by typing your answers." if kind == "input"
                else "Questions are still shown on screen.")
    return f"no {what} found: {'; '.join(hints)}. {carry_on}"


@contextlib.contextmanager
def quiet_stderr(log_path: Path | None = None) -> Iterator[None]:
    """Point file descriptor 2 at ``log_path`` (or /dev/null) for the duration, then restore it.

    ALSA and PortAudio print warnings straight to fd 2, which would garble a full-screen app. But
    Textual draws the screen through ``sys.__stderr__`` (fd 2 too), so while fd 2 goes to the log,
    ``sys.__stderr__`` is pointed at a copy of the original terminal descriptor: the app keeps its
    screen and the C libraries' noise goes to the log.
    """
    try:
        saved = os.dup(2)
    except OSError:  # no fd 2 at all
        yield
        return
    try:
        target = os.open(str(log_path) if log_path else os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except OSError:  # a read-only data folder (replay only reads it): the noise goes nowhere
        target = os.open(os.devnull, os.O_WRONLY)
    original_stream = sys.__stderr__
    terminal = os.fdopen(os.dup(saved), "w", buffering=1, encoding="utf-8", errors="replace")
    try:
        os.dup2(target, 2)
        sys.__stderr__ = terminal
        yield
    finally:
        sys.__stderr__ = original_stream
        terminal.close()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(target)
