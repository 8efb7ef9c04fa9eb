"""``interview-sim score``: transcribe and judge one recorded (or typed) answer, headless."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulator import limits
from simulator.answer.build import analyse_clip, typed_report
from simulator.audio.files import read_audio
from simulator.cli.options import add_engine_arguments
from simulator.errors import AudioInputError, UsageError
from simulator.report.json_report import report_to_dict
from simulator.report.text_report import render_text
from simulator.rubric import add_content_arguments, content_from_args, render_content_text
from simulator.rubric.cli_support import bank_from_args
from simulator.speech.engines import make_transcriber


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "score",
        description="Transcribe a recorded answer offline and report on its delivery "
        "(pace, fillers, pauses, length) and, with a question or rubric, its content.",
    )
    p.add_argument("audio", nargs="?", metavar="AUDIO", help="WAV, FLAC, OGG, MP3 or M4A file, any rate")
    p.add_argument("--text", metavar="FILE", help="score a typed answer (no audio; content only)")
    p.add_argument("--prompt", metavar="TEXT", type=limits.prompt_text, help="words to prime the recogniser with (names, jargon)")
    add_engine_arguments(p)
    p.add_argument("--no-filler-recovery", action="store_true", default=None,
                   help="skip the second look for hesitations Whisper left out (halves the time; "
                   "setting: filler_recovery)")
    p.add_argument("--json", action="store_true", help="print one JSON object (schema in docs/report-schema.md)")
    add_content_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.text and args.audio:
        raise UsageError("give an audio file or --text FILE, not both")
    if args.text:
        return _run_text(args)
    if not args.audio:
        raise UsageError("give an audio file to score (or --text FILE for a typed answer)")

    clip = read_audio(args.audio)
    content_scorer, target = _content_scorer(args)
    transcriber = make_transcriber(
        args.engine, args.model, compute_type=args.compute_type, beam_size=args.beam_size,
        allow_download=args.download,
    )
    report = analyse_clip(
        clip, transcriber, prompt=args.prompt, recover=not args.no_filler_recovery,
        target_length_s=target, score_content=content_scorer,
    )
    _emit(report, args.json)
    return 0


def _run_text(args: argparse.Namespace) -> int:
    path = Path(args.text)
    name = "standard input" if args.text == "-" else str(path)
    try:
        if args.text == "-" and hasattr(sys.stdin, "buffer"):
            raw = limits.read_bytes_limited(sys.stdin.buffer, limits.MAX_ANSWER_TEXT_BYTES, "typed answer")
            text = raw.decode("utf-8")
        elif args.text == "-":  # a text stream without bytes beneath (tests, embedding)
            text = sys.stdin.read(limits.MAX_ANSWER_TEXT_BYTES + 1)
            if len(text) > limits.MAX_ANSWER_TEXT_BYTES:
                raise limits.FileTooLargeError(
                    f"the typed answer is larger than the {limits.size_text(limits.MAX_ANSWER_TEXT_BYTES)} limit")
        else:
            text = limits.read_limited(path, limits.MAX_ANSWER_TEXT_BYTES, what="typed answer")
    except FileNotFoundError as e:
        raise AudioInputError(f"{path}: no such file") from e
    except IsADirectoryError as e:
        raise AudioInputError(f"{path}: is a folder, not a text file") from e
    except limits.FileTooLargeError as e:
        raise AudioInputError(f"{name}: {e}") from e
    except UnicodeDecodeError as e:
        raise AudioInputError(f"{name}: not UTF-8 text (binary data, or another encoding: save it as UTF-8)") from e
    except OSError as e:
        raise AudioInputError(f"{name}: cannot read it as UTF-8 text ({e.strerror or e.__class__.__name__})") from e
    if limits.is_binary(text):
        raise AudioInputError(f"{name}: not text (it holds control characters; binary data?)")
    scorer, target = _content_scorer(args)
    if scorer is None:
        raise UsageError("scoring a typed answer needs --question ID, --rubric NAME or --prompt TEXT")
    if not text.strip():
        # An empty file is a mistake at the keyboard (wrong file, unsaved editor), not an answer.
        raise AudioInputError(f"{'standard input' if args.text == '-' else path}: the answer is empty")
    report = typed_report(text, scorer, target, source=str(path))
    if args.json:
        print(json.dumps(report_to_dict(report), indent=2))
    else:
        print(render_content_text(report.content))
    return 0


def _content_scorer(args: argparse.Namespace):  # noqa: ANN202 - (scorer | None, target | None)
    """A function that judges the answer's text, and the question's target length, if asked for.

    Any content option is checked here, before the slow transcription, so that a mistyped question
    id fails at once.
    """
    if content_from_args(args, "") is None:
        return None, None
    target = None
    if getattr(args, "question", None):
        target = tuple(float(s) for s in bank_from_args(args).get_question(args.question).target_s)
    return (lambda text: content_from_args(args, text)), target


def _emit(report, as_json: bool) -> None:  # noqa: ANN001
    if as_json:
        print(json.dumps(report_to_dict(report), indent=2))
    else:
        print(render_text(report), end="")
