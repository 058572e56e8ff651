"""Admin commands, for the Telegram ids in CREDBOT_ADMIN_IDS only: /stats and /broadcast (preview, then Send).

Everyone else is not answered here at all: their /stats or /broadcast falls through to the normal unknown-command
answer, so the commands are not even revealed. Broadcasts go into the SQLite outbox (store/outbox.py) and are sent
by bot/broadcast.py from a repeating job, through the same rate limiter as everything else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, ApplicationHandlerStop, CallbackContext, CallbackQueryHandler, CommandHandler
from telegram.ext import filters as f

from bot.broadcast import message_text, run_outbox
from bot.callbacks import parse
from bot.config import Settings
from bot.handlers import account
from bot.handlers.common import Context, reply, services
from bot.keyboards import button
from store.outbox import OutboxStore, stats

log = logging.getLogger("credbot.admin")

PATTERN_ADMIN = r"^adm:"
# A group of their own, before all others (groups -3..-1 each hold a TypeHandler that takes every update, and
# group 0 ends in the catch-all unknown-command handler); each admin handler stops the update there.
GROUP = -10
MAX_TEXT = 4000  # leaves room for the preview's heading under Telegram's 4,096 characters
OUTBOX_JOB = "outbox"


def is_admin(update: Update, context: Context) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.application.bot_data.get("admin_ids", frozenset())


async def stats_command(update: Update, context: Context) -> None:
    s = services(context)
    counts = stats(s.db, s.now())
    nudges = counts.nudges
    lines = [
        "<b>credbot in numbers</b>",
        f"People: {counts.people} ({counts.active_7d} active in the last 7 days)",
        f"Enrollments: {_listing(counts.enrollments)}",
        f"Reminders: {nudges.get('sent', 0)} sent, {nudges.get('failed', 0)} failed, "
        f"{nudges.get('pending', 0)} pending",
        f"Broadcast messages: {_listing(counts.outbox)}",
        f"Catalog: {s.catalog.count():,} credentials",
    ]
    await reply(update, context, "\n".join(lines))
    raise ApplicationHandlerStop


def _listing(by_status: dict[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in sorted(by_status.items())) or "none yet"


def broadcast_keyboard(broadcast_id: int, recipients: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[button(f"Send to {recipients}", "adm", "send", broadcast_id), button("Cancel", "adm", "no", broadcast_id)]]
    )


async def broadcast_command(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None
    parts = (message.text or "").split(maxsplit=1)
    text = parts[1].strip() if len(parts) == 2 else ""
    if not text:
        await reply(
            update, context, "Write the message after the command, e.g. <code>/broadcast New courses are in!</code>"
        )
        raise ApplicationHandlerStop
    if len(text) > MAX_TEXT:
        await reply(update, context, f"That's {len(text):,} characters; please keep a broadcast under {MAX_TEXT:,}.")
        raise ApplicationHandlerStop
    s = services(context)
    outbox = OutboxStore(s.db)
    broadcast_id = outbox.draft(text, s.now())
    count = len(outbox.recipient_ids())
    await reply(
        update,
        context,
        f"📣 <b>Preview</b>: this goes to {count} {'person' if count == 1 else 'people'}.\n\n{message_text(text)}",
        broadcast_keyboard(broadcast_id, count),
    )
    raise ApplicationHandlerStop


async def on_admin_button(update: Update, context: Context) -> None:
    """adm:send:<id> queues the draft (once, however often it is tapped); adm:no:<id> drops it."""
    query = update.callback_query
    assert query is not None
    if not is_admin(update, context):  # forged or forwarded: the same answer as any stale button
        await account.stray_button(update, context)
        raise ApplicationHandlerStop
    cb = parse(query.data)
    ok = cb is not None and len(cb.args) == 1 and cb.args[0].isdigit() and len(cb.args[0]) <= 12  # fits SQLite
    broadcast_id = int(cb.args[0]) if cb is not None and ok else None
    if cb is None or cb.action not in {"send", "no"} or broadcast_id is None:
        await query.answer("That button is out of date.", show_alert=True)
        raise ApplicationHandlerStop
    s = services(context)
    outbox = OutboxStore(s.db)
    if cb.action == "no":
        if outbox.cancel(broadcast_id):
            await query.answer()
            await query.edit_message_text("Cancelled: nothing was sent.")
        else:
            await query.answer("Too late to cancel: that one was already sent or dropped.", show_alert=True)
        raise ApplicationHandlerStop
    queued = outbox.queue(broadcast_id, s.now())
    if queued is None:
        await query.answer("Already done: that broadcast was sent or cancelled before.", show_alert=True)
        raise ApplicationHandlerStop
    await query.answer("Queued.")
    await query.edit_message_text(
        f"📣 Queued for {queued} {'person' if queued == 1 else 'people'}; "
        "it goes out over the next minutes. /stats shows how far it got."
    )
    raise ApplicationHandlerStop


async def outbox_tick(context: CallbackContext[Any, Any, Any, Any]) -> None:
    s = context.application.bot_data["services"]
    report = await run_outbox(context.bot, s, s.now())
    if report.claimed:
        log.info(
            "outbox: %s claimed, %s sent, %s retried, %s failed (%s blocked), %s skipped",
            report.claimed, report.sent, report.retried, report.failed, report.blocked, report.skipped,
        )  # fmt: skip


def register_admin(
    application: Application,  # type: ignore[type-arg]
    admin_ids: Iterable[int] | None = None,
    *,
    every: float | None = 30.0,
) -> None:
    """Add the admin commands and the outbox job. `admin_ids` defaults to CREDBOT_ADMIN_IDS (bot/config.py).

    Calling it again only replaces the admin ids (and adds the job if it is still missing), so a test can set its
    own admins on an Application that build_application already registered."""
    ids = frozenset(Settings.from_env().admin_ids if admin_ids is None else admin_ids)
    application.bot_data["admin_ids"] = ids
    admins: f.User | None = application.bot_data.get("admin_filter")
    if admins is not None:
        admins.user_ids = ids
    else:
        admins = f.User(user_id=ids, allow_empty=False)
        application.bot_data["admin_filter"] = admins
        private = f.ChatType.PRIVATE
        application.add_handlers(
            [
                CommandHandler("stats", stats_command, filters=admins & private),
                CommandHandler("broadcast", broadcast_command, filters=admins & private),
                CallbackQueryHandler(on_admin_button, pattern=PATTERN_ADMIN),
            ],
            group=GROUP,
        )
    jobs = application.job_queue
    if every and jobs is not None and not jobs.get_jobs_by_name(OUTBOX_JOB):
        # like the nudges: the JobQueue only ticks, what is due lives in SQLite
        jobs.run_repeating(outbox_tick, interval=every, first=every, name=OUTBOX_JOB)
