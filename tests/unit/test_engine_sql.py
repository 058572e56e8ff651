"""The few SQL rewrites the PostgreSQL engine makes, and names that may never reach a statement."""

import pytest

from store.engine import is_postgres_url, quote, to_pyformat


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("select * from t where a = ? and b = ?", "select * from t where a = %s and b = %s"),
        ("select '?' , ? from t", "select '?' , %s from t"),  # a question mark inside a string stays
        ("select 'it''s ?', ?", "select 'it''s ?', %s"),  # doubled quotes inside a string
        (
            "select \"odd?name\" from t where x like 'a%' and y = ?",
            "select \"odd?name\" from t where x like 'a%%' and y = %s",
        ),
        ("select 5 % 2, ?", "select 5 %% 2, %s"),  # a literal % outside strings is escaped for psycopg
        ("select x::int from t where y = ?", "select x::int from t where y = %s"),
    ],
)
def test_placeholders_become_pyformat_outside_quotes(given: str, expected: str) -> None:
    assert to_pyformat(given) == expected


@pytest.mark.parametrize("bad", ["users; drop table users", 'a"b', "", "1abc", "a b", "[users]"])
def test_quote_refuses_anything_but_a_plain_name(bad: str) -> None:
    with pytest.raises(ValueError):
        quote(bad)


def test_quote_and_url_detection() -> None:
    assert quote("progress_log") == '"progress_log"'
    assert is_postgres_url("postgresql://u@h/db") and is_postgres_url("postgres://h/db")
    assert not is_postgres_url("credbot.db") and not is_postgres_url(None)
