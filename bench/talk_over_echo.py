"""An answer begun just after the question, with the question's echo before it: what opens the transcript.

The real model (faster-whisper base int8) through the live answer loop, as the app records a rehearsal
answer (:class:`~simulator.audio.onset.TalkOver` over the microphone's last seconds of the question).
The question's last 2.5 s are rendered by espeak-ng at a speaker's gain of 0.1, 0.3 and 0.6 (the echo),
running to the very end of what the microphone heard (no trailing silence: the worst case, as the
rendered question's own 0.25 s of silence would otherwise keep the echo out), and the answer starts
0, 0.15, 0.3 or 0.6 s after it. Each case is printed twice: with the echo step
(:mod:`simulator.speech.echo`) and without it (no question given). Run:
``PYTHONPATH=. python bench/talk_over_echo.py``.
"""

from __future__ import annotations

import numpy as np

from simulator.audio.capture import ArraySource
from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.onset import TalkOver
from simulator.session.answer_loop import AnswerOptions, run_answer
from simulator.session.events import Reported
from simulator.speech.engines import make_transcriber
from tests.speech_renders import render

QUESTION = "Tell me about a time you calmed down an angry customer."
ANSWER = "Last winter a customer shouted at me about a late delivery."


def opening(backlog: np.ndarray, live: np.ndarray, transcriber, question: str | None) -> tuple[float, str]:  # noqa: ANN001
    options = AnswerOptions(mode="drill", target_length_s=(45.0, 90.0), recover_fillers=False, question=question)
    source = TalkOver(ArraySource(live, realtime=False, trailing_silence_s=40.0), backlog)
    [final] = [e for e in run_answer(source, transcriber, options=options) if isinstance(e, Reported)]
    return source.spoken_over_s, final.report.transcript.text


def main() -> None:
    transcriber = make_transcriber("faster-whisper", compute_type="int8")
    said = render(ANSWER, voice="en-gb", rate=160)
    question = render(QUESTION, voice="en-us", rate=170)[-int(2.5 * SAMPLE_RATE):]
    clean = 0
    for gap_s in (0.0, 0.15, 0.3, 0.6):
        for gain in (0.1, 0.3, 0.6):
            backlog = np.concatenate([np.zeros(int(0.5 * SAMPLE_RATE), np.float32), gain * question])
            live = np.concatenate([np.zeros(int(gap_s * SAMPLE_RATE), np.float32), said,
                                   np.zeros(SAMPLE_RATE, np.float32)])
            kept, text = opening(backlog, live, transcriber, QUESTION)
            _, raw = opening(backlog, live, transcriber, None)
            clean += text.lower().startswith("last winter")
            print(f"answer {gap_s:.2f} s after, echo gain {gain}: kept {kept:.1f} s | {text} | without the echo step: {raw}")
    print(f"{clean} of 12 open with the candidate's words")


if __name__ == "__main__":
    main()
