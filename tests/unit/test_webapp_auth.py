"""initData checked as Telegram documents it: a real signature, a fresh auth_date, a readable user."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest

from webapp.auth import MAX_AGE, InvalidInitData, sign, verify

TOKEN = "123456:" + "A" * 35
NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)
ANA = {"id": 7, "first_name": "Ana", "language_code": "pt"}


def test_signed_data_names_its_person() -> None:
    user = verify(sign(TOKEN, ANA, NOW - timedelta(minutes=3), query_id="AAH"), TOKEN, NOW)
    assert (user.id, user.first_name, user.language_code) == (7, "Ana", "pt")


def test_the_hash_follows_telegrams_recipe_independently_computed() -> None:
    data = sign(TOKEN, ANA, NOW)
    fields = dict(parse_qsl(data))
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "hash")
    key = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    assert fields["hash"] == hmac.new(key, check.encode(), hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    ("tamper", "why"),
    [
        (lambda f: {**f, "user": f["user"].replace('"id":7', '"id":8')}, "bad signature"),  # someone else's id
        (lambda f: {**f, "auth_date": str(int(f["auth_date"]) + 1)}, "bad signature"),
        (lambda f: {k: v for k, v in f.items() if k != "hash"}, "bad signature"),
        (lambda f: {**f, "hash": "0" * 64}, "bad signature"),
        (lambda f: {**f, "extra": "1"}, "bad signature"),
    ],
)
def test_any_change_breaks_the_signature(tamper, why: str) -> None:  # type: ignore[no-untyped-def]
    fields = dict(parse_qsl(sign(TOKEN, ANA, NOW)))
    with pytest.raises(InvalidInitData, match=why):
        verify(urlencode(tamper(fields)), TOKEN, NOW)


def test_another_bots_token_and_stale_or_future_data_are_refused() -> None:
    with pytest.raises(InvalidInitData, match="bad signature"):
        verify(sign("654321:" + "B" * 35, ANA, NOW), TOKEN, NOW)
    with pytest.raises(InvalidInitData, match="expired"):
        verify(sign(TOKEN, ANA, NOW - MAX_AGE - timedelta(seconds=1)), TOKEN, NOW)
    with pytest.raises(InvalidInitData, match="future"):
        verify(sign(TOKEN, ANA, NOW + timedelta(hours=1)), TOKEN, NOW)


@pytest.mark.parametrize("data", ["", "hash=", "x" * 9000, "user=1&user=2&hash=abc", "%%%"])
def test_garbage_is_refused_with_a_reason(data: str) -> None:
    with pytest.raises(InvalidInitData):
        verify(data, TOKEN, NOW)


def test_signed_but_unreadable_user_is_refused() -> None:
    key = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    fields = {"auth_date": str(int(NOW.timestamp())), "user": "not json"}
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    fields["hash"] = hmac.new(key, check.encode(), hashlib.sha256).hexdigest()
    with pytest.raises(InvalidInitData, match="readable user"):
        verify(urlencode(fields), TOKEN, NOW)
