"""Run in a subprocess by test_pulse_loop.py, with PULSE_SERVER already set: speak a question into
the virtual sink, play a fixture answer into it, record it from the monitor with the real capture
path and the real model, and print the result as JSON."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

from simulator.audio.capture import SoundDeviceSource
from simulator.audio.endpoint import EndpointConfig
from simulator.audio.files import read_audio
from simulator.audio.playback import SoundDevicePlayer
from simulator.session.answer_loop import AnswerOptions, run_answer
from simulator.session.events import Ended, Level, Reported
from simulator.speech.engines import make_transcriber
from simulator.speech.tts import Pyttsx3Speaker


def main(fixture: str, out_wav: str) -> None:
    transcriber = make_transcriber("faster-whisper", None, beam_size=1)
    speaker = Pyttsx3Speaker()
    player = SoundDevicePlayer()
    question = speaker.render("What does good customer service mean to you?")
    t0 = time.monotonic()
    completed = player.play(question.samples, question.sample_rate)
    spoken_s = time.monotonic() - t0
    speaker.close()

    answer = read_audio(fixture)
    playing = threading.Thread(target=player.play, args=(answer.samples, 16000), daemon=True)
    options = AnswerOptions(EndpointConfig(end_silence_s=1.5, max_s=answer.duration_s + 15), recover_fillers=False)
    result: dict = {"question_completed": completed, "question_spoken_s": spoken_s,
                    "question_s": question.duration_s}
    max_level = -100.0
    for ev in run_answer(SoundDeviceSource(), transcriber, options=options, audio_path=Path(out_wav)):
        if isinstance(ev, Level):
            max_level = max(max_level, ev.level_db)
            if not playing.is_alive() and not playing.ident:
                playing.start()  # the input stream delivers: now "the candidate" speaks
        elif isinstance(ev, Ended):
            result.update(reason=ev.reason.value, duration_s=ev.duration_s, overflows=ev.overflows)
        elif isinstance(ev, Reported):
            d = ev.report.delivery
            result.update(text=ev.report.transcript.text, latency_s=ev.latency_s, wpm=d.wpm,
                          words=d.words, speech=d.verdicts.speech)
    result["max_level_db"] = max_level
    t0 = time.monotonic()  # what one model call costs on this machine right now (it is shared)
    transcriber.transcribe(answer.samples[: 5 * 16000])
    result["one_call_s"] = time.monotonic() - t0
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
