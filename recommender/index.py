"""Corpus vectors cached in the database (SQLite or PostgreSQL) keyed by (model id, content hash): unchanged
records never re-encode."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database, Migrations
from tqdm import tqdm

from recommender.encoder import Encoder
from recommender.shipped import ShippedVectors
from store.connect import ensure_schema
from store.engine import Engine, SqliteEngine, as_engine

migrations = Migrations("credbot-recommender")


@migrations()
def create_embedding_cache(db: Database) -> None:
    db["embeddings"].create(  # type: ignore[union-attr]
        {"model_id": str, "key": str, "content_hash": str, "dim": int, "vector": bytes},
        pk=("model_id", "key"),
    )


@dataclass(frozen=True, slots=True)
class IndexReport:
    total: int
    encoded: int
    cached: int
    shipped: int = 0  # of `cached`: found in the vectors shipped with the package


class EmbeddingCache:
    """Vectors for keyed texts; `vectors` encodes only what is missing or whose content hash changed.

    Looks in SQLite first, then in the vectors shipped with the package (`shipped`; the bundled file unless
    given), and encodes the rest; only encoded vectors are written to SQLite, so a fresh database stays small."""

    def __init__(self, db: Engine | Database, shipped: ShippedVectors | None = None) -> None:
        self.db = as_engine(db)
        self._shipped = shipped
        if isinstance(self.db, SqliteEngine):
            migrations.apply(self.db.sqlite)
        else:
            ensure_schema(self.db)

    @property
    def shipped(self) -> ShippedVectors:
        if self._shipped is None:
            self._shipped = ShippedVectors.bundled()
        return self._shipped

    def vectors(
        self,
        encoder: Encoder,
        items: Sequence[tuple[str, str, str]],
        *,
        progress: bool = False,
        description: str = "Indexing",
        batch_size: int = 16,
        on_report: Callable[[IndexReport], None] | None = None,
    ) -> np.ndarray:
        """items = (key, content_hash, text) -> matrix aligned with items."""
        stored: dict[str, tuple[str, bytes]] = {}
        keys = [k for k, _, _ in items]
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.query(
                f"select key, content_hash, vector from embeddings where model_id = ? and key in ({marks})",
                [encoder.model_id, *chunk],
            ):
                stored[row["key"]] = (row["content_hash"], bytes(row["vector"]))
        out = np.zeros((len(items), encoder.dim), dtype=np.float32)
        todo: list[int] = []
        shipped = self.shipped if self.shipped.model_id == encoder.model_id else None
        from_package = 0
        for i, (key, digest, _) in enumerate(items):
            hit = stored.get(key)
            if hit is not None and hit[0] == digest and len(hit[1]) == encoder.dim * 4:
                out[i] = np.frombuffer(hit[1], dtype=np.float32)
                continue
            vec = shipped.get(key, digest) if shipped is not None else None
            if vec is not None and len(vec) == encoder.dim:
                out[i] = vec
                from_package += 1
            else:
                todo.append(i)
        if todo:
            bar = tqdm(total=len(todo), desc=description, unit="doc", disable=not progress, leave=False)
            step = max(batch_size * 4, 64)
            for start in range(0, len(todo), step):
                chunk_idx = todo[start : start + step]
                vecs = encoder.encode_documents([items[i][2] for i in chunk_idx], batch_size=batch_size)
                rows = []
                for i, vec in zip(chunk_idx, vecs, strict=True):
                    out[i] = vec
                    key, digest, _ = items[i]
                    rows.append(
                        {
                            "model_id": encoder.model_id,
                            "key": key,
                            "content_hash": digest,
                            "dim": encoder.dim,
                            "vector": np.asarray(vec, dtype=np.float32).tobytes(),
                        }
                    )
                self.db.upsert_all("embeddings", rows, pk=("model_id", "key"))
                bar.update(len(chunk_idx))
            bar.close()
        if on_report:
            on_report(
                IndexReport(total=len(items), encoded=len(todo), cached=len(items) - len(todo), shipped=from_package)
            )
        return out
