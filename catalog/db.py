"""Opening the SQLite database file shared by catalog, recommender cache and store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database


def open_database(path: str | Path | None) -> Database:
    """Open (creating parent folders) a file database, or an in-memory one when path is None or ':memory:'."""
    if path is None or str(path) == ":memory:":
        return Database(sqlite3.connect(":memory:", check_same_thread=False))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # One connection shared by the event loop and the warm-up/ranking worker thread (never at the same time
    # for writes); sqlite3's serialized mode keeps the C level safe.
    db = Database(sqlite3.connect(str(path), check_same_thread=False))
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA busy_timeout=5000")
    db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: safe across crashes, no fsync per commit
    return db
