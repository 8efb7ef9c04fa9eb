"""Transcription while the candidate speaks: the phrase transcriber that the live answer loop
(:func:`simulator.session.answer_loop.run_answer`) feeds as the endpointer closes phrases.

It runs on a thread of its own, so the capture loop only queues work and the end of the answer
finds the transcript and the filler second look mostly done.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import replace

import numpy as np

from simulator.audio.buffer import AudioBuffer
from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.endpoint import SpeechSegment
from simulator.audio.energy import floor_db
from simulator.speech.hesitations import Filler
from simulator.speech.filler_recovery import transcribe_and_recover
from simulator.speech.transcript import Segment, Transcriber, Transcript, text_of


MAX_STRETCHES_KEPT = 200
"""Stretch bounds kept in the transcript's options: a 15-minute answer has about 150 phrases."""

ROOM_S = 30.0
"""The room's noise floor for a phrase's filler second look is taken over this much of the answer up to
the phrase's end: a phrase said in one breath has no quiet of its own (the hesitation listener's noise
gate, :data:`simulator.speech.hesitation_probe.MIN_SPEECH_OVER_NOISE_DB`, would take its quietest speech
for the room)."""


class StreamingTranscriber:
    """Transcribes closed phrases on a background thread, in order, and merges them.

    When phrases queue up (a slow or busy CPU), the worker takes all that are waiting as one stretch
    of audio (up to ``MAX_BATCH_S``): Whisper's cost per call is mostly fixed, so batching keeps the
    backlog — and the wait at the end of the answer — to at most one call. Each stretch is decoded
    on its own (guarded against repetition loops) and, if ``recover`` is set, given the second look
    for dropped hesitations. Word times are shifted to the start of the recording.

    :meth:`speculate` hands over the phrase still open, once a short pause suggests it may be the
    last: the worker decodes it when idle and keeps the result, and if that phrase then closes with
    the same bounds (the candidate said no more), the result is used as it is. So when an answer
    ends by the stop key, the time limit or the silence, its last phrase is usually decoded already.
    """

    MAX_BATCH_S = 28.0

    def __init__(self, transcriber: Transcriber, audio: AudioBuffer, *, recover: bool = True,
                 prompt: str | None = None):
        self.transcriber = transcriber
        self.audio = audio
        self.recover = recover
        self.prompt = prompt
        self.calls = 0
        self.early_calls = 0
        self.early_used = 0
        self.preview_calls = 0
        self.stretches: list[tuple[float, float]] = []
        """Each stretch of audio decoded (closed phrases, and open ones decoded early), in seconds: kept
        in the transcript's options, to tell afterwards what the live loop heard as one phrase."""
        self.endings_heard_again = 0
        self._preview: tuple[SpeechSegment, list[Segment]] | None = None
        self._jobs: queue.Queue[tuple[str, SpeechSegment] | None] = queue.Queue()
        self._segments: list[Segment] = []
        self._fillers: list[Filler] = []
        self._early: tuple[SpeechSegment, list[Segment], list[Filler]] | None = None
        self._decoded_until = 0
        self._lock = threading.Lock()
        self._idle = threading.Condition()
        self._waiting = 0  # closed phrases submitted and not yet transcribed
        self._submitted_until = 0
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="streaming-transcriber", daemon=True)
        self._thread.start()

    @property
    def text(self) -> str:
        with self._lock:
            return text_of(self._segments)

    def submit(self, segment: SpeechSegment) -> None:
        with self._idle:
            self._waiting += 1
            self._submitted_until = max(self._submitted_until, segment.end)
        self._jobs.put(("closed", segment))

    @property
    def live_text(self) -> str:
        """What to show while the candidate speaks: the transcript so far and, ahead of it, the
        open phrase as decoded at its last short pause (replaced when the phrase closes), so the
        screen follows speech within a second or two rather than a whole phrase behind."""
        return text_of(self.live_segments)

    @property
    def live_segments(self) -> tuple[Segment, ...]:
        """The segments :attr:`live_text` is made of, with their words on the recording's clock."""
        with self._lock:
            early, preview = self._early, self._preview
            tail: list[Segment] = []
            if early is not None and early[0].start >= self._decoded_until:
                tail = early[1]
            if preview is not None and preview[0].start >= self._decoded_until and (
                    early is None or early[0].start < self._decoded_until or preview[0].end > early[0].end):
                tail = preview[1]
            return (*self._segments, *tail)

    def text_through(self, end: int) -> str | None:
        """The answer's text if everything said before sample ``end`` is transcribed, else ``None``.

        The open phrase counts as transcribed when its early decode (see :meth:`speculate`) reaches
        ``end``: that is how the end-of-turn judge knows the last words a moment into a pause.
        """
        with self._lock:
            if self._decoded_until < self._submitted_until:
                return None  # a closed phrase is still waiting
            text = text_of(self._segments)
            if self._decoded_until >= end:
                return text
            early = self._early
            if early is not None and early[0].start >= self._decoded_until and early[0].end >= end:
                tail = text_of(early[1])
                return f"{text} {tail}".strip()
        return None

    def wait_idle(self, timeout_s: float = 60.0) -> None:
        """Block until every closed phrase submitted so far is transcribed (file-driven runs use it
        so that decisions do not depend on how fast the machine is)."""
        with self._idle:
            self._idle.wait_for(lambda: self._waiting == 0 or self._error is not None, timeout_s)

    def preview(self, segment: SpeechSegment) -> None:
        """Decode the open phrase so far, for the screen only, if the worker has nothing else to do
        (one decode, no filler look; never part of the transcript)."""
        self._jobs.put(("preview", segment))

    def speculate(self, segment: SpeechSegment) -> None:
        """Decode the open phrase ``segment`` ahead of time if the worker has nothing else to do."""
        self._jobs.put(("early", segment))

    def result(self, timeout_s: float = 120.0) -> tuple[Transcript, list[Filler]]:
        """The transcript of everything submitted so far, once it is decoded; the worker goes on."""
        self.wait_idle(timeout_s)
        if self._error is not None:
            raise self._error
        with self._lock:
            segments = tuple(self._segments)
            fillers = list(self._fillers)
        text = text_of(segments)
        transcript = Transcript(
            text=text, segments=segments, engine=getattr(self.transcriber, "engine", "?"),
            model=getattr(self.transcriber, "model_name", "?"),
            options={"streaming": True, "calls": self.calls, "early_calls": self.early_calls,
                     "early_used": self.early_used, "preview_calls": self.preview_calls,
                     "endings_heard_again": self.endings_heard_again,
                     "stretches": [list(s) for s in self.stretches[:MAX_STRETCHES_KEPT]]},
        )
        return transcript, fillers

    def finish(self, timeout_s: float = 120.0) -> tuple[Transcript, list[Filler]]:
        """Decode what is left, stop the worker, and return the transcript (safe to call twice)."""
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(timeout_s)
        return self.result(0 if not self._thread.is_alive() else timeout_s)

    def _run(self) -> None:
        done = False
        while not done:
            batch = [self._jobs.get()]
            while True:  # take whatever else is already waiting
                try:
                    batch.append(self._jobs.get_nowait())
                except queue.Empty:
                    break
            if None in batch:
                done = True
                batch = [b for b in batch if b is not None]
            closed = [seg for kind, seg in batch if kind == "closed"]
            early = [seg for kind, seg in batch if kind == "early"]
            previews = [seg for kind, seg in batch if kind == "preview"]
            if self._error is not None:
                continue
            try:
                self._decode_closed(closed)
            except BaseException as e:  # noqa: BLE001 - re-raised by result()
                self._error = e
            finally:
                with self._idle:
                    self._waiting -= len(closed)
                    self._idle.notify_all()
            # Only the newest guess matters, and only while nothing else waits (it would be stale).
            if early and not done and self._jobs.empty() and self._error is None:
                try:
                    self._decode_early(early[-1])
                except BaseException as e:  # noqa: BLE001 - re-raised by result()
                    self._error = e
            elif previews and not done and self._jobs.empty() and self._error is None:
                try:
                    self._decode_preview(previews[-1])
                except Exception:  # noqa: BLE001 - the screen only; the real decode reports errors
                    pass

    def _decode_closed(self, closed: list[SpeechSegment]) -> None:
        early, self._early = self._early, None
        if early is not None and early[0] in closed:
            i = closed.index(early[0])
            self._decode_stretches(closed[:i])
            self.early_used += 1
            self._keep(early[1], early[2], early[0].end)
            closed = closed[i + 1:]
        self._decode_stretches(closed)

    def _decode_stretches(self, closed: list[SpeechSegment]) -> None:
        for start, end in _merge(closed, int(self.MAX_BATCH_S * SAMPLE_RATE)):
            segments, fillers = self._transcribe(self.audio.slice(start, end), start / SAMPLE_RATE)
            self._keep(segments, fillers, end)

    def _decode_preview(self, segment: SpeechSegment) -> None:
        if segment.start < self._decoded_until:
            return
        self.preview_calls += 1
        part = self.transcriber.transcribe(self.audio.slice(segment.start, segment.end), prompt=self.prompt)
        segments = [s.shifted(segment.start_s) for s in part.segments]
        if not segments and part.text.strip():  # an engine that gives text alone
            segments = [Segment(part.text.strip(), segment.start_s, segment.end_s)]
        with self._lock:
            self._preview = (segment, segments)

    def _decode_early(self, segment: SpeechSegment) -> None:
        if segment.start < self._decoded_until or (self._early is not None and self._early[0] == segment):
            return
        self.early_calls += 1
        segments, fillers = self._transcribe(self.audio.slice(segment.start, segment.end), segment.start_s)
        with self._lock:
            self._early = (segment, segments, fillers)

    def _keep(self, segments: list[Segment], fillers: list[Filler], end: int) -> None:
        with self._lock:
            self._segments.extend(segments)
            self._fillers.extend(fillers)
            self._decoded_until = end

    def _transcribe(self, samples: np.ndarray, offset_s: float) -> tuple[list[Segment], list[Filler]]:
        # Each stretch is decoded on its own, primed only with the caller's prompt (the question),
        # as whole-file transcription is (condition_on_previous_text off): priming with the text
        # so far made short final stretches loop ("see you in the next video" x40, 120 s bench).
        self.calls += 1
        end = int(offset_s * SAMPLE_RATE) + len(samples)
        # Only the second look uses the room's floor: a copy of up to 30 s and its frame levels.
        room = floor_db(self.audio.slice(max(0, end - int(ROOM_S * SAMPLE_RATE)), end)) if self.recover else None
        part, found = transcribe_and_recover(self.transcriber, samples, self.prompt, recover=self.recover,
                                             room_floor_db=room)
        self.stretches.append((round(offset_s, 3), round(end / SAMPLE_RATE, 3)))
        self.endings_heard_again += int(bool(part.options.get("ending_heard_again")))
        fillers = [replace(f, start_s=f.start_s + offset_s, end_s=f.end_s + offset_s) for f in found]
        return [s.shifted(offset_s) for s in part.segments], fillers


def _merge(segments: list[SpeechSegment], max_len: int) -> list[tuple[int, int]]:
    """Consecutive phrases joined into stretches no longer than ``max_len`` samples."""
    out: list[tuple[int, int]] = []
    for seg in segments:
        if out and seg.end - out[-1][0] <= max_len:
            out[-1] = (out[-1][0], seg.end)
        else:
            out.append((seg.start, seg.end))
    return out
