"""Udemy: the Kaggle course snapshot (courses published 2011-2017) as certificate-of-completion records.

The set has no descriptions and no instructors, so the description is a factual sentence built from the fields,
the provider is "Udemy", and total hours are the video length; the weekly pace is an assumption, said so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from catalog.importers.common import (
    Imported,
    RowError,
    SkillMatcher,
    SourceInfo,
    fmt,
    guess_language,
    https_url,
    import_rows,
    make_id,
    map_level,
    merge_skills,
    normalize_space,
    num,
    parse_price,
    parse_video_hours,
    slug,
    url_path_segments,
)

PACE_HOURS_PER_WEEK = 3.0  # assumed: a few evenings of video a week
MIN_HOURS = 0.5  # very short listings still take some time to watch and finish


def udemy_id(url: str, course_id: str) -> str:
    """`udemy-<url slug>`, falling back to the numeric course_id when the slug is empty."""
    parts = url_path_segments(url)
    if parts and slug(parts[-1]):
        return make_id("udemy", parts[-1])
    return make_id("udemy", course_id)


def _level_phrase(level: str) -> str:
    return "for all levels" if level.lower() == "all levels" else level.lower()


def _published(timestamp: str) -> str:
    try:
        return date.fromisoformat(timestamp.strip()[:10]).isoformat()
    except ValueError:
        return ""


def udemy_skills(matcher: SkillMatcher, title: str, subject: str) -> list[str]:
    """Vocabulary phrases in the title, then the subject ("business finance"): the dataset has no descriptions, and
    a title's own words ("succeed", "stop creditors") make poor skills."""
    topic = normalize_space(subject).lower()
    found = [s for s in matcher.find(title, 7, taken=[topic] if topic else []) if s != topic]
    if topic:
        return [*found, topic]
    return merge_skills((), matcher, title, title)


def read_udemy(text: str, info: SourceInfo, vocabulary: Sequence[str]) -> Imported:
    """udemy_courses.csv rows -> credential records."""
    matcher = SkillMatcher(vocabulary)

    def build(line: int, row: dict[str, str]) -> dict[str, Any]:
        raw_title = row.get("course_title", "")
        if "\n" in raw_title or "\r" in raw_title or re.search(r"https?://", raw_title):
            # An unbalanced quote in the source makes one title swallow the next physical line; the facts of the
            # two courses are then mixed (id of one, URL of the other), so neither is usable.
            raise RowError("course_title runs into the next line (unbalanced quote in the source); row skipped")
        title = normalize_space(raw_title)
        if not title:
            raise RowError("missing course_title")
        url = https_url(row.get("url", ""))
        level_text = normalize_space(row.get("level", ""))
        level = map_level(level_text)
        duration = row.get("content_duration", "")
        video = parse_video_hours(duration)
        if video <= 0:
            raise RowError(f"no video listed (content_duration {duration!r})")
        try:
            lectures = int(row.get("num_lectures", "").strip())
        except ValueError as exc:
            raise RowError(f"unreadable num_lectures: {row.get('num_lectures')!r}") from exc
        is_paid = row.get("is_paid", "").strip().lower()
        if is_paid not in {"true", "false"}:
            raise RowError(f"unreadable is_paid: {row.get('is_paid')!r}")
        price = parse_price(row.get("price", "")) if is_paid == "true" else parse_price("Free")

        hours = max(MIN_HOURS, video)
        pace = min(PACE_HOURS_PER_WEEK, hours)
        weeks = max(1.0, round(hours / PACE_HOURS_PER_WEEK, 1))
        subject = normalize_space(row.get("subject", ""))
        language = guess_language(title)

        lecture_s = "lecture" if lectures == 1 else "lectures"
        parts = [
            f"A Udemy video course{f' in {subject}' if subject else ''}: "
            f"{lectures} {lecture_s}, {fmt(video)} {'hour' if fmt(video) == '1' else 'hours'} of video, "
            f"{_level_phrase(level_text)}."
        ]
        published = _published(row.get("published_timestamp", ""))
        if published:
            parts.append(f"Published {published}.")
        if price.amount:
            parts.append(f"Listed at {price.currency} {fmt(price.amount)} in this snapshot.")
        else:
            parts.append("Free in this snapshot.")
        if video < MIN_HOURS:
            parts.append(f"Under half an hour of video, counted as {fmt(MIN_HOURS)} h.")
        parts.append(f"Hours are the video length; a pace of about {fmt(pace)} h a week is assumed.")
        if language != "en":
            parts.append("Language inferred from the title (the snapshot lists none).")

        return {
            "id": udemy_id(url, row.get("course_id", "")),
            "title": title,
            "provider": "Udemy",
            "url": url,
            "description": " ".join(parts),
            "skills": udemy_skills(matcher, title, subject),
            "credential_type": "certificate",
            "level": level,
            "hours": num(hours),
            "weeks": num(weeks),
            "hours_per_week": num(pace),
            "cost": num(price.amount),
            "currency": price.currency,
            "format": "online",
            "language": language,
            "earn_by": ["lectures-seminars"],
            "prerequisites": [],
            "alignments": [],
            "source": info.row_url(line),
            "as_of": info.as_of,
        }

    return import_rows(text, info, build)
