"""One interview as it is run: the questions asked in turn, each answer kept (in the store when there
is one), feedback or the next question decided, follow-ups asked, the session closed at the end.

Headless: the app calls these steps from its screens and renders what they return; the tests drive
them without Textual. A store that fails (full disk, damaged file) never stops the interview: the
failure goes to ``on_store_error`` and the interview goes on unsaved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from simulator.errors import StoreError
from simulator.session.interview import AnsweredQuestion, Interview, Plan
from simulator.session.session_log import SessionLog, rubric_version
from simulator.store.recordings import AnswerWriter

if TYPE_CHECKING:
    from simulator.answer.report import AnswerReport

NextStep = Literal["feedback", "next question", "summary"]
UNSAVED_TEXT_MAX = 4000
"""The most characters of an unsaved typed answer printed at exit (a typed answer is at most a few
thousand)."""


@dataclass(frozen=True)
class UnsavedAnswer:
    """An answer the store did not keep: its question's number, its report, whether it was typed, and
    where its recording was written when it was written outside the store; and what storing it later
    takes (:meth:`InterviewRun.save_again`): its question, audio, place, main question and session."""

    number: int
    report: AnswerReport
    typed: bool
    audio_path: Path | None = None
    question: Any = None
    samples: np.ndarray | None = None
    position: int | None = None
    parent_id: str | None = None
    session_id: str | None = None
    """None: the store never opened the session (a retry opens one)."""


@dataclass
class InterviewRun:
    """The interview being run, and where its answers are kept."""

    interview: Interview
    session_log: SessionLog | None = None
    recordings_dir: Path | None = None
    """Without a store: each answer's recording is written under this folder, one sub-folder per run."""
    on_store_error: Callable[[str], None] = lambda message: None

    def __post_init__(self) -> None:
        self._stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self._store_failures = 0
        self._session_args: dict[str, Any] = {}
        """How the session was opened, to open it late (:meth:`save_again`) if the store could not then."""
        self.unsaved: list[UnsavedAnswer] = []
        """Answers shown but not stored because the store failed (a full disk), for the summary and
        the lines said at exit (:meth:`unsaved_lines`)."""

    @classmethod
    def start(cls, plan: Plan, bank: Any, *, history: Any = None, session_log: SessionLog | None = None,
              recordings_dir: Path | None = None, engine: str = "", model: str = "",
              end_silence_s: float | None = None,
              on_store_error: Callable[[str], None] = lambda message: None) -> InterviewRun:
        """Plan the questions and open the stored session (raises ``SimulatorError`` on a bad plan)."""
        run = cls(Interview.from_bank(plan, bank, history), session_log, recordings_dir, on_store_error)
        if session_log is not None:
            settings = {"count": plan.count, "think_s": plan.think_s, "limit_s": plan.limit_s, "seed": plan.seed,
                        "end_silence_s": end_silence_s, "follow_ups": plan.follow_ups,
                        "questions": [q.id for q in run.interview.questions]}
            run._session_args = {"role": plan.role, "mode": plan.mode, "settings": settings, "engine": engine,
                                 "model": model}
            run._store(session_log.start, **run._session_args)
        return run

    @property
    def storing(self) -> bool:
        return self.session_log is not None and self.session_log.active

    @property
    def answers(self) -> list[AnsweredQuestion]:
        return self.interview.answers

    # -- one answer -------------------------------------------------------------------------------
    def open_answer_audio(self) -> tuple[int, AnswerWriter] | None:
        """Where the current question's next take streams to in the store (None: not storing)."""
        if not self.storing:
            return None
        return self._store(self.session_log.open_audio, self.interview.current)  # type: ignore[union-attr]

    def audio_path(self) -> Path | None:
        """Where the current take is written when there is no store (None: not written, or stored)."""
        if self.storing or self.recordings_dir is None:
            return None
        q = self.interview.current
        return Path(self.recordings_dir) / self._stamp / f"{self.interview.index + 1:02d}-{q.id}.wav"

    def show(self, report: AnswerReport, audio_path: Path | None = None) -> AnsweredQuestion:
        """Keep the answer for its feedback before it is stored (it may still resume)."""
        self.interview.record(report, audio_path)
        return self.interview.answers[-1]

    def hold(self, report: AnswerReport, n_samples: int, position: int | None) -> None:
        """The take's report is shown while it may still resume: keep it beside its recording, so a
        crash in that window recovers the answer scored."""
        if self.storing:
            follow_up = self.interview.follow_up
            self._store(self.session_log.hold, self.interview.current, report, n_samples, position,  # type: ignore[union-attr]
                        parent_id=follow_up.parent.id if follow_up is not None else None)

    def release(self, position: int | None) -> None:
        """The take resumed: its held report is out of date."""
        if self.storing:
            self._store(self.session_log.release, position)  # type: ignore[union-attr]

    def keep(self, report: AnswerReport, audio_path: Path | None = None, *, samples: np.ndarray | None = None,
             position: int | None = None, shown: bool = False) -> NextStep | None:
        """Store the finished answer and say what comes next: its feedback (rehearsal) or the next
        question. ``shown``: the feedback is on screen already (:meth:`show`), only the store is
        left to do, and nothing comes next from here (``None``)."""
        if self.storing:
            follow_up = self.interview.follow_up
            failures = self._store_failures
            record = self._store(self.session_log.save, self.interview.current, report, samples,  # type: ignore[union-attr]
                                 position, parent_id=follow_up.parent.id if follow_up is not None else None)
            if record is not None:
                audio_path = record.audio_path
            elif self._store_failures > failures:
                self._not_kept(report, samples, None, position)
        elif self.session_log is not None:  # the store could not open the session (a full disk at the start)
            self._not_kept(report, samples, audio_path, None)
        if shown:
            if self.answers and self.answers[-1].report is report:
                self.answers[-1].audio_path = audio_path
            else:  # a drill answer kept as its screen went away
                self.interview.record(report, audio_path)
            return None
        self.interview.record(report, audio_path)
        return "feedback" if self.interview.plan.mode == "rehearsal" else "next question"

    # -- moving on --------------------------------------------------------------------------------
    def advance(self) -> NextStep:
        """The follow-up due or the next question; at the end the session is closed (``summary``)."""
        self.interview.advance()
        if self.interview.finished:
            self.finish()
            return "summary"
        return "next question"

    def cancel(self, *, drop_if_silent: bool = True) -> None:
        """The candidate left mid-interview: the session is kept as cancelled, or dropped when
        nothing was said (unless ``drop_if_silent`` is False: see :meth:`SessionLog.cancel`)."""
        if self.storing and not (self.interview.finished or self.interview.every_question_answered):
            self._store(self.session_log.cancel, drop_if_silent=drop_if_silent)  # type: ignore[union-attr]
        self.finish()

    def finish(self) -> None:
        """Close the stored session (idempotent)."""
        if self.storing:
            self._store(self.session_log.finish)  # type: ignore[union-attr]

    def _store(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (StoreError, OSError) as e:
            self._store_failures += 1
            self.on_store_error(f"Could not save to the session store: {e}")
            return None

    def _not_kept(self, report: AnswerReport, samples: np.ndarray | None, audio_path: Path | None,
                  position: int | None) -> None:
        follow_up = self.interview.follow_up
        session = self.session_log.session if self.session_log is not None else None
        self.unsaved.append(UnsavedAnswer(
            self.interview.index + 1, report, typed=samples is None, audio_path=audio_path,
            question=self.interview.current, samples=samples, position=position,
            parent_id=follow_up.parent.id if follow_up is not None else None,
            session_id=session.id if session is not None else None))

    def save_again(self) -> str | None:
        """Store the answers the store could not keep, now that it may (space freed): each into its
        session, or, when the session never opened, into one opened now with the interview's settings
        and closed again. Those that still fail stay unsaved. Returns the last error (None: all kept)."""
        if self.session_log is None:
            return "no session store"
        store, error, late_session = self.session_log.store, None, None
        still: list[UnsavedAnswer] = []
        for entry in self.unsaved:
            try:
                session_id = entry.session_id
                if session_id is None:
                    if late_session is None:
                        late_session = store.start_session(rubric_version=rubric_version(), **self._session_args).id
                    session_id = late_session
                self.session_log.save_late(session_id, entry.question, entry.report, entry.samples, entry.position,
                                           parent_id=entry.parent_id)
            except (StoreError, OSError) as e:
                still.append(entry)
                error = str(e)
        if late_session is not None:
            try:
                store.finish_session(late_session)
            except (StoreError, OSError) as e:  # its answers are kept; it shows as a session a crash left
                error = str(e)
        self.unsaved = still
        return error

    def is_unsaved(self, report: AnswerReport) -> bool:
        """Whether this answer's report is one the store did not keep."""
        return any(entry.report is report for entry in self.unsaved)

    def unsaved_lines(self) -> list[str]:
        """What to say at exit about answers the store did not keep: a typed one in full (it exists
        nowhere else), a spoken one with where its recording may still be (stop 44's explorer: on a full
        disk the summary listed them as kept, a typed answer was lost, and nothing was said at exit)."""
        lines = []
        for entry in self.unsaved:
            if entry.typed:
                text = entry.report.transcript.text
                shown = text if len(text) <= UNSAVED_TEXT_MAX else text[:UNSAVED_TEXT_MAX] + " ..."
                lines.append(f"Answer {entry.number} (typed) could not be saved. Your words, to keep: {shown}")
            elif entry.audio_path is not None and entry.audio_path.is_file():
                lines.append(f"Answer {entry.number} could not be saved to the session store. Its recording: "
                             f"{entry.audio_path} (`interview-sim score` scores it again).")
            else:
                lines.append(f"Answer {entry.number} could not be saved. Its recording so far, if on disk, comes back "
                             "with `interview-sim sessions recover` once there is space.")
        return lines
