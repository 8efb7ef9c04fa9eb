"""Sentences spoken by espeak-ng (and shaped by sox), with word times spread over each sentence.

espeak-ng gives no word times, so each sentence is rendered on its own, its silence trimmed, and its
words spread over the sentence's length in proportion to their letters: exact enough for phrase-level
measures (the phrase ends where the sentence's audio ends).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

from simulator.audio.clip import SAMPLE_RATE
from simulator.speech.transcript import Segment, Transcript, Word

HAVE_TOOLS = shutil.which("espeak-ng") is not None and shutil.which("sox") is not None

SENTENCES = (
    "In my last job I worked the front desk at a busy hotel.",
    "One evening a guest arrived to find that his room had been given away.",
    "He was tired and angry and he had a meeting early the next morning.",
    "I listened to the whole story without interrupting him.",
    "Then I apologised and checked what rooms we still had.",
    "There was no standard room left so I offered him a suite at the same price.",
    "I also arranged a late checkout and a breakfast voucher for him.",
    "The next day he wrote a five star review and mentioned me by name.",
)


def render(sentence: str, *, pitch_range: str = "medium", pitch: str = "medium", rise: bool = False,
           fade_s: float = 0.0, gain_db: float = 0.0) -> np.ndarray:
    """One sentence at 16 kHz: SSML pitch range (x-low … x-high) and level, a question's rise on the
    statement, the last ``fade_s`` seconds faded out (sox ``fade``), and a gain."""
    text = sentence.rstrip(".") + ("?" if rise else ".")
    ssml = f'<speak><prosody pitch="{pitch}" range="{pitch_range}">{text}</prosody></speak>'
    with tempfile.TemporaryDirectory() as tmp:
        raw, out = Path(tmp, "raw.wav"), Path(tmp, "out.wav")
        subprocess.run(["espeak-ng", "-m", "-w", str(raw), ssml], check=True, capture_output=True)
        effects = ["silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse"]
        if gain_db:
            effects += ["gain", str(gain_db)]
        subprocess.run(["sox", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(out), *effects],
                       check=True, capture_output=True)
        if fade_s:  # a second pass: the fade needs the trimmed length
            faded = Path(tmp, "faded.wav")
            subprocess.run(["sox", str(out), str(faded), "fade", "t", "0", "-0", str(fade_s)],
                           check=True, capture_output=True)
            out = faded
        audio, sr = sf.read(out, dtype="float32")
    assert sr == SAMPLE_RATE
    return audio


def speak(sentences: list[tuple[str, np.ndarray]], gap_s: float = 0.5) -> tuple[np.ndarray, Transcript]:
    """Rendered sentences one after another with ``gap_s`` of silence, and their transcript."""
    gap = np.zeros(int(gap_s * SAMPLE_RATE), np.float32)
    parts, segments, t = [gap], [], gap_s
    for text, audio in sentences:
        dur = len(audio) / SAMPLE_RATE
        tokens = text.split()
        weights = np.array([len(w) + 1 for w in tokens], float)
        edges = t + np.concatenate([[0.0], np.cumsum(weights)]) / weights.sum() * dur
        words = tuple(Word(w, round(float(a), 3), round(float(b) - 0.02, 3), 0.9)
                      for w, a, b in zip(tokens, edges[:-1], edges[1:]))
        segments.append(Segment(text, words[0].start_s, words[-1].end_s, words))
        parts += [audio, gap]
        t += dur + gap_s
    text = " ".join(s.text for s in segments)
    return np.concatenate(parts), Transcript(text, tuple(segments), "espeak-ng", "test")
