"""The occupation taxonomy built from the O*NET and ESCO snapshots in catalog/sources: real files, no model."""

from __future__ import annotations

import ast
import csv
import json
from pathlib import Path
from typing import Any

import pytest

from catalog.occupations import OCCUPATION_FIELDS, Occupation, check_occupation
from catalog.provenance import CURATED, ESCO, ONET
from catalog.taxonomy import (
    build_occupations,
    display_title,
    domain_of,
    isco_domain,
    keys,
    occupations_jsonl,
    split_slash,
    tool_skill,
    write_occupations,
)

SOURCES = Path(__file__).resolve().parents[2] / "catalog" / "sources"
ESCO_LINKS_FLOOR = 1000  # 1060 ESCO occupations link on the 2022 ESCO / 2025 O*NET snapshots


def vocabulary() -> list[str]:
    """The credential catalog's skill phrases, as `credbot catalog build` gathers them: curated records' skills and
    the Coursera snapshot's course_skills lists."""
    phrases: list[str] = []
    for line in (SOURCES / "curated" / "credentials.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            phrases += json.loads(line)["skills"]
    with (SOURCES / "coursera_courses.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                value = ast.literal_eval(row.get("course_skills") or "[]")
            except (ValueError, SyntaxError):
                continue
            if isinstance(value, list):
                phrases += [str(v) for v in value]
    return sorted({" ".join(p.lower().split()) for p in phrases} - {""})


@pytest.fixture(scope="module")
def built() -> tuple[list[dict[str, Any]], list[str]]:
    return build_occupations(SOURCES, vocabulary())


@pytest.fixture(scope="module")
def rows(built: tuple[list[dict[str, Any]], list[str]]) -> list[dict[str, Any]]:
    return built[0]


def by_code(rows: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [r for r in rows if r["onet_soc"] == code]


def names(row: dict[str, Any]) -> set[str]:
    return {row["title"].lower(), *row["alternative_titles"]}


def curated() -> list[dict[str, Any]]:
    text = (SOURCES / "curated" / "occupations.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_one_occupation_per_onet_code_and_every_row_passes_the_check(rows: list[dict[str, Any]]) -> None:
    assert len(rows) >= 900
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    assert len({r["id"] for r in rows}) == len(rows)
    assert [(r["id"], p) for r in rows for p in check_occupation(r)] == []
    derived = [r for r in rows if r["source"].startswith(ONET.prefix)]
    esco_only = [r for r in rows if r["source"].startswith(ESCO.prefix)]
    assert all(r["source"] == CURATED for r in rows if r not in derived and r not in esco_only)
    assert all(r["source"].startswith(ONET.prefix + "#L") for r in derived)
    assert len({r["onet_soc"] for r in derived}) == len(derived)  # one derived entry per code at most
    assert all(r["onet_soc"] == "" and r["esco_uri"] and not r["tasks"] for r in esco_only)
    assert all(all(s == s.lower() and len(s) <= 40 for s in r["skills"]) for r in rows)
    assert all(len(r["tasks"]) <= 12 and len(r["technology"]) <= 10 and len(r["related"]) <= 5 for r in rows)


def test_codes_with_no_tasks_and_no_technology_are_left_out_and_reported(
    built: tuple[list[dict[str, Any]], list[str]],
) -> None:
    rows, report = built
    skipped = next(line for line in report if line.startswith("skipped"))
    assert "15-1299.00 Computer Occupations, All Other" in skipped
    assert not by_code(rows, "15-1299.00")


def test_curated_overrides_are_kept_and_get_what_they_lack_from_onet(rows: list[dict[str, Any]]) -> None:
    by_id = {r["id"]: r for r in rows}
    for hand in curated():
        row = by_id[hand["id"]]
        assert (row["title"], row["skills"], row["domain"], row["source"]) == (
            hand["title"],
            hand["skills"],
            hand["domain"],
            CURATED,
        )
        assert row["alternative_titles"][: len(hand["alternative_titles"])] == hand["alternative_titles"]
    agent = by_id["customer-support-agent"]
    assert agent["description"].startswith("Interact with customers")
    assert agent["tasks"] and agent["technology"] and agent["related"]
    assert "customer service representatives" in agent["alternative_titles"]  # the O*NET title, as written
    assert not any(r["source"] != CURATED for r in by_code(rows, "43-4051.00"))  # the override is the occupation


def test_software_developers_have_mobile_names_on_their_code(rows: list[dict[str, Any]]) -> None:
    entries = by_code(rows, "15-1252.00")
    generic = next(r for r in entries if r["source"] != CURATED)
    assert generic["title"] == "Software developer" and "software developers" in generic["alternative_titles"]
    assert generic["tasks"] and {"python", "sql"} <= set(generic["skills"])
    everything = set().union(*(names(r) for r in entries))
    assert {"ios developer", "android dev", "mobile app dev", "mobile application developer"} <= everything
    mobile = next(r for r in entries if r["id"] == "mobile-developer")
    assert {"ios dev", "mobile application developer"} <= names(mobile)  # routed to the override it is about


def test_every_synonym_resolves_to_an_occupation_with_its_code(rows: list[dict[str, Any]]) -> None:
    synonyms = json.loads((SOURCES / "curated" / "title_synonyms.json").read_text(encoding="utf-8"))
    assert len(synonyms) >= 40
    owner: dict[tuple[str, ...], set[str]] = {}
    for r in rows:
        for name in names(r):
            owner.setdefault(keys(name), set()).add(r["onet_soc"])
    assert {typed: code for typed, code in synonyms.items() if code not in owner.get(keys(typed), set())} == {}


def test_registered_nurses_have_tasks_and_esco_titles(rows: list[dict[str, Any]]) -> None:
    (nurse,) = by_code(rows, "29-1141.00")
    assert nurse["id"] == "registered-nurse" and len(nurse["tasks"]) == 12
    assert "Record patients' medical information and vital signs." in nurse["tasks"]
    assert "nurse responsible for general care" in nurse["alternative_titles"]
    assert nurse["esco_uri"].startswith("http://data.europa.eu/esco/occupation/")


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("ict application developer", "15-1252.00"),
        ("primary school teacher", "25-2021.00"),
        ("forklift operator", "53-7051.00"),
        ("police officer", "33-3051.00"),
        ("web developer", "15-1254.00"),
        ("lawyer", "23-1011.00"),
        ("waiter", "35-3031.00"),
    ],
)
def test_esco_titles_land_on_the_right_onet_occupation(rows: list[dict[str, Any]], label: str, code: str) -> None:
    assert any(label in names(r) for r in by_code(rows, code))


def test_esco_links_and_the_report(built: tuple[list[dict[str, Any]], list[str]]) -> None:
    rows, report = built
    linked = next(line for line in report if line.startswith("ESCO:"))
    assert int(linked.split()[1]) >= ESCO_LINKS_FLOOR
    assert sum(1 for r in rows if r["esco_uri"]) >= 500
    assert all(len(r["alternative_titles"]) <= 45 for r in rows)
    assert any(line.startswith("occupations:") and "below 10 skills" in line for line in report)


def test_esco_jobs_onet_lacks_are_occupations_of_their_own(built: tuple[list[dict[str, Any]], list[str]]) -> None:
    rows, report = built
    by_title = {r["title"]: r for r in rows}
    for title, label, domain in [
        ("Farrier", "horse shoe fitter", "manufacturing-repair"),
        ("Body artist", "tattoo artist", "arts-media"),
        ("Animal groomer", "dog groomer", "personal-care"),
        ("Astronaut", "cosmonaut", "transportation"),
    ]:
        row = by_title[title]
        assert label in row["alternative_titles"] and row["domain"] == domain
        assert row["source"].startswith(ESCO.prefix + "#L") and row["onet_soc"] == ""
        assert Occupation.from_dict(row).esco_only and Occupation.from_dict(row).derived
    assert by_title["Farrier"]["skills"] == ["compliance"]  # only what its own description names
    # a label an O*NET occupation already holds stays there: no second "cabin crew member"
    holders = [r["id"] for r in rows if "cabin crew member" in names(r)]
    assert len(holders) == 1 and by_code(rows, "53-2031.00")[0]["id"] in holders
    line = next(x for x in report if x.startswith("ESCO only:"))
    assert int(line.split()[2]) >= 1500
    assert not any(" in " in r["title"] for r in rows if r["source"].startswith(ESCO.prefix))


@pytest.mark.parametrize(
    ("group", "domain"),
    [("7221", "manufacturing-repair"), ("5131", "hospitality-food"), ("2221", "healthcare"),
     ("3434", "hospitality-food"), ("2512", "software-development"), ("2522", "it-cloud-security"),
     ("", "leadership")],
)  # fmt: skip
def test_isco_groups_give_domains(group: str, domain: str) -> None:
    assert isco_domain(group) == domain


def test_domains_cover_the_credential_domains_and_name_the_rest(rows: list[dict[str, Any]]) -> None:
    credential_domains = set(json.loads((SOURCES.parent / "data" / "domains.json").read_text(encoding="utf-8")))
    found = {r["domain"] for r in rows}
    assert found >= credential_domains
    assert {"trades-construction", "transportation", "hospitality-food", "public-safety"} <= found
    assert domain_of("15-1252.00") == "software-development"
    assert domain_of("29-1141.00") == domain_of("31-1131.00") == "healthcare"
    assert domain_of("13-2011.00") == "finance-accounting"
    assert domain_of("11-3121.00") == "hr-dei"
    assert domain_of("47-2111.00") == "trades-construction"


def test_two_builds_give_the_same_bytes(rows: list[dict[str, Any]]) -> None:
    again, _ = build_occupations(SOURCES, list(reversed(vocabulary())))
    assert occupations_jsonl(again) == occupations_jsonl(rows)


def test_written_file_keeps_field_order_and_loads_as_occupations(rows: list[dict[str, Any]], tmp_path: Path) -> None:
    path = tmp_path / "occupations.jsonl"
    write_occupations(rows[:50], path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 50
    for line in lines:
        data = json.loads(line)
        assert list(data) == [f for f in OCCUPATION_FIELDS if f in data]
        occupation = Occupation.from_dict(data)
        assert occupation.tasks == tuple(data["tasks"]) and occupation.source == data["source"]


def test_old_rows_without_the_new_fields_still_load_and_check() -> None:
    old = curated()[0]
    assert check_occupation(old) == []
    occupation = Occupation.from_dict(old)
    assert (occupation.tasks, occupation.technology, occupation.related, occupation.description) == ((), (), (), "")


@pytest.mark.parametrize(
    ("onet", "shown"),
    [
        ("Software Developers", "Software developer"),
        ("Registered Nurses", "Registered nurse"),
        ("Secretaries and Administrative Assistants, Except Legal, Medical, and Executive",
         "Secretary and administrative assistant, except legal, medical, and executive"),
        ("Meeting, Convention, and Event Planners", "Meeting, convention, and event planner"),
        ("First-Line Supervisors of Office and Administrative Support Workers",
         "First-line supervisor of office and administrative support workers"),
        ("Compensation, Benefits, and Job Analysis Specialists", "Compensation, benefits, and job analysis specialist"),
        ("Computer Systems Engineers/Architects", "Computer systems engineer/architect"),
        ("Nurse Midwives", "Nurse midwife"),
        ("Helpers--Carpenters", "Helper to carpenters"),
        ("Actuaries", "Actuary"),
        ("English Language and Literature Teachers, Postsecondary",
         "English language and literature teacher, postsecondary"),
    ],
)  # fmt: skip
def test_onet_titles_read_as_one_persons_job(onet: str, shown: str) -> None:
    assert display_title(onet)[0] == shown


@pytest.mark.parametrize(
    ("label", "split"),
    [
        ("waiter/waitress", ["waiter", "waitress"]),
        ("head waiter/head waitress", ["head waiter", "head waitress"]),
        ("foreman/forewoman shunter", ["foreman shunter", "forewoman shunter"]),
        ("mask designer/maker", ["mask designer", "mask maker"]),
        ("stage/production manager", ["stage manager", "production manager"]),
        ("writer/fact checker", []),
        ("plain label", ["plain label"]),
    ],
)
def test_esco_slash_labels_split_into_the_titles_meant(label: str, split: list[str]) -> None:
    assert split_slash(label) == split


def test_technology_names_become_course_sized_skills() -> None:
    vocab = {"java": "java", "autocad": "autocad", "sql": "sql", "aws": "aws"}
    assert tool_skill("Oracle Java", vocab) == "java"
    assert tool_skill("Autodesk AutoCAD", vocab) == "autocad"
    assert tool_skill("Structured query language SQL", vocab) == "sql"
    assert tool_skill("Amazon Web Services AWS software", vocab) == "aws"
    assert tool_skill("Computer aided design CAD software", vocab) == "cad software"
    assert tool_skill("Epic Systems", vocab) == "epic systems"
