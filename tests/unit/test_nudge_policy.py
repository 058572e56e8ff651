"""The nudge policy as a pure function: quiet hours, cadence, back-off, blocked/paused, DST — by property tests."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nudges.policy import (
    CADENCE_DAYS,
    MAX_IGNORED,
    Kind,
    Plan,
    Sent,
    Settings,
    decide,
    expected_hours,
    in_quiet_hours,
    interval,
    leave_quiet_hours,
    streak,
)
from bot.nudges.templates import TEMPLATES, pick_template, render

START = datetime(2026, 12, 1, 12, tzinfo=UTC)
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "America/Sao_Paulo"]


def plan(**kw: object) -> Plan:
    base: dict[str, object] = dict(
        enrollment_id=1, title="SQL Basics", hours_total=40.0, hours_logged=0.0, started_on=date(2026, 11, 1),
        target_date=date(2027, 2, 1), status="InProgress",
    )  # fmt: skip
    base.update(kw)
    return Plan(**base)  # type: ignore[arg-type]


settings_st = st.builds(
    Settings,
    timezone=st.sampled_from(ZONES),
    cadence=st.sampled_from(["daily", "every-2-days", "weekly", "off"]),
    quiet_start=st.sampled_from([time(21), time(22), time(23), time(20, 30)]),
    quiet_end=st.sampled_from([time(7), time(8), time(9)]),
    paused=st.booleans(),
    blocked=st.booleans(),
)
moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC))


@st.composite
def histories(draw: st.DrawFn) -> list[Sent]:
    n = draw(st.integers(0, 8))
    at = draw(moments)
    out = []
    for _ in range(n):
        at = at + timedelta(hours=draw(st.integers(1, 24 * 10)))
        out.append(Sent(at, draw(st.sampled_from(list(Kind))), "t", 1, draw(st.booleans())))
    return out


@settings(max_examples=300, deadline=None)
@given(settings_st, histories(), st.integers(0, 60 * 24 * 30))
def test_never_sends_in_quiet_hours_or_too_soon_or_to_blocked_or_paused(
    s: Settings, history: list[Sent], minutes: int
) -> None:
    now = (history[-1].at if history else START) + timedelta(minutes=minutes)
    d = decide(s, [plan(started_on=now.date() - timedelta(days=30), target_date=now.date() + timedelta(days=60))],
               history, now)  # fmt: skip
    if d.send:
        assert not in_quiet_hours(now, s)
        assert not s.blocked and not s.paused and s.cadence != "off"
        if history:
            step = interval(s, history)
            assert step is not None and now - history[-1].at >= step
    if s.blocked or s.paused or s.cadence == "off":
        assert not d.send and d.next_check is None
    if d.next_check is not None:
        assert d.next_check >= now
        assert not in_quiet_hours(d.next_check, s)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["daily", "every-2-days", "weekly"]), st.integers(0, 6))
def test_backoff_is_monotone_in_ignored_nudges(cadence: str, ignored: int) -> None:
    s = Settings(cadence=cadence)
    history = [Sent(START + timedelta(days=i), Kind.CHECK_IN, "t", 1, False) for i in range(ignored)]
    more = [*history, Sent(START + timedelta(days=ignored), Kind.CHECK_IN, "t", 1, False)]
    a, b = interval(s, history), interval(s, more)
    assert a is not None and b is not None and b >= a
    assert a >= timedelta(days=CADENCE_DAYS[cadence])


def test_after_several_ignored_asks_once_then_goes_quiet() -> None:
    s = Settings(cadence="daily", quiet_start=time(23), quiet_end=time(6))
    history = [Sent(START + timedelta(days=3 * i), Kind.CHECK_IN, "t", 1, False) for i in range(MAX_IGNORED)]
    later = history[-1].at + timedelta(days=30)
    ask = decide(s, [plan()], history, later)
    assert ask.send and ask.kind == Kind.STOP_ASK
    history.append(Sent(later, Kind.STOP_ASK, "sa-1", None, False))
    after = decide(s, [plan()], history, later + timedelta(days=60))
    assert not after.send and after.next_check is None
    history[-1] = Sent(later, Kind.STOP_ASK, "sa-1", None, True)  # they came back
    assert decide(s, [plan()], history, later + timedelta(days=60)).send


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(ZONES),
    moments,
    st.sampled_from([time(21), time(22), time(23)]),
    st.sampled_from([time(7), time(8)]),
)
def test_leaving_quiet_hours_lands_outside_them(tz: str, moment: datetime, start: time, end: time) -> None:
    s = Settings(timezone=tz, quiet_start=start, quiet_end=end)
    out = leave_quiet_hours(moment, s)
    assert out >= moment
    assert not in_quiet_hours(out, s)
    assert out - moment <= timedelta(hours=13)


def test_dst_spring_forward_quiet_end_in_the_gap_is_safe() -> None:
    # 29 March 2026: Berlin jumps 02:00 -> 03:00; a quiet end at 02:30 does not exist that night
    s = Settings(timezone="Europe/Berlin", quiet_start=time(23), quiet_end=time(2, 30))
    moment = datetime(2026, 3, 29, 0, 30, tzinfo=ZoneInfo("Europe/Berlin")).astimezone(UTC)
    out = leave_quiet_hours(moment, s)
    assert not in_quiet_hours(out, s)
    assert out.astimezone(ZoneInfo("Europe/Berlin")).hour == 3


def test_blocked_user_is_never_messaged() -> None:
    d = decide(Settings(blocked=True), [plan()], [], START)
    assert not d.send and d.next_check is None


def test_no_nudge_for_paused_or_completed_plans_only() -> None:
    assert not decide(Settings(), [plan(status="OnHold")], [], START).send
    done = plan(status="Completed", completed_on=START.date())
    first = decide(Settings(), [done], [], START)
    assert first.send and first.kind == Kind.COMPLETED
    history = [Sent(START, Kind.COMPLETED, "cp-1", 1, False)]
    assert not decide(Settings(), [done], history, START + timedelta(days=5)).send


def test_behind_plan_message_has_the_persons_numbers() -> None:
    p = plan(hours_total=40, hours_logged=2, started_on=date(2026, 11, 1), target_date=date(2027, 1, 31))
    d = decide(Settings(), [p], [], START)
    assert d.kind == Kind.BEHIND
    facts = dict(d.facts)
    behind = expected_hours(p, START.date()) - 2
    assert facts["behind"] == f"{behind:.1f} h".replace(".0 h", " h")
    assert facts["target"] == "31 January"
    text = render(Kind.BEHIND, "bh-1", facts)
    assert "31 January" in text and "SQL Basics" in text


def test_deadline_and_streak_and_milestone() -> None:
    soon = plan(target_date=START.date() + timedelta(days=2), hours_logged=30)
    assert decide(Settings(), [soon], [], START).kind == Kind.DEADLINE
    days = tuple(START.date() - timedelta(days=i) for i in range(4))
    on_track = plan(hours_logged=40 * 0.3, progress_days=days, started_on=date(2026, 11, 20))
    d = decide(Settings(), [on_track], [], START)
    assert d.kind == Kind.MILESTONE and dict(d.facts)["percent"] == "25%"
    seen = [Sent(START - timedelta(days=3), Kind.MILESTONE, "ms-1", 1, True, tag="0.25")]
    assert decide(Settings(), [on_track], seen, START).kind == Kind.STREAK
    assert streak(days, START.date()) == 4


def test_templates_rotate_without_repeating() -> None:
    used: list[str] = []
    for i in range(6):
        tid, _ = pick_template(Kind.CHECK_IN, used, seed=f"u1:{i}")
        if used:
            assert tid != used[-1]
        used.append(tid)
    assert set(used) == {t for t, _ in TEMPLATES[Kind.CHECK_IN]}


def test_rendered_text_escapes_html() -> None:
    text = render(Kind.CHECK_IN, "ci-2", {"title": "<script>", "left": "3 h", "target": "1 May", "per_day": "1 h"})
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_a_check_in_before_any_logging_says_nothing_is_logged() -> None:
    fresh = plan(hours_logged=0.0, started_on=START.date(), target_date=date(2027, 3, 1))
    d = decide(Settings(), [fresh], [], START)
    assert d.kind == Kind.CHECK_IN and dict(d.facts)["logged"] == "nothing"
