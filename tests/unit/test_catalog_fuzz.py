"""Malformed catalog records and lines, generated: the readers and the validator answer with problems on the right
line and never raise; whatever they accept can be stored; CSV export neutralises formulas and imports back
unchanged, JSON Lines export is written as it is."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.db import open_database
from catalog.formats import (
    FORMULA_START,
    MAX_RECORD_BYTES,
    CatalogFileError,
    read_csv,
    read_file,
    read_jsonl,
    write_csv,
    write_jsonl,
)
from catalog.repository import CatalogRepository
from catalog.schema import FIELD_NAMES, Credential
from catalog.validate import (
    MAX_DESCRIPTION_CHARS,
    MAX_ITEM_CHARS,
    MAX_LIST_ITEMS,
    MAX_NUMBER,
    MAX_TEXT_CHARS,
    RawRecord,
    validate,
)
from tests.fakes import record

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Letters, digits, spaces, punctuation, symbols, and what storage chokes on: control characters (NUL among them)
# and lone surrogates (what JSON's backslash-u-d800 escape gives).
ANY_CHAR = st.characters(categories=("Lu", "Ll", "Lo", "Nd", "Zs", "Po", "So", "Cc", "Cs"))
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(ANY_CHAR, max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def store(credentials: tuple[Credential, ...]) -> int:
    """Upsert into a real (in-memory) SQLite catalog; the proof that an accepted record can be kept."""
    repo = CatalogRepository(open_database(None), load_bundled_data=False)
    repo.upsert(credentials)
    return repo.count()


def assert_one_line_problems(problems: list[str], name: str, lines: int) -> None:
    for problem in problems:
        assert "\n" not in problem and problem.encode("utf-8")
        where, _, _ = problem.partition(": ")
        file, _, number = where.rpartition(":")
        assert file == name and 1 <= int(number) <= max(lines, 1), problem


@FUZZ
@given(field=st.sampled_from((*FIELD_NAMES, "extra", "")), value=json_values)
def test_any_value_in_any_field_is_a_problem_or_a_storable_credential(field: str, value: Any) -> None:
    data = record(**{field: value})
    text = json.dumps(data)
    checked = validate(read_jsonl(text, "f.jsonl"))
    problems = [str(p) for p in checked.problems]
    assert_one_line_problems(problems, "f.jsonl", 1)
    if checked.ok:
        assert store(checked.credentials) == 1
    else:
        assert not checked.credentials and all(len(p) < 600 for p in problems)


@FUZZ
@given(
    field=st.sampled_from(["title", "provider", "description"]),
    text=st.text(ANY_CHAR, min_size=1, max_size=20),
)
def test_any_text_is_stored_exactly_or_refused_by_name(field: str, text: str) -> None:
    checked = validate([RawRecord("f.jsonl", 1, record(**{field: text}))])
    if checked.ok:
        repo = CatalogRepository(open_database(None), load_bundled_data=False)
        repo.upsert(checked.credentials)
        assert repo.all()[0].to_dict()[field] == text
    else:
        assert all(str(p).startswith(f"f.jsonl:1: {field}: ") for p in checked.problems), checked.problems


@FUZZ
@given(blob=st.binary(max_size=400))
def test_any_bytes_as_a_file_give_problems_with_line_numbers_never_a_crash(tmp_path: Path, blob: bytes) -> None:
    for name in ("any.jsonl", "any.csv", "any.json"):
        path = tmp_path / name
        path.write_bytes(blob)
        try:
            checked = validate(read_file(path).records)
        except CatalogFileError as exc:
            assert str(path) in str(exc) and "\n" not in str(exc)
            continue
        lines = blob.count(b"\n") + 1 + (len(checked.problems) + len(checked.credentials) if name == "any.json" else 0)
        assert_one_line_problems([str(p) for p in checked.problems], str(path), lines)  # Open Badges: by index
        if checked.ok:
            store(checked.credentials)


@FUZZ
@given(cut=st.integers(min_value=1), bad_line=st.integers(min_value=1, max_value=4))
def test_a_truncated_line_is_reported_on_its_line_and_the_others_still_checked(cut: int, bad_line: int) -> None:
    lines = [json.dumps(record(id=f"rec-{n}")) for n in range(1, 5)]
    broken = lines[bad_line - 1]
    lines[bad_line - 1] = broken[: cut % len(broken)]
    checked = validate(read_jsonl("\n".join(lines), "f.jsonl"))
    problems = [str(p) for p in checked.problems]
    if lines[bad_line - 1].strip():
        assert len(problems) == 1 and problems[0].startswith(f"f.jsonl:{bad_line}: record: bad JSON"), problems
    else:
        assert problems == []  # cut to nothing: a blank line, skipped
    assert len(checked.credentials) == 3


@FUZZ
@given(ids=st.lists(st.sampled_from(["aaa", "bbb", "ccc", "ddd"]), min_size=1, max_size=8))
def test_each_repeated_id_is_reported_at_its_line_pointing_at_the_first(ids: list[str]) -> None:
    text = "\n".join(json.dumps(record(id=i)) for i in ids)
    problems = [str(p) for p in validate(read_jsonl(text, "f.jsonl")).problems]
    expected = [
        f"f.jsonl:{n}: id: duplicate id {i!r} (first at line {ids.index(i) + 1})"
        for n, i in enumerate(ids, start=1)
        if ids.index(i) + 1 != n
    ]
    assert problems == expected


@FUZZ
@given(cells=st.lists(st.text(max_size=20), min_size=1, max_size=25), header=st.booleans())
def test_any_csv_row_is_read_without_a_crash(cells: list[str], header: bool) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(FIELD_NAMES) if header else cells)
    writer.writerow(cells)
    try:
        checked = validate(read_csv(out.getvalue(), "f.csv"))
    except CatalogFileError as exc:
        assert "f.csv" in str(exc)
        return
    assert_one_line_problems([str(p) for p in checked.problems], "f.csv", out.getvalue().count("\n") + 1)
    if checked.ok:
        store(checked.credentials)


OB3_KEYS = ("id", "name", "description", "criteria", "creator", "issuer", "tag", "alignment", "achievementType",
            "inLanguage", "credentialSubject")  # fmt: skip


@FUZZ
@given(doc=st.dictionaries(st.sampled_from(OB3_KEYS), json_values, max_size=8) | json_values)
def test_any_open_badges_shape_is_mapped_or_reported(tmp_path: Path, doc: Any) -> None:
    path = tmp_path / "badge.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    try:
        result = read_file(path, "ob3")
    except CatalogFileError as exc:
        assert str(path) in str(exc)
        return
    checked = validate(result.records)
    assert all("\n" not in str(p) for p in checked.problems)
    if checked.ok:
        store(checked.credentials)


# --- CSV export: formulas neutralised, round trip exact -------------------------------------------------------------

core = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20).filter(
    lambda t: t == t.strip() and ";" not in t and ":" not in t
)
lead = st.sampled_from(["", "=", "+", "-", "@", "\t", "\r", "'", "''", "'=", "=-", "'x"])
risky = st.builds(lambda a, b: a + b, lead, core)


# List items are stripped when CSV is read, so they may start with a formula sign but not with tab or CR.
risky_item = st.builds(lambda a, b: a + b, lead.filter(lambda t: not t.startswith(("\t", "\r"))), core)


@FUZZ
@given(title=risky, description=risky, provider=risky, skills=st.lists(risky_item, min_size=1, max_size=3))
def test_csv_export_neutralises_formulas_and_imports_back_unchanged(
    tmp_path: Path, title: str, description: str, provider: str, skills: list[str]
) -> None:
    original = Credential.from_dict(record(title=title, description=description, provider=provider, skills=skills))
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        write_csv([original], fh)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    for cell in rows[1]:
        assert not cell.startswith(FORMULA_START), cell
    checked = validate(read_file(path).records)
    assert checked.ok, checked.problems
    assert checked.credentials[0].to_dict() == original.to_dict()


@FUZZ
@given(title=risky, description=risky)
def test_jsonl_export_is_byte_faithful(title: str, description: str) -> None:
    original = Credential.from_dict(record(title=title, description=description))
    out = io.StringIO()
    write_jsonl([original], out)
    assert out.getvalue() == json.dumps(original.to_dict(), ensure_ascii=False) + "\n"
    (back,) = validate(read_jsonl(out.getvalue(), "f.jsonl")).credentials
    assert back.title == title and back.content_hash() == original.content_hash()


# --- limits, at and just past each ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"description": "d" * (MAX_DESCRIPTION_CHARS + 1)}, f"at most {MAX_DESCRIPTION_CHARS:,} allowed"),
        ({"title": "t" * (MAX_TEXT_CHARS + 1)}, f"at most {MAX_TEXT_CHARS:,} allowed"),
        ({"skills": ["s" * (MAX_ITEM_CHARS + 1)]}, "skills: item 1 is"),
        ({"skills": [f"skill {n}" for n in range(MAX_LIST_ITEMS + 1)]}, f"at most {MAX_LIST_ITEMS} allowed"),
        ({"hours": MAX_NUMBER["hours"] + 1}, f"hours: must be at most {MAX_NUMBER['hours']:,}"),
        ({"cost": 10**400}, "cost: must be at most"),
        ({"title": "bad \ud800 text"}, "title: is not valid UTF-8 text"),
        ({"provider": "nul\x00here"}, "provider: contains a NUL character (character 4)"),
        ({"alignments": [{"framework": "ESCO", "code": "x", "name": 5}]}, "alignments: item 1: name must be a string"),
    ],
)
def test_each_limit_is_a_clear_problem(overrides: dict[str, Any], problem: str) -> None:
    checked = validate([RawRecord("f.jsonl", 1, record(**overrides))])
    assert any(problem in str(p) for p in checked.problems), checked.problems
    assert all(len(str(p)) < 300 for p in checked.problems)


def test_values_at_the_limits_are_accepted() -> None:
    data = record(
        description="d" * MAX_DESCRIPTION_CHARS,
        title="t" * MAX_TEXT_CHARS,
        skills=[f"{n} " + "s" * (MAX_ITEM_CHARS - 5) for n in range(MAX_LIST_ITEMS)],
        **MAX_NUMBER,
    )
    checked = validate([RawRecord("f.jsonl", 1, data)])
    assert checked.ok, checked.problems
    assert store(checked.credentials) == 1


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("[" * 100_000, "bad JSON: nested too deeply"),
        ('{"hours": ' + "9" * 5000 + "}", "bad JSON: a number with too many digits"),
        ('{"id": "a", "id": "b"}', "bad JSON: field 'id' appears twice in one object"),
        ('{"id": "abc", "title": "Tru', "bad JSON: Unterminated string"),
        ('"just a string"', "expected a JSON object, got str"),
    ],
)
def test_json_that_python_would_choke_on_is_a_problem(line: str, problem: str) -> None:
    (found,) = validate(read_jsonl(line, "f.jsonl")).problems
    assert str(found).startswith("f.jsonl:1: record: ") and problem in str(found)


def test_a_line_over_the_record_limit_is_skipped_unread(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    good = json.dumps(record(id="kept-one"))
    path.write_text(good + "\n" + json.dumps(record(description="x" * MAX_RECORD_BYTES)) + "\n" + good + "\n")
    problems = [str(p) for p in validate(read_file(path).records).problems]
    assert problems[0].startswith(f"{path}:2: record: this line is ") and "one record may take" in problems[0]
    assert problems[1:] == [f"{path}:3: id: duplicate id 'kept-one' (first at line 1)"]


def test_validation_stops_at_the_limit_and_says_where() -> None:
    text = "\n".join("{oops" for _ in range(50))
    checked = validate(read_jsonl(text, "f.jsonl"), limit=10)
    assert len(checked.problems) == 10 and checked.stopped_at == 10
    assert validate(read_jsonl(text, "f.jsonl"), limit=50).stopped_at == 0  # all checked
