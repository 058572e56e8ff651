import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from catalog.formats import CatalogFileError, read_file, write_csv, write_jsonl
from catalog.schema import Credential
from catalog.validate import validate
from tests.fakes import record


def test_csv_round_trip(tmp_path: Path) -> None:
    credential = Credential.from_dict(
        record(alignments=[{"framework": "O*NET-SOC", "code": "15-2051.01"}], prerequisites=["basic math", "excel"])
    )
    buffer = io.StringIO()
    write_csv([credential], buffer)
    path = tmp_path / "c.csv"
    path.write_text(buffer.getvalue())
    result = validate(read_file(path).records)
    assert result.ok, result.problems
    back = result.credentials[0]
    assert back.prerequisites == ("basic math", "excel")
    assert back.alignments[0].code == "15-2051.01"
    assert back.hours == credential.hours


def test_csv_bad_number_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    row = {k: (";".join(v) if isinstance(v, list) else v) for k, v in record(hours="lots").items()}
    row["alignments"] = ""
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    problems = [str(p) for p in validate(read_file(path).records).problems]
    assert problems == [f"{path}:2: hours: must be a number, got str"]


def test_jsonl_export_has_every_field() -> None:
    buffer = io.StringIO()
    write_jsonl([Credential.from_dict(record())], buffer)
    assert set(json.loads(buffer.getvalue())) == set(record())


OB3 = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "id": "https://badges.example.edu/achievements/intro-sql",
    "type": ["Achievement"],
    "achievementType": "Badge",
    "name": "Intro to SQL",
    "description": "Writing basic queries.",
    "criteria": {"narrative": "Pass the final assessment and build a query portfolio."},
    "creator": {"id": "https://badges.example.edu", "type": ["Profile"], "name": "Example University"},
    "tag": ["sql", "databases"],
    "alignment": [
        {"type": ["Alignment"], "targetName": "Database administrators", "targetCode": "15-1242.00",
         "targetFramework": "O*NET-SOC", "targetUrl": "https://www.onetonline.org/link/summary/15-1242.00"}
    ],
}  # fmt: skip


def test_ob3_achievement_maps_and_reports_defaults(tmp_path: Path) -> None:
    path = tmp_path / "badge.json"
    path.write_text(json.dumps({"type": ["OpenBadgeCredential"], "credentialSubject": {"achievement": OB3}}))
    result = read_file(path, "ob3", today=date(2026, 11, 29))
    checked = validate(result.records)
    assert checked.ok, checked.problems
    c = checked.credentials[0]
    assert (c.title, c.provider, c.credential_type.value) == ("Intro to SQL", "Example University", "badge")
    assert c.skills == ("sql", "databases")
    assert {e.value for e in c.earn_by} == {"portfolio", "assessment"}
    assert c.alignments[0].code == "15-1242.00"
    assert "Pass the final assessment" in c.description
    assert c.as_of == "2026-11-29"
    assert "hours" in result.defaulted[1] and "cost" in result.defaulted[1]


def test_ob3_without_https_id_reports_url_problem(tmp_path: Path) -> None:
    path = tmp_path / "badge.json"
    path.write_text(json.dumps({**OB3, "id": "urn:uuid:1234", "creator": {"name": "X"}}))
    problems = [str(p) for p in validate(read_file(path, "ob3").records).problems]
    assert any(": url: missing field" in p or ": url: must not be empty" in p for p in problems)


@pytest.mark.parametrize("name", ["missing.jsonl", "dir"])
def test_unreadable_files_raise_a_friendly_error(tmp_path: Path, name: str) -> None:
    (tmp_path / "dir").mkdir()
    with pytest.raises(CatalogFileError) as err:
        read_file(tmp_path / name)
    assert str(tmp_path / name) in str(err.value)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CatalogFileError, match="not UTF-8"):
        read_file(path)
