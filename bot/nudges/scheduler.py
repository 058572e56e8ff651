"""Carrying out the policy: claim due rows, decide, send with buttons, record, reschedule.

Runs from one repeating JobQueue job (the JobQueue only ticks; the schedule itself is in SQLite), from
`credbot nudges run-once`, and from the sandbox's `/wait`.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.keyboards import button
from bot.nudges.chart import CHART_CAPTION, progress_png, series_for
from bot.nudges.policy import Decision, Kind, decide, first_check
from bot.nudges.retry import gives_up, retry_delay
from bot.nudges.state import history_of, plans_of, settings_of
from bot.nudges.templates import pick_template, render
from bot.ratelimit import RATE, turn_then_mark
from bot.services import Services
from store.models import EnrollmentStatus
from store.nudges import DueRow, NudgeStore

log = logging.getLogger("credbot.nudges")


@dataclass
class RunReport:
    claimed: int = 0
    sent: int = 0
    skipped: int = 0
    blocked: int = 0
    retried: int = 0
    failed: int = 0  # given up: tries ran out, or Telegram refused the message itself
    messages: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Planned:
    user_id: int
    chat_id: int
    decision: Decision
    template: str
    text: str


def nudge_keyboard(enrollment_id: int | None) -> InlineKeyboardMarkup:
    first = [button("Log progress", "ndg", "log", enrollment_id)] if enrollment_id else []
    return InlineKeyboardMarkup(
        [
            [*first, button("Snooze 1 day", "ndg", "s", 1), button("Snooze 1 week", "ndg", "s", 7)],
            [button("Change reminders", "ndg", "set"), button("Stop reminders", "ndg", "stop")],
        ]
    )


def plan_for(services: Services, nudges: NudgeStore, user_id: int, now: datetime) -> Planned | None:
    """The decision and wording for one person at `now`, without side effects (also used by preview)."""
    user = services.store.get_user(user_id)
    if user is None:
        return None
    history = history_of(nudges, user_id)
    decision = decide(settings_of(user), plans_of(services, user), history, now)
    if not decision.send or decision.kind is None:
        return Planned(user_id, user.chat_id, decision, "", "")
    recent = [h.template for h in history if h.kind == decision.kind]
    seed = hashlib.sha1(f"{user_id}:{now.date()}".encode()).hexdigest()
    template, _ = pick_template(decision.kind, recent, seed)
    text = render(decision.kind, template, dict(decision.facts))
    return Planned(user_id, user.chat_id, decision, template, text)


def ensure_scheduled(services: Services, user_id: int, now: datetime) -> None:
    """After enrolling, resuming or changing settings: make sure a check is on the calendar."""
    nudges = NudgeStore(services.db)
    user = services.store.get_user(user_id)
    if user is None or user.blocked or user.paused or user.cadence == "off":
        nudges.unschedule(user_id)
        return
    if not services.store.enrollments(user_id, active_only=True):
        return
    current = nudges.pending_due(user_id)
    due = first_check(settings_of(user), now)
    if current is None or current > due:
        nudges.schedule(user_id, due)


async def run_due(
    bot: Bot,
    services: Services,
    now: datetime,
    *,
    after_claim: Callable[[list[DueRow]], Awaitable[None]] | None = None,
) -> RunReport:
    """Claim what is due, decide per person, send, record, reschedule. `after_claim` is a test seam
    (the restart test kills the process there, between the claim and the send)."""
    nudges = NudgeStore(services.db)
    report = RunReport()
    # no more than can go out well within the lease, or the rest would pass to another sender while waiting here
    limit = max(1, min(500, int(services.claim_lease.total_seconds() * RATE / 4)))
    claimed = nudges.claim_due(now, lease=services.claim_lease, limit=limit)
    if after_claim is not None:
        await after_claim(claimed)
    for row in claimed:
        report.claimed += 1
        planned = plan_for(services, nudges, row.user_id, now)
        if planned is None:
            nudges.finish(row.id, "skipped", "user gone")
            report.skipped += 1
            continue
        decision = planned.decision
        if not decision.send:
            nudges.finish(row.id, "skipped", decision.why)
            report.skipped += 1
            if decision.next_check is not None:
                nudges.schedule(row.user_id, decision.next_check)
            continue
        # queue first, so "sending" lasts only the request itself; False: our lease ran out, another sender has it
        if not await turn_then_mark(bot, planned.chat_id, partial(nudges.mark_sending, row.id, row.claim_token)):
            continue
        try:
            message = await bot.send_message(
                planned.chat_id,
                planned.text,
                reply_markup=nudge_keyboard(decision.enrollment_id)
                if decision.kind != Kind.STOP_ASK
                else InlineKeyboardMarkup(
                    [[button("Stop reminders", "ndg", "stop"), button("Keep them", "ndg", "keep")]]
                ),
            )
        except Forbidden as err:
            nudges.finish(row.id, "failed", f"blocked: {err}")
            services.store.update_settings(row.user_id, blocked=1)
            nudges.unschedule(row.user_id)
            report.blocked += 1
            continue
        except RetryAfter as err:
            wait = err.retry_after if isinstance(err.retry_after, int | float) else err.retry_after.total_seconds()
            _retry_later(nudges, row, now, report, f"429: {err}", retry_after=float(wait))
            continue
        except BadRequest as err:
            log.error("nudge rejected for user %s: %s", row.user_id, err)
            nudges.finish(row.id, "failed", str(err), attempts=row.attempts + 1)
            report.failed += 1
            continue
        except (TimedOut, NetworkError) as err:  # timeouts, dropped connections, 5xx: the send may work later
            _retry_later(nudges, row, now, report, f"transient: {err}")
            continue
        assert decision.kind is not None
        tag = dict(decision.facts).get("milestone", "")
        nudges.mark_sent(
            row.id, now, kind=decision.kind.value, template=planned.template, tag=tag,
            enrollment_id=decision.enrollment_id, text=planned.text, message_id=message.message_id,
        )  # fmt: skip
        report.sent += 1
        report.messages.append((row.user_id, planned.text))
        await _weekly_chart(bot, services, row.user_id, planned.chat_id)
        if decision.next_check is not None:
            nudges.schedule(row.user_id, decision.next_check)
    return report


def _retry_later(
    nudges: NudgeStore, row: DueRow, now: datetime, report: RunReport, error: str, retry_after: float | None = None
) -> None:
    """Back to pending after a growing, jittered wait; marked failed (and so visible) once the tries run out."""
    attempts = row.attempts + 1
    if gives_up(attempts):
        log.warning("nudge for user %s given up after %s tries: %s", row.user_id, attempts, error)
        nudges.finish(row.id, "failed", f"gave up after {attempts} tries: {error}", attempts=attempts)
        report.failed += 1
        return
    nudges.release(row.id, now + retry_delay(attempts, row.id, retry_after=retry_after), error, attempts=attempts)
    report.retried += 1


async def _weekly_chart(bot: Bot, services: Services, user_id: int, chat_id: int) -> None:
    """People on a weekly cadence get their progress picture with the nudge (best effort: the nudge counts)."""
    user = services.store.get_user(user_id)
    if user is None or user.cadence != "weekly":
        return
    active = [e for e in services.store.enrollments(user_id) if e.status != EnrollmentStatus.WITHDREW]
    if not active:
        return
    try:
        png = await asyncio.to_thread(progress_png, series_for(services, active), services.today())
        await bot.send_photo(chat_id, photo=png, filename="progress.png", caption=CHART_CAPTION)
    except Exception as err:  # a missing picture must never turn a sent nudge into a failed one
        log.warning("weekly chart for user %s not sent: %s", user_id, err)


def preview(services: Services, at: datetime) -> list[Planned]:
    """What would be sent at `at` from the current DB: due rows only, nothing written."""
    nudges = NudgeStore(services.db)
    rows = services.db.query(
        "select user_id, min(due_at) as due_at from nudges where status in ('pending', 'claimed') "
        "group by user_id order by user_id"
    )
    out = []
    for r in rows:
        if datetime.fromisoformat(r["due_at"]) <= at:
            planned = plan_for(services, nudges, r["user_id"], at)
            if planned is not None:
                out.append(planned)
    return out
