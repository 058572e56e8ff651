from pathlib import Path

from sqlite_utils import Database

from catalog.db import open_database
from catalog.repository import CatalogRepository
from catalog.schema import Credential
from tests.fakes import record


def test_upsert_reports_new_updated_unchanged() -> None:
    repo = CatalogRepository(Database(memory=True), load_bundled_data=False)
    first = Credential.from_dict(record())
    assert repo.upsert([first]).inserted == 1
    again = repo.upsert([first, Credential.from_dict(record(id="acme-two", title="Two"))])
    assert (again.inserted, again.updated, again.unchanged) == (1, 0, 1)
    changed = repo.upsert([Credential.from_dict(record(hours=20))])
    assert (changed.inserted, changed.updated) == (0, 1)
    assert repo.get("acme-sql-basics").hours == 20  # type: ignore[union-attr]
    assert repo.count() == 2


def test_round_trip_through_sqlite_keeps_every_field() -> None:
    repo = CatalogRepository(Database(memory=True), load_bundled_data=False)
    original = Credential.from_dict(
        record(alignments=[{"framework": "ESCO", "code": "x1", "name": "n"}], prerequisites=["a"])
    )
    repo.upsert([original])
    assert repo.all() == [original]


def test_full_text_search_is_stemmed_and_covers_skills() -> None:
    repo = CatalogRepository(Database(memory=True), load_bundled_data=False)
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


def test_migrations_are_idempotent_and_bundled_loads_once(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    repo = CatalogRepository(open_database(path))
    count = repo.count()
    assert count >= 300
    repo.upsert([Credential.from_dict(record())])
    again = CatalogRepository(open_database(path))  # reopen: no duplicate migrations, user records kept
    assert again.count() == count + 1
    applied = [r["name"] for r in again.db["_sqlite_migrations"].rows]
    assert len(applied) == len(set(applied))
