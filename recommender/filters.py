"""Hard constraints the person asked for (budget, format, language, max hours, strict time), vectorized.

Applied before ranking over column arrays so 100k records filter in a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from catalog.schema import Credential, Format
from recommender.money import to_usd

FORMAT_CODES = {f: i for i, f in enumerate(Format)}


@dataclass(frozen=True)
class CatalogColumns:
    hours: np.ndarray
    cost_usd: np.ndarray
    format: np.ndarray
    language: np.ndarray  # object array of base language codes
    level: np.ndarray

    @classmethod
    def of(cls, credentials: Sequence[Credential]) -> CatalogColumns:
        return cls(
            hours=np.array([c.hours for c in credentials], dtype=np.float64),
            cost_usd=np.array([to_usd(c.cost, c.currency) for c in credentials], dtype=np.float64),
            format=np.array([FORMAT_CODES[c.format] for c in credentials], dtype=np.int8),
            language=np.array([c.language.split("-")[0] for c in credentials], dtype=object),
            level=np.array([c.level.rank for c in credentials], dtype=np.int8),
        )


def allowed_formats(wanted: Format | None) -> set[Format]:
    """Online means online only; in person accepts hybrid; hybrid or no preference accepts all."""
    if wanted == Format.ONLINE:
        return {Format.ONLINE}
    if wanted == Format.IN_PERSON:
        return {Format.IN_PERSON, Format.HYBRID}
    return set(Format)


def filter_mask(
    columns: CatalogColumns,
    *,
    budget_usd: float | None = None,
    format: Format | None = None,
    language: str | None = None,
    max_hours: float | None = None,
    available_hours: float | None = None,
    strict_time: bool = False,
) -> np.ndarray:
    mask = np.ones(len(columns.hours), dtype=bool)
    if budget_usd is not None:
        mask &= (columns.cost_usd <= budget_usd + 1e-9) | (columns.cost_usd == 0)
    if format is not None:
        codes = [FORMAT_CODES[f] for f in allowed_formats(format)]
        mask &= np.isin(columns.format, codes)
    if language:
        mask &= columns.language == language.split("-")[0].lower()
    if max_hours is not None:
        mask &= columns.hours <= max_hours + 1e-9
    if strict_time and available_hours is not None:
        mask &= columns.hours <= available_hours + 1e-9
    return mask
