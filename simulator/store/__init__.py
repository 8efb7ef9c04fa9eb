"""Sessions: the local store of practice sessions, their answers and recordings.

Public API::

    from simulator.store import SessionStore, SessionRecord, AnswerRecord, QuestionRef

    with SessionStore.open() as store:            # data_dir()/sessions.db
        session = store.start_session(role="retail", mode="practice", settings={...})
        writer = store.open_answer_audio(session.id, 1, question)   # streams <1>.partial.wav
        writer.write(block); path = writer.close()
        store.add_answer(session.id, question, report, samples, position=1)
        store.finish_session(session.id)
"""

from simulator.store.models import (
    AnswerRecord,
    QuestionRef,
    SessionRecord,
    SessionSummary,
)
from simulator.store.recordings import AnswerWriter
from simulator.store.store import (
    RecoveredSession,
    SessionStore,
    StoreCorruptError,
    UnknownSessionError,
)

__all__ = [
    "AnswerRecord", "AnswerWriter", "QuestionRef", "RecoveredSession", "SessionRecord",
    "SessionStore", "SessionSummary", "StoreCorruptError", "UnknownSessionError",
]
