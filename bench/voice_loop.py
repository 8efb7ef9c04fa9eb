#!/usr/bin/env python3
"""Voice-loop benchmark: launch → first spoken question, and end of speech → feedback for spoken answers.

Two kinds of measurement, each configuration in its own fresh process (so peak RSS is its own):

**Answers** (~30 s and ~120 s, filler recovery on and off). The answer is built from the spoken
fixtures (star_clean, deescalation_slow, definition_fast, star_fillers, …, 0.8 s apart, cut at a
pause once the target length is reached) and fed *in real time* into the real headless interview
loop (:func:`simulator.session.answer_loop.run_answer`) with the real faster-whisper tiny.en int8
transcriber (the app's defaults: beam 5, two decodes at once on one thread each), content scoring against a bank question and the
recording written to disk, exactly as the question screen's worker does. The audio source is the
app's fake microphone (:class:`~simulator.audio.capture.ArraySource`: same blocks, same room noise,
silence after the answer) driven by a clock thread that wakes at every block boundary and queues the
block, like the sounddevice callback of the real ``SoundDeviceSource``. Measured:

- *end of speech*: the moment the block holding the last voiced sample (voiced as the app's own
  endpointer sees it) is delivered by the source;
- *endpoint*: the moment the loop yields ``Ended`` (the end-of-turn judge decided the answer was over,
  or with ``--end-silence S`` a fixed silence ran out);
- *ended early*: an ``Ended`` before the last word was delivered (a pause ended the answer; if the
  candidate then spoke within the resume window it is *resumed*, else words were lost);
- *report*: the moment the loop yields ``Reported`` — the final AnswerReport with transcript,
  delivery and content score, i.e. everything the feedback screen shows;
- *screen lag*: for each word of the final transcript, how much later (in audio time) the partial
  transcript on screen first held that many words: the median and the 90th percentile over words;
- *overflows*: the source's ``overflows`` counter. A fake source never loses audio by itself, so
  this one counts what a PortAudio input would: a block whose clock tick (a Python thread, which needs
  the GIL and a CPU just as the sounddevice callback does) ran more than ``OVERFLOW_LATE_S`` late.
  The worst tick lateness and the worst consumer lag (block queued → read by the loop) are shown too;
- *peak RSS* of the process (``ru_maxrss``).

**Launch** (TTS cache cold and warm). The Textual app is started headless (``App.run_test``) with the
same backends the CLI builds — real pyttsx3 speaker (its cache in a private temporary folder), the
real faster-whisper model (which the app starts loading once the question plays), a fake
microphone — and a player whose ``play`` only records when it is first called. Measured: process
start → first ``play`` call (the first question's audio starts), the CPU time the process used
until then (less sensitive to the neighbours' load than the clock), and app start (``create_app``) →
first ``play``. *Cold*: an empty TTS cache, so espeak-ng renders the question; *warm*: the cache
filled by a previous run.

    .venv/bin/python bench/voice_loop.py [--repeats 3] [--quick] [--end-silence S] [--json runs.json]
        [--only launch|answers|stop] [--stop-after 0.1,0.5]

``--quick``: one 30 s answer (filler recovery on) and one cold and one warm launch. Never part of
the tests: machines are noisy; compare medians, and note the load average printed with the table.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.speech.bundle import DEFAULT_MODEL  # noqa: E402  (a constant; loads nothing)

FIXTURE_ORDER = ["star_clean", "deescalation_slow", "definition_fast", "star_fillers",
                 "motivation_fillers_gb", "long_pause"]
GAP_S = 0.8
TRAILING_SILENCE_S = 40.0  # longer than the longest pause the end-of-turn judge waits through (30 s)
PAUSE_AT_S = 12.0
"""Pause rows: the thinking pause goes into the first fixture at the first short gap after this
(mid-sentence: "...cancelled by mistake, [pause] and she was very upset ...")."""
QUESTION_ID = "proud-of-service"
OVERFLOW_LATE_S = 0.1
"""A clock tick later than one block (100 ms) counts as an overflow. PortAudio's input buffer holds
roughly a block or two at blocksize 1600, so this is an estimate of what a real stream would drop."""
STOP_AFTER_S = 0.5
"""In the stop-key rows the candidate presses stop this long after the last word."""
LAUNCH_PLAN = {"role": "general", "mode": "rehearsal", "count": 3, "seed": 1}


# -- the answer audio --------------------------------------------------------------------------------
def build_answer(target_s: float, pause_s: float | None = None):
    """Fixtures in turn, ``GAP_S`` apart, cut at the first gap between fixtures past ``target_s``
    (each fixture is a whole answer, so the cut is where an answer is complete); with ``pause_s``,
    a thinking pause of that length goes in mid-sentence at ``PAUSE_AT_S``."""
    import numpy as np  # noqa: PLC0415

    from simulator.audio.clip import SAMPLE_RATE  # noqa: PLC0415
    from simulator.audio.files import read_audio  # noqa: PLC0415

    parts, used, total, i = [], [], 0, 0
    gap = np.zeros(int(GAP_S * SAMPLE_RATE), np.float32)
    while total < (target_s + 20) * SAMPLE_RATE:
        name = FIXTURE_ORDER[i % len(FIXTURE_ORDER)]
        clip = read_audio(ROOT / "audio_fixtures" / f"{name}.flac").samples
        parts += [clip, gap]
        used.append(name)
        total += len(clip) + len(gap)
        i += 1
    x = np.concatenate(parts)
    frame = SAMPLE_RATE // 50
    n = len(x) // frame
    level = 10 * np.log10(np.mean(x[: n * frame].reshape(n, frame).astype(np.float64) ** 2, axis=1) + 1e-10)
    quiet = level < -45
    start = int(target_s * 50)
    need = int((GAP_S - 0.1) * 50)
    for k in range(start, n - need):
        if quiet[k: k + need].all():
            x = x[: k * frame]
            break
    if pause_s is not None:
        short = int(0.15 * 50)
        for k in range(int(PAUSE_AT_S * 50), n - short):
            if quiet[k: k + short].all():
                cut = (k + short // 2) * frame
                x = np.concatenate([x[:cut], np.zeros(int(pause_s * SAMPLE_RATE), np.float32), x[cut:]])
                break
    covered, names = 0, []
    for name, part in zip(used, parts[::2]):
        if covered < len(x):
            names.append(name)
        covered += len(part) + len(gap)
    return x.astype(np.float32), names


def last_voiced_sample(samples, config, block_s: float) -> tuple[int, int]:
    """(end of the last voiced frame, sample where the endpoint fires), replaying the fake source's
    exact blocks (same seeded noise) through the app's endpointer without waiting."""
    from simulator.audio.capture import ArraySource  # noqa: PLC0415
    from simulator.audio.endpoint import Endpointer  # noqa: PLC0415

    src = ArraySource(samples, realtime=False, block_s=block_s, trailing_silence_s=TRAILING_SILENCE_S)
    ep = Endpointer(config)
    src.start()
    while (block := src.read(0.0)) is not None:
        if ep.feed(block).ended:
            break
    return ep._last_voiced_end, ep.samples_seen  # noqa: SLF001 - a benchmark may peek


def make_clocked_source(samples, *, block_s: float, speech_end: int):
    """The app's fake microphone, pushed by a clock thread like a sounddevice callback."""
    from simulator.audio.capture import ArraySource  # noqa: PLC0415

    class ClockedArraySource(ArraySource):
        def __init__(self) -> None:
            super().__init__(samples, realtime=False, block_s=block_s, trailing_silence_s=TRAILING_SILENCE_S)
            self._queue: queue.Queue = queue.Queue()
            self.max_tick_late_s = 0.0
            self.max_consumer_lag_s = 0.0
            self.speech_end_delivered: float | None = None  # monotonic time
            self.speech_end_read: float | None = None
            self._speech_end_block = (max(speech_end, 1) - 1) // self.block

        def start(self) -> None:
            super().start()
            threading.Thread(target=self._clock, name="fake-mic-clock", daemon=True).start()

        def _clock(self) -> None:
            k = 0
            while not self._stopped.is_set() and self._pos < self.total:
                due = self._t0 + (k + 1) * self.block / 16000
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                now = time.monotonic()
                late = now - due
                self.max_tick_late_s = max(self.max_tick_late_s, late)
                if late > OVERFLOW_LATE_S:
                    self.overflows += 1
                block = ArraySource.read(self, 0.0)
                if block is None:
                    break
                if k == self._speech_end_block:
                    self.speech_end_delivered = now
                self._queue.put((k, block, now))
                k += 1

        def read(self, timeout_s: float = 0.5):
            try:
                k, block, put_t = self._queue.get(timeout=timeout_s)
            except queue.Empty:
                return None
            now = time.monotonic()
            self.max_consumer_lag_s = max(self.max_consumer_lag_s, now - put_t)
            if k == self._speech_end_block:
                self.speech_end_read = now
            return block

    return ClockedArraySource()


class TimedTranscriber:
    """The real transcriber, with a log of every call: (start, end, audio s, filler-recovery pass?)."""

    def __init__(self, inner) -> None:  # noqa: ANN001
        self.inner = inner
        self.engine = inner.engine
        self.model_name = inner.model_name
        self.parallel_decodes = getattr(inner, "parallel_decodes", 1)
        self.log: list[tuple[float, float, float, bool]] = []

    def transcribe(self, samples, *, prompt=None):  # noqa: ANN001, ANN201
        from simulator.speech.filler_recovery import FILLER_PROMPT  # noqa: PLC0415

        t0 = time.monotonic()
        try:
            return self.inner.transcribe(samples, prompt=prompt)
        finally:
            self.log.append((t0, time.monotonic(), len(samples) / 16000, prompt == FILLER_PROMPT))


# -- children -----------------------------------------------------------------------------------------
def child_answer(spec: dict) -> dict:
    import resource  # noqa: PLC0415

    from simulator.audio.capture import BLOCK_S  # noqa: PLC0415
    from simulator.audio.endpoint import EndpointConfig  # noqa: PLC0415
    from simulator.rubric import load_bank, score_content  # noqa: PLC0415
    from simulator.session.answer_loop import AnswerOptions, run_answer  # noqa: PLC0415
    from simulator.session.events import Ended, Level, Partial, Reported, Resumed  # noqa: PLC0415
    from simulator.speech.engines import make_transcriber  # noqa: PLC0415

    samples, names = build_answer(spec["target_s"], spec.get("pause_s"))
    bank = load_bank()
    q = bank.get_question(QUESTION_ID)
    config = EndpointConfig(end_silence_s=spec.get("end_silence_s"))
    speech_end, endpoint_sample = last_voiced_sample(samples, config, BLOCK_S)
    t0 = time.perf_counter()
    transcriber = make_transcriber("faster-whisper", spec.get("model"), compute_type="int8", beam_size=5)
    load_s = time.perf_counter() - t0
    transcriber = TimedTranscriber(transcriber)
    options = AnswerOptions(endpoint=config, recover_fillers=spec["recover"],
                            target_length_s=tuple(q.target_s), preview_every_s=1.5)  # as the app
    source = make_clocked_source(samples, block_s=BLOCK_S, speech_end=speech_end)
    out: dict = {"fixtures": names, "speech_s": speech_end / 16000, "load_s": load_s,
                 "expected_endpoint_after_s": (endpoint_sample - speech_end) / 16000}
    stop = threading.Event()
    if spec.get("stop_after_s") is not None:
        # The candidate presses the stop key this long after the last word, instead of waiting for
        # the endpointing silence.
        def press_stop() -> None:
            while source.speech_end_delivered is None:
                time.sleep(0.005)
            time.sleep(max(0.0, source.speech_end_delivered + spec["stop_after_s"] - time.monotonic()))
            stop.set()

        threading.Thread(target=press_stop, daemon=True).start()
    with tempfile.TemporaryDirectory(prefix="voice-loop-") as tmp:
        t_ended = t_reported = None
        out.update(ended_early=0, resumed=0)
        audio_s = 0.0  # how much audio the loop had read when each partial transcript was shown
        shown: list[tuple[float, int]] = []  # (audio time, words on screen)
        for ev in run_answer(source, transcriber, options=options, audio_path=Path(tmp) / "answer.wav",
                             stop=stop,
                             score_content=lambda text: score_content(text, question=q, bank=bank)):
            if isinstance(ev, Level):
                audio_s = ev.elapsed_s
            elif isinstance(ev, Partial):
                shown.append((audio_s, len(ev.text.split())))
            if isinstance(ev, Ended):
                t_ended = time.monotonic()
                out.update(reason=ev.reason.value, duration_s=ev.duration_s)
                if source.speech_end_delivered is None:  # the loop ended it before the last word
                    out["ended_early"] += 1
            elif isinstance(ev, Resumed):
                out["resumed"] += 1
            elif isinstance(ev, Reported):
                t_reported = time.monotonic()
                r = ev.report
                assert r.delivery is not None and r.content is not None, "report without delivery or content"
                # Screen lag: for each word of the final transcript, the audio time at which the
                # screen first showed that many words, minus the time the word was spoken.
                ends = [w.end_s for w in r.transcript.words]
                lags = []
                for i, end in enumerate(ends):
                    first = next((t for t, n in shown if n > i), None)
                    if first is not None and first >= end:
                        lags.append(first - end)
                lags.sort()
                out.update(screen_lag_median_s=lags[len(lags) // 2] if lags else None,
                           screen_lag_p90_s=lags[int(len(lags) * 0.9)] if lags else None)
                out.update(loop_latency_s=ev.latency_s, overflows=ev.overflows,
                           words=len(r.transcript.text.split()), text=r.transcript.text,
                           calls=r.transcript.options.get("calls"), wpm=r.delivery.wpm,
                           early_calls=r.transcript.options.get("early_calls", 0),
                           early_used=r.transcript.options.get("early_used", 0))
    eos = source.speech_end_delivered
    after = [c for c in transcriber.log if c[1] > t_ended]  # still running, or started, after the endpoint
    out.update(
        decode_calls=sum(1 for c in transcriber.log if not c[3]),
        recovery_calls=sum(1 for c in transcriber.log if c[3]),
        tail_audio_s=sum(c[2] for c in after if not c[3]), calls_after_endpoint=len(after),
        busy_after_endpoint_s=sum(c[1] - max(c[0], t_ended) for c in after),
        call_log=[(round(a - eos, 2), round(b - eos, 2), round(d, 2), rec)  # times from the end of speech
                  for a, b, d, rec in transcriber.log],
    )
    out.update(
        eos_to_endpoint_s=t_ended - eos, endpoint_to_report_s=t_reported - t_ended,
        eos_to_report_s=t_reported - eos,
        eos_to_decoded_s=max((c[1] for c in transcriber.log), default=eos) - eos,
        eos_read_lag_s=(source.speech_end_read or eos) - eos, max_tick_late_ms=source.max_tick_late_s * 1000,
        max_consumer_lag_ms=source.max_consumer_lag_s * 1000,
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    return out


def child_launch(spec: dict) -> dict:
    """Start the app headless with real speaker and model; time the first question's play call."""
    t_import = time.time()
    import asyncio  # noqa: PLC0415
    import resource  # noqa: PLC0415

    import numpy as np  # noqa: PLC0415

    from simulator.audio.capture import ArraySource  # noqa: PLC0415
    from simulator.audio.playback import NullPlayer  # noqa: PLC0415
    from simulator.errors import SimulatorError  # noqa: PLC0415
    from simulator.session.interview import Plan  # noqa: PLC0415
    from simulator.speech.engines import make_transcriber  # noqa: PLC0415
    from simulator.speech.tts import Pyttsx3Speaker  # noqa: PLC0415
    from simulator.tui.app import create_app  # noqa: PLC0415
    from simulator.tui.backends import Backends, LazyTranscriber  # noqa: PLC0415

    first_play = threading.Event()
    stamps: dict = {}

    class TimingPlayer(NullPlayer):
        def play(self, samples, sample_rate):  # noqa: ANN001, ANN201
            if not first_play.is_set():
                stamps["play"] = time.time()
                stamps["cpu"] = time.process_time()
                stamps["audio_s"] = len(samples) / sample_rate
                first_play.set()
            return super().play(samples, sample_rate)

    t_app = time.time()
    try:  # what build_backends does too: PortAudio comes up, devices are resolved
        from simulator.audio.devices import resolve_device  # noqa: PLC0415

        resolve_device(None, "input")
    except (SimulatorError, OSError):
        pass
    tmp = Path(tempfile.mkdtemp(prefix="voice-loop-launch-"))
    class TimingSpeaker(Pyttsx3Speaker):
        def render(self, text):  # noqa: ANN001, ANN201
            stamps.setdefault("render_start", time.time())
            utterance = super().render(text)
            stamps.setdefault("render_end", time.time())
            return utterance

    speaker = TimingSpeaker(cache_dir=Path(spec["tts_cache"]))
    backends = Backends(
        transcriber=LazyTranscriber(
            lambda: make_transcriber("faster-whisper", spec.get("model"), compute_type="int8", beam_size=5)),
        speaker=speaker, player=TimingPlayer(),
        source_factory=lambda: ArraySource(np.zeros(16000 * 20, np.float32), realtime=True),
        recordings_dir=tmp / "rec", store_path=tmp / "sessions.db",  # never the user's own history
    )
    app = create_app(backends, Plan(**LAUNCH_PLAN), start_immediately=True)

    async def drive() -> None:
        async with app.run_test(size=(100, 40)) as pilot:
            for _ in range(6000):
                if first_play.is_set():
                    break
                await pilot.pause(0.005)

    exiting = threading.Lock()

    def report_and_exit() -> None:
        exiting.acquire()  # once, from whichever thread gets here first
        if not first_play.is_set():
            print(json.dumps({"error": "the question was never played"}), flush=True)
            os._exit(1)
        out = {
            "start_to_play_s": stamps["play"] - spec["t_spawn"], "app_to_play_s": stamps["play"] - t_app,
            "cpu_to_play_s": stamps["cpu"],
            "imports_s": t_app - t_import, "app_to_render_s": stamps["render_start"] - t_app,
            "render_s": stamps["render_end"] - stamps["render_start"], "renders": speaker.renders,
            "question_audio_s": stamps["audio_s"],
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
        print(json.dumps(out), flush=True)
        shutil.rmtree(tmp, ignore_errors=True)
        os._exit(0)  # the model may still be loading in a worker thread: do not wait for it

    threading.Thread(target=lambda: (first_play.wait(60), time.sleep(0.05), report_and_exit()),
                     daemon=True).start()
    asyncio.run(drive())
    report_and_exit()
    return {}


# -- the parent ---------------------------------------------------------------------------------------
def run_child(kind: str, spec: dict, timeout_s: float) -> dict | None:
    spec = {**spec, "t_spawn": time.time()}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, json.dumps(spec)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, cwd=ROOT,
                             stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        print(f"  {kind} {spec}: timed out after {timeout_s:.0f} s", file=sys.stderr)
        return None
    lines = [ln for ln in out.stdout.strip().splitlines() if ln.startswith("{")]
    if out.returncode != 0 or not lines:
        print(f"  {kind}: failed: {(out.stderr.strip().splitlines() or lines or ['?'])[-1]}", file=sys.stderr)
        return None
    return json.loads(lines[-1])


def med(rows: list[dict], key: str) -> float:
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3, help="fresh processes per configuration (default 3)")
    ap.add_argument("--quick", action="store_true",
                    help="one 30 s answer (filler recovery on), one cold and one warm launch")
    ap.add_argument("--end-silence", type=float, default=None,
                    help="a fixed endpointing silence, s (default: the end-of-turn judge decides, as the app does)")
    ap.add_argument("--json", type=Path, help="also write every run's raw measurements here")
    ap.add_argument("--only", choices=("launch", "answers", "stop", "judged"),
                    help="measure only launch, only answers, only the answers ended by the stop key, or only "
                    "those the end-of-turn judge ends (thinking-pause rows included)")
    ap.add_argument("--stop-after", default=f"{STOP_AFTER_S:g}",
                    help=f"stop-key rows: seconds after the last word, comma-separated (default {STOP_AFTER_S:g})")
    ap.add_argument("--model", default=None,
                    help="Whisper model name or folder, as the app's --model (default: the bundled model)")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, spec = args.child[0], json.loads(args.child[1])
        print(json.dumps(child_answer(spec) if kind == "answer" else child_launch(spec)), flush=True)
        return 0

    repeats = 1 if args.quick else args.repeats
    # (answer length s, filler recovery, stop key pressed this long after the last word or None)
    stops = [float(x) for x in args.stop_after.split(",")]
    # (answer length s, filler recovery, stop key after, thinking pause s mid-sentence or None)
    answers = [(30, True, None, None)] if args.quick else [
        *([] if args.only == "stop" else [(30, True, None, None), (30, False, None, None), (120, True, None, None),
                                          (120, False, None, None), *[(30, True, None, p) for p in (3.0, 6.0, 9.0)]]),
        *([] if args.only == "judged" else [(length, True, after, None) for after in stops for length in (30, 120)])]
    load_before = os.getloadavg()

    if args.only == "launch":
        answers = []
    launch_rows: dict[str, list[dict]] = {"cold": [], "warm": []}
    for _ in range(repeats if args.only in (None, "launch") else 0):
        cache = tempfile.mkdtemp(prefix="voice-loop-tts-")
        try:
            for state in ("cold", "warm"):
                print(f"launch, TTS cache {state} …", file=sys.stderr)
                r = run_child("launch", {"tts_cache": cache, "model": args.model}, 180)
                if r is not None:
                    launch_rows[state].append(r)
        finally:
            shutil.rmtree(cache, ignore_errors=True)

    answer_rows = []
    for target_s, recover, stop_after, pause_s in answers:
        runs = []
        for i in range(repeats):
            print(f"answer ~{target_s} s, filler recovery {'on' if recover else 'off'}, "
                  f"stop key {stop_after if stop_after is not None else 'no'}, pause {pause_s or 'none'}, "
                  f"run {i + 1}/{repeats} (real time) …", file=sys.stderr)
            spec = {"target_s": target_s, "recover": recover, "end_silence_s": args.end_silence,
                    "stop_after_s": stop_after, "pause_s": pause_s, "model": args.model}
            r = run_child("answer", spec, target_s + 300)
            if r is not None:
                runs.append(r)
        if runs:
            answer_rows.append((target_s, recover, stop_after, pause_s, runs))
    load_after = os.getloadavg()
    if args.json:
        raw = {"load_before": load_before, "load_after": load_after, "launch": launch_rows,
               "answers": [{"target_s": t, "recover": rec, "stop_after_s": stop_after, "pause_s": pause, "runs": runs}
                           for t, rec, stop_after, pause, runs in answer_rows]}
        args.json.write_text(json.dumps(raw, indent=1))

    cmd = "bench/voice_loop.py" + (" --quick" if args.quick else f" --repeats {repeats}")
    if args.only:
        cmd += f" --only {args.only}"
    if args.stop_after != f"{STOP_AFTER_S:g}":
        cmd += f" --stop-after {args.stop_after}"
    if args.model:
        cmd += f" --model {args.model}"
    if args.end_silence is not None:
        cmd += f" --end-silence {args.end_silence:g}"
    judged = "the end-of-turn judge" if args.end_silence is None else f"{args.end_silence:g} s of silence"
    print(f"Voice loop, faster-whisper {args.model or DEFAULT_MODEL} int8 (beam 5, two decodes at once, one thread each), median of {repeats} fresh "
          f"process(es) per row; {os.cpu_count()} CPUs; load average {load_before[0]:.2f} before, "
          f"{load_after[0]:.2f} after.\n")
    print(f"**End of speech → feedback** (answer fed in real time, ends decided by {judged})\n")
    print("| answer | filler recovery | answer ends by | speech s | ended early by a pause (resumed) "
          "| end of speech → last decode done s "
          "| end of speech → endpoint s | endpoint → report s "
          "| end of speech → report s | model calls (+ recovery) | early decodes (used) | audio decoded after endpoint s "
          "| overflows | worst tick late ms | worst consumer lag ms | words | screen lag s (median / p90) | peak RSS MB |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for target_s, recover, stop_after, pause_s, runs in answer_rows:
        expected = "silence" if stop_after is None else "stopped"
        bad = {r.get("reason") for r in runs} - {expected}
        note = f" (ended by {', '.join(sorted(bad))}!)" if bad else ""
        ends = ("a pause (judged)" if stop_after is None and args.end_silence is None
                else f"{args.end_silence:g} s silence" if stop_after is None
                else f"stop key {stop_after:g} s after the last word")
        label = f"~{target_s} s" + (f", {pause_s:g} s thinking pause" if pause_s else "")
        early = f"{sum(1 for r in runs if r.get('ended_early'))}/{len(runs)} ({sum(r.get('resumed', 0) for r in runs)})"
        print(f"| {label}{note} | {'on' if recover else 'off'} | {ends} | {med(runs, 'speech_s'):.1f} | {early} "
              f"| {med(runs, 'eos_to_decoded_s'):.2f} | {med(runs, 'eos_to_endpoint_s'):.2f} | {med(runs, 'endpoint_to_report_s'):.2f} "
              f"| {med(runs, 'eos_to_report_s'):.2f} "
              f"| {med(runs, 'decode_calls'):.0f} (+{med(runs, 'recovery_calls'):.0f}) "
              f"| {med(runs, 'early_calls'):.0f} ({med(runs, 'early_used'):.0f}) "
              f"| {med(runs, 'tail_audio_s'):.1f} | {max(r['overflows'] for r in runs)} "
              f"| {max(r['max_tick_late_ms'] for r in runs):.0f} "
              f"| {max(r['max_consumer_lag_ms'] for r in runs):.0f} "
              f"| {med(runs, 'words'):.0f} | {med(runs, 'screen_lag_median_s') or 0:.1f} / "
              f"{med(runs, 'screen_lag_p90_s') or 0:.1f} | {max(r['peak_mb'] for r in runs):.0f} |")
    print("\n**Launch → first spoken question** (Textual app headless via `App.run_test`, real pyttsx3 "
          "speaker, model loading in the background)\n")
    print("| TTS cache | process start → first play s | CPU to first play s | app start → first play s "
          "| imports s | app start → render starts s | render s | renders | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for state, runs in launch_rows.items():
        if runs:
            print(f"| {state} | {med(runs, 'start_to_play_s'):.2f} | {med(runs, 'cpu_to_play_s'):.2f} "
                  f"| {med(runs, 'app_to_play_s'):.2f} | {med(runs, 'imports_s'):.2f} | {med(runs, 'app_to_render_s'):.2f} "
                  f"| {med(runs, 'render_s'):.2f} "
                  f"| {med(runs, 'renders'):.0f} | {max(r['peak_mb'] for r in runs):.0f} |")
    if answer_rows:
        fixtures = ", ".join(dict.fromkeys(n for *_, runs in answer_rows for n in runs[0]["fixtures"]))
        print(f"\nAnswers: {fixtures} ({GAP_S:g} s apart, cut between two of them), then silence with room noise; "
              f"pause rows put the thinking pause mid-sentence {PAUSE_AT_S:g} s in. "
              "*Ended early*: runs in which a pause ended the answer before its last word (resumptions in "
              "brackets: the candidate spoke again within the resume window, so nothing was lost). "
              "*End of speech*: the fake microphone delivers the block with the last voiced sample; "
              "*endpoint*: the loop yields `Ended`; *report*: it yields `Reported` (transcript, delivery, "
              "content score); *last decode done*: the last model call of the answer returns (the "
              "transcript is complete; the report needs only delivery and content scoring after it). "
              "*Early decodes*: open phrases decoded at a 0.25 s pause in case they were the last, and "
              "how many of those were used as they were (the phrase closed with no more voice). "
              "*Overflows*: clock ticks of the fake microphone more than "
              f"{OVERFLOW_LATE_S * 1000:.0f} ms late (what a PortAudio callback starved that long would "
              "drop). *Audio decoded after endpoint*: seconds of answer audio in model calls still running "
              "or started after the endpoint (the part not transcribed while the candidate spoke; with "
              "filler recovery on, each stretch is decoded twice). Peak RSS: max over runs.")
    print("Launch: *process start* is the parent's clock just before it spawns the child (interpreter "
          "start and imports included); *first play* is the first `Player.play` call with the question's "
          "audio (a real `SoundDevicePlayer` then opens its stream); *CPU to first play*: the child's CPU "
          "time (all its threads) by then, which the neighbours' load changes far less than the clock "
          "times; *app start → render starts* is mostly "
          "PortAudio starting, the scenario bank loading and the question screen mounting (the app starts "
          "loading the model once the question plays). "
          "Cold: empty TTS cache (espeak-ng renders); warm: cached.")
    print(f"\nCommand: `.venv/bin/python {cmd}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
