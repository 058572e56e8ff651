"""The `engine` fixture: each store test runs once on SQLite and once on PostgreSQL, so neither engine drifts.

PostgreSQL is the server at CREDBOT_TEST_PG (default the local one, postgresql://postgres@127.0.0.1:5432/test);
each test gets a schema of its own, dropped afterwards. When no server answers, the PostgreSQL runs are skipped
and the summary says so in one line; with CREDBOT_REQUIRE_PG=1 (set by .ci/run) a skipped PostgreSQL run fails
the whole session instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from store.connect import open_engine
from store.engine import Engine

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
NO_SERVER = "no PostgreSQL server answers at"

_pg: dict[str, Any] = {"ran": 0, "skipped": 0, "why": None}


def pg_url() -> str:
    return os.environ.get("CREDBOT_TEST_PG") or DEFAULT_PG


def pg_schema_url(schema: str) -> str:
    """The test database URL working in one schema (a libpq option, for processes started with CREDBOT_DB)."""
    from urllib.parse import quote

    base = pg_url()
    return f"{base}{'&' if '?' in base else '?'}options={quote(f'-csearch_path={schema}')}"


def pg_available() -> str | None:
    """None when a server answers, else why not (checked once per session)."""
    if "available" not in _pg:
        try:
            import psycopg

            with psycopg.connect(pg_url(), connect_timeout=3) as conn:
                conn.execute("select 1")
            _pg["available"] = None
        except Exception as err:  # any reason at all: the tests say which
            _pg["available"] = f"{NO_SERVER} {pg_url()} ({type(err).__name__}: {' '.join(str(err).split())[:160]})"
    return _pg["available"]  # type: ignore[no-any-return]


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema name for one test (dropped afterwards); skips without a server."""
    why = pg_available()
    if why is not None:
        _pg["skipped"] += 1
        _pg["why"] = why
        pytest.skip(why)
    import psycopg

    name = f"credbot_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url(), autocommit=True) as conn:
        conn.execute(f'create schema "{name}"')
    _pg["ran"] += 1
    try:
        yield name
    finally:
        with psycopg.connect(pg_url(), autocommit=True) as conn:
            conn.execute(f'drop schema if exists "{name}" cascade')


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty store on each engine in turn."""
    if request.param == "sqlite":
        made = open_engine(tmp_path / "store.db")
    else:
        schema = request.getfixturevalue("pg_schema")
        made = open_engine(pg_url(), schema=schema, pool_size=4)
    try:
        yield made
    finally:
        made.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _pg["ran"] or _pg["skipped"]:
        if _pg["skipped"]:
            line = f"PostgreSQL tests: {_pg['skipped']} SKIPPED: {_pg['why']}"
            if os.environ.get("CREDBOT_REQUIRE_PG") == "1":
                line += " (CREDBOT_REQUIRE_PG=1: this run fails)"
            terminalreporter.write_line(line, red=True, bold=True)
        else:
            terminalreporter.write_line(f"PostgreSQL tests: {_pg['ran']} ran against {pg_url()}", green=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _pg["skipped"] and os.environ.get("CREDBOT_REQUIRE_PG") == "1" and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
