"""The durable state of `appmesh-mock serve --state-file`: an SQLite database in WAL mode.

Each mutating request is one transaction, committed before the answer is sent (the store
hands over what the request changed: backend/store.py `commit`). So every write the server
acknowledged survives `kill -9`, and SQLite's write-ahead log makes a torn tail (a commit cut
short by the kill) vanish whole on the next open, never costing an earlier write.
`synchronous=NORMAL`: a commit is in the log (the OS's page cache) when the answer goes out,
which a killed process cannot lose; the log is synced at checkpoints only, so an OS crash or
power cut of the machine may drop the last commits (never corrupt the file). FULL would add an
fsync per commit, many times the cost of a write (docs/server.md).

Rows hold the same documents as the JSON state (backend/persistence.py): one per resource
(by uid, loaded in creation order), one per clientToken record, one per mesh share, and the
format and the last sequence number in `meta`.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path

from . import persistence
from .persistence import (
    FORMAT,
    FORMAT_VERSION,
    StateFileError,
    resource_doc,
    resource_from_doc,
    token_doc,
)
from .store import Changes, Store
from .tokens import TokenEntry

APPLICATION_ID = 0x414D4D4B  # "AMMK" in the database header: this is our kind of file
SYNCHRONOUS = "NORMAL"
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE resources (uid TEXT PRIMARY KEY, seq INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE TABLE tokens (account TEXT NOT NULL, region TEXT NOT NULL, token TEXT NOT NULL,
                     doc TEXT NOT NULL, PRIMARY KEY (account, region, token));
CREATE TABLE shares (owner TEXT NOT NULL, region TEXT NOT NULL, mesh TEXT NOT NULL,
                     consumer TEXT NOT NULL, PRIMARY KEY (owner, region, mesh, consumer));
"""
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


class StateDatabase:
    """An open state file: `load` it into a store, then attach it as the store's journal."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        check_location(self.path)
        self.db = _connect(self.path)

    def load(self, store: Store) -> None:
        """Replaces the store's state with the file's, then journals every change to it."""
        with store.lock:
            store.reset()
            try:
                self._restore(store)
            except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
                store.reset()
                raise StateFileError(f"{self.path} is damaged: {exc!r}") from None
            except sqlite3.DatabaseError as exc:
                store.reset()
                raise StateFileError(f"{self.path} is damaged: {exc}") from None
            store.commit()
            store.journal = self

    def _restore(self, store: Store) -> None:
        rows = self.db.execute("SELECT doc FROM resources ORDER BY seq")
        for (doc,) in rows:
            store.restore(resource_from_doc(json.loads(doc)))
        tokens = self.db.execute("SELECT account, region, token, doc FROM tokens ORDER BY rowid")
        for account, region, token, doc in tokens:
            entry = TokenEntry(**json.loads(doc))
            store.remember_token(store.backend(account, region), token, entry)
        for share in self.db.execute("SELECT owner, region, mesh, consumer FROM shares"):
            store.share(*share)
        found = self.db.execute("SELECT value FROM meta WHERE key = 'lastSeq'").fetchone()
        store.advance_seq(int(found[0]) if found else 0)
        store.rebuild_indexes()

    def write(self, store: Store, changes: Changes) -> None:
        """One transaction with everything `changes` names (see Journal in store.py)."""
        with self.db:
            if changes.cleared:
                self.db.execute("DELETE FROM resources")
                self.db.execute("DELETE FROM tokens")
                self.db.execute("DELETE FROM shares")
            for uid, resource in changes.resources.items():
                if store.is_live(resource):
                    self.db.execute(
                        "INSERT OR REPLACE INTO resources VALUES (?, ?, ?)",
                        (uid, resource.seq, _dumps(resource_doc(resource))),
                    )
                else:
                    self.db.execute("DELETE FROM resources WHERE uid = ?", (uid,))
            for account, region, token in changes.tokens:
                backend = store.existing_backend(account, region)
                entry = backend.tokens.get(token) if backend is not None else None
                if entry is None:
                    self.db.execute(
                        "DELETE FROM tokens WHERE account = ? AND region = ? AND token = ?",
                        (account, region, token),
                    )
                else:
                    self.db.execute(
                        "INSERT OR REPLACE INTO tokens VALUES (?, ?, ?, ?)",
                        (account, region, token, _dumps(token_doc(entry))),
                    )
            if changes.shares or changes.cleared:
                self.db.execute("DELETE FROM shares")
                self.db.executemany("INSERT INTO shares VALUES (?, ?, ?, ?)", store.shares())
            self.db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('lastSeq', ?)", (str(store.last_seq),)
            )

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()


def check_location(path: Path) -> None:
    """A one-line StateFileError for a path that cannot hold the state, before any use."""
    folder = path.absolute().parent
    if not folder.is_dir():
        raise StateFileError(f"the folder of {path} does not exist")
    if path.is_dir():
        raise StateFileError(f"{path} is a directory")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StateFileError(f"the folder of {path} is not writable")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise StateFileError(f"{path} cannot be read and written")


def _connect(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StateFileError(f"{path} cannot be opened: {exc}") from None
    try:
        _prepare(db, path)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise StateFileError(f"{path} is damaged or not a state file: {exc}") from None
    except StateFileError:
        db.close()
        raise
    db.isolation_level = "IMMEDIATE"  # `with db:` opens a write transaction
    return db


def _prepare(db: sqlite3.Connection, path: Path) -> None:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    application_id = db.execute("PRAGMA application_id").fetchone()[0]
    if not tables:
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript("BEGIN;" + SCHEMA + "COMMIT;")
        db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        db.execute("INSERT INTO meta VALUES ('format', ?), ('formatVersion', ?)",
                   (FORMAT, str(FORMAT_VERSION)))
    elif application_id != APPLICATION_ID:
        raise StateFileError(f"{path} is an SQLite database of another program")
    else:
        version = db.execute("SELECT value FROM meta WHERE key = 'formatVersion'").fetchone()
        if version is None or version[0] != str(FORMAT_VERSION):
            found = version[0] if version else None
            raise StateFileError(f"{path} has state format {found!r}, not {FORMAT_VERSION}")
    if db.execute("PRAGMA journal_mode=WAL").fetchone()[0].lower() != "wal":
        raise StateFileError(f"{path} cannot be switched to write-ahead logging")
    db.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
    checked = db.execute("PRAGMA quick_check").fetchone()[0]
    if checked != "ok":
        raise StateFileError(f"{path} is damaged: {checked}")


def is_json_state(path: Path) -> bool:
    """Whether `path` holds an older JSON state file (it starts with "{")."""
    try:
        with open(path, "rb") as stream:
            return stream.read(64).lstrip().startswith(b"{")
    except OSError:
        return False


def open_state(path: str | os.PathLike[str], store: Store, *, reset: bool = False) -> StateDatabase:
    """The state file at `path` loaded into `store` and attached as its journal.

    `reset` starts empty, replacing whatever the file held. An older JSON state file is
    converted: loaded, kept beside as `<name>.json-backup`, and its state written to a new
    database in its place. Any problem is a one-line StateFileError, raised before the
    caller listens.
    """
    target = Path(path)
    check_location(target)
    if reset:
        for stale in (target, *(target.with_name(target.name + s) for s in ("-wal", "-shm"))):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
    if target.exists() and is_json_state(target):
        persistence.load_file(store, target)  # refused (file untouched) if it is damaged
        os.replace(target, target.with_name(target.name + ".json-backup"))
        database = StateDatabase(target)
        store.journal = database
        persistence.load(store, persistence.dump(store))  # all of it in one transaction
        return database
    database = StateDatabase(target)
    try:
        database.load(store)
    except BaseException:
        database.db.close()
        raise
    return database
