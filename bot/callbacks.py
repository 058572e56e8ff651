"""Callback data: short, prefixed, under Telegram's 64-byte limit, and parsed strictly.

Credential ids can be long, so buttons carry a 10-character reference (a hash prefix) that the catalog maps back;
an unknown reference is a stale or forged button and is refused politely.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

MAX_BYTES = 64
PATTERN_ONBOARDING = r"^ob:"
PATTERN_CARD = r"^rec:"
PATTERN_RESULTS = r"^res:"
PATTERN_ENROLL = r"^enr:"
PATTERN_PROGRESS = r"^prog:"
PATTERN_SETTINGS = r"^set:"
PATTERN_FORGET = r"^fgt:"
PATTERN_NUDGE = r"^ndg:"

_SAFE = re.compile(r"^[a-z]{2,5}:[A-Za-z0-9:._+-]{1,58}$")


def ref(credential_id: str) -> str:
    return hashlib.sha1(credential_id.encode("utf-8")).hexdigest()[:10]


def make(*parts: object) -> str:
    data = ":".join(str(p) for p in parts)
    if len(data.encode("utf-8")) > MAX_BYTES or not _SAFE.match(data):
        raise ValueError(f"callback data not allowed: {data!r}")
    return data


@dataclass(frozen=True, slots=True)
class Callback:
    prefix: str
    action: str
    args: tuple[str, ...]


def parse(data: str | None) -> Callback | None:
    """None for anything malformed: wrong shape, too long, odd characters."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES or not _SAFE.match(data):
        return None
    prefix, _, rest = data.partition(":")
    action, _, tail = rest.partition(":")
    return Callback(prefix, action, tuple(tail.split(":")) if tail else ())


MAX_ROW_ID = 2**63 - 1  # SQLite's largest integer


def row_id(arg: str) -> int | None:
    """A row id a button carries (an enrollment's), or None when it cannot be one: not digits, or past what SQLite
    holds (a forged `prog:h:99999999999999999999` would otherwise crash the lookup instead of finding nothing)."""
    if not (arg.isascii() and arg.isdigit()):
        return None
    value = int(arg)
    return value if 0 < value <= MAX_ROW_ID else None
