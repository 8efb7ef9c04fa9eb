"""Reading answers from files: every format and layout, and every way a file can be wrong."""

import numpy as np
import pytest
import soundfile as sf

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.files import read_audio
from simulator.errors import AudioInputError


def tone(rate: int, seconds: float, channels: int = 1) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    x = 0.5 * np.sin(2 * np.pi * 440 * t)
    return np.stack([x] * channels, axis=1) if channels > 1 else x


@pytest.mark.parametrize(
    "suffix, rate, channels",
    [("wav", 16000, 1), ("wav", 44100, 2), ("flac", 22050, 1), ("ogg", 48000, 2), ("wav", 8000, 1)],
)
def test_formats_rates_and_channels_become_16k_mono(tmp_path, suffix, rate, channels):
    path = tmp_path / f"a.{suffix}"
    sf.write(path, tone(rate, 2.0, channels), rate)
    clip = read_audio(path)
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    assert clip.duration_s == pytest.approx(2.0, abs=0.03)
    # The 440 Hz tone survives resampling: its spectral peak stays at 440 Hz.
    spectrum = np.abs(np.fft.rfft(clip.samples))
    peak_hz = np.argmax(spectrum) * SAMPLE_RATE / len(clip.samples)
    assert peak_hz == pytest.approx(440, abs=2)


def encode(path, codec: str, samples: np.ndarray, rate: int = 44100) -> None:
    """Write ``samples`` with one of PyAV's bundled encoders (no ffmpeg binary needed)."""
    import av

    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(samples.astype(np.float32)[None, :], format="flt", layout="mono")
        frame.sample_rate = rate
        for fmt_frame in av.AudioResampler(format=stream.format.name, layout="mono", rate=rate).resample(frame):
            for packet in stream.encode(fmt_frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


@pytest.mark.parametrize("suffix, codec", [("mp3", "libmp3lame"), ("m4a", "aac")])
def test_compressed_formats(tmp_path, suffix, codec):
    path = tmp_path / f"a.{suffix}"
    encode(path, codec, tone(44100, 1.5))
    clip = read_audio(path)
    assert clip.duration_s == pytest.approx(1.5, abs=0.1)  # encoders pad by a frame or two


def test_missing_file(tmp_path):
    with pytest.raises(AudioInputError, match="no such file"):
        read_audio(tmp_path / "nope.wav")


def test_folder(tmp_path):
    with pytest.raises(AudioInputError, match="is a folder"):
        read_audio(tmp_path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(AudioInputError, match="empty"):
        read_audio(path)


def test_text_file_is_not_audio(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("this is my answer, typed\n" * 20)
    with pytest.raises(AudioInputError, match="not a readable audio file"):
        read_audio(path)


def test_truncated_file_is_corrupt_or_short(tmp_path):
    path = tmp_path / "cut.flac"
    sf.write(path, tone(16000, 3.0), 16000)
    data = path.read_bytes()
    path.write_bytes(data[:60])  # the header survives, the audio does not
    with pytest.raises(AudioInputError):
        read_audio(path)


def test_zero_length_wav(tmp_path):
    path = tmp_path / "zero.wav"
    sf.write(path, np.zeros(0), 16000)
    with pytest.raises(AudioInputError, match="zero length"):
        read_audio(path)


def test_too_long(tmp_path):
    path = tmp_path / "long.wav"
    sf.write(path, np.zeros(16000 * 5), 16000)
    with pytest.raises(AudioInputError, match="limit is"):
        read_audio(path, max_duration_s=3)


def test_too_long_without_declared_duration_stops_decoding(tmp_path):
    """A raw ADTS/MP3 stream may not declare its length; the decoder still stops at the limit."""
    mp3 = tmp_path / "long.mp3"
    encode(mp3, "libmp3lame", tone(44100, 8.0))
    with pytest.raises(AudioInputError, match="limit is"):
        read_audio(mp3, max_duration_s=3)
