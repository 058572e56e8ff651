"""Reading a person's nudge-relevant state from the store into the policy's plain data."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.nudges.policy import Kind, Plan, Sent, Settings, zone
from bot.services import Services
from store.models import EnrollmentStatus, User
from store.nudges import NudgeStore


def _time(text: str, default: time) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        return default


def settings_of(user: User) -> Settings:
    snooze = None
    if user.snooze_until:
        try:
            snooze = datetime.fromisoformat(user.snooze_until)
            if snooze.tzinfo is None:
                snooze = snooze.replace(tzinfo=ZoneInfo("UTC"))
        except ValueError:
            snooze = None
    return Settings(
        timezone=user.timezone,
        cadence=user.cadence,
        quiet_start=_time(user.quiet_start, time(21, 0)),
        quiet_end=_time(user.quiet_end, time(8, 0)),
        paused=user.paused,
        snooze_until=snooze,
        blocked=user.blocked,
    )


def plans_of(services: Services, user: User) -> list[Plan]:
    tz = zone(user.timezone)
    plans = []
    enrollments = services.store.enrollments(user.id)
    taken = {e.credential_id for e in enrollments}
    upcoming = [cid for cid in services.store.last_batch(user.id) if cid not in taken]
    nxt = services.credential(upcoming[0]) if upcoming else None
    for e in enrollments:
        credential = services.credential(e.credential_id)
        log = services.store.progress(user.id, e.id)
        days = tuple(
            sorted({datetime.fromisoformat(x.at).astimezone(tz).date() for x in log if x.kind in ("hours", "module")})
        )
        completed_on: date | None = None
        if e.status == EnrollmentStatus.COMPLETED:
            done = [x for x in log if x.kind == "status" and x.note == EnrollmentStatus.COMPLETED.value]
            completed_on = datetime.fromisoformat(done[-1].at).astimezone(tz).date() if done else None
        plans.append(
            Plan(
                enrollment_id=e.id,
                title=credential.title if credential else e.credential_id,
                hours_total=e.hours_total,
                hours_logged=e.hours_logged,
                started_on=e.started_on,
                target_date=e.target_date,
                status=e.status.value,
                progress_days=days,
                completed_on=completed_on,
                next_step=nxt.title if nxt else "",
            )
        )
    return plans


def history_of(nudges: NudgeStore, user_id: int) -> list[Sent]:
    return [
        Sent(r.sent_at, Kind(r.kind), r.template, r.enrollment_id, r.reacted, r.tag)
        for r in nudges.sent_history(user_id)
        if r.kind in {k.value for k in Kind}
    ]
