"""Opening the store named by CREDBOT_DB: a file path (SQLite, the default) or a postgresql:// URL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from store import pg_schema
from store.engine import Engine, PostgresEngine, SqliteEngine, is_postgres_url


def open_sqlite(path: str | Path | None) -> Database:
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


def open_engine(target: str | Path | None, *, schema: str | None = None, pool_size: int = 8) -> Engine:
    """A file path or None/':memory:' gives SQLite; a postgresql:// URL gives PostgreSQL, its schema migrated.

    `schema`: PostgreSQL only, a schema to work in (tests give each run its own)."""
    if is_postgres_url(target):
        assert isinstance(target, str)
        engine = PostgresEngine(target, max_size=pool_size, schema=schema)
        ensure_schema(engine)
        return engine
    return SqliteEngine(open_sqlite(target))


def ensure_schema(engine: Engine) -> None:
    """PostgreSQL: every table at once, the first time this engine is used (the SQLite side keeps its per-module
    sqlite-utils migrations, so existing database files upgrade as before)."""
    if engine.kind == "postgresql" and not getattr(engine, "migrated", False):
        pg_schema.apply(engine)
        engine.migrated = True  # type: ignore[attr-defined]
