"""Loose human input -> numbers, dates and fields (recommender.parsing)."""

from datetime import date

import pytest

from catalog.schema import Format, Level
from recommender.parsing import (
    Budget,
    Duration,
    ParseError,
    parse_budget,
    parse_duration,
    parse_format,
    parse_hours_per_week,
    parse_level,
    parse_skills,
    profile_fields,
    understand,
)

TODAY = date(2026, 12, 1)


# -- hours per week ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("5", 5.0),
        ("5h a week", 5.0),
        ("about 4 hours", 4.0),
        ("2-3 hours", 2.5),
        ("an hour a day", 7.0),
        ("30 min a day", 3.5),
        ("1 h a day on weekdays", 5.0),
        ("two hours a week", 2.0),
    ],
)
def test_hours_per_week_understands_common_phrasings(text: str, hours: float) -> None:
    assert parse_hours_per_week(text) == pytest.approx(hours)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("", "hours a week"),
        ("lots", "'lots'"),
        ("0", "more than zero"),
        ("100 hours", "full-time"),
    ],
)
def test_hours_per_week_rejects_bad_input_with_a_friendly_hint(text: str, hint: str) -> None:
    with pytest.raises(ParseError, match=hint) as caught:
        parse_hours_per_week(text)
    assert "Traceback" not in str(caught.value)


def test_negative_hours_are_rejected() -> None:
    with pytest.raises(ParseError):
        parse_hours_per_week("-3")


def test_a_few_hours_a_week_is_three() -> None:
    assert parse_hours_per_week("a few hours a week") == pytest.approx(3.0)


# -- duration ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "weeks"),
    [("3 months", 13.04), ("6 weeks", 6.0), ("a year", 52.14), ("10 days", 1.43), ("2 to 3 months", 10.86)],
)
def test_duration_in_weeks(text: str, weeks: float) -> None:
    got = parse_duration(text, TODAY)
    assert got.deadline is None
    assert got.weeks == pytest.approx(weeks, abs=0.01)


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("by March", date(2027, 3, 31)),
        ("by 3 March", date(2027, 3, 3)),
        ("March 3", date(2027, 3, 3)),
        ("by 2027-06-30", date(2027, 6, 30)),
        ("end of year", date(2026, 12, 31)),
        ("by December", date(2026, 12, 31)),
    ],
)
def test_duration_as_a_deadline(text: str, deadline: date) -> None:
    assert parse_duration(text, TODAY) == Duration(deadline=deadline)


@pytest.mark.parametrize("text", ["by 2026-11-01", "by 2026-12-01", "1 November 2026"])
def test_past_dates_are_rejected(text: str) -> None:
    with pytest.raises(ParseError, match="already passed"):
        parse_duration(text, TODAY)


@pytest.mark.parametrize(
    ("text", "hint"),
    [("", "How long"), ("forever", "'3 months'"), ("2027-02-30", "not a real date"), ("10 years", "five years")],
)
def test_unreadable_durations_raise_with_a_hint(text: str, hint: str) -> None:
    with pytest.raises(ParseError, match=hint):
        parse_duration(text, TODAY)


def test_a_couple_of_months_is_two_months() -> None:
    assert parse_duration("a couple of months", TODAY).weeks == pytest.approx(8.69, abs=0.01)


# -- budget ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "budget"),
    [
        ("free only", Budget(0.0)),
        ("$0", Budget(0.0)),
        ("$200", Budget(200.0)),
        ("up to 100", Budget(100.0)),
        ("$1,500", Budget(1500.0)),
        ("2k euros", Budget(2000.0, "EUR")),
        ("500 euros", Budget(500.0, "EUR")),
        ("£50", Budget(50.0, "GBP")),
        ("any", Budget(None)),
        ("no limit", Budget(None)),
        ("50 quid", Budget(50.0, "GBP")),
        ("300 bucks", Budget(300.0, "USD")),
    ],
)
def test_budget(text: str, budget: Budget) -> None:
    assert parse_budget(text) == budget


def test_budget_keeps_the_default_currency_when_none_is_named() -> None:
    assert parse_budget("300", default_currency="GBP") == Budget(300.0, "GBP")


@pytest.mark.parametrize("text", ["", "lots of money", "whenever"])
def test_unreadable_budget_raises(text: str) -> None:
    with pytest.raises(ParseError, match="free only"):
        parse_budget(text)


@pytest.mark.parametrize(
    ("text", "hint"), [("cheap", "How much is cheap for you?"), ("something affordable", "cheap"), ("depends", "'Any'")]
)
def test_vague_budgets_get_a_hint_that_names_the_buttons(text: str, hint: str) -> None:
    with pytest.raises(ParseError, match=hint):
        parse_budget(text)


@pytest.mark.parametrize(
    ("text", "budget"),
    [("0 Euro", Budget(0.0)), ("about 50 quid", Budget(50.0, "GBP")), ("200 dollars", Budget(200.0))],
)
def test_understand_reads_an_amount_with_a_currency_word(text: str, budget: Budget) -> None:
    assert understand(text, TODAY).budget == budget
    assert understand("I have 5 hours a week", TODAY).budget is None


# -- format, level, skills ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("online", Format.ONLINE),
        ("remote", Format.ONLINE),
        ("In-Person", Format.IN_PERSON),
        ("face to face", Format.IN_PERSON),
        ("hybrid", Format.HYBRID),
        ("either", None),
        ("no preference", None),
    ],
)
def test_format(text: str, fmt: Format | None) -> None:
    assert parse_format(text) == fmt


def test_unknown_format_raises() -> None:
    with pytest.raises(ParseError, match="hybrid"):
        parse_format("bananas")


def test_online_or_in_person_means_no_preference() -> None:
    assert parse_format("online or in person") is None


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("beginner", Level.BEGINNER),
        ("no experience", Level.BEGINNER),
        ("Intermediate", Level.INTERMEDIATE),
        ("some experience", Level.INTERMEDIATE),
        ("advanced", Level.ADVANCED),
        ("not sure", None),
    ],
)
def test_level(text: str, level: Level | None) -> None:
    assert parse_level(text) == level


def test_unknown_level_raises() -> None:
    with pytest.raises(ParseError, match="Beginner, intermediate or advanced"):
        parse_level("guru")


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("Python, SQL and Excel", ("python", "sql", "excel")),
        ("python; sql / excel", ("python", "sql", "excel")),
        ("I know python, Python", ("python",)),
        ("none", ()),
        ("None.", ()),
    ],
)
def test_skills(text: str, skills: tuple[str, ...]) -> None:
    assert parse_skills(text) == skills


def test_skills_keep_cpp() -> None:
    assert parse_skills("C++, C#") == ("c++", "c#")


# -- free text ---------------------------------------------------------------------------------------------------
def test_understand_a_first_message() -> None:
    got = understand("I'm a nurse and want to move into health informatics, 5h a week", TODAY)
    assert (got.role, got.goal, got.hours_per_week) == ("nurse", "health informatics", 5.0)
    assert got.budget is None and got.format is None and not got.format_given


def test_understand_deadline_budget_and_format() -> None:
    got = understand("I am a teacher and want to become a data analyst by March, budget $200, online", TODAY)
    assert (got.role, got.goal) == ("teacher", "data analyst")
    assert got.deadline == date(2027, 3, 31)
    assert got.budget == Budget(200.0)
    assert got.format == Format.ONLINE and got.format_given


def test_understand_never_raises_on_chatter() -> None:
    got = understand("hello", TODAY)
    assert (got.role, got.goal, got.hours_per_week, got.budget) == (None, None, None, None)


# -- profile_fields ----------------------------------------------------------------------------------------------
def test_profile_fields_accepts_loose_text() -> None:
    data = {
        "role": " nurse ",
        "goal": "health informatics",
        "skills": "Python, SQL",
        "hours_per_week": "5h a week",
        "weeks": "by March",
        "budget": "500 euros",
        "format": "online",
        "level": "beginner",
    }
    assert profile_fields(data, TODAY) == {
        "role": "nurse",
        "goal": "health informatics",
        "skills": ("python", "sql"),
        "hours_per_week": 5.0,
        "weeks": None,
        "deadline": date(2027, 3, 31),
        "budget": 500.0,
        "currency": "EUR",
        "format": Format.ONLINE,
        "level": Level.BEGINNER,
    }


def test_profile_fields_accepts_numbers_and_lists() -> None:
    data = {"goal": "data analyst", "skills": ["Excel", " "], "hours_per_week": 4, "weeks": 10, "budget": 0}
    assert profile_fields(data, TODAY) == {
        "goal": "data analyst",
        "skills": ("excel",),
        "hours_per_week": 4.0,
        "weeks": 10.0,
        "budget": 0.0,
    }


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"role": 1}, "role"),
        ({"role": "x", "goal": ["y"]}, "goal"),
        ({"role": "x", "skills": 5}, "skills"),
        ({"role": "x", "skills": [1]}, "skills"),
        ({"role": "x", "hours_per_week": -1}, "hours_per_week"),
        ({"role": "x", "hours_per_week": True}, "hours_per_week"),
        ({"role": "x", "hours_per_week": "lots"}, "hours_per_week"),
        ({"role": "x", "hours_per_week": 100}, "hours_per_week"),
        ({"role": "x", "weeks": 0}, "weeks"),
        ({"role": "x", "weeks": "forever"}, "weeks"),
        ({"role": "x", "budget": -5}, "budget"),
        ({"role": "x", "budget": "lots"}, "budget"),
        ({"role": "x", "format": "bananas"}, "format"),
        ({"role": "x", "level": "guru"}, "level"),
        ({"role": "x", "deadline": "2026-01-01"}, "deadline"),
        ({"role": "x", "max_hours": 0}, "max_hours"),
    ],
)
def test_profile_fields_names_the_bad_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(ParseError, match=rf"^{field}: "):
        profile_fields(data, TODAY)


def test_profile_fields_lists_unknown_fields() -> None:
    with pytest.raises(ParseError, match=r"unknown field\(s\): bar, foo"):
        profile_fields({"role": "x", "foo": 1, "bar": 2}, TODAY)


@pytest.mark.parametrize("data", [{}, {"role": "  ", "goal": ""}, {"skills": ["sql"]}])
def test_profile_fields_needs_a_role_or_a_goal(data: dict[str, object]) -> None:
    with pytest.raises(ParseError, match="at least a role or a goal"):
        profile_fields(data, TODAY)


@pytest.mark.parametrize("data", [[], "role=nurse", None])
def test_profile_fields_needs_an_object(data: object) -> None:
    with pytest.raises(ParseError, match="JSON object"):
        profile_fields(data, TODAY)


@pytest.mark.parametrize("text", ["3 months", "2 days a week", "weekends"])
def test_hours_are_not_read_from_days_or_months(text: str) -> None:
    with pytest.raises(ParseError, match="How many hours is"):
        parse_hours_per_week(text)


def test_half_an_hour_a_day_is_three_and_a_half_hours_a_week() -> None:
    assert parse_hours_per_week("half an hour a day") == 3.5


def test_hours_a_week_is_not_a_time_frame() -> None:
    with pytest.raises(ParseError, match="sounds like hours a week"):
        parse_duration("10h a week", TODAY)


@pytest.mark.parametrize(
    ("text", "budget"),
    [("$1k", Budget(1000.0)), ("between 100 and 200", Budget(200.0)), ("$100-200", Budget(200.0)),
     ("my company pays", Budget(None)), ("100 a month", Budget(100.0))],
)  # fmt: skip
def test_budget_ranges_thousands_and_employers(text: str, budget: Budget) -> None:
    assert parse_budget(text) == budget


@pytest.mark.parametrize("text", ["3 hours", "3 months", "by June"])
def test_time_is_not_money(text: str) -> None:
    with pytest.raises(ParseError, match="time, not money"):
        parse_budget(text)


@pytest.mark.parametrize(
    ("text", "fmt"),
    [("not online", Format.IN_PERSON), ("no online courses", Format.IN_PERSON), ("not in person", Format.ONLINE),
     ("doesn't matter", None), ("anything", None)],
)  # fmt: skip
def test_format_understands_negation_and_indifference(text: str, fmt: Format | None) -> None:
    assert parse_format(text) == fmt


def test_a_terse_first_message_keeps_its_hours_and_budget() -> None:
    u = understand("cashier. wanna be web developer. 10h. 0$.", TODAY)
    assert (u.goal, u.hours_per_week, u.budget) == ("web developer", 10.0, Budget(0.0))
    assert understand("budget $1k", TODAY).budget == Budget(1000.0)


@pytest.mark.parametrize(
    "field, value",
    [
        ("hours_per_week", float("nan")),
        ("hours_per_week", float("inf")),
        ("weeks", float("inf")),
        ("weeks", 100_000),
        ("budget", float("nan")),
        ("budget", float("-inf")),
        ("max_hours", float("inf")),
    ],
)
def test_non_finite_and_absurd_numbers_in_a_batch_line_are_refused_by_name(field: str, value: float) -> None:
    # JSON Lines may hold NaN, Infinity and 1e999 (Python's json reads them); none is a plan
    with pytest.raises(ParseError, match=field):
        profile_fields({"goal": "data analyst", field: value}, date(2026, 12, 3))
