"""Vectors for the bundled catalog, built by `credbot catalog build` and shipped in catalog/data/vectors.npz."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from catalog.occupations import Occupation
from catalog.schema import Credential
from recommender.encoder import Encoder
from recommender.engine import corpus_items
from recommender.index import EmbeddingCache, IndexReport
from recommender.shipped import ShippedVectors, write_shipped


@dataclass(frozen=True, slots=True)
class VectorReport:
    total: int
    encoded: int  # new or changed texts; the rest were reused from the previous file


def ship_vectors(
    credentials: Sequence[Credential],
    occupations: Sequence[Occupation],
    encoder: Encoder,
    out: Path,
    *,
    previous: ShippedVectors | None = None,
    progress: bool = False,
) -> VectorReport:
    """Every text a Recommender over this catalog embeds, reusing `previous` vectors whose text is unchanged, so a
    rebuild of unchanged inputs writes the same bytes and an edit encodes only what it touched."""
    items = corpus_items(credentials, occupations)
    cache = EmbeddingCache(Database(memory=True), shipped=previous or ShippedVectors.empty())
    seen: list[IndexReport] = []
    keep: Callable[[IndexReport], None] = seen.append
    matrix = cache.vectors(encoder, items, progress=progress, description="Vectors", on_report=keep)
    write_shipped(out, encoder.model_id, [(k, d, matrix[i]) for i, (k, d, _) in enumerate(items)])
    return VectorReport(total=len(items), encoded=seen[0].encoded if seen else len(items))
