"""What the question screens say as an answer goes on: the hint for each phase, the hints while the
candidate pauses, and the notices about the microphone and a typed answer kept."""

from __future__ import annotations

from simulator.session.end_of_turn import Cue

PHASE_HINTS = {
    "speaking": "Listen to the question…",
    "thinking": "Think about your answer. Start speaking when you are ready, or press space.",
    "ready": "Press space to start answering, or t to type.",
    "recording": "Listening — just talk, and take your time. Press space when you are done.",
    "analysing": "Analysing your answer…",
    "settling": "Answer ended. Keep talking to go on, or wait for the next question…",
    "done": "",
}
DRAFT_KEPT = "Your typed answer is kept: press t to go on with it."
END_WITH_DRAFT_ASK = ("Press Escape again to end this interview. Your typed answer is not submitted: "
                      "t, then ctrl+s, submits it.")
TIME_UP_HINT = "Time is up — finish your sentence; the answer ends when you pause."
PAUSE_HINTS = {
    Cue.FINISHING: "Finishing… (keep talking to go on)",
    Cue.TAKE_YOUR_TIME: "Take your time — the answer goes on when you speak.",
    Cue.ASK_DONE: "Are you done? Press space to finish, or just keep talking.",
    Cue.NO_SIGNAL: "Your microphone sends only silence — is it muted? Unmute it and talk, or press space, "
                   "then d for another microphone.",
}


MICROPHONE_OFF = "Answer saved. The microphone is off now: press r to answer this question again."
"""Shown when the listen-on window after a rehearsal answer closes: speech after it is not recorded."""
