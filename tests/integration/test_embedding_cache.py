"""The embedding cache on both engines: vectors come back bit for bit, only new or changed texts are encoded."""

from __future__ import annotations

import numpy as np

from recommender.index import EmbeddingCache
from recommender.shipped import ShippedVectors
from store.engine import Engine
from tests.fakes import FakeEncoder


def test_vectors_are_cached_by_model_and_content_hash(engine: Engine) -> None:
    encoder = FakeEncoder()
    cache = EmbeddingCache(engine, shipped=ShippedVectors.empty())
    items = [("a", "h1", "python for data analysis"), ("b", "h2", "nursing informatics"), ("c", "h3", "welding")]
    first = cache.vectors(encoder, items)
    assert encoder.documents_encoded == 3
    again = EmbeddingCache(engine, shipped=ShippedVectors.empty()).vectors(encoder, items)
    assert encoder.documents_encoded == 3  # all three from the database
    assert np.array_equal(first, again) and again.dtype == np.float32
    changed = [("a", "h1", "python for data analysis"), ("b", "h2-new", "health informatics"), ("d", "h4", "sql")]
    got = cache.vectors(encoder, changed)
    assert encoder.documents_encoded == 5  # only the changed text and the new one
    assert np.array_equal(got[0], first[0]) and not np.array_equal(got[1], first[1])
    rows = engine.scalar("select count(*) from embeddings where model_id = ?", [encoder.model_id])
    assert rows == 4
