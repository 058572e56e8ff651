"""Reading and writing catalog files: our JSON Lines, CSV, and Open Badges 3.0 Achievement JSON.

Readers turn bytes into `RawRecord`s with line numbers; they never judge content (that is catalog.validate).
A file is read line by line, so a bad byte, bad JSON or an over-long line costs one problem on its line and the
rest is still checked. Limits, so memory stays bounded whatever the input: a file over MAX_FILE_BYTES (32 MiB,
five times the bundled catalog) is refused before anything is read, and so is an Open Badges document over
MAX_OB3_BYTES (4 MiB: it is parsed whole); a JSON Lines line or CSV line over MAX_RECORD_BYTES (128 KiB; the
bundled records are under 2.1 KB) is reported and skipped without being kept.

CSV cells we write that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) get a
leading single quote, and so do cells starting with a quote; the CSV reader takes that one quote off again, so
an export imports back unchanged. JSON Lines is written as it is.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from catalog.schema import FIELD_NAMES, LIST_FIELDS, Credential
from catalog.validate import RawRecord, shown

FORMATS = ("jsonl", "csv", "ob3")
NUMBER_FIELDS = ("hours", "weeks", "hours_per_week", "cost")
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_OB3_BYTES = 4 * 1024 * 1024  # one JSON document is parsed whole, so it gets a tighter bound
MAX_RECORD_BYTES = 128 * 1024
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CatalogFileError(Exception):
    """A file that cannot be read at all (missing, not text, wrong format). The message is for people."""


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix == ".json":
        return "ob3"
    return "jsonl"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MiB"


def _too_big(name: str, size: int | None = None, limit: int = MAX_FILE_BYTES) -> CatalogFileError:
    actual = f"is {_megabytes(size)}, " if size is not None else "holds "
    return CatalogFileError(
        f"{name}: {actual}more than the {_megabytes(limit)} a catalog file of this kind may hold; "
        "split it and import the parts one by one"
    )


def open_catalog_file(path: Path, limit: int = MAX_FILE_BYTES) -> BinaryIO:
    """Open for reading in bytes, refusing a missing, unreadable or over-large file before reading any of it."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        raise CatalogFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CatalogFileError(f"{path}: is a directory, expected a file") from None
    except OSError as exc:
        raise CatalogFileError(f"{path}: cannot be read ({exc.strerror})") from None
    info = os.fstat(fh.fileno())
    if stat.S_ISDIR(info.st_mode):
        fh.close()
        raise CatalogFileError(f"{path}: is a directory, expected a file")
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        fh.close()
        raise _too_big(str(path), info.st_size, limit)
    return fh


def read_text(path: Path) -> str:
    """The whole file as text (for Open Badges JSON, one document); raises CatalogFileError with the bad line."""
    with open_catalog_file(path, MAX_OB3_BYTES) as fh:
        data = fh.read(MAX_OB3_BYTES + 1)  # a pipe has no size to check at open
    if len(data) > MAX_OB3_BYTES:
        raise _too_big(str(path), limit=MAX_OB3_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CatalogFileError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at column {column}); save it as UTF-8"
        ) from None


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a file: its text, or (text None) why it could not be used."""

    number: int
    text: str | None
    error: str = ""


NOT_UTF8_STARTS = (
    (codecs.BOM_UTF32_LE, "the file is UTF-32; save it as UTF-8"),  # before UTF-16 LE: same first two bytes
    (codecs.BOM_UTF32_BE, "the file is UTF-32; save it as UTF-8"),
    (codecs.BOM_UTF16_LE, "the file is UTF-16; save it as UTF-8"),
    (codecs.BOM_UTF16_BE, "the file is UTF-16; save it as UTF-8"),
    (b"\x1f\x8b", "the file is gzip-compressed; unpack it first"),
    (b"PK\x03\x04", "the file is a zip archive (a spreadsheet?); save it as CSV or JSON Lines"),
)


def _sniff(first: bytes, name: str) -> None:
    """A whole file in another encoding is one clear error, not one problem per line."""
    for start, why in NOT_UTF8_STARTS:
        if first.startswith(start):
            raise CatalogFileError(f"{name}:1: not UTF-8 text: {why}")


def text_lines(fh: BinaryIO, name: str) -> Iterator[Line]:
    """Lines decoded one at a time: never more than MAX_RECORD_BYTES of a line in memory, never more than
    MAX_FILE_BYTES read in all (the size check at open cannot see the end of a pipe)."""
    total = 0
    number = 0
    while True:
        raw = fh.readline(MAX_RECORD_BYTES + 1)
        if not raw:
            return
        number += 1
        size = len(raw)
        if size > MAX_RECORD_BYTES:
            while not raw.endswith(b"\n"):  # skip the rest of the line without keeping it
                raw = fh.readline(1 << 16)
                if not raw:
                    break
                size += len(raw)
                if total + size > MAX_FILE_BYTES:
                    raise _too_big(name)
        total += size
        if total > MAX_FILE_BYTES:
            raise _too_big(name)
        if size > MAX_RECORD_BYTES:
            yield Line(
                number, None, f"this line is {size:,} bytes, over the {MAX_RECORD_BYTES:,} bytes one record may take"
            )
            continue
        if number == 1:
            _sniff(raw, name)
            if raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield Line(number, raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            byte = raw[exc.start]
            yield Line(number, None, f"not UTF-8 text (byte 0x{byte:02x} at column {exc.start + 1}); save it as UTF-8")


class _RepeatedField(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json's object hook: `{"id": "a", "id": "b"}` is an error, not a silent last-one-wins."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _RepeatedField(key)
            seen.add(key)
    return data


def _json_error(exc: json.JSONDecodeError, where: str) -> str:
    """"Unterminated string starting at column 28", "Expecting ',' delimiter at column 57"."""
    return f"bad JSON: {exc.msg.removesuffix(' at')} at {where}"


def parse_json(text: str) -> tuple[Any, str]:
    """(value, "") or (None, why not) for untrusted JSON text; never raises."""
    try:
        return json.loads(text, object_pairs_hook=_no_repeats), ""
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}" if exc.lineno > 1 else f"column {exc.colno}"
        return None, _json_error(exc, where)
    except _RepeatedField as exc:
        return None, f"bad JSON: field {shown(exc.key)} appears twice in one object"
    except RecursionError:
        return None, "bad JSON: nested too deeply"
    except ValueError:  # an integer of thousands of digits
        return None, "bad JSON: a number with too many digits"


def _json_record(line: Line, name: str) -> RawRecord | None:
    if line.text is None:
        return RawRecord(name, line.number, None, line.error)
    if not line.text.strip():
        return None
    data, error = parse_json(line.text.rstrip("\r\n"))  # so an error's column is on this line, not the next
    if error:
        return RawRecord(name, line.number, None, error)
    if not isinstance(data, dict):
        return RawRecord(name, line.number, None, f"expected a JSON object, got {type(data).__name__}")
    return RawRecord(name, line.number, data)


def _lines_of(text: str) -> Iterator[Line]:
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        yield Line(number, line)


def read_jsonl_lines(lines: Iterable[Line], name: str) -> Iterator[RawRecord]:
    for line in lines:
        record = _json_record(line, name)
        if record is not None:
            yield record


def read_jsonl(text: str, name: str) -> Iterator[RawRecord]:
    return read_jsonl_lines((Line(n, t) for n, t in enumerate(text.split("\n"), start=1)), name)


def _csv_value(key: str, raw: str) -> Any:
    raw = _unquoted(raw.strip())
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


def _unquoted(cell: str) -> str:
    """Undo the quote `_quoted` put in front of a formula-looking cell (or of a cell starting with a quote)."""
    if cell.startswith("'") and cell[1:2] and (cell[1] == "'" or cell[1:].startswith(FORMULA_START)):
        return cell[1:]
    return cell


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell is longer than {csv.field_size_limit():,} characters (an unclosed quote?)"
    return text


def read_csv_lines(lines: Iterable[Line], name: str) -> Iterator[RawRecord]:
    """Rows of a CSV file whose first row names the fields; a row is numbered by the line it starts on."""
    unusable: dict[int, str] = {}

    def texts() -> Iterator[str]:
        for line in lines:
            if line.text is None:
                unusable[line.number] = line.error
                yield "\n"  # a stand-in: the row holding this line is reported, never imported
            else:
                yield line.text

    reader = csv.reader(texts())
    try:
        header = next(reader)
    except StopIteration:
        raise CatalogFileError(f"{name}: empty CSV file; the first row must name the fields") from None
    except csv.Error as exc:
        raise CatalogFileError(f"{name}:1: the header row is not readable CSV ({_csv_reason(exc)})") from None
    if unusable:
        first = min(unusable)
        raise CatalogFileError(f"{name}:{first}: the header row {unusable[first]}")
    header = [_unquoted(h.strip()) for h in header]
    for i, key in enumerate(header):
        if not key:
            raise CatalogFileError(f"{name}:1: column {i + 1} of the header row has no name")
        if key in header[:i]:
            raise CatalogFileError(f"{name}:1: the header row names {shown(key)} twice")
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RawRecord(name, start, None, f"not readable as CSV ({_csv_reason(exc)}); the rest was not read")
            return
        end = reader.line_num
        broken = [n for n in range(start, end + 1) if n in unusable]
        number, start = start, end + 1
        if broken:
            yield from (RawRecord(name, n, None, unusable.pop(n)) for n in broken)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            yield RawRecord(name, number, None, f"{len(cells) - len(header)} more values than header fields")
            continue
        data = {key: _csv_value(key, cell) for key, cell in zip(header, cells, strict=False)}
        for key in header[len(cells) :]:
            data[key] = _csv_value(key, "")
        if "alignments" in data and not data["alignments"]:
            del data["alignments"]
        yield RawRecord(name, number, data)


def read_csv(text: str, name: str) -> Iterator[RawRecord]:
    return read_csv_lines(_lines_of(text), name)


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


def _as_list(value: Any) -> list[Any]:
    """OB3 allows one value where a list is usual; anything else (a number, say) counts as none."""
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, str | dict) else []


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
    narrative = narrative if isinstance(narrative, str) else ""
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
    skills = [str(t) for t in _as_list(achievement.get("tag")) if str(t).strip()]
    if not skills:
        skills = [
            str(a.get("targetName"))
            for a in _as_list(achievement.get("alignment"))
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
        for a in _as_list(achievement.get("alignment"))
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
    return Ob3Mapping(RawRecord(name, index, data, defaulted=tuple(defaulted)), tuple(defaulted))


def read_ob3(text: str, name: str, today: date) -> list[Ob3Mapping]:
    try:
        doc = json.loads(text, object_pairs_hook=_no_repeats)
    except json.JSONDecodeError as exc:
        return [Ob3Mapping(RawRecord(name, exc.lineno, None, _json_error(exc, f"column {exc.colno}")))]
    except (_RepeatedField, RecursionError, ValueError):
        return [Ob3Mapping(RawRecord(name, 1, None, parse_json(text)[1]))]
    try:
        found = _achievements(doc)
    except RecursionError:
        return [Ob3Mapping(RawRecord(name, 1, None, "bad JSON: lists nested too deeply"))]
    if not found:
        return [Ob3Mapping(RawRecord(name, 1, None, "no Open Badges 3.0 Achievement found"))]
    return [map_ob3(a, name, i, today) for i, a in enumerate(found, start=1)]


@dataclass(frozen=True, slots=True)
class ReadResult:
    records: tuple[RawRecord, ...]
    defaulted: dict[int, tuple[str, ...]]  # record line/index -> fields filled with defaults (OB3)


def iter_records(path: Path, fmt: str | None = None, today: date | None = None) -> Iterator[RawRecord]:
    """The records of any supported file, one at a time (JSON Lines and CSV are never held whole in memory).

    Raises CatalogFileError, possibly mid-way, when the file as a whole is unusable: missing, over its size
    limit, empty, or a CSV header that cannot be read."""
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise CatalogFileError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    name = str(path)
    if fmt == "ob3":
        text = read_text(path)
        if not text.strip():
            raise _empty(name)
        yield from (m.record for m in read_ob3(text, name, today or date.today()))
        return
    empty = True
    with open_catalog_file(path) as fh:
        lines = text_lines(fh, name)
        for record in read_jsonl_lines(lines, name) if fmt == "jsonl" else read_csv_lines(lines, name):
            empty = False
            yield record
    if empty:
        raise _empty(name, header=fmt == "csv")


def read_file(path: Path, fmt: str | None = None, today: date | None = None) -> ReadResult:
    """All records of a file at once (see iter_records)."""
    records = tuple(iter_records(path, fmt, today))
    return ReadResult(records, {r.line: r.defaulted for r in records if r.defaulted})


def _empty(name: str, header: bool = False) -> CatalogFileError:
    what = "holds a header row but no records" if header else "the file is empty (no records in it)"
    return CatalogFileError(f"{name}: {what}")


def write_jsonl(credentials: Iterable[Credential], out: io.TextIOBase | Any) -> int:
    """One JSON object per line, exactly as stored: no escaping of any kind beyond JSON's own."""
    count = 0
    for credential in credentials:
        out.write(json.dumps(credential.to_dict(), ensure_ascii=False) + "\n")
        count += 1
    return count


def _quoted(cell: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading quote (OWASP's CSV injection advice)."""
    if isinstance(cell, str) and cell.startswith((*FORMULA_START, "'")):
        return "'" + cell
    return cell


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
        writer.writerow({key: _quoted(value) for key, value in row.items()})
        count += 1
    return count
