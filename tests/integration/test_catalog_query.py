"""The Mini App's catalog query on both engines: every filter, each sort, paging, text search, fit order, and
bad values refused with a reason."""

from __future__ import annotations

import pytest

from catalog.provenance import SNAPSHOTS
from catalog.repository import CatalogRepository
from store.engine import Engine
from tests.fakes import credential
from webapp.catalog_query import CatalogQuery, QueryError, facets, parse_query, search

COURSERA = next(s for s in SNAPSHOTS if s.name == "coursera")


@pytest.fixture
def catalog(engine: Engine) -> Engine:
    repo = CatalogRepository(engine, load_bundled_data=False)
    repo.upsert(
        [
            credential(id="a-sql", title="SQL Basics", hours=12, cost=0, level="beginner", provider="Acme"),
            credential(id="b-python", title="Python for Data", skills=["python"], description="Pandas and numpy.",
                       hours=40, cost=49, level="intermediate", provider="Beta", credential_type="badge"),
            credential(id="c-meet", title="Running Meetings", skills=["facilitation"], description="Lead meetings.",
                       hours=5, cost=200, level="beginner", provider="Acme", format="in-person",
                       source=COURSERA.row_url(3)),
            credential(id="d-ml", title="Machine Learning", skills=["python", "statistics"], description="Models.",
                       hours=120, cost=0, level="advanced", provider="Gamma", format="hybrid",
                       source=COURSERA.row_url(9)),
        ]
    )  # fmt: skip
    return engine


def ids(page: object) -> list[str]:
    return [c.id for c in page.items]  # type: ignore[attr-defined]


def test_filters_narrow_and_combine(catalog: Engine) -> None:
    assert ids(search(catalog, CatalogQuery(sort="title"))) == ["d-ml", "b-python", "c-meet", "a-sql"]
    assert ids(search(catalog, CatalogQuery(max_cost=0, sort="hours"))) == ["a-sql", "d-ml"]
    assert ids(search(catalog, CatalogQuery(min_hours=10, max_hours=50, sort="hours"))) == ["a-sql", "b-python"]
    assert ids(search(catalog, CatalogQuery(levels=("beginner",), providers=("Acme",), sort="cost"))) == [
        "a-sql", "c-meet"]  # fmt: skip
    assert ids(search(catalog, CatalogQuery(formats=("hybrid", "in-person"), sort="hours"))) == ["c-meet", "d-ml"]
    assert ids(search(catalog, CatalogQuery(types=("badge",)))) == ["b-python"]
    assert ids(search(catalog, CatalogQuery(sources=("coursera",), sort="hours"))) == ["c-meet", "d-ml"]
    assert ids(search(catalog, CatalogQuery(sources=("curated",), sort="hours"))) == ["a-sql", "b-python"]
    assert search(catalog, CatalogQuery(providers=("Nobody",))).total == 0


def test_text_search_is_stemmed_and_combines_with_filters(catalog: Engine) -> None:
    assert ids(search(catalog, CatalogQuery(text="meeting"))) == ["c-meet"]
    assert ids(search(catalog, CatalogQuery(text="python", sort="hours"))) == ["b-python", "d-ml"]
    assert ids(search(catalog, CatalogQuery(text="python", max_cost=0))) == ["d-ml"]
    assert search(catalog, CatalogQuery(text='"; drop table credentials; --')).total == 0
    assert search(catalog, CatalogQuery(sort="title")).total == 4  # still there


def test_pages_and_the_fit_order(catalog: Engine) -> None:
    first = search(catalog, CatalogQuery(sort="hours", per_page=3))
    second = search(catalog, CatalogQuery(sort="hours", per_page=3, page=2))
    assert (first.total, first.pages, ids(first), ids(second)) == (4, 2, ["c-meet", "a-sql", "b-python"], ["d-ml"])
    assert search(catalog, CatalogQuery(sort="hours", per_page=3, page=99)).page == 2  # past the end: the last
    fit = {"d-ml": 0.9, "b-python": 0.8, "a-sql": 0.1}
    asked: list[list[str]] = []

    def my_fit(candidates: list[str]) -> dict[str, float]:
        asked.append(sorted(candidates))
        return {c: fit.get(c, 0.0) for c in candidates}

    page = search(catalog, CatalogQuery(sort="fit", per_page=2), my_fit)  # type: ignore[arg-type]
    assert ids(page) == ["d-ml", "b-python"] and page.scores == {"d-ml": 0.9, "b-python": 0.8}
    assert ids(search(catalog, CatalogQuery(sort="fit", per_page=2, page=2), my_fit)) == ["a-sql", "c-meet"]  # type: ignore[arg-type]
    free = search(catalog, CatalogQuery(sort="fit", max_cost=0), my_fit)  # type: ignore[arg-type]
    assert ids(free) == ["d-ml", "a-sql"] and asked[-1] == ["a-sql", "d-ml"]  # only what the filters let through


def test_facets_list_what_is_there(catalog: Engine) -> None:
    found = facets(catalog)
    assert found["provider"] == ["Acme", "Beta", "Gamma"] and found["level"] == ["advanced", "beginner", "intermediate"]
    assert "curated" in found["source"] and "coursera" in found["source"]


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"sort": "random"}, "sort must be one of"),
        ({"max_cost": "cheap"}, "max_cost must be a number"),
        ({"max_cost": "-1"}, "between 0"),
        ({"max_cost": "nan"}, "between 0"),
        ({"min_hours": "10", "max_hours": "5"}, "min_hours is more than max_hours"),
        ({"level": "guru"}, "level 'guru' is not one of"),
        ({"source": "wikipedia"}, "source 'wikipedia' is not one of"),
        ({"page": "0"}, "page must be between"),
        ({"per_page": "500"}, "per_page must be between"),
        ({"page": "1.5"}, "whole numbers"),
        ({"q": "x" * 201}, "keep it under 200"),
        ({"provider": ",".join(str(i) for i in range(60))}, "too many provider values"),
    ],
)
def test_bad_values_are_refused_with_a_reason(params: dict[str, str], says: str) -> None:
    with pytest.raises(QueryError, match=says):
        parse_query(params)


def test_a_good_query_string_reads_as_expected() -> None:
    q = parse_query({"q": " sql ", "free": "1", "level": "beginner,advanced", "sort": "hours", "page": "2"})
    assert (q.text, q.max_cost, q.levels) == ("sql", 0.0, ("beginner", "advanced"))
    assert (q.sort, q.page, q.per_page) == ("hours", 2, 20)
