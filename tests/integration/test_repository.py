"""The catalog table on both engines: upserts, every field round-tripped, stemmed full-text search, migrations."""

from pathlib import Path

from catalog.repository import CatalogRepository
from catalog.schema import Credential
from store.connect import open_engine
from store.engine import Engine
from tests.conftest import pg_url
from tests.fakes import record


def test_upsert_reports_new_updated_unchanged(engine: Engine) -> None:
    repo = CatalogRepository(engine, load_bundled_data=False)
    first = Credential.from_dict(record())
    assert repo.upsert([first]).inserted == 1
    again = repo.upsert([first, Credential.from_dict(record(id="acme-two", title="Two"))])
    assert (again.inserted, again.updated, again.unchanged) == (1, 0, 1)
    changed = repo.upsert([Credential.from_dict(record(hours=20))])
    assert (changed.inserted, changed.updated) == (0, 1)
    assert repo.get("acme-sql-basics").hours == 20  # type: ignore[union-attr]
    assert repo.count() == 2


def test_round_trip_keeps_every_field(engine: Engine) -> None:
    repo = CatalogRepository(engine, load_bundled_data=False)
    original = Credential.from_dict(
        record(alignments=[{"framework": "ESCO", "code": "x1", "name": "n"}], prerequisites=["a"])
    )
    repo.upsert([original])
    assert repo.all() == [original]


def test_full_text_search_is_stemmed_and_covers_skills(engine: Engine) -> None:
    repo = CatalogRepository(engine, load_bundled_data=False)
    repo.upsert(
        [
            Credential.from_dict(record()),
            Credential.from_dict(
                record(
                    id="acme-meet",
                    title="Running Meetings",
                    skills=["facilitation"],
                    description="Lead productive meetings.",
                )
            ),
        ]
    )
    assert [c.id for c in repo.search("meeting")] == ["acme-meet"]
    assert [c.id for c in repo.search("databases")] == ["acme-sql-basics"]
    assert repo.search("   ") == []
    assert repo.search('"; drop table credentials; --') == []


def reopen(engine: Engine, tmp_path: Path) -> Engine:
    """A second connection to the same database, as a restarted process would make."""
    if engine.kind == "sqlite":
        return open_engine(tmp_path / "store.db")
    return open_engine(pg_url(), schema=getattr(engine, "schema", None))


def test_migrations_are_idempotent_and_bundled_loads_once(engine: Engine, tmp_path: Path) -> None:
    repo = CatalogRepository(engine)
    count = repo.count()
    assert count >= 300
    repo.upsert([Credential.from_dict(record())])
    other = reopen(engine, tmp_path)
    try:
        again = CatalogRepository(other)  # reopen: no duplicate migrations, user records kept
        assert again.count() == count + 1
        table = "_sqlite_migrations" if engine.kind == "sqlite" else "credbot_migrations"
        applied = [r["name"] for r in other.query(f"select name from {table}")]
        assert applied and len(applied) == len(set(applied))
    finally:
        other.close()
