"""Reading a time zone from what people type: a city, an IANA name, or a UTC offset."""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import ZoneInfo, available_timezones


@cache
def _by_city() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if name.startswith(("Etc/", "SystemV/", "US/")) or "/" not in name:
            continue
        city = name.rsplit("/", 1)[-1].replace("_", " ").lower()
        out.setdefault(city, name)
    return out


ALIASES = {"nyc": "America/New_York", "la": "America/Los_Angeles", "sf": "America/Los_Angeles",
           "san francisco": "America/Los_Angeles", "washington": "America/New_York", "boston": "America/New_York",
           "delhi": "Asia/Kolkata", "mumbai": "Asia/Kolkata", "bangalore": "Asia/Kolkata", "beijing": "Asia/Shanghai",
           "uk": "Europe/London", "utc": "UTC", "gmt": "UTC"}  # fmt: skip


def parse_timezone(text: str) -> str | None:
    """'Berlin' -> Europe/Berlin, 'Europe/Lisbon', 'UTC+2' -> Etc/GMT-2 (POSIX signs are inverted); None if unknown."""
    raw = text.strip()
    low = " ".join(raw.lower().split())
    if not low:
        return None
    if low in ALIASES:
        return ALIASES[low]
    m = re.fullmatch(r"(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?00)?", low)
    if m:
        hours = int(m.group(2))
        if hours > 14:
            return None
        if hours == 0:
            return "UTC"
        sign = "-" if m.group(1) == "+" else "+"
        return f"Etc/GMT{sign}{hours}"
    for name in available_timezones():
        if name.lower() == low.replace(" ", "_"):
            try:
                ZoneInfo(name)
            except Exception:
                return None
            return name
    return _by_city().get(low)
