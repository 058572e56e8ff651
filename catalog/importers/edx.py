"""edX: the course snapshot as credentials.

edX lists weekly effort as a range and the length in weeks, so total hours are the effort midpoint times the
length (an estimate, said so). The course is free to audit; the verified certificate is the credential, so its
price is the cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from catalog.importers.common import (
    Imported,
    RowError,
    SkillMatcher,
    SourceInfo,
    clean_text,
    clip,
    fmt,
    https_url,
    import_rows,
    make_id,
    map_language,
    map_level,
    merge_skills,
    normalize_space,
    num,
    parse_hours_per_week,
    parse_price,
    parse_weeks,
    present,
    url_path_segments,
)


def edx_id(url: str) -> str:
    """`edx-<slug of the path after /course/>`: .../course/how-to-learn-online -> edx-how-to-learn-online."""
    parts = url_path_segments(url)
    if parts and parts[0] == "course":
        parts = parts[1:]
    if not parts:
        raise RowError(f"no course path in URL {url!r}")
    return make_id("edx", "-".join(parts))


def edx_description(summary: str, description: str) -> str:
    """Summary, then the start of the description (unless it merely repeats the summary), about 600 characters."""
    summary = clean_text(summary)
    description = clean_text(description)
    if not description or description.startswith(summary):
        body = description or summary
    elif not summary:
        body = description
    else:
        body = f"{summary}{'' if summary.endswith(('.', '!', '?')) else '.'} {description}"
    return clip(body)


def read_edx(text: str, info: SourceInfo, vocabulary: Sequence[str]) -> Imported:
    """edx_courses.csv rows -> credential records."""
    matcher = SkillMatcher(vocabulary)

    def build(line: int, row: dict[str, str]) -> dict[str, Any]:
        title = normalize_space(row.get("title", ""))
        if not title:
            raise RowError("missing title")
        url = https_url(row.get("course_url", ""))
        provider = normalize_space(row.get("institution", ""))
        if not provider:
            raise RowError("missing institution")
        effort = normalize_space(row.get("course_effort", ""))
        length = normalize_space(row.get("course_length", ""))
        pace = parse_hours_per_week(effort)
        weeks = parse_weeks(length)
        price = parse_price(row.get("price", ""))
        language = map_language(row.get("language", ""))

        body = edx_description(row.get("summary", ""), row.get("course_description", ""))
        if not body:
            body = clip(clean_text(row.get("course_syllabus", "")))
        if not body:
            subject = present(row.get("subject", ""))
            body = f"An edX course from {provider}{f' in {subject}' if subject else ''}."
        notes: list[str] = []
        course_type = normalize_space(row.get("course_type", ""))
        if course_type:
            notes.append(f"{course_type[0].upper()}{course_type[1:]}.")
        if price.free_to_audit:
            notes.append(f"Free to audit; the verified certificate costs {price.currency} {fmt(price.amount)}.")
        elif price.amount == 0:
            notes.append("Free as listed.")
        notes.append(f"Hours estimated from the listed effort ({effort}, about {fmt(pace)} h a week) over {length}.")

        skill_text = " ".join(
            [title, row.get("summary", ""), row.get("subject", ""), row.get("course_description", "")]
        )
        return {
            "id": edx_id(url),
            "title": title,
            "provider": provider,
            "url": url,
            "description": " ".join([body, *notes]),
            "skills": merge_skills((), matcher, skill_text, title),
            "credential_type": "certificate",
            "level": map_level(row.get("Level", "")),
            "hours": num(pace * weeks),
            "weeks": num(weeks),
            "hours_per_week": num(pace),
            "cost": num(price.amount),
            "currency": price.currency,
            "format": "online",
            "language": language,
            "earn_by": ["assignments", "assessment"],
            "prerequisites": [],
            "alignments": [],
            "source": info.row_url(line),
            "as_of": info.as_of,
        }

    return import_rows(text, info, build)
