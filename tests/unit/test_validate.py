import json

import pytest

from catalog.formats import read_jsonl
from catalog.schema import Credential
from catalog.validate import validate
from tests.fakes import record


def check(*records: dict | str) -> list[str]:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    return [str(p) for p in validate(read_jsonl("\n".join(lines), "f.jsonl")).problems]


def test_valid_record_round_trips() -> None:
    result = validate(read_jsonl(json.dumps(record()), "f.jsonl"))
    assert result.ok
    (credential,) = result.credentials
    assert credential.to_dict() == Credential.from_dict(record()).to_dict()
    assert credential.to_dict()["hours"] == 12


def test_every_problem_is_reported_at_once_with_file_line_and_field() -> None:
    bad = record(hours=0, cost=-5, url="http://insecure.example.org", as_of="29/11/2026", skills=[])
    problems = check(record(id="ok-one"), bad)
    assert "f.jsonl:2: hours: must be greater than 0, got 0" in problems
    assert "f.jsonl:2: cost: must not be negative, got -5" in problems
    assert any(p.startswith("f.jsonl:2: url: must be an https:// URL") for p in problems)
    assert any(p.startswith("f.jsonl:2: as_of: must be an ISO date") for p in problems)
    assert "f.jsonl:2: skills: must not be empty" in problems
    assert len(problems) == 5


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"level": "expert"}, "level: 'expert' is not allowed"),
        ({"format": "online-ish"}, "format: 'online-ish' is not allowed"),
        ({"credential_type": "diploma"}, "credential_type: 'diploma' is not allowed"),
        ({"earn_by": ["osmosis"]}, "earn_by: 'osmosis' is not allowed"),
        ({"hours": "ten"}, "hours: must be a number, got str"),
        ({"hours": True}, "hours: must be a number, got bool"),
        ({"title": 42}, "title: must be a string, got int"),
        ({"skills": "sql"}, "skills: must be a list of strings"),
        ({"currency": "dollars"}, "currency: must be a 3-letter ISO code"),
        ({"id": "Not A Slug"}, "id: must be a slug"),
        ({"colour": "red"}, "colour: unknown field"),
        ({"alignments": [{"framework": "ESCO"}]}, "alignments: item 1 needs string 'framework' and 'code'"),
    ],
)
def test_each_kind_of_problem(overrides: dict, expected: str) -> None:
    problems = check(record(**overrides))
    assert any(expected in p for p in problems), problems


def test_missing_field_bad_json_and_non_object() -> None:
    data = record()
    del data["provider"]
    problems = check(data, "{not json", "[1, 2]")
    assert "f.jsonl:1: provider: missing field" in problems
    assert any(p.startswith("f.jsonl:2: record: bad JSON") for p in problems)
    assert "f.jsonl:3: record: expected a JSON object, got list" in problems


def test_duplicate_ids_point_at_first_occurrence() -> None:
    problems = check(record(), record(title="Again"))
    assert problems == ["f.jsonl:2: id: duplicate id 'acme-sql-basics' (first at line 1)"]


def test_optional_fields_may_be_absent() -> None:
    data = record()
    del data["alignments"]
    del data["prerequisites"]
    assert check(data) == []


def test_content_hash_changes_only_with_content() -> None:
    a = Credential.from_dict(record())
    assert a.content_hash() == Credential.from_dict(record()).content_hash()
    assert a.content_hash() != Credential.from_dict(record(hours=13)).content_hash()
