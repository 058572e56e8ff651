"""Reading a time zone from what people type: a city, an IANA name, or a UTC offset."""

from __future__ import annotations

import re
import unicodedata
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
           "uk": "Europe/London", "utc": "UTC", "gmt": "UTC", "seattle": "America/Los_Angeles",
           "munich": "Europe/Berlin", "cape town": "Africa/Johannesburg", "sydney": "Australia/Sydney",
           # US-style abbreviations mean the place, with its summer time, not the fixed-offset zone of that name
           "est": "America/New_York", "edt": "America/New_York", "eastern": "America/New_York",
           "cst": "America/Chicago", "cdt": "America/Chicago", "central": "America/Chicago",
           "mst": "America/Denver", "mdt": "America/Denver", "mountain": "America/Denver",
           "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pacific": "America/Los_Angeles",
           "ist": "Asia/Kolkata", "jst": "Asia/Tokyo", "aest": "Australia/Sydney", "bst": "Europe/London",
           "cet": "Europe/Berlin", "cest": "Europe/Berlin",
           # countries with one time zone
           "india": "Asia/Kolkata", "germany": "Europe/Berlin", "france": "Europe/Paris", "spain": "Europe/Madrid",
           "italy": "Europe/Rome", "japan": "Asia/Tokyo", "ireland": "Europe/Dublin",
           "netherlands": "Europe/Amsterdam", "poland": "Europe/Warsaw", "nigeria": "Africa/Lagos",
           "kenya": "Africa/Nairobi", "philippines": "Asia/Manila",
           "south africa": "Africa/Johannesburg", "pakistan": "Asia/Karachi", "singapore": "Asia/Singapore",
           "england": "Europe/London", "scotland": "Europe/London", "wales": "Europe/London"}  # fmt: skip
HALF_HOURS = {"+3:30": "Asia/Tehran", "+4:30": "Asia/Kabul", "+5:30": "Asia/Kolkata", "+5:45": "Asia/Kathmandu",
              "+6:30": "Asia/Yangon", "+9:30": "Australia/Darwin", "-3:30": "America/St_Johns"}  # fmt: skip


def _plain(text: str) -> str:
    """'São Paulo' -> 'sao paulo': people type accents or not."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def zone_label(zone: str) -> str:
    """How a zone is shown: 'Etc/GMT-1' (POSIX signs are inverted) is 'UTC+1'."""
    m = re.fullmatch(r"Etc/GMT([+-])(\d{1,2})", zone)
    if m:
        return f"UTC{'-' if m.group(1) == '+' else '+'}{m.group(2)}"
    return zone


def parse_timezone(text: str) -> str | None:
    """'Berlin' -> Europe/Berlin, 'Europe/Lisbon', 'UTC+2' -> Etc/GMT-2 (POSIX signs are inverted); None if unknown."""
    raw = text.strip()
    low = " ".join(_plain(raw).lower().split())
    if not low:
        return None
    if low in ALIASES:
        return ALIASES[low]
    half = re.fullmatch(r"(?:utc|gmt)?\s*([+-])\s*(\d{1,2})[:.](30|45|5)", low)
    if half:
        minutes = {"5": "30"}.get(half.group(3), half.group(3))
        return HALF_HOURS.get(f"{half.group(1)}{int(half.group(2))}:{minutes}")
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
    found = _by_city().get(low)
    if found is None and "," in low:  # "London, UK", "Austin, Texas"
        return parse_timezone(low.split(",", 1)[0])
    return found
