"""Small pure pieces of the bot: message splitting, callback data, time zones, onboarding drafts."""

from datetime import date

import pytest

from bot.callbacks import MAX_BYTES, make, parse, ref
from bot.onboarding import (
    STEP_BY_KEY,
    answer,
    back,
    command_word,
    next_step,
    position,
    read_answer,
    says_no_deadline,
    skip,
)
from bot.render import e, split_text, understood_summary
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


TODAY = date(2026, 12, 1)
ASKED_GOAL = {"role": "paralegal", "goal": "e-discovery"}


def test_an_answer_given_ahead_is_kept_and_not_taken_for_the_question_asked() -> None:
    r = read_answer(ASKED_GOAL, STEP_BY_KEY["skills"], "4 hours a week for 3 months", TODAY)
    assert not r.answered and "skills" not in r.draft  # the time is not a skill
    assert r.draft["hours_per_week"] == 4 and round(r.draft["weeks"]) == 13
    assert next_step(r.draft) == STEP_BY_KEY["skills"]  # still asked, with Skip on offer


def test_skills_keep_the_parts_that_are_not_about_time_money_or_format() -> None:
    r = read_answer(ASKED_GOAL, STEP_BY_KEY["skills"], "Excel, SQL, and 5 h a week", TODAY)
    assert r.answered and r.draft["skills"] == ["excel", "sql"] and r.noted == {"hours_per_week": 5}


def test_a_budget_typed_at_the_hours_question_is_a_budget_not_hours() -> None:
    draft = {**ASKED_GOAL, "skills": []}
    r = read_answer(draft, STEP_BY_KEY["hours_per_week"], "under $1000", TODAY)
    assert not r.answered and "hours_per_week" not in r.draft
    assert (r.draft["budget"], r.draft["currency"]) == (1000, "USD")
    assert understood_summary(r.noted) == "Got it: budget: $1,000."
    fmt = read_answer(draft, STEP_BY_KEY["hours_per_week"], "online", TODAY)
    assert not fmt.answered and fmt.draft["format"] == "online"


def test_plain_answers_read_as_before_and_extra_facts_ride_along() -> None:
    draft = {**ASKED_GOAL, "skills": []}
    assert read_answer(draft, STEP_BY_KEY["hours_per_week"], "5", TODAY).draft["hours_per_week"] == 5
    both = read_answer(draft, STEP_BY_KEY["hours_per_week"], "10 hours a week but only for 2 months", TODAY)
    assert both.answered and both.draft["hours_per_week"] == 10 and round(both.draft["weeks"]) == 9
    with pytest.raises(ParseError):
        read_answer(draft, STEP_BY_KEY["hours_per_week"], "whenever I feel like it", TODAY)
    answered = {**draft, "hours_per_week": 4, "weeks": 12, "deadline": None}
    budget = read_answer(answered, STEP_BY_KEY["budget"], "$200 online", TODAY)
    assert budget.answered and budget.draft["budget"] == 200 and budget.draft["format"] == "online"


def test_an_answered_question_is_not_changed_by_a_later_aside() -> None:
    draft = {**ASKED_GOAL, "skills": [], "hours_per_week": 4}
    r = read_answer(draft, STEP_BY_KEY["weeks"], "3 months, still 10 hours a week", TODAY)
    assert r.answered and r.draft["hours_per_week"] == 4 and r.noted == {}


@pytest.mark.parametrize("text", ["asap", "ASAP!", "no rush", "whenever", "it depends", "not sure", "no deadline"])
def test_no_end_date_is_an_answer_to_the_time_frame_question_only(text: str) -> None:
    assert says_no_deadline(STEP_BY_KEY["weeks"], text)
    assert not says_no_deadline(STEP_BY_KEY["hours_per_week"], text)


@pytest.mark.parametrize("text", ["by June", "3 months", "no rush, but by June", "soonish I guess"])
def test_a_real_time_frame_is_not_taken_for_no_end_date(text: str) -> None:
    assert not says_no_deadline(STEP_BY_KEY["weeks"], text)


def test_slash_and_typed_forms_are_the_same_word() -> None:
    assert command_word("/Back") == command_word(" back! ") == "back"
    assert command_word("/skip") == "skip"


def test_time_or_money_typed_at_the_goal_question_is_not_the_goal() -> None:
    r = read_answer({"role": "cashier"}, STEP_BY_KEY["goal"], "5 hours a week", TODAY)
    assert not r.answered and "goal" not in r.draft and r.draft["hours_per_week"] == 5
    mixed = read_answer({"role": "cashier"}, STEP_BY_KEY["goal"], "UX design. 3h a week, free", TODAY)
    assert mixed.answered and mixed.draft["goal"] == "UX design" and mixed.draft["budget"] == 0
    whole = read_answer({"role": "x"}, STEP_BY_KEY["goal"], "become a data analyst in 6 months", TODAY)
    assert whole.draft["goal"] == "become a data analyst in 6 months" and round(whole.draft["weeks"]) == 26


def test_a_time_frame_typed_at_the_hours_or_budget_question_is_kept_for_its_own() -> None:
    draft = {**ASKED_GOAL, "skills": []}
    r = read_answer(draft, STEP_BY_KEY["hours_per_week"], "3 months", TODAY)
    assert not r.answered and round(r.draft["weeks"]) == 13 and "hours_per_week" not in r.draft
    b = read_answer(draft, STEP_BY_KEY["budget"], "by June", TODAY)
    assert not b.answered and b.draft["deadline"] == "2027-06-30" and "budget" not in b.draft
    with pytest.raises(ParseError, match="How many hours"):
        read_answer(draft, STEP_BY_KEY["hours_per_week"], "2 days a week", TODAY)  # a rate, not a time frame


def test_progress_lines_count_modules_only_when_there_are_some() -> None:
    from bot.render import enrollment_line
    from store.models import Enrollment, EnrollmentStatus

    def line(modules: int) -> str:
        e = Enrollment(1, 1, "c", EnrollmentStatus.IN_PROGRESS, TODAY, date(2027, 1, 1), 10, 2, modules, "")
        return enrollment_line(e, None, TODAY)

    assert "module" not in line(0) and "· 1 module ·" in line(1) and "· 3 modules ·" in line(3)


def test_one_missing_skill_is_not_counted_as_one_of_one() -> None:
    from recommender.reasons import skills_reason

    assert skills_reason(["python"], 1, ["python"]) == "covers the skill you're missing: Python"
    assert skills_reason(["python"], 3, ["python"]).startswith("covers 1 of your 3 missing skills")


@pytest.mark.parametrize(
    ("text", "zone"),
    [("UTC+5:30", "Asia/Kolkata"), ("India", "Asia/Kolkata"), ("London, UK", "Europe/London"),
     ("PST", "America/Los_Angeles"), ("EST", "America/New_York"), ("São Paulo", "America/Sao_Paulo"),
     ("Munich", "Europe/Berlin")],
)  # fmt: skip
def test_common_ways_of_naming_a_zone(text: str, zone: str) -> None:
    assert parse_timezone(text) == zone


def test_offset_zones_are_shown_with_the_sign_people_use() -> None:
    from bot.timezones import zone_label

    assert zone_label("Etc/GMT-1") == "UTC+1" and zone_label("Etc/GMT+5") == "UTC-5"
    assert zone_label("Europe/Berlin") == "Europe/Berlin"


def test_enroll_dates_offer_the_persons_target_when_their_pace_would_miss_it() -> None:
    from bot.keyboards import enroll_dates

    def labels(target: date | None) -> list[str]:
        markup = enroll_dates("c", date(2027, 2, 7), date(2027, 3, 14), target)
        return [b.text for row in markup.inline_keyboard for b in row]

    assert labels(date(2027, 1, 29))[0] == "29 Jan 2027 (your target)"
    assert labels(None) == ["7 Feb 2027 (your pace)", "14 Mar 2027 (relaxed)"]
    assert len(labels(date(2027, 3, 1))) == 2  # the pace already meets it


@pytest.mark.parametrize("text", ["idk", "not sure yet", "No idea!", "??"])
def test_an_unsure_goal_gets_a_nudge_towards_what_the_person_enjoys(text: str) -> None:
    with pytest.raises(ParseError, match="what you enjoy"):
        read_answer({"role": "waiter"}, STEP_BY_KEY["goal"], text, TODAY)


def test_forgetting_one_answer_keeps_the_others_and_its_refinement_memory() -> None:
    from bot.onboarding import forget_answer

    draft = {"role": "x", "goal": "y", "skills": [], "hours_per_week": 5, "weeks": 12, "deadline": None,
             "budget": 0, "currency": "USD", "base_budget": None, "format": "online"}  # fmt: skip
    new, history = forget_answer(draft, ["role", "goal", "skills", "weeks", "budget"], STEP_BY_KEY["budget"])
    assert "budget" not in new and "currency" not in new and "base_budget" not in new
    assert new["hours_per_week"] == 5 and history == ["role", "goal", "skills", "weeks"]
    assert next_step(new) == STEP_BY_KEY["budget"]


def test_a_paused_enrollment_can_be_withdrawn_and_an_active_one_re_dated() -> None:
    from bot.keyboards import progress
    from store.models import Enrollment, EnrollmentStatus

    def labels(status: EnrollmentStatus) -> list[str]:
        e = Enrollment(1, 1, "c", status, TODAY, date(2027, 1, 1), 10, 2, 0, "")
        return [b.text for row in progress(e).inline_keyboard for b in row]

    assert labels(EnrollmentStatus.ON_HOLD) == ["▶️ Resume", "Withdraw"]
    assert "New date" in labels(EnrollmentStatus.IN_PROGRESS)
    assert labels(EnrollmentStatus.WITHDREW) == ["▶️ Resume"]


def test_the_results_footer_offers_the_mini_app_only_when_one_is_served() -> None:
    from bot import keyboards

    plain = keyboards.results_footer()
    assert all(b.web_app is None for row in plain.inline_keyboard for b in row)
    served = keyboards.results_footer("https://bot.example.org/app/")
    web = [b for row in served.inline_keyboard for b in row if b.web_app is not None]
    assert len(web) == 1 and web[0].web_app.url == "https://bot.example.org/app/"  # type: ignore[union-attr]
