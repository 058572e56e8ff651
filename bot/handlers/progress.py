"""/progress: enrollments with buttons to log hours, mark a module done, complete, pause, withdraw or resume."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.error import BadRequest

from bot import keyboards, render
from bot.callbacks import parse, row_id
from bot.handlers.common import Context, person, reply, services
from bot.handlers.pending import router
from bot.nudges.chart import CHART_CAPTION, progress_png, series_for
from bot.nudges.scheduler import ensure_scheduled
from recommender.parsing import ParseError, parse_hours_per_week
from store.models import Enrollment, EnrollmentStatus, User


async def progress_command(update: Update, context: Context) -> None:
    s = services(context)
    user = person(update, context)
    items = s.store.enrollments(user.id)
    if not items:
        await reply(
            update, context, "You're not enrolled in anything yet. /recommend shows picks with an Enroll button."
        )
        return
    await reply(update, context, f"<b>Your progress</b> ({len(items)} enrollment{'s' if len(items) != 1 else ''}):")
    for e in items:
        line = render.enrollment_line(e, s.credential(e.credential_id), s.today())
        await reply(update, context, line, keyboards.progress(e))
    active = [e for e in items if e.status != EnrollmentStatus.WITHDREW]
    if active:
        await send_chart(update, context, active)


async def send_chart(update: Update, context: Context, enrollments: list[Enrollment]) -> None:
    s = services(context)
    png = await asyncio.to_thread(progress_png, series_for(s, enrollments), s.today())
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_photo(chat.id, photo=png, filename="progress.png", caption=CHART_CAPTION)


async def ask_hours(update: Update, context: Context, enrollment_id: int) -> None:
    """The next message the person types is read as hours for this enrollment (see on_hours_text)."""
    services(context).store.set_pending(
        person(update, context).id, {"kind": "log_hours", "enrollment_id": enrollment_id}
    )
    await reply(update, context, "How many hours did you put in? (e.g. <i>1.5</i> or <i>45 min</i>)")


@router.on("log_hours")
async def on_hours_text(update: Update, context: Context, user: User, text: str) -> None:
    """Typed hours for the enrollment ask_hours asked about."""
    try:
        hours = parse_hours_per_week(text)  # same reading of "2", "1.5 h", "90 min"
    except ParseError:
        await reply(update, context, "How many hours? For example <i>1.5</i> or <i>45 min</i>.")
        return
    services(context).store.set_pending(user.id, None)
    await log_hours(update, context, int(user.pending["enrollment_id"]), hours)


async def log_hours(update: Update, context: Context, enrollment_id: int, hours: float) -> None:
    s = services(context)
    user = person(update, context)
    try:
        e = s.store.log_progress(user.id, enrollment_id, s.now(), hours=hours)
    except KeyError:
        await reply(update, context, "I can't find that enrollment any more. /progress shows what you have.")
        return
    await reply(
        update,
        context,
        f"Logged {hours:g} h. " + render.enrollment_line(e, s.credential(e.credential_id), s.today()),
        keyboards.progress(e),
    )


async def on_progress_button(update: Update, context: Context) -> None:
    """prog:<action>:<enrollment id>[:hours]; only the person's own enrollments can be touched."""
    query = update.callback_query
    assert query is not None
    cb = parse(query.data)
    s = services(context)
    user = person(update, context)
    enrollment_id = row_id(cb.args[0]) if cb is not None and cb.args else None
    if cb is None or enrollment_id is None or cb.action not in set("hlmcpwrd"):
        await query.answer("That button is out of date. /progress shows fresh ones.", show_alert=True)
        return
    enrollment = s.store.get_enrollment(user.id, enrollment_id)
    if enrollment is None:
        await query.answer("That enrollment is gone. /progress shows what you have.", show_alert=True)
        return
    now = s.now()
    note = ""
    if cb.action == "h":
        hours = float(cb.args[1]) if len(cb.args) == 2 and cb.args[1].isdigit() else 0.0
        if not 0 < hours <= 12:
            await query.answer("That button is out of date.", show_alert=True)
            return
        enrollment = s.store.log_progress(user.id, enrollment.id, now, hours=hours)
        note = f"Logged {hours:g} h. Nice!"
    elif cb.action == "l":
        await query.answer()
        await ask_hours(update, context, enrollment.id)
        return
    elif cb.action == "d":
        await query.answer()
        s.store.set_pending(user.id, {"kind": "enroll", "credential_id": enrollment.credential_id})
        await reply(
            update,
            context,
            f"Now due {enrollment.target_date:%-d %B %Y}. Which new date? For example <i>by 15 March</i> or "
            "<i>in 6 weeks</i> (or <i>cancel</i>).",
        )
        return
    elif cb.action == "m":
        enrollment = s.store.log_progress(user.id, enrollment.id, now, module=True)
        note = "Module done. One step closer!"
    elif cb.action == "c":
        enrollment = s.store.set_status(user.id, enrollment.id, EnrollmentStatus.COMPLETED, now)
        s.store.add_feedback(user.id, enrollment.credential_id, "completed", now)
        note = "🎉 Completed! Congratulations. /recommend suggests what could come next."
    elif cb.action == "p":
        enrollment = s.store.set_status(user.id, enrollment.id, EnrollmentStatus.ON_HOLD, now)
        note = "Paused. No reminders for this one until you resume."
    elif cb.action == "w":
        enrollment = s.store.set_status(user.id, enrollment.id, EnrollmentStatus.WITHDREW, now)
        note = "Withdrawn. That's fine: it wasn't the right fit right now."
    elif cb.action == "r":
        status = EnrollmentStatus.IN_PROGRESS if enrollment.hours_logged > 0 else EnrollmentStatus.ENROLLED
        enrollment = s.store.set_status(user.id, enrollment.id, status, now)
        note = "Welcome back! Resumed."
        ensure_scheduled(s, user.id, now)
    await query.answer(note[:190])
    text = render.enrollment_line(enrollment, s.credential(enrollment.credential_id), s.today())
    try:
        await query.edit_message_text(text, reply_markup=keyboards.progress(enrollment))
    except BadRequest as err:  # message too old to edit, or unchanged: say it in a new message instead
        if "not modified" not in str(err).lower():
            await reply(update, context, text, keyboards.progress(enrollment))
    if cb.action == "c":
        await reply(update, context, render.e(note))
