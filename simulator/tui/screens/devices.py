"""Choosing the microphone and the speaker inside the app (``d``, or "Audio devices" in the palette).

When the microphone is missing or goes away mid-answer, the candidate can carry on with another
device here, or choose to type; without a speaker, questions stay on screen. The screen only lists
what :attr:`Backends.devices` reports and hands the choice to the app, which updates the backends.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from simulator.errors import SimulatorError

TYPE_ANSWERS = "none"


class DeviceScreen(ModalScreen[None]):
    BINDINGS = [("escape", "dismiss", "Close"), ("d", "dismiss", "Close"), ("r", "rescan", "Look again")]

    def __init__(self) -> None:
        super().__init__()
        self._names: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="devices-box"):
            yield Static("Audio devices", id="devices-title")
            yield Static("", id="devices-note")
            yield Label("Microphone (Enter chooses)")
            yield OptionList(id="dev-input")
            yield Label("Speaker")
            yield OptionList(id="dev-output")
            yield Static("Plugged something in? Press r to look again.", id="devices-hint")
        yield Footer()

    @property
    def backends(self):  # noqa: ANN201
        return self.app.backends  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        self.backends.player.stop()  # nothing plays while devices change
        self.refresh_lists()
        self.query_one("#dev-input", OptionList).focus()

    def refresh_lists(self) -> None:
        b = self.backends
        note = self.query_one("#devices-note", Static)
        devices = []
        if b.devices is None:
            note.update("Devices cannot be changed here; restart with --input-device / --output-device.")
        else:
            try:
                devices = b.devices.devices()
                note.update("" if devices else "No audio devices found. You can still type your answers.")
            except SimulatorError as e:
                note.update(str(e))
        self._names = {d.index: d.name for d in devices}
        mic_on = b.source_factory is not None
        speaker_on = not b.speaker_problem
        inputs = [Option(_mark(not mic_on) + "Type my answers (no microphone)", id=TYPE_ANSWERS)]
        inputs += [Option(_mark(mic_on and _is_current(d, b.input_device, "input")) + _label(d), id=str(d.index))
                   for d in devices if d.max_input_channels > 0]
        outputs = [Option(_mark(not speaker_on) + "No sound (questions on screen only)", id=TYPE_ANSWERS)]
        outputs += [Option(_mark(speaker_on and _is_current(d, b.output_device, "output")) + _label(d),
                           id=str(d.index)) for d in devices if d.max_output_channels > 0]
        for list_id, options in (("#dev-input", inputs), ("#dev-output", outputs)):
            widget = self.query_one(list_id, OptionList)
            highlighted = widget.highlighted
            widget.clear_options()
            widget.add_options(options)
            widget.highlighted = min(highlighted or 0, len(options) - 1)

    def action_rescan(self) -> None:
        """Look for devices again; keep using the chosen ones, found by name (numbers may change)."""
        b = self.backends
        rescan = getattr(b.devices, "rescan", None)
        if rescan is None:
            self.notify("Devices cannot be changed here.", severity="warning")
            return
        in_use = {"input": b.source_factory is not None, "output": not b.speaker_problem}
        chosen = {kind: self._names.get(index) for kind, index in
                  (("input", b.input_device), ("output", b.output_device)) if index is not None and in_use[kind]}
        b.player.stop()
        try:
            found = rescan()
        except SimulatorError as e:
            self.notify(str(e), severity="error", timeout=8)
            return
        notes = []
        for kind, name in chosen.items():
            if name is None:
                continue
            same = [d for d in found if d.name == name
                    and (d.max_input_channels if kind == "input" else d.max_output_channels) > 0]
            if same:
                self.app.choose_device(kind, same[0].index, name)  # type: ignore[attr-defined]
            else:
                what = "microphone" if kind == "input" else "speaker"
                notes.append(f"The {what} {name} is gone: choose another.")
        before = set(self._names.values())
        new = [d.name for d in found if d.name not in before]
        if new:
            notes.insert(0, f"New: {', '.join(new)}.")
        else:
            notes.insert(0, f"Nothing new: {len(found)} device(s)." if found else "Still no audio devices found.")
        self.notify(" ".join(notes), severity="warning" if len(notes) > 1 else "information", timeout=6)
        self.refresh_lists()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        kind = "input" if event.option_list.id == "dev-input" else "output"
        choice = event.option.id
        index = None if choice == TYPE_ANSWERS else int(choice)  # type: ignore[arg-type]
        name = self._names.get(index, "") if index is not None else ""
        message = self.app.choose_device(kind, index, name)  # type: ignore[attr-defined]
        self.notify(message, timeout=4)
        self.refresh_lists()

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)


def _is_current(device, current: int | None, kind: str) -> bool:  # noqa: ANN001 - an audio Device
    if current is None:
        return device.is_default_input if kind == "input" else device.is_default_output
    return device.index == current


def _label(device) -> str:  # noqa: ANN001 - an audio Device
    return f"{device.index:>2}  {device.name}  ({device.hostapi})"


def _mark(on: bool) -> str:
    return "● " if on else "  "
