"""Validation of untrusted credential records: every problem at once, never a traceback.

Each problem reads `FILE:LINE: field: message` so a person can jump straight to it.

Limits (generous: the bundled catalog's largest values are a tenth of them or less) keep one bad record from
costing memory, breaking SQLite or flooding the screen: text fields at most MAX_TEXT_CHARS characters (the
description MAX_DESCRIPTION_CHARS), lists at most MAX_LIST_ITEMS items of MAX_ITEM_CHARS characters, numbers at
most MAX_NUMBER[field]. Text must be encodable as UTF-8 (no lone surrogates) and hold no NUL character.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from catalog.schema import (
    FIELD_NAMES,
    OPTIONAL_FIELDS,
    Credential,
    CredentialType,
    EarnBy,
    Format,
    Level,
)

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
STRING_FIELDS = ("id", "title", "provider", "url", "description", "currency", "language", "source", "as_of")
NUMBER_FIELDS = ("hours", "weeks", "hours_per_week", "cost")
MAX_TEXT_CHARS = 2_000
MAX_DESCRIPTION_CHARS = 20_000
MAX_LIST_ITEMS = 100
MAX_ITEM_CHARS = 500
MAX_NUMBER = {"hours": 10_000, "weeks": 520, "hours_per_week": 168, "cost": 1_000_000}
SHOWN_CHARS = 60  # a bad value is quoted in a problem up to this many characters
ENUMS: dict[str, type] = {
    "credential_type": CredentialType,
    "level": Level,
    "format": Format,
}


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.field}: {self.message}"
        return text.encode("utf-8", "backslashreplace").decode("utf-8")  # printable whatever the file held


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as read from a file, before validation; `error` is set when it could not even be parsed."""

    file: str
    line: int
    data: dict[str, Any] | None
    error: str = ""
    defaulted: tuple[str, ...] = ()  # fields the file did not carry, filled with defaults (Open Badges)


@dataclass(frozen=True, slots=True)
class Validated:
    credentials: tuple[Credential, ...]
    problems: tuple[Problem, ...]
    stopped_at: int = 0  # the last line checked when `limit` problems ended the check early; 0 = all checked

    @property
    def ok(self) -> bool:
        return not self.problems


def _allowed(enum: type) -> str:
    return ", ".join(e.value for e in enum)  # type: ignore[attr-defined]


def shown(value: object) -> str:
    """A bad value quoted in a problem: its repr, cut short so a 10 MB field makes a one-line message."""
    try:
        text = repr(value)
    except ValueError:  # an int with more digits than Python will print
        return f"a {type(value).__name__} too large to show"
    return text if len(text) <= SHOWN_CHARS else f"{text[: SHOWN_CHARS - 5]}...{text[-1]} ({len(text):,} chars)"


def text_problem(value: str, limit: int) -> str | None:
    """Why a string cannot be stored as it is (too long, not UTF-8, NUL), or None."""
    if len(value) > limit:
        return f"is {len(value):,} characters long, at most {limit:,} allowed"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"is not valid UTF-8 text (character {exc.start + 1} is a lone surrogate {value[exc.start]!r})"
    nul = value.find("\x00")
    if nul >= 0:
        return f"contains a NUL character (character {nul + 1})"
    return None


def check_record(data: dict[str, Any], file: str, line: int) -> list[Problem]:
    """All problems of one record (field-level); duplicate ids are checked across records by `validate`."""
    problems: list[Problem] = []

    def bad(field: str, message: str) -> None:
        problems.append(Problem(file, line, field, message))

    for key in data:
        if key not in FIELD_NAMES:
            name = key if len(key) <= SHOWN_CHARS and key.isprintable() else shown(key)
            bad(name, f"unknown field (allowed: {', '.join(FIELD_NAMES)})")
    for key in FIELD_NAMES:
        if key not in data and key not in OPTIONAL_FIELDS:
            bad(key, "missing field")

    for key in STRING_FIELDS:
        if key in data:
            value = data[key]
            if not isinstance(value, str):
                bad(key, f"must be a string, got {type(value).__name__}")
            elif not value.strip():
                bad(key, "must not be empty")
            elif why := text_problem(value, MAX_DESCRIPTION_CHARS if key == "description" else MAX_TEXT_CHARS):
                bad(key, why)
    if isinstance(data.get("id"), str) and data["id"].strip() and not ID_RE.match(data["id"]):
        bad("id", "must be a slug of lowercase letters, digits and hyphens (3-100 characters)")
    for key in ("url", "source"):
        value = data.get(key)
        if isinstance(value, str) and value.strip() and not re.match(r"^https://[^\s/]+\.[^\s]+$", value):
            bad(key, f"must be an https:// URL, got {shown(value)}")
    currency = data.get("currency")
    if isinstance(currency, str) and currency and not CURRENCY_RE.match(currency):
        bad("currency", f"must be a 3-letter ISO code such as USD, got {shown(currency)}")
    language = data.get("language")
    if isinstance(language, str) and language and not LANGUAGE_RE.match(language):
        bad("language", f"must be an ISO 639 code such as en, got {shown(language)}")
    as_of = data.get("as_of")
    if isinstance(as_of, str) and as_of:
        try:
            date.fromisoformat(as_of)
        except ValueError:
            bad("as_of", f"must be an ISO date (YYYY-MM-DD), got {shown(as_of)}")

    for key in NUMBER_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            bad(key, f"must be a number, got {type(value).__name__}")
        elif value != value or value in (float("inf"), float("-inf")):
            bad(key, "must be a finite number")
        elif key == "cost" and value < 0:
            bad(key, f"must not be negative, got {shown(value)}")
        elif key != "cost" and value <= 0:
            bad(key, f"must be greater than 0, got {shown(value)}")
        elif value > MAX_NUMBER[key]:
            bad(key, f"must be at most {MAX_NUMBER[key]:,}, got {shown(value)}")

    for key, enum in ENUMS.items():
        if key in data:
            value = data[key]
            if not isinstance(value, str) or value not in {e.value for e in enum}:  # type: ignore[attr-defined]
                bad(key, f"{shown(value)} is not allowed (allowed: {_allowed(enum)})")

    for key in ("skills", "prerequisites", "earn_by"):
        if key not in data:
            continue
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            bad(key, "must be a list of strings")
            continue
        if len(value) > MAX_LIST_ITEMS:
            bad(key, f"has {len(value):,} items, at most {MAX_LIST_ITEMS} allowed")
            continue
        why_not = [(i, why) for i, v in enumerate(value, start=1) if (why := text_problem(v, MAX_ITEM_CHARS))]
        if why_not:
            bad(key, f"item {why_not[0][0]} {why_not[0][1]}")
            continue
        if key in ("skills", "earn_by") and not [v for v in value if v.strip()]:
            bad(key, "must not be empty")
        if key == "earn_by":
            allowed = {e.value for e in EarnBy}
            for v in value:
                if v not in allowed:
                    bad(key, f"{shown(v)} is not allowed (allowed: {_allowed(EarnBy)})")
        if key == "skills" and any(not v.strip() for v in value):
            bad(key, "contains an empty skill")

    if "alignments" in data:
        value = data["alignments"]
        if not isinstance(value, list):
            bad("alignments", "must be a list of objects with framework and code")
        elif len(value) > MAX_LIST_ITEMS:
            bad("alignments", f"has {len(value):,} items, at most {MAX_LIST_ITEMS} allowed")
        else:
            for i, item in enumerate(value):
                if (
                    not isinstance(item, dict)
                    or not isinstance(item.get("framework"), str)
                    or not isinstance(item.get("code"), str)
                    or not item.get("framework")
                    or not item.get("code")
                ):
                    bad("alignments", f"item {i + 1} needs string 'framework' and 'code'")
                    continue
                for part in ("framework", "code", "name", "url"):
                    text = item.get(part, "")
                    if not isinstance(text, str):
                        bad("alignments", f"item {i + 1}: {part} must be a string, got {type(text).__name__}")
                    elif why := text_problem(text, MAX_ITEM_CHARS):
                        bad("alignments", f"item {i + 1}: {part} {why}")
    return problems


def validate(records: Iterable[RawRecord], limit: int | None = None) -> Validated:
    """Validate every record; returns the good credentials and every problem found (including duplicate ids).

    Records are taken one at a time, so a lazy reader keeps memory to the good credentials. With `limit`, the
    check ends once that many problems are found (a file of a million broken lines says so in a page, not a
    million lines) and `stopped_at` tells where."""
    problems: list[Problem] = []
    credentials: list[Credential] = []
    seen: dict[str, tuple[str, int]] = {}
    last = 0
    for record in records:
        if limit is not None and len(problems) >= limit:
            return Validated(tuple(credentials), tuple(problems), stopped_at=last)
        last = record.line
        if record.data is None:
            problems.append(Problem(record.file, record.line, "record", record.error or "could not be read"))
            continue
        found = check_record(record.data, record.file, record.line)
        cid = record.data.get("id")
        if isinstance(cid, str) and cid:
            if cid in seen:
                _, first_line = seen[cid]
                found.append(
                    Problem(record.file, record.line, "id", f"duplicate id {shown(cid)} (first at line {first_line})")
                )
            else:
                seen[cid] = (record.file, record.line)
        if found:
            problems.extend(found)
        else:
            credentials.append(Credential.from_dict(record.data))
    return Validated(tuple(credentials), tuple(problems))


def format_problems(problems: Sequence[Problem], limit: int | None = None) -> str:
    shown = problems if limit is None else problems[:limit]
    lines = [str(p) for p in shown]
    if limit is not None and len(problems) > limit:
        lines.append(f"... and {len(problems) - limit} more problems")
    return "\n".join(lines)
