"""Assembling a ready recommender from a database: catalog, occupations, cached vectors, the real model."""

from __future__ import annotations

from sqlite_utils import Database

from catalog.occupations import load_occupations
from catalog.repository import CatalogRepository
from recommender.encoder import Encoder, SentenceTransformerEncoder
from recommender.engine import Recommender
from recommender.index import EmbeddingCache
from recommender.scoring import DEFAULT_WEIGHTS, Weights
from store.engine import Engine


def build_recommender(
    db: Engine | Database,
    *,
    encoder: Encoder | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    progress: bool = False,
) -> Recommender:
    chosen = encoder or SentenceTransformerEncoder()
    repo = CatalogRepository(db)
    rec = Recommender(
        repo.all(),
        chosen,
        occupations=load_occupations(),
        cache=EmbeddingCache(db),
        weights=weights,
        progress=progress,
    )
    return rec
