"""The dated learning plan (recommender.path.plan_path)."""

import re
from datetime import date, timedelta

from catalog.schema import Credential
from recommender.path import plan_path
from tests.fakes import credential

TODAY = date(2026, 12, 1)


def step(
    cid: str, hours: float = 10, level: str = "beginner", skills: tuple[str, ...] = (), **kw: object
) -> Credential:
    return credential(id=cid, title=cid.title(), hours=hours, level=level, skills=list(skills or (cid,)), **kw)


def ids(credentials: tuple[Credential, ...]) -> list[str]:
    return [c.id for c in credentials]


def test_beginner_before_intermediate_before_advanced() -> None:
    picks = [step("adv", level="advanced"), step("beg"), step("mid", level="intermediate")]
    path = plan_path(picks, today=TODAY, hours_per_week=5)
    assert ids(path.credentials) == ["beg", "mid", "adv"]


def test_same_level_keeps_the_ranking_order() -> None:
    picks = [step("first"), step("second"), step("third")]
    assert ids(plan_path(picks, today=TODAY, hours_per_week=5).credentials) == ["first", "second", "third"]


def test_a_step_comes_after_the_step_that_teaches_its_prerequisites() -> None:
    picks = [
        step("pandas", skills=("pandas",), prerequisites=["basic python"]),
        step("sql", skills=("sql",)),
        step("python", skills=("python", "programming")),
    ]
    order = ids(plan_path(picks, today=TODAY, hours_per_week=5).credentials)
    assert order.index("python") < order.index("pandas")
    assert order[0] == "sql"  # untouched by the prerequisite, keeps its rank


def test_prerequisite_cycle_still_plans_every_step() -> None:
    picks = [
        step("a", skills=("alpha",), prerequisites=["beta"]),
        step("b", skills=("beta",), prerequisites=["alpha"]),
    ]
    assert sorted(ids(plan_path(picks, today=TODAY, hours_per_week=5).credentials)) == ["a", "b"]


def test_dates_are_contiguous_from_today_and_sized_to_the_pace() -> None:
    picks = [step("one", hours=10), step("two", hours=25), step("three", hours=1)]
    path = plan_path(picks, today=TODAY, hours_per_week=5)
    assert path.steps[0].start == TODAY
    for before, after in zip(path.steps, path.steps[1:], strict=False):
        assert after.start == before.finish
    assert [(s.finish - s.start).days for s in path.steps] == [14, 35, 2]
    assert [s.weeks for s in path.steps] == [2.0, 5.0, 0.2]
    assert path.finish == path.steps[-1].finish == TODAY + timedelta(days=51)
    assert path.total_hours == 36
    assert path.hours_per_week == 5


def test_fits_when_the_deadline_is_far_enough() -> None:
    path = plan_path([step("one", hours=10)], today=TODAY, hours_per_week=5, deadline=TODAY + timedelta(days=14))
    assert path.fits
    assert path.advice == ()


def test_weeks_turn_into_a_deadline() -> None:
    path = plan_path([step("one", hours=40)], today=TODAY, hours_per_week=5, weeks=4)
    assert path.deadline == TODAY + timedelta(days=28)
    assert not path.fits


def test_too_early_deadline_says_what_pace_and_what_date_would_work() -> None:
    picks = [step("one", hours=10), step("two", hours=10), step("three", hours=40)]
    deadline = date(2027, 1, 1)  # 31 days away; 60 h at 5 h/week take 12 weeks
    path = plan_path(picks, today=TODAY, hours_per_week=5, deadline=deadline)
    assert not path.fits
    assert path.finish == date(2027, 2, 23)
    text = " ".join(path.advice)
    assert "60 h" in text
    assert "about 14 h/week" in text  # 60 h / (31 / 7) weeks = 13.5 -> 14
    assert "aim for 23 Feb 2027" in text
    assert "1 Jan 2027" in text
    assert "first 2 steps by then" in text


def test_when_no_step_fits_the_shortest_one_is_named() -> None:
    picks = [step("long", hours=50), step("short", hours=20)]
    path = plan_path(picks, today=TODAY, hours_per_week=5, deadline=TODAY + timedelta(days=7))
    assert not path.fits
    assert any("shortest step alone (Short) needs about 20 h" in line for line in path.advice)


def test_unknown_pace_plans_at_five_hours_and_says_so() -> None:
    path = plan_path([step("one", hours=10)], today=TODAY, hours_per_week=None)
    assert path.hours_per_week == 5.0
    assert path.steps[0].finish == TODAY + timedelta(days=14)
    assert any("5 h/week" in line for line in path.advice)


def test_empty_input_gives_an_empty_plan_that_fits() -> None:
    path = plan_path([], today=TODAY, hours_per_week=5, deadline=TODAY + timedelta(days=30))
    assert path.steps == ()
    assert path.total_hours == 0
    assert path.finish is None
    assert path.fits
    assert path.advice == ()


def test_following_the_advised_pace_meets_the_deadline() -> None:
    picks = [step("one", hours=10), step("two", hours=10), step("three", hours=10)]
    deadline = TODAY + timedelta(days=20)
    path = plan_path(picks, today=TODAY, hours_per_week=5, deadline=deadline)
    (advice,) = [line for line in path.advice if line.startswith("To finish by")]
    match = re.search(r"about (\d+) h/week", advice)
    assert match
    assert plan_path(picks, today=TODAY, hours_per_week=int(match.group(1)), deadline=deadline).fits


def test_completed_picks_drop_out_and_logged_hours_shorten_a_step() -> None:
    picks = [step("one", hours=10), step("two", hours=20), step("three", hours=5)]
    path = plan_path(picks, today=TODAY, hours_per_week=5, logged={"two": 15.0, "one": 10.0}, completed={"one"})
    assert ids(path.done) == ["one"]
    assert ids(path.credentials) == ["two", "three"]
    assert [s.hours for s in path.steps] == [5.0, 5.0] and path.total_hours == 10
    assert path.steps[0].start == TODAY and path.steps[0].finish == TODAY + timedelta(days=7)


def test_a_path_with_everything_done_says_so() -> None:
    from bot.render import path_text

    path = plan_path([step("one")], today=TODAY, hours_per_week=5, completed={"one"})
    assert not path.steps and "Everything on your path is done" in path_text(path)
