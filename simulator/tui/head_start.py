"""The answer's head start: what recording and scoring an answer needs is imported, and the content
of an answer being typed is prepared, before the answer ends, so that its feedback does not wait for
them (the question screen and the role-play screen both use these)."""

from __future__ import annotations

import importlib

ANSWER_MODULES = (
    "simulator.session.answer_loop",  # the answer loop, the delivery analysis, the report
    "simulator.tui.answer_worker",
    "simulator.rubric.engine",  # content scoring
)
"""What recording and scoring an answer needs, imported when it starts (the question screen's
``record`` and ``_typed``), not with the screen: the first question is asked without them. The app
imports them ahead (:func:`preload_answer`) while that question plays."""


def preload_answer() -> None:
    """Import :data:`ANSWER_MODULES` (on a worker thread, so that no answer waits for them). Only a
    head start: a module that fails to import fails again, and is reported, where it is used."""
    for name in ANSWER_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - see above; the model loads after this whatever happens
            return


def prepare_content(text: str) -> None:
    """The content engine's head start on an answer being typed (:class:`~simulator.tui.screens.typed_answer.TypedAnswerScreen`)."""
    from simulator.rubric import warm  # noqa: PLC0415 - see ANSWER_MODULES

    warm(text)
