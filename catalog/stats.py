"""Catalog counts for `credbot catalog stats`: bands are defined here and nowhere else."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from catalog.provenance import source_name
from catalog.schema import Credential


def hours_band(hours: float) -> str:
    if hours <= 15:
        return "<= 15 h"
    if hours <= 40:
        return "16-40 h"
    if hours <= 120:
        return "41-120 h"
    return "> 120 h"


def cost_band(cost: float) -> str:
    if cost == 0:
        return "free"
    if cost <= 100:
        return "<= 100"
    if cost <= 500:
        return "101-500"
    return "> 500"


@dataclass(frozen=True, slots=True)
class CatalogStats:
    total: int
    by_provider: Counter[str]
    by_type: Counter[str]
    by_level: Counter[str]
    by_cost: Counter[str]
    by_hours: Counter[str]
    by_source: Counter[str]
    by_domain: Counter[str]


def stats(credentials: Iterable[Credential], domains: Mapping[str, Sequence[str]] | None = None) -> CatalogStats:
    """`domains` (catalog/data/domains.json) maps a domain to record ids; records in none count as "other"."""
    items = list(credentials)
    domain_of = {cid: name for name, ids in (domains or {}).items() for cid in ids}
    return CatalogStats(
        total=len(items),
        by_provider=Counter(c.provider for c in items),
        by_type=Counter(c.credential_type.value for c in items),
        by_level=Counter(c.level.value for c in items),
        by_cost=Counter(cost_band(c.cost) for c in items),
        by_hours=Counter(hours_band(c.hours) for c in items),
        by_source=Counter(source_name(c) for c in items),
        by_domain=Counter(domain_of.get(c.id, "other") for c in items) if domains is not None else Counter(),
    )
