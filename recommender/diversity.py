"""Keep the top-k varied: maximal marginal relevance over credential vectors plus a per-provider cap."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def mmr(
    scores: np.ndarray,
    vectors: np.ndarray,
    providers: Sequence[str],
    k: int,
    *,
    lam: float = 0.75,
    provider_cap: int = 2,
) -> list[int]:
    """Indices (into scores) of k picks; relevance traded against similarity to what was already picked.

    The provider cap is relaxed only when nothing else is left, so a tiny filtered catalog still fills k.
    """
    n = len(scores)
    if n == 0 or k <= 0:
        return []
    span = float(scores.max() - scores.min()) or 1.0
    rel = (scores - scores.min()) / span
    chosen: list[int] = []
    per_provider: dict[str, int] = {}
    max_sim = np.full(n, -1.0, dtype=np.float32)
    available = np.ones(n, dtype=bool)
    capped = np.zeros(n, dtype=bool)
    provider_of = np.asarray(providers, dtype=object)
    while len(chosen) < min(k, n):
        value = lam * rel - (1 - lam) * np.where(max_sim < 0, 0.0, max_sim)
        value = np.where(available, value, -np.inf)
        preferred = np.where(capped, -np.inf, value)
        pick = int(np.argmax(preferred)) if np.isfinite(preferred).any() else int(np.argmax(value))
        if not np.isfinite(value[pick]):
            break
        chosen.append(pick)
        available[pick] = False
        per_provider[providers[pick]] = per_provider.get(providers[pick], 0) + 1
        if per_provider[providers[pick]] >= provider_cap:
            capped |= provider_of == providers[pick]
        max_sim = np.maximum(max_sim, vectors @ vectors[pick])
    return chosen
