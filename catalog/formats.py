"""Reading and writing catalog files: our JSON Lines, CSV, and Open Badges 3.0 Achievement JSON.

Readers turn bytes into `RawRecord`s with line numbers; they never judge content (that is catalog.validate).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from catalog.schema import FIELD_NAMES, LIST_FIELDS, Credential
from catalog.validate import RawRecord

FORMATS = ("jsonl", "csv", "ob3")
NUMBER_FIELDS = ("hours", "weeks", "hours_per_week", "cost")


class CatalogFileError(Exception):
    """A file that cannot be read at all (missing, not text, wrong format). The message is for people."""


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix == ".json":
        return "ob3"
    return "jsonl"


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CatalogFileError(f"{path}: is a directory, expected a file") from None
    except UnicodeDecodeError:
        raise CatalogFileError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise CatalogFileError(f"{path}: cannot be read ({exc.strerror})") from None


def read_jsonl(text: str, name: str) -> Iterator[RawRecord]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RawRecord(name, number, None, f"bad JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(data, dict):
            yield RawRecord(name, number, None, f"expected a JSON object, got {type(data).__name__}")
            continue
        yield RawRecord(name, number, data)


def _csv_value(key: str, raw: str) -> Any:
    raw = raw.strip()
    if key in LIST_FIELDS:
        items = [item.strip() for item in raw.split(";") if item.strip()]
        if key == "alignments":
            out = []
            for item in items:
                framework, _, code = item.partition(":")
                out.append({"framework": framework.strip(), "code": code.strip()})
            return out
        return items
    if key in NUMBER_FIELDS:
        try:
            number = float(raw)
        except ValueError:
            return raw  # left as text so validation reports "must be a number"
        return int(number) if number.is_integer() else number
    return raw


def read_csv(text: str, name: str) -> Iterator[RawRecord]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise CatalogFileError(f"{name}: empty CSV file; the first row must name the fields")
    for row in reader:
        number = reader.line_num
        extra = row.pop(None, None)  # type: ignore[call-overload]
        if extra:
            yield RawRecord(name, number, None, f"{len(extra)} more values than header fields")
            continue
        data = {key: _csv_value(key, value or "") for key, value in row.items() if key is not None}
        if "alignments" in data and not data["alignments"]:
            del data["alignments"]
        yield RawRecord(name, number, data)


# --- Open Badges 3.0 -------------------------------------------------------------------------------------------

OB3_TYPES = {
    "badge": "badge",
    "certificate": "certificate",
    "certification": "certification",
    "course": "certificate",
    "microcredential": "badge",
    "professionaldoctorate": "certification",
    "license": "certification",
    "competency": "badge",
    "achievement": "badge",
    "learningprogram": "course-series",
    "diploma": "certificate",
}
# What OB3 does not carry, filled with these and reported back to the importer.
OB3_DEFAULTS: dict[str, Any] = {
    "level": "beginner",
    "hours": 10,
    "weeks": 2,
    "hours_per_week": 5,
    "cost": 0,
    "currency": "USD",
    "format": "online",
    "language": "en",
    "prerequisites": [],
}
EARN_BY_HINTS = (
    ("portfolio", ("portfolio", "project", "capstone", "artifact", "artefact")),
    ("assessment", ("exam", "assessment", "quiz", "test", "score")),
    ("assignments", ("assignment", "homework", "exercise", "submit")),
    ("lectures-seminars", ("lecture", "seminar", "webinar", "attend", "course")),
    ("conferences", ("conference", "summit")),
    ("workplace-application", ("workplace", "on the job", "employer", "supervisor")),
)


@dataclass(frozen=True, slots=True)
class Ob3Mapping:
    record: RawRecord
    defaulted: tuple[str, ...] = field(default_factory=tuple)


def _slug(text: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", text.lower())).strip("-")[:90] or "achievement"


def _achievements(doc: Any) -> list[dict[str, Any]]:
    """Accept a bare Achievement, a list of them, or an OpenBadgeCredential wrapping one."""
    if isinstance(doc, list):
        out: list[dict[str, Any]] = []
        for item in doc:
            out.extend(_achievements(item))
        return out
    if not isinstance(doc, dict):
        return []
    subject = doc.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(subject.get("achievement"), dict):
        return [subject["achievement"]]
    return [doc]


def map_ob3(achievement: dict[str, Any], name: str, index: int, today: date) -> Ob3Mapping:
    defaulted: list[str] = []
    creator = achievement.get("creator") or achievement.get("issuer") or {}
    provider = creator.get("name", "") if isinstance(creator, dict) else ""
    title = achievement.get("name", "")
    criteria = achievement.get("criteria") or {}
    narrative = criteria.get("narrative", "") if isinstance(criteria, dict) else ""
    description = str(achievement.get("description", "")).strip()
    if narrative:
        description = f"{description} Criteria: {narrative.strip()}".strip()
    url = ""
    for candidate in (
        achievement.get("id"),
        criteria.get("id") if isinstance(criteria, dict) else None,
        creator.get("url") if isinstance(creator, dict) else None,
    ):
        if isinstance(candidate, str) and candidate.startswith("https://"):
            url = candidate
            break
    skills = [str(t) for t in achievement.get("tag") or [] if str(t).strip()]
    if not skills:
        skills = [
            str(a.get("targetName"))
            for a in achievement.get("alignment") or []
            if isinstance(a, dict) and a.get("targetName")
        ]
    raw_type = achievement.get("achievementType", "")
    ctype = OB3_TYPES.get(str(raw_type).replace("ext:", "").lower(), "")
    if not ctype:
        ctype = "badge"
        defaulted.append("credential_type")
    low = narrative.lower()
    earn_by = [way for way, words in EARN_BY_HINTS if any(w in low for w in words)]
    if not earn_by:
        earn_by = ["assessment"]
        defaulted.append("earn_by")
    alignments = [
        {
            "framework": str(a.get("targetFramework") or a.get("targetType") or "OB3"),
            "code": str(a.get("targetCode") or a.get("targetUrl") or ""),
            "name": str(a.get("targetName", "")),
            "url": str(a.get("targetUrl", "")),
        }
        for a in achievement.get("alignment") or []
        if isinstance(a, dict) and (a.get("targetCode") or a.get("targetUrl"))
    ]
    data: dict[str, Any] = {
        "id": _slug(f"{provider}-{title}") if provider or title else f"ob3-{index}",
        "title": title,
        "provider": provider,
        "url": url,
        "description": description,
        "skills": skills,
        "credential_type": ctype,
        "earn_by": earn_by,
        "alignments": alignments,
        "source": url,
        "as_of": today.isoformat(),
    }
    if isinstance(achievement.get("inLanguage"), str):
        data["language"] = achievement["inLanguage"].split("-")[0].lower()
    for key, value in OB3_DEFAULTS.items():
        if key not in data:
            data[key] = value
            defaulted.append(key)
    return Ob3Mapping(RawRecord(name, index, data), tuple(defaulted))


def read_ob3(text: str, name: str, today: date) -> list[Ob3Mapping]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return [Ob3Mapping(RawRecord(name, exc.lineno, None, f"bad JSON: {exc.msg} (column {exc.colno})"))]
    found = _achievements(doc)
    if not found:
        return [Ob3Mapping(RawRecord(name, 1, None, "no Open Badges 3.0 Achievement found"))]
    return [map_ob3(a, name, i, today) for i, a in enumerate(found, start=1)]


@dataclass(frozen=True, slots=True)
class ReadResult:
    records: tuple[RawRecord, ...]
    defaulted: dict[int, tuple[str, ...]]  # record line/index -> fields filled with defaults (OB3)


def read_file(path: Path, fmt: str | None = None, today: date | None = None) -> ReadResult:
    """Read any supported file; raises CatalogFileError only when the file as a whole is unusable."""
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise CatalogFileError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    text = read_text(path)
    name = str(path)
    if fmt == "jsonl":
        return ReadResult(tuple(read_jsonl(text, name)), {})
    if fmt == "csv":
        return ReadResult(tuple(read_csv(text, name)), {})
    mapped = read_ob3(text, name, today or date.today())
    return ReadResult(tuple(m.record for m in mapped), {m.record.line: m.defaulted for m in mapped if m.defaulted})


def write_jsonl(credentials: Iterable[Credential], out: io.TextIOBase | Any) -> int:
    count = 0
    for credential in credentials:
        out.write(json.dumps(credential.to_dict(), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(credentials: Iterable[Credential], out: Any) -> int:
    writer = csv.DictWriter(out, fieldnames=list(FIELD_NAMES))
    writer.writeheader()
    count = 0
    for credential in credentials:
        row = credential.to_dict()
        for key in LIST_FIELDS:
            if key == "alignments":
                row[key] = ";".join(f"{a['framework']}:{a['code']}" for a in row[key])
            else:
                row[key] = ";".join(row[key])
        writer.writerow(row)
        count += 1
    return count
