"""A microphone that will not open is one plain line: PortAudio's reason without its error code, and
what to do in the app and on the command line (hands-on review: the no-microphone message showed
PortAudio's raw text and named only a command-line option)."""

from __future__ import annotations

import pytest

from simulator.audio import capture
from simulator.audio.capture import SoundDeviceSource, portaudio_reason
from simulator.errors import DeviceError


@pytest.mark.parametrize("raw, reason", [
    ("Error opening InputStream: Invalid sample rate [PaErrorCode -9997]", "invalid sample rate"),
    ("Error starting stream: Device unavailable [PaErrorCode -9985]", "device unavailable"),
    ("Illegal combination of I/O devices", "illegal combination of I/O devices"),
])
def test_portaudio_reason_in_words(raw, reason):
    assert portaudio_reason(Exception(raw)) == reason


def test_portaudio_reason_of_an_empty_error_names_its_kind():
    assert portaudio_reason(OSError()) == "OSError"


class _RefusingSounddevice:
    """A PortAudio that refuses every stream."""

    def InputStream(self, **_kw):  # noqa: N802 - sounddevice's name
        raise Exception("Error opening InputStream: Device unavailable [PaErrorCode -9985]")  # noqa: TRY002

    def query_devices(self, *_a, **_kw):
        return {"default_samplerate": 44100.0}


def test_a_microphone_that_will_not_open_is_one_plain_line(monkeypatch):
    monkeypatch.setattr(capture, "load_sounddevice", lambda: _RefusingSounddevice())
    with pytest.raises(DeviceError) as e:
        SoundDeviceSource(None).start()
    message = str(e.value)
    assert message.startswith("cannot open the microphone (device unavailable)")
    assert "PaErrorCode" not in message and "\n" not in message
    assert "d in the app" in message and "--input-device" in message and "typing" in message
