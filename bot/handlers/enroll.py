"""Enrolling in a pick: the finish date, tapped (enr:d:...) or typed, and the enrollment it creates or moves."""

from __future__ import annotations

import math
from datetime import date, timedelta

from telegram import Update

from bot import render
from bot.callbacks import parse
from bot.enrolling import Result, enroll_by
from bot.handlers.common import Context, person, reply, services
from bot.handlers.pending import router
from recommender.parsing import ParseError, parse_duration
from store.models import EnrollmentStatus, User


@router.on("enroll")
async def on_enroll_text(update: Update, context: Context, user: User, text: str) -> None:
    """A typed finish date for the pick a card's Enroll (or /progress's new date) asked about."""
    s = services(context)
    try:
        d = parse_duration(text, s.today())
    except ParseError as err:
        await reply(update, context, f"{render.e(str(err))} Or type <i>cancel</i>.")
        return
    target = d.deadline or (s.today() + timedelta(days=math.ceil((d.weeks or 1) * 7)))
    await enroll(update, context, user.pending["credential_id"], target)


async def enroll(update: Update, context: Context, credential_id: str, target: date) -> None:
    """Enroll by `target`, or move the target of an active enrollment; the date question is then answered."""
    s = services(context)
    user = person(update, context)
    outcome = enroll_by(s, user.id, credential_id, target)
    if outcome.result == Result.GONE:
        s.store.set_pending(user.id, None)
        await reply(update, context, "That credential is no longer in the catalog, sorry. /recommend for fresh picks.")
        return
    if outcome.result == Result.PAST:
        await reply(update, context, "That date has passed. Which later date should I plan for?")
        return
    s.store.set_pending(user.id, None)
    credential, e = outcome.credential, outcome.enrollment
    assert credential is not None and e is not None
    if outcome.result == Result.MOVED:
        await reply(
            update,
            context,
            f"You're already enrolled in <b>{render.e(credential.title)}</b>: target moved to {target:%-d %B %Y} "
            f"({e.hours_logged:g} of {e.hours_total:g} h logged so far).",
        )
        return
    await reply(
        update,
        context,
        f"✅ Enrolled in <b>{render.e(credential.title)}</b> (status: {EnrollmentStatus(e.status).value}).\n"
        f"Target: {target:%-d %B %Y}, about {outcome.pace:.1f} h/week. Log progress any time with /progress; "
        "I'll check in now and then (change that in /settings).",
    )


async def on_enroll_date(update: Update, context: Context) -> None:
    """enr:d:<ref>:<iso date> — a suggested finish date was tapped."""
    query = update.callback_query
    assert query is not None
    cb = parse(query.data)
    s = services(context)
    credential = s.credential_by_ref(cb.args[0]) if cb and len(cb.args) == 2 else None
    try:
        target = date.fromisoformat(cb.args[1]) if cb and len(cb.args) == 2 else None
    except ValueError:
        target = None
    if credential is None or target is None:
        await query.answer("That button is out of date.", show_alert=True)
        return
    await query.answer()
    await enroll(update, context, credential.id, target)
