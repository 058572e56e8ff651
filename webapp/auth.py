"""Who is asking: Telegram's signed `initData`, verified as Telegram documents for Mini Apps.

The Telegram client hands the page a query string (`user`, `auth_date`, `query_id`, ..., `hash`). The server
recomputes the hash: the secret key is HMAC-SHA-256 of the bot token keyed with the constant "WebAppData", and the
hash is the hex HMAC-SHA-256, under that key, of every field but `hash`, sorted by name, as `name=value` lines.
A matching hash proves Telegram issued the data for this bot; `auth_date` older than `max_age` is refused too, so
a copied link stops working. The sandbox signs for its own person the same way (`sign`), so the page and the
server run one code path everywhere.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

MAX_AGE = timedelta(hours=24)
MAX_LENGTH = 8192  # initData is a few hundred bytes; anything far longer is not from Telegram


class InvalidInitData(ValueError):
    """Why a request is not let in (the server answers 401 and says no more than this)."""


@dataclass(frozen=True, slots=True)
class WebAppUser:
    id: int
    first_name: str
    language_code: str
    auth_date: datetime


def _secret(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign(token: str, user: dict[str, Any], auth_date: datetime, **extra: str) -> str:
    """initData for `user` as the Telegram client would pass it (for the sandbox and the tests)."""
    fields = {"user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
              "auth_date": str(int(auth_date.timestamp())), **extra}  # fmt: skip
    fields["hash"] = hmac.new(_secret(token), _check_string(fields).encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


def verify(init_data: str, token: str, now: datetime, *, max_age: timedelta = MAX_AGE) -> WebAppUser:
    """The person the data was signed for, or InvalidInitData saying why not."""
    if not init_data:
        raise InvalidInitData("no initData")
    if len(init_data) > MAX_LENGTH:
        raise InvalidInitData("initData too long")
    pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=False)
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InvalidInitData("a field is repeated")
    given = fields.get("hash", "")
    expected = hmac.new(_secret(token), _check_string(fields).encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise InvalidInitData("bad signature")
    try:
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), tz=now.tzinfo)
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError, OverflowError, OSError):
        raise InvalidInitData("signed, but without a readable user or auth_date") from None
    if now - signed_at > max_age:
        raise InvalidInitData("initData expired")
    if signed_at - now > timedelta(minutes=5):
        raise InvalidInitData("initData from the future")
    return WebAppUser(user_id, str(user.get("first_name", "")), str(user.get("language_code", "en")), signed_at)
