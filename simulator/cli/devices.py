"""``interview-sim devices`` lists audio devices; ``interview-sim doctor`` checks the whole setup.

``doctor`` checks what a spoken interview needs — speech synthesis, PortAudio, a microphone and a
speaker, the bundled speech model — and says what to fix. It exits non-zero when something
essential (PortAudio or the model) is missing; no microphone is only a warning, since answers can
be typed.
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import dataclass

from simulator.audio.devices import list_devices, load_sounddevice, no_devices_reason
from simulator.errors import SimulatorError
from simulator.store.connection import saving_folder
from simulator.rubric.encoder import MODEL_PACKAGE, MODEL_SHA256, MODEL_VERSION, copy_folder, verify
from simulator.rubric.encoder_weights import kept_copy
from simulator.rubric import fitted
from simulator.rubric.engine import BY_MEANING, chosen_engine
from simulator.speech.bundle import DEFAULT_MODEL, bundle_for, verified_model_dir
from simulator.speech.tts import Pyttsx3Speaker


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("devices",
                              description="List the audio input and output devices PortAudio can see.")
    p.set_defaults(func=run_devices)
    d = subparsers.add_parser("doctor",
                              description="Check text-to-speech, audio devices and the speech model.")
    d.set_defaults(func=run_doctor)


def run_devices(args: argparse.Namespace) -> int:
    devices = list_devices()
    for kind, attr in (("input", "max_input_channels"), ("output", "max_output_channels")):
        found = [d for d in devices if getattr(d, attr) > 0]
        print(f"{kind.capitalize()} devices:")
        if not found:
            print(f"  none — {no_devices_reason(kind)}")  # type: ignore[arg-type]
        for d in found:
            default = d.is_default_input if kind == "input" else d.is_default_output
            mark = "*" if default else " "
            print(f" {mark}{d.index:3d}  {d.name}  ({d.hostapi}, {d.default_samplerate:.0f} Hz)")
    print("\nChoose one with --input-device / --output-device (number or part of the name); * = default.")
    return 0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    essential: bool = True


def doctor_checks() -> list[Check]:
    checks = [_check_espeak(), _check_pyttsx3(), _check_portaudio()]
    if checks[-1].ok:
        checks.extend(_check_devices())
    checks.append(_check_model())
    checks.append(_check_encoder())
    checks.append(_check_content_data())
    checks.append(_check_data_folder())
    return checks


def run_doctor(args: argparse.Namespace) -> int:
    checks = doctor_checks()
    for c in checks:
        status = "ok  " if c.ok else ("FAIL" if c.essential else "warn")
        print(f"[{status}] {c.name}: {c.detail}")
    failed = [c for c in checks if not c.ok and c.essential]
    warnings = [c for c in checks if not c.ok and not c.essential]
    if failed:
        print(f"\n{len(failed)} essential problem(s) above; fix them and re-run.")
    elif warnings:
        print(f"\nReady, with {len(warnings)} warning(s) above.")
    else:
        print("\nAll set.")
    return 1 if failed else 0


def _check_espeak() -> Check:
    path = shutil.which("espeak-ng") or shutil.which("espeak")
    if path:
        return Check("espeak-ng", True, path, essential=False)
    return Check("espeak-ng", False, "not found: sudo apt install espeak-ng (questions will be shown, not spoken)",
                 essential=False)


def _check_pyttsx3() -> Check:
    try:
        speaker = Pyttsx3Speaker()
        utt = speaker.render("Hello.")
        speaker.close()
        return Check("text-to-speech", True, f"pyttsx3 renders speech ({utt.sample_rate} Hz)", essential=False)
    except Exception as e:  # noqa: BLE001 - every failure is reported, not raised
        return Check("text-to-speech", False, f"{e}", essential=False)


def _check_portaudio() -> Check:
    try:
        sd = load_sounddevice()
        return Check("PortAudio", True, sd.get_portaudio_version()[1])
    except SimulatorError as e:
        return Check("PortAudio", False, str(e))


def _check_devices() -> list[Check]:
    try:
        devices = list_devices()
    except SimulatorError as e:
        return [Check("audio devices", False, str(e), essential=False)]
    out = []
    for kind, attr in (("input", "max_input_channels"), ("output", "max_output_channels")):
        found = [d.name for d in devices if getattr(d, attr) > 0]
        label = "microphone" if kind == "input" else "speaker"
        if found:
            out.append(Check(label, True, f"{len(found)} found ({found[0]}, …)", essential=False))
        else:
            out.append(Check(label, False, no_devices_reason(kind), essential=False))  # type: ignore[arg-type]
    return out


def _check_data_folder() -> Check:
    """Where answers are kept: practice refuses to start when it cannot save there."""
    try:
        return Check("data folder", True, f"{saving_folder()} (answers and recordings are saved here)")
    except SimulatorError as e:
        return Check("data folder", False, str(e))


def _check_encoder() -> Check:
    """The semantic content detector's sentence encoder (essential only when it is the engine)."""
    try:
        essential = chosen_engine() in BY_MEANING
    except SimulatorError:
        essential = False
    try:
        model, _ = verify()
        copy = kept_copy(MODEL_SHA256, copy_folder())
        kept = f"its int8 copy at {copy}" if copy else "its int8 copy is made on first use"
        return Check("sentence encoder", True, f"{MODEL_PACKAGE} {MODEL_VERSION} at {model}; {kept}",
                     essential=essential)
    except SimulatorError as e:
        return Check("sentence encoder", False, str(e), essential=essential)


def _check_content_data() -> Check:
    """The content detector's fitted heads, thresholds and verb table (shipped with the package)."""
    try:
        essential = chosen_engine() in BY_MEANING
    except SimulatorError:
        essential = False
    problems = fitted.data_problems()
    if problems:
        return Check("content detector data", False,
                     "; ".join(problems) + ": reinstall interview-sim (make setup) to restore them",
                     essential=essential)
    return Check("content detector data", True, f"fitted heads, thresholds and verb table in {fitted.FIT_FILE.parent}",
                 essential=essential)


def _check_model() -> Check:
    try:
        path = verified_model_dir()
        return Check("speech model", True, f"{DEFAULT_MODEL} at {path}")
    except SimulatorError as e:
        return Check("speech model", False, str(e))
    except Exception as e:  # noqa: BLE001 - e.g. the bundle package is not installed
        return Check("speech model", False, f"{e}: {bundle_for(DEFAULT_MODEL).reinstall}")
