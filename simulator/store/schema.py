"""The session database's schema as an ordered list of migrations, tracked in ``PRAGMA user_version``.

Migration *n* (1-based) takes a database at version *n-1* to version *n*. Migrations are only ever
appended, never edited: a user's database created by an older release is brought up to date by
running the ones it has not seen, each in its own transaction together with the version bump.
"""

from __future__ import annotations

import sqlite3

from simulator.errors import StoreError

MIGRATIONS: tuple[str, ...] = (
    # 1: sessions and answers.
    """
    CREATE TABLE sessions (
        id          TEXT PRIMARY KEY,
        started_at  TEXT NOT NULL,
        ended_at    TEXT,
        role        TEXT NOT NULL DEFAULT '',
        mode        TEXT NOT NULL DEFAULT '',
        status      TEXT NOT NULL DEFAULT 'in_progress'
                    CHECK (status IN ('in_progress', 'complete', 'recovered')),
        settings    TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE answers (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id    TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position      INTEGER NOT NULL,
        question_id   TEXT,
        question_text TEXT NOT NULL DEFAULT '',
        audio_path    TEXT,
        duration_s    REAL NOT NULL DEFAULT 0,
        transcript    TEXT,
        delivery      TEXT,
        content       TEXT,
        feedback      TEXT NOT NULL DEFAULT '[]',
        created_at    TEXT NOT NULL
    );
    CREATE INDEX answers_by_session ON answers(session_id, position);
    """,
    # 2: engine/model/rubric versions per session, the owning process (to tell a crashed session from
    #    one still running in another window), rescore history, and the report's source/options.
    """
    ALTER TABLE sessions ADD COLUMN engine TEXT NOT NULL DEFAULT '';
    ALTER TABLE sessions ADD COLUMN model TEXT NOT NULL DEFAULT '';
    ALTER TABLE sessions ADD COLUMN rubric_version TEXT NOT NULL DEFAULT '';
    ALTER TABLE sessions ADD COLUMN pid INTEGER;
    ALTER TABLE answers ADD COLUMN superseded_by INTEGER REFERENCES answers(id) ON DELETE SET NULL;
    ALTER TABLE answers ADD COLUMN source TEXT NOT NULL DEFAULT '';
    ALTER TABLE answers ADD COLUMN options TEXT NOT NULL DEFAULT '{}';
    CREATE INDEX sessions_by_start ON sessions(started_at);
    """,
    # 3: the rubric an answer is judged by, decided when it was asked (a follow-up's from what it
    #    asks), so a rescore judges the same audio the same way. NULL for answers stored before.
    """
    ALTER TABLE answers ADD COLUMN rubric TEXT;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring ``conn`` up to :data:`SCHEMA_VERSION`; return the version it started at.

    The connection must be in autocommit mode (``isolation_level=None``). Each step runs inside
    ``BEGIN IMMEDIATE`` and re-reads the version under the lock, so two processes opening an old
    database at once do not both run a migration.

    Raises:
        StoreError: the database was written by a newer release.
    """
    start = conn.execute("PRAGMA user_version").fetchone()[0]
    if start > SCHEMA_VERSION:
        raise StoreError(
            f"the session store was written by a newer interview-sim (schema {start}, this one knows "
            f"{SCHEMA_VERSION}); upgrade interview-sim"
        )
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= SCHEMA_VERSION:
                conn.execute("COMMIT")
                return start
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def missing_columns(conn: sqlite3.Connection) -> list[str]:
    """The tables and columns this release writes that the database at ``conn`` lacks ("table.column").

    A file can carry the schema version and still not be our store: a store whose tables another
    program rebuilt, or an unrelated database given the same name. Reading it would fail on every
    command, so it is treated as a damaged store (set aside, never deleted)."""
    expected = _expected_columns()
    missing = []
    for table, columns in expected.items():
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        missing += [f"{table}.{c}" for c in columns if c not in have]
    return missing


_EXPECTED: dict[str, list[str]] = {}


def _expected_columns() -> dict[str, list[str]]:
    """Each table's columns as the migrations build them (on an empty database in memory, once)."""
    if not _EXPECTED:
        probe = sqlite3.connect(":memory:", isolation_level=None)
        try:
            migrate(probe)
            tables = [r[0] for r in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                _EXPECTED[table] = [row[1] for row in probe.execute(f"PRAGMA table_info({table})")]
        finally:
            probe.close()
    return _EXPECTED


def _statements(script: str) -> list[str]:
    """Split a migration into statements (no migration contains a ';' inside a literal)."""
    return [s.strip() for s in script.split(";") if s.strip()]
