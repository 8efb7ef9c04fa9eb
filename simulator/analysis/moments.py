"""The moments of an answer worth hearing again: each filler, long pause, and tone moment
(monotone stretch, trailing off, uptalk, quiet), in the order they happened, for replay to jump to
and reports to mark."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.analysis.delivery import DeliveryMetrics

KIND_LABELS = {
    "filler": "filler",
    "long_pause": "long pause",
    "monotone": "monotone",
    "trailing_off": "trailing off",
    "uptalk": "uptalk",
    "quiet": "quiet",
}


@dataclass(frozen=True)
class Moment:
    kind: str  # a key of KIND_LABELS
    start_s: float
    end_s: float
    detail: str

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def delivery_moments(delivery: DeliveryMetrics) -> list[Moment]:
    """Every flagged moment of the answer, by start time (fillers first where two start together)."""
    out = [Moment("filler", f.start_s, f.end_s, f"“{f.text}”" + (" (heard in a gap)" if f.recovered else ""))
           for f in delivery.fillers.items]
    out += [Moment("long_pause", p.start_s, p.end_s, f"{p.duration_s:.1f} s of silence")
            for p in delivery.long_pauses]
    if delivery.tone is not None:
        out += [Moment(m.kind, m.start_s, m.end_s, m.detail + (f" — “{m.quote}”" if m.quote else ""))
                for m in delivery.tone.moments]
    order = {kind: i for i, kind in enumerate(KIND_LABELS)}
    return sorted(out, key=lambda m: (m.start_s, order.get(m.kind, len(order))))
