"""Opening the session store: the SQLite connection, its write transactions, and damaged files.

:class:`StoreConnection` is the one connection every part of :class:`~simulator.store.SessionStore`
(its queries, writes and recovery) is given. It owns the SQLite connection (WAL, foreign keys, a
busy timeout so several app windows can share the database, migrated to the current schema on
open), the ``BEGIN IMMEDIATE`` write transaction every change goes through, and the layout of the
store's folder. A database file that fails SQLite's check is never deleted: it is renamed to
``sessions.db.corrupt-<time>`` and a fresh store is created, because a user's practice history is
worth more than a clean start.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Literal, Self

from simulator.errors import StoreError
from simulator.store.recordings import private_dir
from simulator.store.schema import SCHEMA_VERSION, migrate, missing_columns
from simulator.paths import data_dir, new_file_refused, writable_data_dir

DB_NAME = "sessions.db"
BUSY_TIMEOUT_MS = 15_000
_CORRUPT_CODES = {getattr(sqlite3, "SQLITE_CORRUPT", 11), getattr(sqlite3, "SQLITE_NOTADB", 26)}


class StoreCorruptError(StoreError):
    """The database file was damaged; it has been set aside and a fresh store created."""

    def __init__(self, message: str, backup: Path) -> None:
        super().__init__(message)
        self.backup = backup


class StoreFullError(StoreError):
    """A write failed because the disk is full."""


MIN_FREE_BYTES = 1_000_000
"""Below this much free space, a failed write is put down to a full disk (SQLite often says only
"disk I/O error" when its -wal or -shm cannot grow)."""


def _disk_full(root: Path, error: sqlite3.OperationalError) -> bool:
    if getattr(error, "sqlite_errorcode", None) == getattr(sqlite3, "SQLITE_FULL", 13) or "disk is full" in str(error):
        return True
    try:
        import shutil  # noqa: PLC0415

        return shutil.disk_usage(root).free < MIN_FREE_BYTES
    except OSError:
        return False


READ_ONLY_OPENINGS = ("?mode=ro", "?immutable=1")
"""How a store that cannot be written is opened, in order (:meth:`StoreConnection._connect_read_only`)."""


class DamagedText(str):
    """A stored text that is not valid UTF-8 (bytes overwritten on disk), read with the damaged bytes
    replaced: the reader of its row treats it as damage instead of SQLite failing the whole query."""


def read_text(value: bytes) -> str:
    """SQLite's text as ``str``; a damaged one as :class:`DamagedText`, not an error: with the
    default text factory one damaged answer made every query of its session fail (``history``,
    ``sessions list``, the app at start; stop 44's explorer)."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return DamagedText(value.decode("utf-8", "replace"))


class StoreConnection:
    """The store's database connection and folder. Open with :meth:`open`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.root = path.parent
        self.corrupt_backup: Path | None = None
        self.read_only = False
        """Opened without write access (:meth:`_connect_read_only`): nothing is recovered or written."""
        self.unread_changes = False
        """Read-only, and a ``-wal`` file holds changes this connection cannot show."""
        self.disk_full = False
        """Opened read-only because the disk is full (SQLite could not make its -shm): reading works;
        a deletion frees the recordings first, then :meth:`reopen_writable`."""

    @classmethod
    def open(
        cls, path: str | os.PathLike[str] | None = None, *, on_corrupt: Literal["raise", "backup"] = "raise"
    ) -> Self:
        """Open (creating and migrating as needed) the store at ``path`` or ``data_dir()/sessions.db``.

        A damaged database file is never deleted: it is renamed to ``sessions.db.corrupt-<time>``
        and a fresh store is created in its place. With ``on_corrupt="raise"`` (the CLI) that is
        reported as :class:`StoreCorruptError`; with ``"backup"`` (the app) the fresh store is
        returned and its ``corrupt_backup`` names the backup so the app can tell the user.

        Raises:
            StoreError: the database cannot be opened or was written by a newer release.
        """
        try:
            if path is None:
                db = data_dir() / DB_NAME
            else:
                db = Path(path)
                private_dir(db.parent)
        except OSError as e:  # the data directory is a file, on a read-only disk, not ours...
            where = e.filename or path or "the data directory"
            raise StoreError(f"cannot use {where} for the session store: {e.strerror or e}") from e
        if db.is_file() and not writable(db):
            return cls._connect_read_only(db)  # a read-only disk: the sessions can still be listed and exported
        try:
            return cls._connect(db)
        except OSError as e:  # a data folder SQLite's file cannot be made in (/proc/1)
            raise StoreError(f"cannot open the session store {db}: {e.strerror or e}") from e
        except sqlite3.DatabaseError as e:
            if getattr(e, "sqlite_errorcode", None) not in _CORRUPT_CODES and not isinstance(e, _Corrupt):
                if db.is_file() and _disk_full(db.parent, e):
                    # SQLite cannot make its -shm and -wal: the sessions can still be read (and
                    # deleted: see SessionWrites.delete_session), nothing else written.
                    store = cls._connect_read_only(db)
                    store.disk_full = True
                    return store
                raise StoreError(f"cannot open the session store {db}: {e}") from e
            backup = _set_aside(db)
            fresh = cls._connect(db)
            fresh.corrupt_backup = backup
            if on_corrupt == "raise":
                fresh.close()
                raise StoreCorruptError(
                    f"the session store {db} was damaged; it was moved to {backup.name} and a new, "
                    f"empty store was created; run `interview-sim sessions recover` to rebuild its sessions "
                    f"from the recordings, then the command again", backup,
                ) from e
            return fresh

    @classmethod
    def _connect(cls, db: Path) -> Self:
        # 0600 before SQLite writes (its -wal/-shm inherit the mode). O_EXCL: never truncate a
        # database another process created a moment ago.
        with contextlib.suppress(FileExistsError):
            os.close(os.open(db, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        conn = sqlite3.connect(db, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.text_factory = read_text
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise _Corrupt(check)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
            # Deleted rows are overwritten, not just unlinked: a deleted transcript must not survive
            # in free pages even when VACUUM cannot run (another window is reading).
            conn.execute("PRAGMA secure_delete = ON")
            migrate(conn)
            if missing := missing_columns(conn):
                raise _Corrupt(f"not this program's tables (no {', '.join(missing[:3])})")
        except BaseException:
            conn.close()
            raise
        return cls(conn, db)

    @classmethod
    def _connect_read_only(cls, db: Path) -> Self:
        """The store where it cannot be written (a read-only mount, a disk the system remounted
        read-only after errors, a read-only ``sessions.db``): nothing migrated, recovered or set aside.
        Reading works; a write fails with :meth:`write`'s one-line error. SQLite reads the ``-wal``
        too where it can (``mode=ro``); where it cannot (no ``-shm`` and a folder that takes no file)
        the file is read as it stands (``immutable``), and :attr:`unread_changes` says a ``-wal``
        with changes in it was left unread: sessions a crash left there show once it is writable."""
        uri = db.resolve().as_uri()
        conn = None
        for query in READ_ONLY_OPENINGS:
            conn = sqlite3.connect(f"{uri}{query}", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            conn.text_factory = read_text
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                break
            except sqlite3.OperationalError:
                conn.close()
                conn = None
            except sqlite3.DatabaseError as e:
                conn.close()
                raise StoreError(f"cannot read the session store {db} (it is read-only): {e}") from e
        if conn is None:
            raise StoreError(f"cannot read the session store {db}: it is read-only and SQLite cannot open it")
        try:
            if version != SCHEMA_VERSION or missing_columns(conn):
                raise StoreError(f"cannot read the session store {db}: it is read-only and the store "
                                 f"needs {'an upgrade' if version < SCHEMA_VERSION else 'a newer interview-sim'} "
                                 "or a repair first; make it writable and try again")
        except BaseException:
            conn.close()
            raise
        store = cls(conn, db)
        store.read_only = True
        wal = db.with_name(db.name + "-wal")
        store.unread_changes = query == "?immutable=1" and wal.is_file() and wal.stat().st_size > 0
        return store

    def close(self) -> None:
        self.conn.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock up front (no upgrade deadlocks)."""
        if self.disk_full:
            raise StoreFullError(f"cannot write to the session store {self.path}: the disk is full; free some "
                                 "space (deleting old sessions works) and try again")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise StoreError(f"the session store is busy or read-only ({e}); try again") from e
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as e:
            if self.conn.in_transaction:  # SQLite may have rolled back already (disk full, I/O error)
                self.conn.execute("ROLLBACK")
            if isinstance(e, sqlite3.OperationalError):  # disk full, read-only, I/O error: not a bug
                if _disk_full(self.root, e):
                    raise StoreFullError(
                        f"cannot write to the session store {self.path}: the disk is full; free some space "
                        f"(deleting old sessions works) and try again") from e
                raise StoreError(f"cannot write to the session store {self.path}: {e}") from e
            raise

    def reopen_writable(self) -> None:
        """After a full disk was given some room back: the store opened for writing again."""
        try:
            fresh = type(self)._connect(self.path)
        except (OSError, sqlite3.Error) as e:
            raise StoreFullError(f"cannot write to the session store {self.path}: the disk is still full; "
                                 "free some space outside the app and try again") from e
        self.conn.close()
        self.conn, self.read_only, self.disk_full, self.unread_changes = fresh.conn, False, False, False

    def audio_dir(self, session_id: str) -> Path:
        return self.root / "audio" / session_id

    def corrupt_backups(self) -> list[Path]:
        """Damaged databases set aside when the store was opened (``sessions.db.corrupt-<time>``)."""
        return sorted(p for p in self.root.glob(f"{self.path.name}.corrupt-*")
                      if not p.name.endswith(("-wal", "-shm")))


def saving_folder() -> Path:
    """The data folder, checked before anything is recorded: the folder takes new files and the
    session store can be written. An answer said into a store that cannot keep it would be lost,
    so practice refuses to start instead (the lists and exports only read). Raises StoreError."""
    folder = writable_data_dir()
    db = folder / DB_NAME
    if not writable(db):
        raise StoreError(f"cannot save to the session store {db}: it is read-only; your answers would not "
                         "be kept (make it writable, or choose another data folder with --data-dir)")
    return folder


def typed_restored_marker(backup: Path) -> Path:
    """Beside a damaged store set aside, hidden: its typed sessions were restored once (their ids
    inside), so recovery does not bring them back again after the user deletes one."""
    return backup.with_name(f".{backup.name}.typed-restored")


def writable(db: Path) -> bool:
    """Whether the store at ``db`` can take a write: its folder takes new files (SQLite's -wal and
    -shm) and the file itself may be written (a read-only mount says no even to root)."""
    return new_file_refused(db.parent) is None and (not db.exists() or os.access(db, os.W_OK))


class _Corrupt(sqlite3.DatabaseError):
    """quick_check found damage in a file SQLite could still open."""


def _set_aside(db: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm) to ``<name>.corrupt-<time>``; delete nothing."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = db.with_name(f"{db.name}.corrupt-{stamp}")
    n = 1
    while backup.exists():
        n += 1
        backup = db.with_name(f"{db.name}.corrupt-{stamp}-{n}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{db}{suffix}")
        with contextlib.suppress(FileNotFoundError):  # another process may have moved it already
            os.replace(src, Path(f"{backup}{suffix}"))
    return backup
