"""Feedback on one answer: transcript with fillers and pauses, pace over time, delivery against the
target bands, the rubric checklist with evidence, red flags and feedback lines."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Sparkline, Static

from simulator.analysis.delivery import chart_pace
from simulator.analysis.thresholds import current_thresholds
from simulator.session.interview import AnsweredQuestion
from simulator.tui.second_press import END_INTERVIEW_ASK, WINDOW_S, SecondPress
from simulator.tui.widgets.transcript_view import transcript_text

KIND_MARK = {"strength": ("+", "green"), "improve": ("→", "yellow"), "flag": ("!", "red"), "info": ("·", "grey50")}


def delivery_table(answer: AnsweredQuestion, *, length: bool = True) -> Table | Text:
    """Pace, fillers, length and pauses against their targets; ``length=False`` leaves out the
    length row (a role-play turn has no target length: it is a reply, not an interview answer)."""
    d = answer.report.delivery
    if answer.report.options.get("typed"):
        return Text("Typed answer: delivery (pace, fillers, pauses) was not measured.", style="italic")
    if d.verdicts.speech != "speech":
        return Text("No speech was detected in this answer.", style="bold red")
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    table.add_column("Measure")
    table.add_column("You", justify="right")
    table.add_column("Target")
    table.add_column("Verdict")
    span = d.span_s
    T = current_thresholds()  # noqa: N806 - the bands the verdicts were judged with
    table.add_row("Pace", f"{d.wpm:.0f} wpm", f"{T.pace_slow_below_wpm:.0f}–{T.pace_fast_above_wpm:.0f} wpm",
                  _verdict(d.verdicts.pace, "good"))
    table.add_row("Fillers", f"{d.fillers.per_minute:.1f}/min ({d.fillers.count})",
                  f"< {T.fillers_noticeable_per_min:g}/min",
                  _verdict(d.verdicts.fillers, "rare"))
    lo, hi = d.target_length_s
    if length:
        table.add_row("Length", f"{span:.0f} s", f"{lo:.0f}–{hi:.0f} s", _verdict(d.verdicts.length, "good"))
    else:
        table.add_row("Length", f"{span:.0f} s", "", "")
    table.add_row("Long pauses", str(len(d.long_pauses)), "", "")
    return table


def pace_points(answer: AnsweredQuestion) -> list[float]:
    """WPM over time (:func:`~simulator.analysis.delivery.chart_pace`)."""
    return [wpm for _, wpm in chart_pace(answer.report.delivery.pace_series, answer.report.transcript.words)]


def _verdict(value: str, good: str) -> Text:
    return Text(value, style="green" if value == good else "yellow")


def content_text(answer: AnsweredQuestion) -> Text:
    c = answer.report.content
    out = Text()
    if c is None:
        return Text("No content rubric for this question.")
    if c.assessable:
        out.append(f"Content score {c.score}/100 ({c.rubric})\n", style="bold")
    else:  # no score: a 0/100 under "not assessed" read as a verdict on the answer
        out.append(f"Content not assessed ({c.rubric}): {c.reason}\n", style="yellow")
    for crit in c.criteria:
        mark, style = ("✔", "green") if crit.met else ("✘", "red")
        out.append(f" {mark} ", style=style)
        out.append(crit.label)
        if crit.evidence is not None:
            out.append(f'  “{crit.evidence.text}”', style="italic grey62")
        out.append("\n")
    if c.red_flags:
        out.append("\nRed flags\n", style="bold red")
        for flag in c.red_flags:
            out.append(f" ! {flag.label}", style="red")
            out.append(f'  “{flag.evidence.text}”\n', style="italic grey62")
    if c.feedback:
        out.append("\nFeedback\n", style="bold")
        for line in c.feedback:
            mark, style = KIND_MARK.get(line.kind, ("·", ""))
            out.append(f" {mark} ", style=style)
            out.append(f"{line.text}\n")
    return out


class FeedbackScreen(Screen):
    BINDINGS = [("n", "next", "Next question"), ("r", "rerecord", "Re-record"),
                # Devices off the footer so Help and Quit fit at 80 columns (d still works; see Help).
                Binding("d", "app.devices", "Devices", show=False), ("escape", "back", "Back"),
                # In an interview Escape ends it (asking first): the footer said "Back" (stop 43).
                ("escape", "end", "End"), ("f1", "app.help", "Help")]

    def __init__(self, answer: AnsweredQuestion, *, review: bool = False):
        super().__init__()
        self.answer = answer
        self.review = review  # opened from the summary: escape goes back there
        self._leave = SecondPress()

    def compose(self) -> ComposeResult:
        d = self.answer.report.delivery

        with VerticalScroll(id="feedback-box"):
            yield Static(self.answer.question.text, id="fb-question")
            yield Static("Your answer", classes="section")
            yield Static(transcript_text(self.answer.report), id="fb-transcript")
            if series := pace_points(self.answer):
                yield Static(f"Pace over the answer: {min(series):.0f}–{max(series):.0f} wpm", classes="section")
                yield Sparkline(series, id="fb-pace")
            yield Static("Delivery", classes="section")
            yield Static(delivery_table(self.answer), id="fb-delivery")
            yield Static("Content", classes="section")
            yield Static(content_text(self.answer), id="fb-content")
            yield Static("Coaching aid, not a hiring prediction.", id="disclaimer")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Opened from the summary (``review``), the answer is only read: no next question and no
        re-record in the footer (they were shown, and did nothing or only went back)."""
        if self.review and action in ("next", "rerecord", "end"):
            return False
        return not (action == "back" and not self.review)

    def action_next(self) -> None:
        if self.review:
            self.app.pop_screen()
        else:
            self.app.next_question()  # type: ignore[attr-defined]

    def action_rerecord(self) -> None:
        if not self.review:
            self.app.rerecord()  # type: ignore[attr-defined]

    def action_back(self) -> None:
        if self.review:
            self.app.pop_screen()

    def action_end(self) -> None:
        if self._leave.confirmed():  # in an interview, with this answer in it: asks first
            self.app.cancel_interview()  # type: ignore[attr-defined]
        else:
            self.notify(END_INTERVIEW_ASK, timeout=WINDOW_S)
