"""One answer, live: record it while transcribing it, judge its pauses, then report on it.

Nothing here knows about Textual. :func:`run_answer` is a lazy generator over
:data:`~simulator.session.events.AnswerEvent` values (level, partial transcript, end, report) that the
app consumes in a worker and the tests consume directly. Transcription runs *while the candidate
speaks* (:mod:`simulator.speech.streaming`): each phrase the endpointer closes goes to a background
thread, and the phrase still open is decoded early at a short pause in case it is the last, so when
the answer ends there is usually nothing left to decode and the report follows within moments. When
the answer is over is decided by :mod:`simulator.session.end_of_turn`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from simulator.analysis.fillers import Filler
from simulator.analysis.pitch import ToneTrack
from simulator.audio.capture import AudioSource
from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.endpoint import EndpointConfig, Endpointer, EndReason, SpeechSegment
from simulator.audio.energy import NO_SIGNAL_DB
from simulator.audio.recording import StreamingWavWriter
from simulator.errors import DeviceError
from simulator.answer.build import build_report
from simulator.answer.report import AnswerReport
from simulator.session.content_warmer import ContentWarmer
from simulator.session.events import AnswerEvent, Ended, Level, LiveStats, Partial, Pause, Reported, Resumed
from simulator.session.end_of_turn import RESUME_WINDOW_S, Cue, Decision, TurnJudge, TurnPolicy, Verdict
from simulator.session.end_of_turn import Mode as TurnMode
from simulator.analysis.tone_follower import ToneFollower
from simulator.audio.buffer import AudioBuffer
from simulator.speech.filler_recovery import transcribe_and_recover
from simulator.speech.echo import drop_question_echo
from simulator.speech.streaming import StreamingTranscriber
from simulator.speech.transcript import Segment, Transcriber, Transcript, Word, text_of


# -- one answer -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AnswerOptions:
    endpoint: EndpointConfig = field(default_factory=EndpointConfig)
    recover_fillers: bool = True
    prompt: str | None = None
    target_length_s: tuple[float, float] | None = None
    mode: TurnMode = "rehearsal"
    """How pauses are judged (:mod:`simulator.session.end_of_turn`): rehearsal never ends an
    unfinished answer on a pause alone; drills and role-play wait through long pauses, then end."""
    turn: TurnPolicy = field(default_factory=TurnPolicy)
    resume_window_s: float | None = None
    """After the answer ended at a pause, voice within this long resumes it (0: never; ``None``:
    the mode's, see :data:`simulator.session.end_of_turn.RESUME_WINDOW_S`)."""
    preview_every_s: float | None = None
    """While a phrase is being spoken, decode it this often for the screen (``None``: only at
    pauses). The app sets it; file-driven runs and tests leave it off."""
    overrun_quiet_s: float = 1.0
    """After the time limit, recording goes on until the candidate has been quiet this long ..."""
    overrun_max_s: float = 15.0
    """... or for at most this long: the words said past the limit are kept with their answer."""
    question: str | None = None
    """The question just asked: its last words, heard from the speaker at the start of an answer
    spoken over its end, are not the candidate's (:mod:`simulator.speech.echo`)."""


NO_SIGNAL_AFTER_S = 5.0
"""How long digital silence before the first word lasts before the screen asks whether the
microphone is muted (:attr:`Cue.NO_SIGNAL`). Recording goes on: the answer is not ended for it."""


@dataclass
class _Answer:
    """The state of one answer while it is recorded (shared by the capture stages below)."""

    source: AudioSource
    endpointer: Endpointer
    audio: AudioBuffer
    streamer: StreamingTranscriber
    writer: Any
    live: bool
    phrases: int = 0
    last_text: str = ""
    early: SpeechSegment | None = None
    cue: Cue = Cue.NONE
    resumed: int = 0
    closed: bool = False
    preview_at: int = 0
    no_signal_s: float = 0.0
    """Digital silence so far, before the first word (see :data:`NO_SIGNAL_DB`)."""
    tone: ToneFollower | None = None
    warmer: ContentWarmer | None = None

    def phrase_closed(self, segment: SpeechSegment) -> None:
        """A phrase is complete: transcribe it, and track its tone."""
        self.phrases += 1
        self.streamer.submit(segment)
        if self.tone is not None:
            self.tone.add(segment)


def run_answer(
    source: AudioSource,
    transcriber: Transcriber,
    *,
    options: AnswerOptions | None = None,
    audio_path: Path | None = None,
    stop: threading.Event | None = None,
    score_content: Callable[[str], Any] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    writer: Any = None,
) -> Iterator[AnswerEvent]:
    """Record one answer until it is over, then report; resume it if the candidate goes on.

    Yields :class:`Level` for every block, :class:`Partial` when more text is known, :class:`Pause`
    when the cue for a pause changes ("finishing…", "take your time", "are you done?"), then one
    :class:`Ended` and one :class:`Reported`. The answer ends when the end-of-turn judge decides it
    is over (or, with ``options.endpoint.end_silence_s`` set, after that much silence), on ``stop``,
    at the time limit (recording goes on until the candidate is quiet, so the words past the limit
    are kept), or when the device is lost. After an end at a pause the microphone stays open for
    ``options.resume_window_s``: if the candidate speaks again, :class:`Resumed` is yielded, the
    answer goes on, and it ends with another :class:`Ended` and :class:`Reported` covering all of
    it. ``Reported.resumable`` tells the caller whether such a window follows; the generator is
    over when the window passed quietly. ``cancelled()`` turning true ends it early, the recording
    still saved.

    The recording streams to ``audio_path`` (a crash-safe WAV), or to ``writer`` when given: any
    object with ``write(block)`` and ``close()``, such as the session store's answer writer. Either
    way each block is on disk as soon as it is captured; the writer is closed when capture ends.
    """
    options = options or AnswerOptions()
    stop = stop or threading.Event()
    threading.Thread(target=warm_up_report, args=(options, score_content), name="warm-up-report",
                     daemon=True).start()
    audio = AudioBuffer()
    if writer is None and audio_path is not None:
        writer = StreamingWavWriter(audio_path)
    elif writer is not None and audio_path is None:
        audio_path = getattr(writer, "path", None)
    judge = None
    if options.endpoint.end_silence_s is None:
        judge = TurnJudge(mode=options.mode, target_s=options.target_length_s, policy=options.turn)
    state = _Answer(source, Endpointer(options.endpoint), audio,
                    StreamingTranscriber(transcriber, audio, recover=options.recover_fillers, prompt=options.prompt),
                    writer, live=bool(getattr(source, "realtime", True)), tone=ToneFollower(audio),
                    warmer=ContentWarmer() if score_content is not None else None)
    source.start()
    try:
        while True:
            reason, message, note = yield from _capture(state, options, judge, stop, cancelled)
            if reason is EndReason.TIME_LIMIT:
                at_limit = state.endpointer.samples_seen
                yield from _overrun(state, options, stop, cancelled)
                if state.endpointer.last_voiced_end > at_limit:
                    note = note or "time is up: the words you said after the limit are kept with this answer"
                else:  # quiet at the limit (or silent all along): nothing was said after it
                    note = note or "time is up"
            t_end = time.monotonic()
            tail = state.endpointer.finish(reason)
            if tail is not None:
                state.phrase_closed(tail)
            samples = audio.samples()
            quiet = state.phrases == 0 and state.endpointer.voice_above_room_s >= QUIET_VOICE_S
            if quiet:  # beside "time is up" too: a quiet drill answer always runs to its limit
                note = f"{note}; {QUIET_NOTE}" if note else QUIET_NOTE
            yield Ended(reason, len(samples) / SAMPLE_RATE, source.overflows, message, note)
            if cancelled():
                return
            window_s = options.resume_window_s
            if window_s is None:
                window_s = RESUME_WINDOW_S.get(options.mode, 0.0)
            resumable = reason in (EndReason.SILENCE, EndReason.LONG_PAUSE) and window_s > 0 and not stop.is_set()
            transcript, fillers = state.streamer.result()
            if quiet and transcript.is_empty:
                # A voice too quiet to open a phrase (a microphone set very low): nothing was
                # transcribed live, but the recogniser can often read the whole recording, as
                # ``score`` does, and the feedback then says the voice came through quietly.
                read, read_fillers = transcribe_and_recover(transcriber, samples, options.prompt,
                                                            recover=options.recover_fillers)
                if len(read.words) >= QUIET_MIN_WORDS:  # fewer: what Whisper makes of a fan starting up
                    transcript, fillers = read, read_fillers
            spoken_over_s = getattr(source, "spoken_over_s", 0.0)  # a TalkOver source's
            if spoken_over_s and options.question:
                transcript = drop_question_echo(transcript, options.question, spoken_over_s)
            report = _report(samples, transcript, fillers, options, score_content, source=str(audio_path or ""),
                             resumed=state.resumed, tone_track=state.tone.track() if state.tone else None,
                             interrupted=message or "the microphone stopped" if reason is EndReason.DEVICE_LOST else "")
            latency = time.monotonic() - t_end
            waited_s = (state.endpointer.samples_seen - state.endpointer.last_voiced_end) / SAMPLE_RATE
            live = LiveStats(reason.value, round(state.endpointer.last_voiced_end / SAMPLE_RATE, 3),
                             round(waited_s + latency, 3), state.resumed, state.phrases)
            if not resumable:
                _close(state)  # before the report: its receiver may store the recording at once
                yield Reported(report, audio_path, latency, source.overflows, samples, live=live)
                return
            yield Reported(report, audio_path, latency, source.overflows, samples, resumable=True, live=live)
            after = _listen_for_more(state, window_s, stop, cancelled)
            if after is None:
                return
            state.resumed += 1
            state.cue = Cue.NONE
            state.endpointer.resume()
            yield Resumed(after)
    finally:
        _close(state)
        state.streamer.finish()
        if state.tone is not None:
            state.tone.stop()


def _close(state: _Answer) -> None:
    """Stop capture and close the recording, once."""
    if state.closed:
        return
    state.closed = True
    state.source.stop()
    if state.writer is not None:
        state.writer.close()


def _read(state: _Answer, *, held: list[np.ndarray] | None = None) -> np.ndarray | None:
    """The next block, kept (buffer, recording) before anything looks at it; ``held`` keeps it
    from the recording file for now (after the end, while the caller may be storing the answer)."""
    block = state.source.read(0.2)
    if block is not None:
        state.audio.append(block)
        if held is not None:
            held.append(block)
        elif state.writer is not None:
            state.writer.write(block)
    return block


def _capture(state: _Answer, options: AnswerOptions, judge: TurnJudge | None, stop: threading.Event,
             cancelled: Callable[[], bool]) -> Iterator[AnswerEvent]:
    """Record until the answer ends; returns ``(reason, message, note)``."""
    ep = state.endpointer
    early_after = options.endpoint.early_after_s
    while True:
        if stop.is_set() or cancelled():
            return EndReason.STOPPED, "", ""
        try:
            block = _read(state)
        except DeviceError as e:
            return EndReason.DEVICE_LOST, str(e), ""
        if block is None:
            continue
        update = ep.feed(block)
        for seg in update.closed:
            state.phrase_closed(seg)
        reason, note = update.ended, ""
        if (reason is None and early_after is not None and ep.in_phrase
                and ep.silent_s >= max(early_after, options.endpoint.pad_s)):
            guess = ep.open_phrase()  # a pause: this may be the last phrase
            if guess != state.early:
                state.early = guess
                state.streamer.speculate(guess)
        elif (reason is None and options.preview_every_s is not None and ep.in_phrase
              and ep.samples_seen - state.preview_at >= options.preview_every_s * SAMPLE_RATE):
            state.preview_at = ep.samples_seen
            state.streamer.preview(ep.open_phrase())  # mid-phrase: for the screen only
        decision = None
        if reason is None and judge is not None:
            decision = _judge_pause(state, judge)
            if decision is not None and decision.end:
                reason = EndReason.SILENCE if decision.verdict is Verdict.COMPLETE else EndReason.LONG_PAUSE
                note = decision.reason
                ep.end(reason)
        cue = decision.cue if decision is not None else Cue.NONE
        if _no_signal(state, block, update.level_db):
            cue = Cue.NO_SIGNAL
        if cue != state.cue and (judge is not None or Cue.NO_SIGNAL in (cue, state.cue)):
            state.cue = cue
            yield Pause(cue, ep.silent_s, decision.reason if decision is not None else "")
        yield Level(update.level_db, ep.elapsed_s, update.speaking, ep.speech_started_at is not None)
        text = _shown_text(state, options)
        if text != state.last_text:
            state.last_text = text
            if state.warmer is not None:
                state.warmer.submit(text)
            yield Partial(text)
        if reason is not None:
            return reason, "", note


def _shown_text(state: _Answer, options: AnswerOptions) -> str:
    """The text so far for the screen, without the question's own words heard again at its start
    (the transcript drops them too: :mod:`simulator.speech.echo`)."""
    spoken_over_s = getattr(state.source, "spoken_over_s", 0.0)  # a TalkOver source's, once decided
    if not (spoken_over_s and options.question):
        return state.streamer.live_text
    segments = state.streamer.live_segments
    return drop_question_echo(Transcript(text_of(segments), segments, "", ""), options.question, spoken_over_s).text


def _no_signal(state: _Answer, block: np.ndarray, level_db: float) -> bool:
    """Whether the microphone has sent only digital silence since the answer began, for long enough
    to ask about it (:data:`NO_SIGNAL_AFTER_S`). Once a word is heard the question never comes."""
    if state.endpointer.speech_started_at is not None:
        state.no_signal_s = 0.0
        return False
    state.no_signal_s = state.no_signal_s + len(block) / SAMPLE_RATE if level_db <= NO_SIGNAL_DB else 0.0
    return state.no_signal_s >= NO_SIGNAL_AFTER_S


def _judge_pause(state: _Answer, judge: TurnJudge) -> Decision | None:
    """The end-of-turn decision during a pause (``None`` while the candidate speaks)."""
    ep = state.endpointer
    if ep.speech_started_at is None or ep.silent_s <= 0:
        return None
    end = ep.last_voiced_end
    text = state.streamer.text_through(end)
    if text is None and not state.live and not ep.in_phrase:
        # A file played as fast as possible: wait for the decode, so that the decisions are those
        # a live answer gets (where the phrase is decoded a moment into the pause).
        state.streamer.wait_idle()
        text = state.streamer.text_through(end)
    answer_s = (end - ep.speech_started_at) / SAMPLE_RATE
    return judge.decide(text=text, answer_s=answer_s, silent_s=ep.silent_s)


QUIET_VOICE_S = 1.0
"""A voice heard this long above the room (:attr:`Endpointer.voice_above_room_s`) while nothing was
transcribed live (too quiet to open a phrase) is read from the whole recording at the end. A
helper's answer at -51 dBFS RMS was reported as "nothing was said" while ``score`` read it word for
word (stop 43)."""
QUIET_MIN_WORDS = 3
"""A reading of the whole recording with fewer words is not taken: steady noise that starts during
an answer counts as voice above the room until the room's level catches up (about 3 s), and Whisper
reads noise as "Thank you." or "you" (the review of stop 43)."""
QUIET_NOTE = "your voice came through very quietly: raise the microphone's input level or move closer"


def _overrun(state: _Answer, options: AnswerOptions, stop: threading.Event,
             cancelled: Callable[[], bool]) -> Iterator[AnswerEvent]:
    """Past the time limit: keep recording until the candidate is quiet, so no word is cut."""
    ep = state.endpointer
    ep.resume(time_limit=False)
    limit = ep.samples_seen + int(options.overrun_max_s * SAMPLE_RATE)
    no_audio_s = 0.0  # time with no block at all (a source that has run dry) counts as quiet
    while not (stop.is_set() or cancelled()) and ep.samples_seen < limit and ep.ended is None:
        if (ep.silent_s + no_audio_s >= options.overrun_quiet_s
                or (ep.speech_started_at is None and not ep.in_phrase)):
            break
        t0 = time.monotonic()
        try:
            block = _read(state)
        except DeviceError:
            break
        if block is None:
            no_audio_s += time.monotonic() - t0
            continue
        update = ep.feed(block)
        for seg in update.closed:
            state.phrase_closed(seg)
        yield Level(update.level_db, ep.elapsed_s, update.speaking, ep.speech_started_at is not None)
    ep.end(EndReason.TIME_LIMIT)


def _listen_for_more(state: _Answer, window_s: float, stop: threading.Event,
                     cancelled: Callable[[], bool]) -> float | None:
    """After an end at a pause: the seconds after which speaking again resumes the answer, or
    ``None`` when the window passed quietly (or was closed by ``stop`` or ``cancelled``). Nothing
    is yielded meanwhile: the caller is showing the report."""
    ep = state.endpointer
    heard = 0  # samples read since the end, counted here: the endpointer may stop counting (it ends)
    no_audio_s = 0.0  # time with no block at all (a source that has run dry) counts as quiet
    held: list[np.ndarray] = []  # written to the recording only if the answer resumes
    # The endpointer opens a phrase on voice, as during the answer. The time limit does not end it
    # here: the window bounds the wait, and an answer resumed past the limit is recorded until the
    # candidate is quiet, as any answer at its limit is (:func:`_overrun`). With the limit on, a
    # window that ran past it never closed and never heard the candidate go on (stop 43).
    ep.resume(time_limit=False)
    while not (stop.is_set() or cancelled()):
        if heard / SAMPLE_RATE + no_audio_s >= window_s and not ep.in_phrase:
            ep.end(EndReason.SILENCE)
            return None
        t0 = time.monotonic()
        try:
            block = _read(state, held=held)
        except DeviceError:
            return None
        if block is None:
            no_audio_s += time.monotonic() - t0
            continue
        heard += len(block)
        ep.feed(block)
        if ep.in_phrase:
            if state.writer is not None:
                for kept in held:
                    state.writer.write(kept)
            return round(heard / SAMPLE_RATE, 2)
    ep.end(EndReason.STOPPED)
    return None


def _report(samples: np.ndarray, transcript: Transcript, fillers: Sequence[Filler], options: AnswerOptions,
            score_content: Callable[[str], Any] | None, source: str = "", *, resumed: int = 0,
            tone_track: ToneTrack | None = None, interrupted: str = "") -> AnswerReport:
    """The answer's report, built as every report is (:func:`simulator.answer.build.build_report`).
    ``interrupted``: why the recording stopped before the answer did (a microphone lost)."""
    report_options: dict[str, Any] = {"filler_recovery": options.recover_fillers, "streaming": True}
    if resumed:
        report_options["resumed"] = resumed
    if interrupted:
        report_options["interrupted"] = interrupted
    return build_report(samples, transcript, fillers, source=source, target_length_s=options.target_length_s,
                        score_content=score_content, tone_track=tone_track, options=report_options)


_WARM_UP_TEXTS = (
    "When a customer called about a late order I listened, apologised and checked the tracking, "
    "then I offered a refund or a new delivery and called her back the next day.",
    "I am a real people person and I just love helping people, I always work really hard and I give my "
    "very best to every single customer every day.",
)
"""Long enough to be judged (a shorter text is turned away before any cue is tried); one concrete,
one vague (no numbers either), because the flag for vague answers is tried only on vague ones."""


def warm_up_report(options: AnswerOptions, score_content: Callable[[str], Any] | None) -> None:
    """Build a throw-away report while the candidate starts talking, so the real one is fast.

    The first scoring compiles the rubric's cue patterns (about 0.2 s for a question's rubric and the
    red flags) and the first delivery analysis warms numpy's paths (about 0.05 s): measured in the
    voice-loop benchmark as most of the time from the end of a 2-minute answer to its report.
    """
    samples = np.random.default_rng(0).normal(0, 0.01, 4 * SAMPLE_RATE).astype(np.float32)
    for text in _WARM_UP_TEXTS:
        words = tuple(Word(w, 0.2 + i * 0.1, 0.28 + i * 0.1, 0.9) for i, w in enumerate(text.split()))
        transcript = Transcript(text, (Segment(text, 0.2, words[-1].end_s, words),), "warm-up", "")
        try:
            _report(samples, transcript, [], options, score_content)
        except Exception:  # noqa: BLE001 - only a head start; the real report reports its own errors
            return


