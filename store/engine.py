"""One small database interface, two engines: SQLite through sqlite-utils (the embedded default) and PostgreSQL
through psycopg 3 with a connection pool (several bot processes sharing one store).

Why this and not an ORM: the stores hold a few dozen plain statements, and what differs between the engines is
small and known: placeholders, how an inserted row's id comes back, upserts, row locks for claims and the
full-text search of the catalog. Statements are written once with `?` placeholders and double-quoted names
(valid in both); `PostgresEngine` rewrites the placeholders. What cannot be written once (a claim with
`FOR UPDATE SKIP LOCKED`, a text search) asks `engine.kind`.

Both engines commit each statement at once outside `atomic()`, and run everything inside it as one transaction
(nested blocks are savepoints), so a caller sees the same behaviour on either.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from sqlite_utils import Database

Kind = Literal["sqlite", "postgresql"]
Params = Sequence[Any] | Mapping[str, Any]
Row = dict[str, Any]

POSTGRES_PREFIXES = ("postgresql://", "postgres://")


class StoreUnavailable(RuntimeError):
    """The database named by CREDBOT_DB cannot be reached: said in one line, without the password."""


def redact(url: str) -> str:
    """A database URL fit for a log or an error: the password, if any, replaced."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def is_postgres_url(target: str | Path | None) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_PREFIXES)


@runtime_checkable
class Engine(Protocol):
    """What the stores use. Rows come back as dicts; `execute` returns the number of rows it changed."""

    kind: Kind

    def query(self, sql: str, params: Params = ()) -> list[Row]: ...

    def execute(self, sql: str, params: Params = ()) -> int: ...

    def scalar(self, sql: str, params: Params = ()) -> Any: ...

    def insert(self, table: str, row: Mapping[str, Any]) -> int:
        """Insert one row into a table whose key is a generated integer `id`; return that id."""
        ...

    def insert_all(self, table: str, rows: Iterable[Mapping[str, Any]]) -> int: ...

    def update(self, table: str, row_id: Any, fields: Mapping[str, Any]) -> int:
        """Set `fields` on the row whose `id` is `row_id`."""
        ...

    def upsert_all(self, table: str, rows: Iterable[Mapping[str, Any]], pk: Sequence[str]) -> int: ...

    def execute_many(self, sql: str, seq: Sequence[Sequence[Any]]) -> None:
        """One statement for many parameter rows, in one transaction (bulk inserts, imports)."""
        ...

    def atomic(self) -> contextlib.AbstractContextManager[None]: ...

    def table_names(self) -> list[str]: ...

    def columns(self, table: str) -> list[str]: ...

    def close(self) -> None: ...


def quote(name: str) -> str:
    """A table or column name as an identifier; refuses anything that is not a plain name (callers pass only
    names from the code or the schema, never from a person, but a mistake should fail loudly)."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"not a plain SQL name: {name!r}")
    return f'"{name}"'


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    names = ", ".join(quote(c) for c in columns)
    return f"insert into {quote(table)} ({names}) values ({', '.join('?' * len(columns))})"


# ------------------------------------------------------------------------------------------------------ SQLite


class _Statements:
    """The statements written once for both engines, on top of each engine's execute / execute_many / atomic."""

    def insert_all(self: Any, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
        return _insert_each(self, table, rows)

    def update(self: Any, table: str, row_id: Any, fields: Mapping[str, Any]) -> int:
        return _update(self, table, row_id, fields)

    def upsert_all(self: Any, table: str, rows: Iterable[Mapping[str, Any]], pk: Sequence[str]) -> int:
        return _upsert_each(self, table, rows, pk)


class SqliteEngine(_Statements):
    """The embedded default: one sqlite-utils Database (one connection, shared by the event loop and a worker
    thread as before). `sqlite` is the Database itself, for the SQLite-only parts (its migrations, FTS)."""

    kind: Kind = "sqlite"

    def __init__(self, db: Database) -> None:
        self.sqlite = db

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        return list(self.sqlite.query(sql, _params(params)))

    def execute(self, sql: str, params: Params = ()) -> int:
        return int(self.sqlite.execute(sql, _params(params)).rowcount)

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.sqlite.execute(sql, _params(params)).fetchone()
        return row[0] if row else None

    def insert(self, table: str, row: Mapping[str, Any]) -> int:
        with self.atomic():
            cursor = self.sqlite.execute(_insert_sql(table, list(row)), list(row.values()))
            return int(cursor.lastrowid or 0)

    def execute_many(self, sql: str, seq: Sequence[Sequence[Any]]) -> None:
        with self.sqlite.atomic():
            self.sqlite.conn.executemany(sql, seq)

    def atomic(self) -> contextlib.AbstractContextManager[None]:
        @contextlib.contextmanager
        def block() -> Iterator[None]:
            with self.sqlite.atomic():
                yield

        return block()

    def table_names(self) -> list[str]:
        return [t for t in self.sqlite.table_names() if not t.startswith("sqlite_")]

    def columns(self, table: str) -> list[str]:
        return [c.name for c in self.sqlite[table].columns]

    def close(self) -> None:
        self.sqlite.close()


# -------------------------------------------------------------------------------------------------- PostgreSQL

_TOKEN = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|\?|%")


def to_pyformat(sql: str) -> str:
    """`?` placeholders to psycopg's `%s` (a `?` inside a quoted string or name stays), and every literal `%`
    doubled, inside strings too: psycopg reads `%` wherever it is."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        return "%s" if token == "?" else token.replace("%", "%%")

    return _TOKEN.sub(swap, sql)


class PostgresEngine(_Statements):
    """PostgreSQL through a psycopg connection pool. Outside `atomic()` each statement borrows a connection in
    autocommit mode; inside, one connection holds the transaction for the block (per thread and task, through a
    context variable), so a worker thread and the event loop never share one."""

    kind: Kind = "postgresql"
    migrated = False  # set by store.connect.ensure_schema

    def __init__(
        self, url: str, *, min_size: int = 1, max_size: int = 8, schema: str | None = None, connect_timeout: float = 10
    ) -> None:
        import psycopg  # imported here: SQLite users never pay for it
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool, PoolTimeout

        self.url = url
        self.schema = schema
        options = f"-c search_path={schema}" if schema else None

        def configure(conn: psycopg.Connection[Any]) -> None:
            conn.autocommit = True

        kwargs: dict[str, Any] = {"row_factory": dict_row}
        if options:
            kwargs["options"] = options
        try:  # one direct connection first: a wrong address or password fails at start, with the server's reason
            psycopg.connect(url, connect_timeout=max(1, int(connect_timeout)), **kwargs).close()
        except psycopg.Error as err:
            reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise StoreUnavailable(f"cannot reach the PostgreSQL store at {redact(url)}: {reason}") from None
        self.pool = ConnectionPool(
            url, min_size=min_size, max_size=max_size, kwargs=kwargs, configure=configure, open=True, timeout=30
        )
        try:
            self.pool.wait(timeout=connect_timeout)
        except PoolTimeout:
            self.pool.close()
            raise StoreUnavailable(f"the PostgreSQL store at {redact(url)} accepts no more connections") from None
        self._current: contextvars.ContextVar[Any] = contextvars.ContextVar(f"credbot-pg-{id(self)}", default=None)

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Any]:
        current = self._current.get()
        if current is not None:
            yield current
            return
        with self.pool.connection() as conn:
            yield conn

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        with self._connection() as conn:
            return list(conn.execute(to_pyformat(sql), _params(params)).fetchall())

    def execute(self, sql: str, params: Params = ()) -> int:
        with self._connection() as conn:
            return int(conn.execute(to_pyformat(sql), _params(params)).rowcount)

    def scalar(self, sql: str, params: Params = ()) -> Any:
        with self._connection() as conn:
            row = conn.execute(to_pyformat(sql), _params(params)).fetchone()
            return next(iter(row.values())) if row else None

    def insert(self, table: str, row: Mapping[str, Any]) -> int:
        with self._connection() as conn:
            found = conn.execute(to_pyformat(_insert_sql(table, list(row)) + " returning id"), list(row.values()))
            return int(found.fetchone()["id"])

    def execute_many(self, sql: str, seq: Sequence[Sequence[Any]]) -> None:
        with self.atomic(), self._connection() as conn, conn.cursor() as cursor:
            cursor.executemany(to_pyformat(sql), [list(p) for p in seq])

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        current = self._current.get()
        if current is not None:
            with current.transaction():  # a savepoint inside the outer block
                yield
            return
        with self.pool.connection() as conn:
            token = self._current.set(conn)
            try:
                with conn.transaction():
                    yield
            finally:
                self._current.reset(token)

    def table_names(self) -> list[str]:
        rows = self.query(
            "select table_name from information_schema.tables where table_schema = current_schema() "
            "and table_type = 'BASE TABLE' order by table_name"
        )
        return [r["table_name"] for r in rows]

    def columns(self, table: str) -> list[str]:
        rows = self.query(
            "select column_name from information_schema.columns where table_schema = current_schema() "
            "and table_name = ? order by ordinal_position",
            [table],
        )
        return [r["column_name"] for r in rows]

    def close(self) -> None:
        self.pool.close()


def _params(params: Params) -> list[Any] | dict[str, Any]:
    return dict(params) if isinstance(params, Mapping) else list(params)


# ------------------------------------------------------------------------------------------- shared statements


def _batches(rows: Iterable[Mapping[str, Any]]) -> Iterator[tuple[list[str], list[list[Any]]]]:
    """Consecutive rows with the same columns, as (columns, values) for one executemany each."""
    columns: list[str] = []
    values: list[list[Any]] = []
    for row in rows:
        names = list(row)
        if names != columns and values:
            yield columns, values
            values = []
        columns = names
        values.append(list(row.values()))
    if values:
        yield columns, values


def _insert_each(engine: Engine, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
    count = 0
    with engine.atomic():
        for columns, values in _batches(rows):
            engine.execute_many(_insert_sql(table, columns), values)
            count += len(values)
    return count


def _update(engine: Engine, table: str, row_id: Any, fields: Mapping[str, Any]) -> int:
    if not fields:
        return 0
    assignments = ", ".join(f"{quote(c)} = ?" for c in fields)
    return engine.execute(f"update {quote(table)} set {assignments} where id = ?", [*fields.values(), row_id])


def _upsert_each(engine: Engine, table: str, rows: Iterable[Mapping[str, Any]], pk: Sequence[str]) -> int:
    """Insert, or on a key already there overwrite the given columns (`on conflict ... do update`, which both
    SQLite 3.24+ and PostgreSQL understand)."""
    count = 0
    keys = ", ".join(quote(c) for c in pk)
    with engine.atomic():
        for columns, values in _batches(rows):
            rest = [c for c in columns if c not in pk]
            sets = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in rest)
            action = f"do update set {sets}" if rest else "do nothing"
            engine.execute_many(f"{_insert_sql(table, columns)} on conflict ({keys}) {action}", values)
            count += len(values)
    return count


def as_engine(db: Engine | Database) -> Engine:
    """Callers (and tests) may still hand over a sqlite-utils Database; it is wrapped once."""
    if isinstance(db, Database):
        return SqliteEngine(db)
    return db
