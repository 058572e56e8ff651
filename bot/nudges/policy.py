"""The nudge policy: a pure function of a person's settings, plans, nudge history and an explicit `now`.

It decides whether to nudge now, which kind, with which numbers, and when to look again. It never reads a clock,
a database or Telegram; the scheduler feeds it and carries out its decision.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

CADENCE_DAYS = {"daily": 1.0, "every-2-days": 2.5, "weekly": 7.0}
MAX_IGNORED = 3  # after this many ignored nudges in a row: one "shall I stop?", then silence
BACKOFF = 1.6  # each ignored nudge stretches the interval by this factor
MAX_INTERVAL_DAYS = 21.0
DEADLINE_DAYS = 3  # "deadline approaching" inside this many days
SILENCE_DAYS = 7  # no progress for this long: re-engagement
SEND_HOUR = 18  # default local hour for a planned nudge, if the interval lands at night


Facts = tuple[tuple[str, str], ...]


class Kind(StrEnum):
    CHECK_IN = "check-in"
    BEHIND = "behind"
    MILESTONE = "milestone"
    STREAK = "streak"
    REENGAGE = "re-engage"
    DEADLINE = "deadline"
    COMPLETED = "completed"
    STOP_ASK = "stop-ask"


@dataclass(frozen=True, slots=True)
class Settings:
    timezone: str = "UTC"
    cadence: str = "every-2-days"  # daily | every-2-days | weekly | off
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    paused: bool = False
    snooze_until: datetime | None = None
    blocked: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    enrollment_id: int
    title: str
    hours_total: float
    hours_logged: float
    started_on: date
    target_date: date
    status: str  # Open Badges 3.0 result status: Enrolled | InProgress | Completed | Withdrew | OnHold
    progress_days: tuple[date, ...] = ()  # local dates with logged progress, oldest first
    completed_on: date | None = None
    next_step: str = ""  # title of the next step on their path, for the completion message

    @property
    def active(self) -> bool:
        return self.status in ("Enrolled", "InProgress")


@dataclass(frozen=True, slots=True)
class Sent:
    at: datetime
    kind: Kind
    template: str
    enrollment_id: int | None
    reacted: bool  # any reply, button or progress after it
    tag: str = ""  # e.g. the milestone share celebrated, so each milestone is celebrated once


@dataclass(frozen=True, slots=True)
class Decision:
    send: bool
    next_check: datetime | None  # None: do not look again until the person comes back or changes settings
    kind: Kind | None = None
    enrollment_id: int | None = None
    facts: tuple[tuple[str, str], ...] = ()  # numbers for the template, as text
    why: str = ""


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def in_quiet_hours(moment: datetime, settings: Settings) -> bool:
    local = moment.astimezone(zone(settings.timezone)).time()
    start, end = settings.quiet_start, settings.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def leave_quiet_hours(moment: datetime, settings: Settings) -> datetime:
    """The first instant at or after `moment` outside quiet hours (DST-safe: computed on local wall time)."""
    if not in_quiet_hours(moment, settings):
        return moment
    tz = zone(settings.timezone)
    local = moment.astimezone(tz)
    end_date = local.date() if local.time() < settings.quiet_end else local.date() + timedelta(days=1)
    wall = datetime.combine(end_date, settings.quiet_end)
    candidate = wall.replace(tzinfo=tz)
    # a wall time skipped by a DST jump does not exist: fold forward until it is a real instant
    for _ in range(4):
        if candidate.astimezone(ZoneInfo("UTC")).astimezone(tz).replace(tzinfo=None) == wall:
            break
        wall += timedelta(hours=1)
        candidate = wall.replace(tzinfo=tz)
    result = candidate.astimezone(moment.tzinfo)
    return result if result > moment else moment


def ignored_in_a_row(history: Sequence[Sent]) -> int:
    n = 0
    for item in reversed(history):
        if item.reacted:
            break
        n += 1
    return n


def interval(settings: Settings, history: Sequence[Sent]) -> timedelta | None:
    base = CADENCE_DAYS.get(settings.cadence)
    if base is None:
        return None
    days = min(base * BACKOFF ** ignored_in_a_row(history), MAX_INTERVAL_DAYS)
    return timedelta(days=days)


def expected_hours(plan: Plan, today: date) -> float:
    """Hours the plan should have by `today` if work were spread evenly from start to target."""
    span = max((plan.target_date - plan.started_on).days, 1)
    done = min(max((today - plan.started_on).days, 0), span)
    return plan.hours_total * done / span


def streak(days: Sequence[date], today: date) -> int:
    """Consecutive days with progress ending today or yesterday."""
    unique = sorted(set(days), reverse=True)
    if not unique or (today - unique[0]).days > 1:
        return 0
    n, prev = 1, unique[0]
    for d in unique[1:]:
        if (prev - d).days == 1:
            n, prev = n + 1, d
        else:
            break
    return n


def _fmt_hours(h: float) -> str:
    if h < 1:
        return f"{max(5, round(h * 60 / 5) * 5)} minutes"
    return f"{h:.1f} h".replace(".0 h", " h")


def choose(plans: Sequence[Plan], history: Sequence[Sent], today: date) -> Decision | None:
    """What is most worth saying today, or None if nothing is."""
    last = history[-1].at.date() if history else None
    for p in plans:
        fresh = p.status == "Completed" and p.completed_on and (last is None or p.completed_on >= last)
        if fresh and not any(h.kind == Kind.COMPLETED and h.enrollment_id == p.enrollment_id for h in history):
            done: Facts = (("title", p.title), ("next", p.next_step or "picking your next credential with /recommend"))
            return Decision(True, None, Kind.COMPLETED, p.enrollment_id, done, "completed")
    active = [p for p in plans if p.active]
    if not active:
        return None
    # the most urgent active plan: nearest target date
    p = min(active, key=lambda x: x.target_date)
    left = max(p.hours_total - p.hours_logged, 0.0)
    days_left = (p.target_date - today).days
    behind = expected_hours(p, today) - p.hours_logged
    per_day = left / max(days_left, 1)
    base: Facts = (("title", p.title), ("target", f"{p.target_date:%-d %B}"), ("left", _fmt_hours(left)))
    if 0 <= days_left <= DEADLINE_DAYS and left > 0:
        facts: Facts = (*base, ("days", str(days_left)), ("per_day", _fmt_hours(per_day)))
        return Decision(True, None, Kind.DEADLINE, p.enrollment_id, facts, "deadline close")
    if behind >= 1.0 and days_left > 0:
        facts = (*base, ("behind", _fmt_hours(behind)), ("per_day", _fmt_hours(per_day)))
        return Decision(True, None, Kind.BEHIND, p.enrollment_id, facts, "behind plan")
    share = p.hours_logged / p.hours_total if p.hours_total else 0.0
    reached = max((m for m in (0.25, 0.5, 0.75) if share >= m), default=0.0)
    if reached and not any(
        h.kind == Kind.MILESTONE and h.enrollment_id == p.enrollment_id and h.tag == str(reached) for h in history
    ):
        facts = (*base, ("percent", f"{reached:.0%}"), ("milestone", str(reached)))
        return Decision(True, None, Kind.MILESTONE, p.enrollment_id, facts, "milestone")
    run = streak(p.progress_days, today)
    if run >= 3 and not (history and history[-1].kind == Kind.STREAK):
        return Decision(True, None, Kind.STREAK, p.enrollment_id, (*base, ("streak", str(run))), "streak")
    last_progress = max(p.progress_days) if p.progress_days else p.started_on
    if (today - last_progress).days >= SILENCE_DAYS:
        facts = (*base, ("silent_days", str((today - last_progress).days)), ("per_day", _fmt_hours(per_day)))
        return Decision(True, None, Kind.REENGAGE, p.enrollment_id, facts, "silence")
    logged = _fmt_hours(p.hours_logged) if p.hours_logged > 0 else "nothing"  # never "5 minutes" for zero
    facts = (*base, ("per_day", _fmt_hours(per_day)), ("logged", logged))
    return Decision(True, None, Kind.CHECK_IN, p.enrollment_id, facts, "check-in")


def decide(settings: Settings, plans: Sequence[Plan], history: Sequence[Sent], now: datetime) -> Decision:
    """Whether to nudge at `now`, what, and when to look again."""
    if settings.blocked:
        return Decision(False, None, why="blocked: never message until they come back")
    if settings.paused or settings.cadence == "off":
        return Decision(False, None, why="reminders paused or off")
    if not any(p.active for p in plans) and not any(p.status == "Completed" for p in plans):
        return Decision(False, None, why="nothing active")
    if ignored_in_a_row(history) > MAX_IGNORED:
        return Decision(False, None, why="asked whether to stop; silent until they come back")
    if settings.snooze_until is not None and now < settings.snooze_until:
        return Decision(False, leave_quiet_hours(settings.snooze_until, settings), why="snoozed")
    step = interval(settings, history)
    assert step is not None
    if history:
        earliest = history[-1].at + step
        if now < earliest:
            return Decision(False, leave_quiet_hours(earliest, settings), why="too soon for the cadence")
    if in_quiet_hours(now, settings):
        return Decision(False, leave_quiet_hours(now, settings), why="quiet hours")
    local_today = now.astimezone(zone(settings.timezone)).date()
    if ignored_in_a_row(history) == MAX_IGNORED:
        return Decision(True, None, Kind.STOP_ASK, None, (), "ignored several in a row")
    choice = choose(plans, history, local_today)
    if choice is None:
        return Decision(False, None, why="nothing worth saying")
    upcoming = now + (interval(settings, [*history, Sent(now, choice.kind or Kind.CHECK_IN, "", None, False)]) or step)
    still_active = any(p.active for p in plans)
    return Decision(
        True,
        leave_quiet_hours(upcoming, settings) if still_active else None,
        choice.kind,
        choice.enrollment_id,
        choice.facts,
        choice.why,
    )


def first_check(settings: Settings, now: datetime) -> datetime:
    """When to look first after an enrollment: one cadence step later, outside quiet hours."""
    days = CADENCE_DAYS.get(settings.cadence, 2.5)
    return leave_quiet_hours(now + timedelta(days=math.ceil(days)), settings)
