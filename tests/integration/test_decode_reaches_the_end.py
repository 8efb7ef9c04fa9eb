"""Every decode reaches the end of its audio (issue 12, items 3 and 4), with the real default model (base).

Whisper may stop writing partway through a window and expect the caller to seek on; the one-window
decoder once stopped there, so ``score``, ``import`` and ``rescore`` dropped the end of recordings of
about 15-28 s, and the live transcript dropped the later phrases of a backlog decoded as one stretch.

Clips of continuous speech are rendered at run time with espeak-ng: the longest prefix of a known
text that fits each length, so every clip ends on a whole word that the transcript must reach.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tests.wer import normalise_words, word_error_rate
from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.endpoint import EndpointConfig, Endpointer, SpeechSegment
from simulator.audio.files import read_audio
from simulator.audio.buffer import AudioBuffer
from simulator.speech.streaming import StreamingTranscriber

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng renders the test speech"),
]

TEXT = (
    "In my last job I worked the front desk at a busy hotel. A guest arrived late at night and found that "
    "her reservation had been cancelled by mistake, and she was very upset because she had a conference the "
    "next morning. My task was to find her a room and keep her trust in the hotel. I apologised, listened to "
    "the whole story, and then I called three partner hotels nearby. I booked her a room two blocks away, "
    "paid for the taxi, and upgraded her next stay. The next day she wrote a five star review and she has "
    "stayed with us twice since. I learned that staying calm and owning the problem matters more than whose "
    "mistake it was."
)
"""The star_clean fixture's answer (about 39 s at 160 words a minute): its cuts at 26 and 28 s lost
their last 3-5 s before the fix."""

LENGTHS = [12, 15, 18, 22, 26, 28, 30]
VOICES = [("en-us", 160), ("en-us", 185), ("en-gb", 175)]
"""Before the fix, 6 of the 21 clips (22-28 s) lost their end: up to 8 s of the 28 s clip at 185 words a
minute."""


def render(text: str, voice: str, rate: int, path: Path) -> np.ndarray:
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), text], check=True,
                   capture_output=True)
    return read_audio(path).samples


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[tuple[tuple[str, int], int], tuple[str, np.ndarray]]:
    """((voice, rate), length) -> (the words spoken, the audio): the longest prefix of TEXT that fits."""
    tmp = tmp_path_factory.mktemp("speech")
    words = TEXT.split()
    out = {}
    for voice, rate in VOICES:
        cache: dict[int, np.ndarray] = {}

        def audio(n: int, voice=voice, rate=rate, cache=cache) -> np.ndarray:
            if n not in cache:
                cache[n] = render(" ".join(words[:n]), voice, rate, tmp / f"{voice}-{rate}-{n}.wav")
            return cache[n]

        for length in LENGTHS:
            lo, hi = 1, len(words)  # the largest n whose rendering is at most `length` s
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if len(audio(mid)) <= length * SAMPLE_RATE:
                    lo = mid
                else:
                    hi = mid - 1
            out[((voice, rate), length)] = (" ".join(words[:lo]), audio(lo))
    return out


def speech_end_s(samples: np.ndarray) -> float:
    """The end of the last 10 ms frame with voice in it."""
    frames = samples[: len(samples) // 160 * 160].reshape(-1, 160)
    loud = np.flatnonzero(np.sqrt((frames**2).mean(axis=1)) > 0.01)
    return (loud[-1] + 1) * 0.01


FUNCTION_WORDS = frozenset(
    "a an and at by for had has her i in it my of she than that the to us was with".split())


NUMERALS = {"2": "two", "3": "three", "5": "five"}  # the digits a model may write for TEXT's numbers


def similar(a: str, b: str) -> bool:
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.75


def assert_reaches_the_end(spoken: str, samples: np.ndarray, transcript, label: str) -> None:
    end = speech_end_s(samples)
    assert transcript.words, f"{label}: no words"
    last = transcript.words[-1].end_s
    assert last >= end - 1.5, (
        f"{label}: text stops at {last:.2f} s, speech at {end:.2f} s: ...{transcript.text[-80:]}")
    # Both bundled models garble a word here and there on these voices ("whole story" -> "full story",
    # "five star review" -> "fine star in you", "stayed" -> "paid") and may drop a closing "and": two
    # of the last four content words spoken, near the end of the text, with numerals read as words.
    ref_tail = [w for w in normalise_words(spoken) if w not in FUNCTION_WORDS][-4:]
    hyp_tail = [NUMERALS.get(w, w) for w in normalise_words(transcript.text)[-10:]]
    found = sum(any(similar(r, h) for h in hyp_tail) for r in ref_tail)
    assert found >= 2, f"{label}: last words {ref_tail} not at the end of ...{transcript.text[-80:]}"


@pytest.mark.parametrize("voice", VOICES, ids=lambda v: f"{v[0]}-{v[1]}")
@pytest.mark.parametrize("length", LENGTHS)
def test_a_clip_is_transcribed_to_its_last_word(faster_int8, clips, voice, length):
    spoken, samples = clips[(voice, length)]
    assert length - 3 < len(samples) / SAMPLE_RATE <= length
    transcript = faster_int8.transcribe(samples)
    assert_reaches_the_end(spoken, samples, transcript, f"{voice} {len(samples) / SAMPLE_RATE:.1f} s")


@pytest.fixture(scope="module")
def openai_tiny(tmp_path_factory):
    """The openai-whisper engine on the bundled tiny.en, converted into a temporary cache."""
    pytest.importorskip("whisper")
    from simulator.speech.bundle import verified_model_dir  # noqa: PLC0415
    from simulator.speech.convert import cached_checkpoint  # noqa: PLC0415
    from simulator.speech.openai_engine import OpenAIWhisperTranscriber  # noqa: PLC0415

    models = tmp_path_factory.mktemp("models")
    checkpoint = cached_checkpoint(verified_model_dir("tiny.en"), models_root=models)
    return OpenAIWhisperTranscriber(checkpoint, model_name="tiny.en")


@pytest.mark.parametrize("voice", [("en-us", 185)], ids=lambda v: f"{v[0]}-{v[1]}")
def test_the_openai_engine_also_reaches_the_last_word(openai_tiny, clips, voice):
    """openai-whisper seeks on by itself (its own transcribe): the 28 s clip the one-window decoder
    cut worst (8 s lost at 185 words a minute) reaches its end. The other two voices and the 22 and
    26 s clips did too (9 of 9, 2026-12-02, 13 min); only this one runs in the suite, since the
    reference engine costs 15-45 s a clip."""
    spoken, samples = clips[(voice, 28)]
    transcript = openai_tiny.transcribe(samples)
    assert_reaches_the_end(spoken, samples, transcript, f"openai {voice} {len(samples) / SAMPLE_RATE:.1f} s")


def deleted_words(reference: str, hypothesis: str) -> int:
    """Reference words missing from ``hypothesis`` in a minimum-edit alignment (ties: fewest deletions)."""
    ref, hyp = normalise_words(reference), normalise_words(hypothesis)
    # cost[i][j] = (edits, deletions) aligning ref[:i] with hyp[:j]
    prev = [(j, 0) for j in range(len(hyp) + 1)]
    for i, r in enumerate(ref, 1):
        cur = [(i, i)]
        for j, h in enumerate(hyp, 1):
            sub, dele, ins = prev[j - 1], prev[j], cur[j - 1]
            cur.append(min((sub[0] + (r != h), sub[1]), (dele[0] + 1, dele[1] + 1), (ins[0] + 1, ins[1])))
        prev = cur
    return prev[-1][1]


def longest_deleted_run(reference: str, hypothesis: str) -> int:
    """The most reference words in a row that ``hypothesis`` leaves out (difflib's alignment)."""
    import difflib  # noqa: PLC0415

    ref, hyp = normalise_words(reference), normalise_words(hypothesis)
    runs = [i2 - i1 - (j2 - j1) for op, i1, i2, j1, j2 in
            difflib.SequenceMatcher(a=ref, b=hyp, autojunk=False).get_opcodes() if op in ("delete", "replace")]
    return max([0, *runs])


def phrases(samples: np.ndarray) -> list[SpeechSegment]:
    """The phrases the app's endpointer closes in ``samples`` (end of answer disabled)."""
    ep = Endpointer(EndpointConfig(end_silence_s=1e9))
    closed = []
    for i in range(0, len(samples), 1600):
        closed += ep.feed(samples[i : i + 1600]).closed
    tail = ep.finish()
    return [*closed, *([tail] if tail else [])]


def test_a_backlog_of_phrases_loses_no_words(faster_int8, tmp_path):
    """Item 4: phrases that queue up while the worker is busy are decoded together, in stretches of
    up to ``MAX_BATCH_S``; none of their words may be lost against the whole-file transcript.

    Before the fix the first stretch (27 s) of this answer stopped at about 21 s, and the live
    transcript lost the 17 words from "I booked her a room" to "upgraded her next stay", mid-answer,
    that the whole-file transcript (``score``) kept."""
    speech = render(TEXT, "en-gb", 175, tmp_path / "answer.wav")  # 35 s: more than one stretch
    # A second of quiet first, as before any answer: espeak starts at once, and the endpointer, still
    # learning the noise floor, would open the first phrase a second late.
    samples = np.concatenate([np.zeros(SAMPLE_RATE, np.float32), speech])
    found = phrases(samples)
    assert len(found) >= 4
    whole = faster_int8.transcribe(samples)  # more than one window of speech: transcribe()
    buffer = AudioBuffer()
    buffer.append(samples)
    streamer = StreamingTranscriber(faster_int8, buffer, recover=False)
    for seg in found:  # all at once: the worker finds them waiting
        streamer.submit(seg)
    live, _ = streamer.finish()
    assert streamer.calls <= 3  # they were batched, as the backlog they stand for
    n = len(normalise_words(whole.text))
    lost = deleted_words(whole.text, live.text)
    wer = word_error_rate(whole.text, live.text)
    # Lost words show as deletions. The two decode the audio in different windows, so some words
    # differ besides (WER 0.08 here once fixed, 0.19 before; 0.02-0.11 on other voices with at most
    # 2 words deleted; on an AMD EPYC 4 scattered ones, "worked in the" against "worked the"): the WER
    # bound is loose, and what catches a lost phrase is a run of deleted words (17 before the fix).
    run = longest_deleted_run(whole.text, live.text)
    assert run <= 3 and lost / n <= 0.05, (f"{lost} of {n} words lost, {run} in a row (WER {wer:.3f}):\n"
                                           f"{whole.text}\n{live.text}")
    assert wer <= 0.15, f"WER {wer:.3f}:\n{whole.text}\n{live.text}"
    assert live.words[-1].end_s >= speech_end_s(samples) - 1.5


def test_a_decode_stuck_on_a_held_um_goes_on_after_the_pause(faster_int8, tmp_path):
    """heldout8's v8-06 ("I said yes to, um, <1.8 s> every shift swap ..."; spent, so tuning data): base
    wrote the "um" as one word of two hundred m's and nothing after it, losing the 30 words after the
    pause. The decode goes on after the pause, and the "um" is kept."""
    import sys  # noqa: PLC0415

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data" / "voices"))
    import render  # noqa: PLC0415  (tests/data/voices/render.py)

    from simulator.speech.hesitations import is_hesitation  # noqa: PLC0415
    from simulator.speech.loops import transcribe_without_loops  # noqa: PLC0415

    spec = render.load_spec(Path(__file__).resolve().parents[1] / "data" / "voices" / "heldout8.json")
    [(answer, path, _)] = render.render_spec(spec, tmp_path, "wav", {"v8-06"})
    samples = read_audio(path).samples
    transcript = transcribe_without_loops(faster_int8, samples, None)
    words = normalise_words(transcript.text)
    assert " ".join(words[-6:]) == "before i agree to anything new", transcript.text
    assert "swap" in words and any(is_hesitation(w.text) for w in transcript.words), transcript.text


def test_a_loop_inside_one_segment_is_not_kept(faster_int8, tmp_path):
    """heldout17's v17-16 (spent, so tuning data): base ended the whole-file decode of this voice with
    "three, four, three, four, ..." for 80 words, one segment that no earlier guard cut (stop 41). The
    looping segment is decoded again from its start, or cut back to its phrase said once."""
    import sys  # noqa: PLC0415

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data" / "voices"))
    import render  # noqa: PLC0415  (tests/data/voices/render.py)

    from simulator.speech.loops import is_loop, repeat_start, transcribe_without_loops  # noqa: PLC0415

    spec = render.load_spec(Path(__file__).resolve().parents[1] / "data" / "voices" / "heldout17.json")
    [(answer, path, _)] = render.render_spec(spec, tmp_path, "wav", {"v17-16"})
    transcript = transcribe_without_loops(faster_int8, read_audio(path).samples, None)
    tokens = transcript.text.split()
    assert not is_loop(transcript.text) and repeat_start(tokens) == len(tokens), transcript.text
    assert "kept my voice low" in transcript.text.lower()  # the answer's middle is still there
