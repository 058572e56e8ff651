"""The catalog build over the real snapshots: size, breadth, merges, reported rows, and determinism."""

import json
import shutil
from pathlib import Path

import pytest

from catalog.builder import BuildError, build_catalog, catalog_text, skill_vocabulary, title_key, url_key
from catalog.provenance import source_name
from catalog.validate import check_record

SOURCES = Path(__file__).resolve().parents[2] / "catalog" / "sources"


@pytest.fixture(scope="module")
def built():
    return build_catalog(SOURCES)


def test_thousands_of_distinct_offerings_from_many_providers(built) -> None:
    credentials, _, report = built
    assert len(credentials) >= 3000
    assert len({c.provider for c in credentials}) >= 150
    assert len({c.id for c in credentials}) == len(credentials)
    assert len({url_key(c.url) for c in credentials}) >= 0.97 * len(credentials)
    by_source = {name: count.kept for name, count in report.counts.items()}
    assert by_source["coursera"] >= 800 and by_source["edx"] >= 850 and by_source["udemy"] >= 3400
    assert by_source["curated"] == report.counts["curated"].read  # hand-checked records are never merged away
    assert all(not check_record(c.to_dict(), "built", 1) for c in credentials[::50])


def test_an_offering_in_two_sources_is_kept_once_with_the_better_sourced_facts(built) -> None:
    credentials, _, report = built
    ids = {c.id for c in credentials}
    # Google IT Support is hand-curated and in the Coursera snapshot: the curated record wins
    assert "google-it-support-cert" in ids and "coursera-google-it-support" not in ids
    assert any("coursera-google-it-support merged into google-it-support-cert" in m for m in report.merges)
    # translated copies are separate offerings (same English title, another language)
    assert title_key("Google", "Google IT Support", "ja") != title_key("Google", "Google IT Support", "en")
    assert url_key("https://www.Coursera.org/learn/x/") == url_key("https://coursera.org/learn/x")


def test_rows_that_cannot_be_parsed_are_reported_with_their_source_line(built) -> None:
    _, _, report = built
    assert report.problems, "the real snapshots have a few broken rows"
    assert all(":" in p and p.split(":")[1].isdigit() for p in report.problems)
    assert any(p.startswith("udemy_courses.csv:293:") for p in report.problems)  # broken quoting in the source
    assert report.counts["udemy"].problems == sum(p.startswith("udemy_courses.csv") for p in report.problems)


def test_every_record_names_its_dataset_row_and_date(built) -> None:
    credentials, _, _ = built
    imported = [c for c in credentials if source_name(c) != "curated"]
    assert all("/blob/" in c.source and "#L" in c.source and c.as_of[:2] == "20" for c in imported)
    assert {source_name(c) for c in imported} == {"coursera", "edx", "udemy"}


def test_the_common_thin_asks_are_covered(built) -> None:
    credentials, _, _ = built

    def count(*words: str) -> int:
        return sum(any(w in f"{c.title} {' '.join(c.skills)}".lower() for w in words) for c in credentials)

    assert count("android", "ios ", "swift", "mobile app", "react native", "flutter") >= 15
    assert count("public speaking", "presentation", "presenting") >= 10
    assert count("negotiat") >= 8
    assert count("copywriting", "content writing", "technical writing", "content marketing") >= 8
    assert count("osha", "electrician", "welding", "hvac", "plumbing", "cdl") >= 6
    assert count("phlebotomy", "nursing assistant", "medical assistant", "pharmacy technician", "emt") >= 5


def test_the_build_is_deterministic(built) -> None:
    again, _, _ = build_catalog(SOURCES)
    assert catalog_text(again) == catalog_text(built[0])


def test_broken_curated_input_stops_the_build(tmp_path: Path) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    bad = tmp_path / "sources" / "curated" / "credentials-bad.jsonl"
    bad.write_text(json.dumps({"id": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"credentials-bad\.jsonl:1"):
        build_catalog(tmp_path / "sources")


def test_the_vocabulary_leaves_out_generic_and_tiny_phrases() -> None:
    vocab = skill_vocabulary(["Data", "SQL", "r", "go", "UX", "machine learning", "x", "  Project  Management "])
    assert vocab == ["machine learning", "project management", "sql", "ux"]
