"""``interview-sim listen``: play a recording into the live answer loop, as a microphone would.

The same loop the app runs (endpointer, end-of-turn judge, phrase decoding while "speaking", filler
recovery, content scoring), fed from a file instead of a microphone and followed by room-level
silence, so anyone can check what the app would have heard and decided, and tests and benchmarks
can drive it headless. Without ``--realtime`` it runs as fast as the machine allows and waits for
each phrase's transcript where a live answer would have it, so the decisions are the same.
"""

from __future__ import annotations

import argparse
import json

from simulator import limits
from simulator.audio.capture import ArraySource
from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.endpoint import EndpointConfig
from simulator.audio.files import read_audio
from simulator.cli.options import add_engine_arguments
from simulator.cli.score import _content_scorer, _emit
from simulator.report.json_report import report_to_dict
from simulator.rubric import add_content_arguments
from simulator.session.answer_loop import AnswerOptions, run_answer
from simulator.session.events import Ended, Reported, Resumed
from simulator.speech.engines import make_transcriber

ROOM_SILENCE_S = 40.0
"""Silence played after the file: longer than any pause the end-of-turn judge waits through."""


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "listen",
        description="Play AUDIO into the app's live answer loop as a microphone would (then room "
        "silence), and print the report the app would show, with how the loop heard it.",
    )
    p.add_argument("audio", metavar="AUDIO", help="WAV, FLAC, OGG, MP3 or M4A file, any rate")
    p.add_argument("--prompt", metavar="TEXT", type=limits.prompt_text, help="words to prime the recogniser with (names, jargon)")
    p.add_argument("--mode", choices=("rehearsal", "drill", "roleplay"), default="rehearsal",
                   help="how pauses are judged (default rehearsal: never ended on a pause alone)")
    p.add_argument("--limit", type=limits.seconds(5, 900), metavar="S",
                   help="a drill's hard answer limit in seconds (5 to 900)")
    p.add_argument("--realtime", action="store_true", help="play at the speed of speech (default: as fast as possible)")
    add_engine_arguments(p)
    p.add_argument("--no-filler-recovery", action="store_true", default=None,
                   help="skip the second look for hesitations Whisper left out")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object: the `score --json` document plus `live`")
    _add_content_arguments(p)
    p.set_defaults(func=run)


def _add_content_arguments(p: argparse.ArgumentParser) -> None:
    add_content_arguments(p)


def run(args: argparse.Namespace) -> int:
    clip = read_audio(args.audio)
    scorer, target = _content_scorer(args)
    transcriber = make_transcriber(args.engine, args.model, compute_type=args.compute_type,
                                   beam_size=args.beam_size, allow_download=args.download)
    getattr(transcriber, "load", lambda: None)()  # load now: a load error is one line, before any audio
    # A file with no speech in it ends when it and the room silence after it have played: the
    # microphone it stands for would go on sending silence, the file does not (it hung).
    no_speech_s = len(clip.samples) / SAMPLE_RATE + ROOM_SILENCE_S
    options = AnswerOptions(endpoint=EndpointConfig(max_s=args.limit, no_speech_timeout_s=no_speech_s),
                            recover_fillers=not args.no_filler_recovery,
                            prompt=args.prompt, target_length_s=target, mode=args.mode)
    source = ArraySource(clip.samples, realtime=args.realtime, trailing_silence_s=ROOM_SILENCE_S)
    reported = None
    for event in run_answer(source, transcriber, options=options, score_content=scorer):
        if isinstance(event, Reported):
            reported = event
        elif isinstance(event, Resumed) and not args.json:
            print(f"(resumed: you spoke again {event.after_s:.1f} s after the answer ended)")
        elif isinstance(event, Ended) and event.note and not args.json:
            print(f"(the answer ended: {event.note})")
    assert reported is not None and reported.live is not None  # run_answer always reports
    report = reported.report
    if args.json:
        payload = report_to_dict(report)
        payload["source"] = str(args.audio)
        payload["live"] = {
            "ended_by": reported.live.ended_by, "end_of_speech_s": reported.live.end_of_speech_s,
            "report_after_last_word_s": reported.live.report_after_last_word_s,
            "resumed": reported.live.resumed, "phrases": reported.live.phrases,
        }
        print(json.dumps(payload, indent=2))
    else:
        _emit(report, False)
        live = reported.live
        after = f", {live.report_after_last_word_s:.2f} s after the last word" if live.phrases else ""
        print(f"Live loop: ended by {live.ended_by}{after}; {live.phrases} phrase(s), resumed {live.resumed} time(s).")
    return 0
