"""Failed tries at a question, counted in the draft: pure functions of bot/onboarding.py."""

import pytest

from bot.onboarding import MISSES, STEP_BY_KEY, forget_misses, missed, next_step, offered, skip, stuck
from recommender.parsing import ParseError

HOURS, GOAL, BUDGET = STEP_BY_KEY["hours_per_week"], STEP_BY_KEY["goal"], STEP_BY_KEY["budget"]


def test_two_misses_in_a_row_make_a_person_stuck_and_the_count_is_not_an_answer() -> None:
    draft = {"role": "teacher", "goal": "data analyst", "skills": []}
    once = missed(draft, HOURS)
    assert not stuck(once, HOURS) and stuck(missed(once, HOURS), HOURS)
    assert next_step(missed(once, HOURS)) is HOURS  # the count answers nothing
    assert missed(missed(once, HOURS), BUDGET)[MISSES] == {"budget": 1}  # a new question starts from zero


def test_a_required_question_can_be_skipped_only_once_stuck_and_then_gets_its_fallback() -> None:
    draft = {"role": "barista"}
    with pytest.raises(ParseError):
        skip(draft, GOAL)
    with pytest.raises(ParseError):
        skip(missed(draft, GOAL), GOAL)
    assert skip(missed(missed(draft, GOAL), GOAL), GOAL) == {"role": "barista", "goal": "barista"}
    stuck_at_hours = missed(missed({**draft, "goal": "x", "skills": []}, HOURS), HOURS)
    assert skip(stuck_at_hours, HOURS)["hours_per_week"] is None and MISSES not in skip(stuck_at_hours, HOURS)


def test_counts_are_kept_only_for_the_question_still_asked() -> None:
    draft = missed({"role": "teacher"}, GOAL)
    assert forget_misses(draft, keep=GOAL) == draft
    assert forget_misses(draft, keep=HOURS) == {"role": "teacher"}
    assert forget_misses(draft) == {"role": "teacher"}


def test_questions_without_buttons_offer_rescue_ones() -> None:
    assert offered(HOURS) == HOURS.choices
    assert offered(GOAL) and all(value for _, value in offered(GOAL))
