"""Coursera: the 2023 listing snapshot as credentials, and the older ratings list as enrichment rows.

The listing has no prices and only a duration band, so pace and cost are estimates from the constants below, and
every record says so in its description. The ratings list has no URLs, so it never yields a credential on its own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from catalog.importers.common import (
    WEEKS_PER_MONTH,
    Imported,
    RowError,
    SkillMatcher,
    SourceInfo,
    clean_text,
    clip,
    csv_rows,
    fmt,
    guess_language,
    https_url,
    import_rows,
    make_id,
    map_level,
    merge_skills,
    normalize_space,
    num,
    parse_count,
    parse_coursera_time,
    parse_less_than_hours,
    parse_list_literal,
    parse_rating,
    tokens,
    url_path_segments,
)

# Typical weekly pace per listing type (Coursera's own pages suggest roughly 3-10 h a week; a series of courses and
# a job-ready programme ask a little more). Total hours = midpoint of the listed duration band x this pace.
PACE_HOURS_PER_WEEK = {"Course": 4.0, "Specialization": 5.0, "Professional Certificate": 6.0}
# "Less Than 2 Hours" guided projects: about three quarters of the stated upper bound, done in one week.
SHORT_PROJECT_SHARE = 0.75
# Prices are not in the snapshot. Certificates are paid: a course certificate is about USD 49; a specialization or
# professional certificate is paid through the subscription, about USD 49 per started month of the listed duration;
# a guided project is about USD 10.
MONTHLY_USD = 49
COURSE_CERTIFICATE_USD = 49
GUIDED_PROJECT_USD = 10

CREDENTIAL_TYPES = {
    "Course": "certificate",
    "Specialization": "course-series",
    "Professional Certificate": "professional-certificate",
    "Guided Project": "certificate",
}
# Kind of listing by the first URL segment; used to tell apart a course and a specialization sharing a last segment.
_URL_KINDS = {
    "learn": "",
    "specializations": "specialization",
    "professional-certificates": "professional-certificate",
    "professional-certificate": "professional-certificate",
    "projects": "project",
}
_LISTED_PRICE_RE = re.compile(r"\bfor only\s+(?:US)?\$\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d\d)?\b")


def listed_price(description: str) -> float | None:
    """A programme price stated in the description ("... program for only $1,000"); salaries and grants that
    also carry "$" are deliberately not read."""
    m = _LISTED_PRICE_RE.search(description)
    return float(m.group(1).replace(",", "")) if m else None


def coursera_description(raw: str) -> str:
    """The listing's "About this Course" text, cleaned; the lead heading dropped."""
    text = clean_text(raw)
    return re.sub(r"^about this (?:course|specialization|professional certificate)\s*:?\s*", "", text, flags=re.I)


def _slug_segment(url: str) -> tuple[str, str]:
    """(last path segment, kind) of a listing URL."""
    parts = url_path_segments(url)
    if not parts:
        raise RowError(f"no course path in URL {url!r}")
    return parts[-1], _URL_KINDS.get(parts[0], parts[0])


def read_coursera(text: str, info: SourceInfo, vocabulary: Sequence[str]) -> Imported:
    """coursera_courses.csv rows -> credential records (prices, pace and total hours estimated, said so)."""
    matcher = SkillMatcher(vocabulary)
    # A course and a specialization may share a last URL segment (/learn/python, /specializations/python); the
    # plain `coursera-<segment>` id goes to the /learn/ course and the other gets its kind appended. Decided from
    # the whole file, so the id of a row never depends on row order.
    urls_by_segment: dict[str, set[str]] = {}
    for _, row in csv_rows(text):
        try:
            url = https_url(row.get("course_url", ""))
            segment, _ = _slug_segment(url)
        except ValueError:
            continue
        urls_by_segment.setdefault(segment, set()).add(url)

    def build(line: int, row: dict[str, str]) -> dict[str, Any]:
        title = normalize_space(row.get("course_title", ""))
        if not title:
            raise RowError("missing course_title")
        url = https_url(row.get("course_url", ""))
        segment, kind = _slug_segment(url)
        cid = make_id("coursera", segment)
        if len(urls_by_segment.get(segment, ())) > 1 and kind:
            cid = make_id("coursera", f"{segment}-{kind}")
        provider = normalize_space(row.get("course_organization", ""))
        if not provider:
            raise RowError("missing course_organization")
        listing_type = normalize_space(row.get("course_certificate_type", ""))
        if listing_type not in CREDENTIAL_TYPES:
            raise RowError(f"unknown course_certificate_type: {listing_type!r}")
        duration = normalize_space(row.get("course_time", ""))
        difficulty = normalize_space(row.get("course_difficulty", ""))
        level = map_level(difficulty)

        notes: list[str] = []
        short = parse_less_than_hours(duration)
        if short is not None:
            hours = short * SHORT_PROJECT_SHARE
            weeks = 1.0
            pace = hours
            notes.append(f"Hours estimated from the listed duration ({duration}) as about {fmt(hours)} h.")
        else:
            weeks = parse_coursera_time(duration)
            pace = PACE_HOURS_PER_WEEK.get(listing_type, PACE_HOURS_PER_WEEK["Course"])
            hours = weeks * pace
            notes.append(
                f"Hours estimated from the listed duration ({duration}, about {fmt(weeks)} weeks) "
                f"at about {fmt(pace)} h a week."
            )

        body = coursera_description(row.get("course_description", ""))
        price = listed_price(body)
        if price is not None:
            cost = price
            notes.append(f"Price USD {fmt(cost)} as stated in the description.")
        elif listing_type == "Guided Project":
            cost = GUIDED_PROJECT_USD
            notes.append(
                f"Price not listed in this snapshot; guided projects typically cost about USD {GUIDED_PROJECT_USD}, "
                "so the cost shown is an estimate."
            )
        elif listing_type == "Course":
            cost = COURSE_CERTIFICATE_USD
            notes.append(
                f"Price not listed in this snapshot; a Coursera course certificate typically costs about "
                f"USD {COURSE_CERTIFICATE_USD}, so the cost shown is an estimate."
            )
        else:
            months = max(1, math.ceil(round(weeks / WEEKS_PER_MONTH, 6)))
            cost = MONTHLY_USD * months
            notes.append(
                f"Price not listed in this snapshot; Coursera subscriptions typically cost about USD {MONTHLY_USD} "
                f"a month, so the cost shown (USD {fmt(cost)} for {months} month{'s' if months > 1 else ''}) "
                "is an estimate."
            )
        if difficulty.lower() == "mixed":
            notes.append("Level listed as Mixed.")

        summary = parse_list_literal(row.get("course_summary", ""))
        if not body:
            body = " ".join(f"{clean_text(item).rstrip('.')}." for item in summary if clean_text(item))
        if not body:
            body = f"A Coursera {listing_type.lower()} from {provider}."
        body = clip(body)
        language = guess_language(f"{title}. {body}")
        if language != "en":
            notes.append("Language inferred from the title and description (the snapshot lists none).")

        skill_text = " ".join([title, *summary, row.get("course_description", "")])
        skills = merge_skills(parse_list_literal(row.get("course_skills", "")), matcher, skill_text, title)
        return {
            "id": cid,
            "title": title,
            "provider": provider,
            "url": url,
            "description": " ".join([body, *notes]),
            "skills": skills,
            "credential_type": CREDENTIAL_TYPES[listing_type],
            "level": level,
            "hours": num(hours),
            "weeks": num(weeks),
            "hours_per_week": num(pace),
            "cost": num(cost),
            "currency": "USD",
            "format": "online",
            "language": language,
            "earn_by": ["portfolio"] if listing_type == "Guided Project" else ["assignments", "assessment"],
            "prerequisites": [],
            "alignments": [],
            "source": info.row_url(line),
            "as_of": info.as_of,
        }

    return import_rows(text, info, build)


# --- the ratings list (enrichment only) ----------------------------------------------------------------------------


def title_key(title: str) -> str:
    """Match key for a Coursera title across scrapes: case, punctuation and spacing ignored."""
    return " ".join(tokens(title))


@dataclass(frozen=True, slots=True)
class CourseraListing:
    """One row of the ratings list: facts to merge onto the matching listing-snapshot row, never a credential."""

    file: str
    line: int
    title: str
    organization: str
    certificate_type: str  # as in the listing snapshot: "Course", "Specialization", "Professional Certificate"
    difficulty: str  # "Beginner", "Intermediate", "Advanced", "Mixed"
    rating: float | None
    enrolled: int | None
    source: str  # the row on GitHub

    @property
    def key(self) -> str:
        return title_key(self.title)

    @property
    def credential_type(self) -> str | None:
        return CREDENTIAL_TYPES.get(self.certificate_type)


def read_coursera_records(text: str, info: SourceInfo) -> list[CourseraListing]:
    """coursera_records.csv -> enrichment rows; rows without a title are skipped (there is nothing to match)."""
    out: list[CourseraListing] = []
    for line, row in csv_rows(text):
        title = normalize_space(row.get("course_title", ""))
        if not title:
            continue
        # The second unnamed column ("5.3k", "3.2m") is the one to trust: students_enrolled holds 3.2 for "3.2m".
        try:
            enrolled = parse_count(row.get("_6", ""))
        except ValueError:
            enrolled = None
        if enrolled is None:
            try:
                enrolled = parse_count(row.get("students_enrolled", ""))
            except ValueError:
                enrolled = None
        try:
            rating = parse_rating(row.get("course_rating", ""))
        except ValueError:
            rating = None
        out.append(
            CourseraListing(
                file=info.path,
                line=line,
                title=title,
                organization=normalize_space(row.get("course_organization", "")),
                certificate_type=normalize_space(row.get("course_Certificate_type", "")).title(),
                difficulty=normalize_space(row.get("course_difficulty", "")).capitalize(),
                rating=rating,
                enrolled=enrolled,
                source=info.row_url(line),
            )
        )
    return out
