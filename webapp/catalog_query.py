"""The Mini App's catalog page as a query: filters, sort and paging done by the database, on either engine.

Why in SQL and not over `CatalogRepository.all()`: the page asks again at every filter change, and a catalog of
thousands must answer in well under 100 ms. Filters become a WHERE clause, the page a LIMIT/OFFSET, and only
that page's rows are read. "Fit for me" is the one order the database cannot give: it is the person's own
ranking (`fit`, a callable from credential ids to scores), applied to the ids the filters let through.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalog.provenance import CURATED, SNAPSHOTS
from catalog.repository import COLUMNS, from_row, text_query
from catalog.schema import Credential, CredentialType, Format, Level
from store.engine import Engine

SORTS = ("fit", "hours", "cost", "title")
PER_PAGE_MAX = 50
MAX_TEXT = 200
Fit = Callable[[Sequence[str]], Mapping[str, float]]


class QueryError(ValueError):
    """A filter value the page (or someone editing its URL) sent that cannot be read: said plainly."""


@dataclass(frozen=True, slots=True)
class CatalogQuery:
    text: str = ""
    max_cost: float | None = None  # 0 for free only
    min_hours: float | None = None
    max_hours: float | None = None
    levels: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # snapshot names ("coursera", ...) or "curated"
    sort: str = "fit"
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Credential]
    total: int
    page: int
    pages: int
    scores: dict[str, float] = field(default_factory=dict)  # fit per item, when sorted by fit


def _number(params: Mapping[str, str], name: str, low: float, high: float) -> float | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise QueryError(f"{name} must be a number, got {raw[:40]!r}") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise QueryError(f"{name} must be between {low:g} and {high:g}")
    return value


def _choices(params: Mapping[str, str], name: str, allowed: Sequence[str] | None) -> tuple[str, ...]:
    values = tuple(v.strip() for v in params.get(name, "").split(",") if v.strip())
    if len(values) > 50:
        raise QueryError(f"too many {name} values (at most 50)")
    if allowed is not None:
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise QueryError(f"{name} {unknown[0][:40]!r} is not one of {', '.join(allowed)}")
    return values


def parse_query(params: Mapping[str, str]) -> CatalogQuery:
    """The page's query string, checked; QueryError says what is wrong (the API answers 400 with it)."""
    text = params.get("q", "").strip()
    if len(text) > MAX_TEXT:
        raise QueryError(f"the search text is {len(text)} characters; keep it under {MAX_TEXT}")
    sort = params.get("sort", "fit").strip() or "fit"
    if sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}")
    page = _number(params, "page", 1, 100_000)
    per_page = _number(params, "per_page", 1, PER_PAGE_MAX)
    if (page is not None and page != int(page)) or (per_page is not None and per_page != int(per_page)):
        raise QueryError("page and per_page are whole numbers")
    query = CatalogQuery(
        text=text,
        max_cost=0.0 if params.get("free") in ("1", "true") else _number(params, "max_cost", 0, 1_000_000),
        min_hours=_number(params, "min_hours", 0, 100_000),
        max_hours=_number(params, "max_hours", 0, 100_000),
        levels=_choices(params, "level", [lv.value for lv in Level]),
        formats=_choices(params, "format", [f.value for f in Format]),
        types=_choices(params, "type", [t.value for t in CredentialType]),
        providers=_choices(params, "provider", None),
        sources=_choices(params, "source", [*(s.name for s in SNAPSHOTS), CURATED]),
        sort=sort,
        page=int(page or 1),
        per_page=int(per_page or 20),
    )
    if query.min_hours is not None and query.max_hours is not None and query.min_hours > query.max_hours:
        raise QueryError("min_hours is more than max_hours")
    return query


def _where(engine: Engine, q: CatalogQuery) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if q.max_cost is not None:
        clauses.append("cost <= ?")
        params.append(q.max_cost)
    if q.min_hours is not None:
        clauses.append("hours >= ?")
        params.append(q.min_hours)
    if q.max_hours is not None:
        clauses.append("hours <= ?")
        params.append(q.max_hours)
    for column, values in (("level", q.levels), ("format", q.formats), ("credential_type", q.types),
                           ("provider", q.providers)):  # fmt: skip
        if values:
            clauses.append(f"{column} in ({', '.join('?' * len(values))})")
            params.extend(values)
    if q.sources:
        prefixes = [s.prefix for s in SNAPSHOTS if s.name in q.sources]
        parts = ["source like ?" for _ in prefixes]
        params.extend(f"{p}%" for p in prefixes)
        if CURATED in q.sources:
            parts.append("(" + " and ".join("source not like ?" for _ in SNAPSHOTS) + ")")
            params.extend(f"{s.prefix}%" for s in SNAPSHOTS)
        clauses.append("(" + " or ".join(parts) + ")")
    text = text_query(engine.kind, q.text)
    if text is not None:
        if engine.kind == "sqlite":
            clauses.append("rowid in (select rowid from credentials_fts where credentials_fts match ?)")
        else:
            clauses.append("search @@ to_tsquery('english', ?)")
        params.append(text)
    return (" where " + " and ".join(clauses)) if clauses else "", params


def search(engine: Engine, q: CatalogQuery, fit: Fit | None = None) -> Page:
    """One page of the catalog under `q`; sorted by `fit` when asked and given, else by hours, cost or title."""
    where, params = _where(engine, q)
    total = int(engine.scalar(f"select count(*) from credentials{where}", params) or 0)
    pages = max(1, math.ceil(total / q.per_page))
    offset = (min(q.page, pages) - 1) * q.per_page
    if q.sort == "fit" and fit is not None:
        ids = [r["id"] for r in engine.query(f"select id from credentials{where}", params)]
        scores = dict(fit(ids))
        ranked = sorted(ids, key=lambda i: (-scores.get(i, 0.0), i))[offset : offset + q.per_page]
        by_id = {r["id"]: r for r in _rows(engine, ranked)}
        items = [from_row(by_id[i]) for i in ranked if i in by_id]
        return Page(items, total, min(q.page, pages), pages, {i: scores.get(i, 0.0) for i in ranked})
    order = {"hours": "hours asc, id", "cost": "cost asc, hours asc, id"}.get(q.sort, "title, id")  # fit: see above
    rows = engine.query(
        f"select {COLUMNS} from credentials{where} order by {order} limit ? offset ?", [*params, q.per_page, offset]
    )
    return Page([from_row(r) for r in rows], total, min(q.page, pages), pages)


def _rows(engine: Engine, ids: Sequence[str]) -> list[dict[str, Any]]:
    if not ids:
        return []
    return engine.query(f"select {COLUMNS} from credentials where id in ({', '.join('?' * len(ids))})", list(ids))


def facets(engine: Engine) -> dict[str, list[str]]:
    """What the filter controls offer: the values present in the catalog."""
    out: dict[str, list[str]] = {}
    for name, column in (("level", "level"), ("format", "format"), ("type", "credential_type"),
                         ("provider", "provider")):  # fmt: skip
        rows = engine.query(f"select distinct {column} as v from credentials order by 1")
        out[name] = [r["v"] for r in rows if r["v"]]
    out["source"] = [*(s.name for s in SNAPSHOTS), CURATED]
    return out
