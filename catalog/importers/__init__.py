"""Importers: public CSV snapshots (Coursera, edX, Udemy) -> credential record dicts ready for check_record.

Deterministic and offline: the same snapshot text and vocabulary always give the same records, ids and problems.
"""

from catalog.importers.common import (
    Imported,
    Price,
    RowProblem,
    SkillMatcher,
    SourceInfo,
    csv_rows,
    extract_skills,
    guess_language,
    parse_count,
    parse_coursera_time,
    parse_hours_per_week,
    parse_price,
    parse_video_hours,
    parse_weeks,
    read_source,
)
from catalog.importers.coursera import CourseraListing, read_coursera, read_coursera_records, title_key
from catalog.importers.edx import read_edx
from catalog.importers.udemy import read_udemy

__all__ = [
    "CourseraListing",
    "Imported",
    "Price",
    "RowProblem",
    "SkillMatcher",
    "SourceInfo",
    "csv_rows",
    "extract_skills",
    "guess_language",
    "parse_count",
    "parse_coursera_time",
    "parse_hours_per_week",
    "parse_price",
    "parse_video_hours",
    "parse_weeks",
    "read_coursera",
    "read_coursera_records",
    "read_edx",
    "read_source",
    "read_udemy",
    "title_key",
]
