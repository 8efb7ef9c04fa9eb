"""The converted openai-whisper checkpoint hears exactly what faster-whisper hears (float32).

The bundled tiny.en is converted into a temporary cache, then both engines transcribe the same
16 kHz clips with the same decoding options (beam 5 and greedy, temperature 0 without fallback, no
conditioning on previous text, word timestamps). The issue asks for an exact conversion: same text,
same words, same word times. faster-whisper is called directly (not through our wrapper) so the
reference is the library itself.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from simulator.errors import ModelError

pytestmark = pytest.mark.integration
pytest.importorskip("whisper")
faster_whisper = pytest.importorskip("faster_whisper")

from simulator.speech.bundle import verified_model_dir  # noqa: E402
from simulator.speech.convert import cached_checkpoint, convert_ct2_to_whisper  # noqa: E402
from simulator.speech.openai_engine import OpenAIWhisperTranscriber  # noqa: E402
from simulator.speech.transcript import Transcript  # noqa: E402

SAMPLE_RATE = 16_000

# Word times: measured difference between the engines was 0 on every clip here (largest raw difference
# 3.6e-15 s, float noise; beam 5 and greedy, espeak and the ALSA recordings of a human voice). Both
# engines round word times to 10 ms and the alignment moves in whole 20 ms DTW frames, so a real
# disagreement is never smaller than 10 ms: any looser tolerance would only hide a conversion error.
TIME_TOLERANCE_S = 1e-6

# (espeak-ng arguments, text). Voices and rates vary; "interview" is ~46 s so decoding crosses the
# 30 s window boundary, where seeking logic differs most between implementations.
ESPEAK_CLIPS: dict[str, tuple[list[str], str]] = {
    "customer": ([], "Tell me about a time you dealt with a difficult customer. Well, last year a "
                 "man came in very upset because his order was late, so I listened, apologised, and "
                 "offered a refund or a faster delivery."),
    "fast_us": (["-v", "en-us", "-s", "190"], "I really enjoy helping people solve their problems, "
                "and I stay patient when things get stressful."),
    "slow_gb": (["-v", "en-gb", "-s", "120"], "My greatest strength is listening carefully before I "
                "answer."),
    "interview": (["-s", "150"], "Thank you for asking. In my last job at a busy electronics store, I "
                  "handled returns and complaints at the front desk. One afternoon a customer came in "
                  "angry because the laptop he bought two days earlier would not turn on, and he "
                  "needed it for a presentation the next morning. First I let him explain everything "
                  "without interrupting, and I told him I understood how stressful that must be. Then "
                  "I checked the stock system and found we had the same model in the back. I swapped "
                  "it on the spot, copied his files from the old drive with our technician, and tested "
                  "the new one in front of him. He left calm and later wrote a positive review that "
                  "mentioned me by name. My manager used the story in our team training."),
}
ALSA_CLIPS = ("Front_Left", "Rear_Center", "Side_Right")  # a human voice, 48 kHz
ALSA_DIR = Path("/usr/share/sounds/alsa")


@pytest.fixture(scope="module")
def model_dir() -> Path:
    return verified_model_dir("tiny.en")


@pytest.fixture(scope="module")
def checkpoint(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cached_checkpoint(model_dir, models_root=tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="module")
def clip_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    folder = tmp_path_factory.mktemp("clips")
    for name, (args, text) in ESPEAK_CLIPS.items():
        subprocess.run(["espeak-ng", *args, "-w", str(folder / f"{name}.wav"), text], check=True)
    return folder


def _audio(path: Path) -> np.ndarray:
    # PyAV decode + resample, the same path faster-whisper uses for files; both engines get this array.
    return faster_whisper.decode_audio(str(path), sampling_rate=SAMPLE_RATE)


@pytest.fixture(scope="module")
def reference(model_dir: Path):  # noqa: ANN201 - faster_whisper.WhisperModel
    return faster_whisper.WhisperModel(
        str(model_dir), device="cpu", compute_type="float32", cpu_threads=2
    )


@pytest.fixture(scope="module")
def engines(checkpoint: Path) -> dict[int, OpenAIWhisperTranscriber]:
    return {beam: OpenAIWhisperTranscriber(checkpoint, beam_size=beam, vad=False) for beam in (5, 1)}


def _reference(model, audio: np.ndarray, beam: int, vad: bool) -> list:  # noqa: ANN001
    segments, _ = model.transcribe(
        audio, beam_size=beam, language="en", temperature=0.0, condition_on_previous_text=False,
        word_timestamps=True, vad_filter=vad,
    )
    return list(segments)


def _assert_same(expected: list, actual: Transcript) -> None:
    assert actual.text == " ".join(s.text.strip() for s in expected).strip()
    assert [s.text for s in actual.segments] == [s.text.strip() for s in expected]
    want = [(w.word.strip(), w.start, w.end) for s in expected for w in s.words if w.word.strip()]
    got = [(w.text, w.start_s, w.end_s) for w in actual.words]
    assert [w[0] for w in got] == [w[0] for w in want]
    for (text, start, end), (_, ref_start, ref_end) in zip(got, want, strict=True):
        assert abs(start - ref_start) <= TIME_TOLERANCE_S, (text, start, ref_start)
        assert abs(end - ref_end) <= TIME_TOLERANCE_S, (text, end, ref_end)


def _clip_path(name: str, clip_dir: Path) -> Path:
    if name in ESPEAK_CLIPS:
        return clip_dir / f"{name}.wav"
    path = ALSA_DIR / f"{name}.wav"
    if not path.is_file():
        pytest.skip(f"{path} is missing (apt-get install alsa-utils)")
    return path


@pytest.mark.parametrize("name", [*ESPEAK_CLIPS, *ALSA_CLIPS])
def test_beam_search_matches_faster_whisper_float32(  # noqa: ANN001 - fixtures
    name, clip_dir, reference, engines
) -> None:
    audio = _audio(_clip_path(name, clip_dir))
    expected = _reference(reference, audio, beam=5, vad=False)
    actual = engines[5].transcribe(audio)

    assert expected, "the reference heard nothing: the clip is broken"
    _assert_same(expected, actual)
    assert actual.engine == "openai-whisper" and actual.model == "tiny.en"
    assert actual.options["beam_size"] == 5 and actual.options["compute_type"] == "float32"


@pytest.mark.parametrize("name", ["interview", "Front_Left"])
def test_greedy_matches_faster_whisper_float32(name, clip_dir, reference, engines) -> None:  # noqa: ANN001
    audio = _audio(_clip_path(name, clip_dir))
    _assert_same(_reference(reference, audio, beam=1, vad=False), engines[1].transcribe(audio))


def test_vad_gate_matches_faster_whisper(clip_dir, reference, checkpoint) -> None:  # noqa: ANN001
    # Silence before, between and after speech: the VAD cuts it out and times must map back.
    speech = _audio(clip_dir / "fast_us.wav")
    quiet = np.zeros(int(2.5 * SAMPLE_RATE), dtype=np.float32)
    audio = np.concatenate([quiet, speech, quiet, quiet, _audio(clip_dir / "slow_gb.wav"), quiet])
    engine = OpenAIWhisperTranscriber(checkpoint, beam_size=5, vad=True)

    actual = engine.transcribe(audio)
    _assert_same(_reference(reference, audio, beam=5, vad=True), actual)
    assert actual.words[0].start_s >= 2.0, "times must be on the original clip, not the cut one"


def test_silence_and_noise_give_an_empty_transcript_with_vad(checkpoint: Path) -> None:
    engine = OpenAIWhisperTranscriber(checkpoint, beam_size=5, vad=True)
    rng = np.random.default_rng(0)

    assert engine.transcribe(np.zeros(5 * SAMPLE_RATE, dtype=np.float32)).is_empty
    assert engine.transcribe((0.01 * rng.standard_normal(5 * SAMPLE_RATE)).astype(np.float32)).is_empty
    assert engine.transcribe(np.zeros(0, dtype=np.float32)).is_empty


def test_truncated_model_bin_is_a_clear_model_error(model_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("config.json", "tokenizer.json"):
        shutil.copy(model_dir / name, broken / name)
    with (model_dir / "model.bin").open("rb") as src:
        (broken / "model.bin").write_bytes(src.read(5_000_000))  # a download cut short

    with pytest.raises(ModelError, match=r"model\.bin is truncated or corrupt .*reinstall"):
        convert_ct2_to_whisper(broken, tmp_path / "out.pt")
    with pytest.raises(ModelError, match="truncated"):
        cached_checkpoint(broken, models_root=tmp_path / "models")
    assert not (tmp_path / "out.pt").exists()
    assert not list((tmp_path / "models").rglob("*.pt*")), "no partial checkpoint may be cached"
