"""Storage of the catalog on either engine (store/engine.py): migrations at open, upsert by id, full-text search
(SQLite FTS5 with the porter stemmer; PostgreSQL's English text search on a generated tsvector column)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlite_utils import Database, Migrations

from catalog.formats import read_jsonl
from catalog.schema import LIST_FIELDS, Credential
from catalog.validate import Validated, format_problems, validate
from store.connect import ensure_schema
from store.engine import Engine, SqliteEngine, as_engine

migrations = Migrations("credbot-catalog")


@migrations()
def create_credentials(db: Database) -> None:
    db["credentials"].create(  # type: ignore[union-attr]
        {
            "id": str,
            "title": str,
            "provider": str,
            "url": str,
            "description": str,
            "skills": str,
            "credential_type": str,
            "level": str,
            "hours": float,
            "weeks": float,
            "hours_per_week": float,
            "cost": float,
            "currency": str,
            "format": str,
            "language": str,
            "earn_by": str,
            "prerequisites": str,
            "alignments": str,
            "source": str,
            "as_of": str,
            "content_hash": str,
        },
        pk="id",
    )
    db["credentials"].enable_fts(  # type: ignore[union-attr]
        ["title", "description", "skills"], create_triggers=True, tokenize="porter"
    )
    db["catalog_meta"].create({"key": str, "value": str}, pk="key")  # type: ignore[union-attr]


COLUMNS = ", ".join(
    ("id", "title", "provider", "url", "description", "skills", "credential_type", "level", "hours", "weeks",
     "hours_per_week", "cost", "currency", "format", "language", "earn_by", "prerequisites", "alignments",
     "source", "as_of", "content_hash")
)  # fmt: skip


class BundledCatalogError(RuntimeError):
    """The catalog shipped with the package does not validate: a packaging bug, reported plainly."""


def bundled_text() -> str:
    return resources.files("catalog").joinpath("data/credentials.jsonl").read_text(encoding="utf-8")


def load_bundled() -> Validated:
    return validate(read_jsonl(bundled_text(), "catalog/data/credentials.jsonl"))


def _row(credential: Credential) -> dict[str, Any]:
    row = credential.to_dict()
    for key in LIST_FIELDS:
        row[key] = json.dumps(row[key], ensure_ascii=False)
    row["content_hash"] = credential.content_hash()
    return row


def text_query(kind: str, text: str) -> str | None:
    """What a person typed as the engine's full-text query, any word matching (FTS5 `"a" OR "b"` on SQLite,
    `a | b` for PostgreSQL's to_tsquery); only letters and digits pass, so no query syntax gets through. None
    when nothing searchable is left."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]
    if not words:
        return None
    return " OR ".join(f'"{w}"' for w in words) if kind == "sqlite" else " | ".join(words)


def from_row(row: dict[str, Any]) -> Credential:
    """A credential from one row of the credentials table (selected with COLUMNS)."""
    return _credential(row)


def _credential(row: dict[str, Any]) -> Credential:
    data = dict(row)
    data.pop("content_hash", None)
    data.pop("rank", None)
    for key in LIST_FIELDS:
        data[key] = json.loads(data[key] or "[]")
    return Credential.from_dict(data)


@dataclass(frozen=True, slots=True)
class ImportReport:
    inserted: int
    updated: int
    unchanged: int


class CatalogRepository:
    """The catalog table; one instance per open Database."""

    def __init__(self, db: Engine | Database, *, load_bundled_data: bool = True) -> None:
        self.db = as_engine(db)
        if isinstance(self.db, SqliteEngine):
            migrations.apply(self.db.sqlite)
        else:
            ensure_schema(self.db)
        if load_bundled_data:
            self.sync_bundled()

    # -- writing -----------------------------------------------------------------------------------------------
    def sync_bundled(self) -> None:
        """Load the bundled catalog on first use, and again whenever the shipped file changes."""
        text = bundled_text()
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        current = self.db.scalar("select value from catalog_meta where key = ?", ["bundled_hash"])
        if current == digest:
            return
        result = load_bundled()
        if not result.ok:
            raise BundledCatalogError("the bundled catalog has errors:\n" + format_problems(result.problems, limit=20))
        with self.db.atomic():
            self.upsert(result.credentials)
            self.db.upsert_all("catalog_meta", [{"key": "bundled_hash", "value": digest}], pk=("key",))

    def upsert(self, credentials: Iterable[Credential]) -> ImportReport:
        """Insert or update by id inside one transaction; unchanged records are left alone."""
        existing = self.hashes()
        rows = [_row(c) for c in credentials]
        changed = [r for r in rows if existing.get(r["id"]) != r["content_hash"]]
        if changed:
            self.db.upsert_all("credentials", changed, pk=("id",))
        inserted = sum(1 for r in changed if r["id"] not in existing)
        return ImportReport(inserted=inserted, updated=len(changed) - inserted, unchanged=len(rows) - len(changed))

    # -- reading -----------------------------------------------------------------------------------------------
    def all(self) -> list[Credential]:
        return [_credential(r) for r in self.db.query(f"select {COLUMNS} from credentials order by id")]

    def get(self, credential_id: str) -> Credential | None:
        rows = self.db.query(f"select {COLUMNS} from credentials where id = ?", [credential_id])
        return _credential(rows[0]) if rows else None

    def count(self) -> int:
        return int(self.db.scalar("select count(*) from credentials"))

    def providers(self) -> list[str]:
        return [r["provider"] for r in self.db.query("select distinct provider from credentials order by provider")]

    def hashes(self) -> dict[str, str]:
        return {r["id"]: r["content_hash"] for r in self.db.query("select id, content_hash from credentials")}

    def search(self, text: str, limit: int = 10) -> list[Credential]:
        """Full-text search (porter-stemmed) over title, description and skills; any word may match."""
        query = text_query(self.db.kind, text)
        if query is None:
            return []
        if isinstance(self.db, SqliteEngine):
            rows = self.db.sqlite["credentials"].search(query, limit=limit)  # type: ignore[union-attr]
        else:
            rows = self.db.query(
                f"select {COLUMNS} from credentials, to_tsquery('english', ?) q where search @@ q "
                "order by ts_rank(search, q) desc, id limit ?",
                [query, limit],
            )
        return [_credential(r) for r in rows]
