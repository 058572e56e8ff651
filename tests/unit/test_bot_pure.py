"""Small pure pieces of the bot: message splitting, callback data, time zones, onboarding drafts."""

from datetime import date

import pytest

from bot.callbacks import MAX_BYTES, make, parse, ref
from bot.onboarding import STEP_BY_KEY, answer, back, next_step, position, skip
from bot.render import e, split_text
from bot.timezones import parse_timezone
from recommender.parsing import ParseError


def test_split_text_keeps_every_part_under_the_limit_and_loses_nothing() -> None:
    text = "\n\n".join(f"<b>Card {i}</b>\n" + "word " * 150 for i in range(20))
    parts = split_text(text, limit=1000)
    assert all(len(p) <= 1000 for p in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert all(p.count("<b>") == p.count("</b>") for p in parts)


def test_split_text_never_cuts_an_entity() -> None:
    text = "&amp;" * 500
    parts = split_text(text, limit=97)
    assert all(p.count("&") == p.count(";") for p in parts)


def test_escape_keeps_quotes_readable_but_tags_inert() -> None:
    assert e("<script> & 'x'") == "&lt;script&gt; &amp; 'x'"


def test_callback_data_is_short_prefixed_and_strictly_parsed() -> None:
    data = make("rec", "d", ref("some-very-long-credential-id-" + "x" * 80))
    assert len(data.encode()) <= MAX_BYTES
    cb = parse(data)
    assert cb is not None and (cb.prefix, cb.action, len(cb.args[0])) == ("rec", "d", 10)
    for forged in (None, "", "x" * 70, "rec:d:<script>", "nocolon", "rec:d:é"):
        assert parse(forged) is None
    with pytest.raises(ValueError):
        make("rec", "d", "x" * 80)


@pytest.mark.parametrize(
    ("text", "zone"),
    [("Berlin", "Europe/Berlin"), ("new york", "America/New_York"), ("Asia/Tokyo", "Asia/Tokyo"),
     ("UTC+2", "Etc/GMT-2"), ("utc-5", "Etc/GMT+5"), ("GMT", "UTC"), ("+0", "UTC")],
)  # fmt: skip
def test_timezones_by_city_name_or_offset(text: str, zone: str) -> None:
    assert parse_timezone(text) == zone


@pytest.mark.parametrize("text", ["Atlantis", "", "UTC+20", "banana/split"])
def test_unknown_timezones_are_none(text: str) -> None:
    assert parse_timezone(text) is None


def test_onboarding_draft_answers_skips_and_back() -> None:
    today = date(2026, 12, 1)
    draft: dict = {}
    draft = answer(draft, STEP_BY_KEY["role"], "nurse", today)
    draft = answer(draft, STEP_BY_KEY["goal"], "health informatics", today)
    step = next_step(draft)
    assert step is not None and step.key == "skills" and position(step) == "3 of 7"
    draft = skip(draft, step)
    with pytest.raises(ParseError):
        skip(draft, STEP_BY_KEY["hours_per_week"])  # not optional
    draft = answer(draft, STEP_BY_KEY["hours_per_week"], "about 4 hours", today)
    assert draft["hours_per_week"] == 4
    draft, history = back(draft, ["role", "goal", "skills", "hours_per_week"])
    assert "hours_per_week" not in draft and history == ["role", "goal", "skills"]
    draft = answer(draft, STEP_BY_KEY["hours_per_week"], "2", today)
    draft = answer(draft, STEP_BY_KEY["weeks"], "by March", today)
    assert draft["deadline"] == "2027-03-31"
    draft = answer(draft, STEP_BY_KEY["budget"], "free", today)
    draft = answer(draft, STEP_BY_KEY["format"], "either", today)
    assert next_step(draft) is None and draft["budget"] == 0 and draft["format"] is None
