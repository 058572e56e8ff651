"""/help, /export, /forget, /settings, unknown commands, non-text messages and group chats."""

from __future__ import annotations

import contextlib
import io
import json

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, ConversationHandler

from bot import keyboards, render
from bot.callbacks import parse
from bot.handlers.common import Context, person, reply, services
from bot.handlers.pending import router
from bot.keyboards import button
from bot.nudges.scheduler import ensure_scheduled
from bot.timezones import parse_timezone, zone_label
from store.models import User

COMMANDS = (
    ("start", "Begin: a few questions, then picks"),
    ("recommend", "Show picks for your answers"),
    ("path", "Your dated learning path"),
    ("progress", "Log progress on what you enrolled in"),
    ("settings", "Time zone, reminders, quiet hours"),
    ("export", "Download all your data"),
    ("forget", "Delete everything about you"),
    ("help", "What I can do"),
    ("cancel", "Stop the current question"),
)
CADENCES = (("Daily", "daily"), ("Every 2-3 days", "every-2-days"), ("Weekly", "weekly"), ("Off", "off"))
QUIET = (("21:00-08:00", "2100", "0800"), ("22:00-07:00", "2200", "0700"), ("23:00-09:00", "2300", "0900"))


async def help_command(update: Update, context: Context) -> None:
    lines = ["<b>What I can do</b>"] + [f"/{name} — {text}" for name, text in COMMANDS]
    lines.append("\nAfter your picks, type <i>cheaper</i>, <i>shorter</i> or <i>something in Python</i> to refine.")
    await reply(update, context, "\n".join(lines))


async def export_command(update: Update, context: Context) -> None:
    s = services(context)
    user = person(update, context)
    data = json.dumps(s.store.export(user.id), indent=2, ensure_ascii=False, default=str).encode("utf-8")
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        document=io.BytesIO(data),
        filename=f"credbot-data-{user.id}.json",
        caption="Everything I store about you, as JSON.",
    )


async def forget_command(update: Update, context: Context) -> None:
    await reply(
        update,
        context,
        "This deletes your answers, picks, ratings, enrollments, progress and reminders. It can't be undone. Sure?",
        keyboards.forget_confirm(),
    )


async def on_forget_button(update: Update, context: Context) -> int | None:
    query = update.callback_query
    assert query is not None
    cb = parse(query.data)
    await query.answer()
    if cb is None or cb.action not in {"yes", "no"}:
        return None
    if cb.action == "no":
        await query.edit_message_text("Kept everything. 👍")
        return None
    user = person(update, context)
    services(context).store.forget(user.id)
    await query.edit_message_text("Done: everything about you is deleted. /start if you ever want to begin again.")
    return ConversationHandler.END


def settings_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [button(label, "set", "cad", value) for label, value in CADENCES],
            [button(f"Quiet {label}", "set", "q", a, b) for label, a, b in QUIET],
            [button("🌍 Set time zone", "set", "tz")],
        ]
    )


def settings_text(user_timezone: str, cadence: str, quiet_start: str, quiet_end: str) -> str:
    label = dict((v, k) for k, v in CADENCES).get(cadence, cadence)
    return (
        "<b>Settings</b>\n"
        f"Time zone: {zone_label(user_timezone)}\nReminders: {label}\n"
        f"Quiet hours: {quiet_start}-{quiet_end} (no messages then)"
    )


async def settings_command(update: Update, context: Context) -> None:
    user = person(update, context)
    await reply(
        update,
        context,
        settings_text(user.timezone, user.cadence, user.quiet_start, user.quiet_end),
        settings_keyboard(),
    )


async def on_settings_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    cb = parse(query.data)
    s = services(context)
    user = person(update, context)
    if cb is None:
        await query.answer("That button is out of date.", show_alert=True)
        return
    if cb.action == "cad" and cb.args and cb.args[0] in {v for _, v in CADENCES}:
        s.store.update_settings(user.id, cadence=cb.args[0], paused=0)
        ensure_scheduled(s, user.id, s.now())
        await query.answer("Reminders updated.")
    elif cb.action == "q" and len(cb.args) == 2 and (cb.args[0], cb.args[1]) in {(a, b) for _, a, b in QUIET}:
        start, end = (f"{v[:2]}:{v[2:]}" for v in cb.args)
        s.store.update_settings(user.id, quiet_start=start, quiet_end=end)
        await query.answer("Quiet hours updated.")
    elif cb.action == "tz":
        s.store.set_pending(user.id, {"kind": "timezone"})
        await query.answer()
        await reply(
            update,
            context,
            "Where are you? Type a city (<i>Berlin</i>), a zone (<i>Asia/Tokyo</i>) or an offset (<i>UTC-5</i>).",
        )
        return
    else:
        await query.answer("That button is out of date.", show_alert=True)
        return
    user = person(update, context)
    with contextlib.suppress(BadRequest):  # unchanged text: nothing to redraw
        await query.edit_message_text(
            settings_text(user.timezone, user.cadence, user.quiet_start, user.quiet_end),
            reply_markup=settings_keyboard(),
        )


@router.on("timezone")
async def on_timezone_text(update: Update, context: Context, user: User, text: str) -> None:
    """A typed place for the time zone the settings' button asked about."""
    s = services(context)
    zone = parse_timezone(text)
    if zone is None:
        await reply(
            update,
            context,
            "I don't know that place. Try a city like <i>Berlin</i> or <i>New York</i>, a zone like "
            "<i>Europe/Lisbon</i>, or an offset like <i>UTC+2</i>.",
        )
        return
    s.store.update_settings(user.id, timezone=zone)
    s.store.set_pending(user.id, None)
    await reply(update, context, f"Time zone set to <b>{render.e(zone_label(zone))}</b>.")


async def unknown_command(update: Update, context: Context) -> None:
    text = (update.effective_message.text or "") if update.effective_message else ""
    name = text.split()[0] if text else "that"
    await reply(update, context, f"I don't know {render.e(name[:40])}. /help lists what I can do.")


async def not_text(update: Update, context: Context) -> None:
    await reply(update, context, "I can only read text messages. Type your answer, or /help to see what I can do.")


async def stray_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is not None:
        await query.answer("That button is out of date. /help lists what I can do.", show_alert=True)


async def group_guard(update: Update, context: Context) -> None:
    """Private chats only: say so once per update and stop all other handlers. In a private chat, a button from
    someone the store does not know (an old message from before /forget) changes nothing: see forgotten_guard."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        await forgotten_guard(update, context)
        return
    if update.callback_query is not None:
        await update.callback_query.answer("I only work in private chats.")
    elif update.effective_message is not None:
        await update.effective_message.reply_text(
            "Hi! I only work in private chats, so your goals and progress stay yours. Message me directly to start."
        )
    raise ApplicationHandlerStop


FORGOTTEN = "I hold nothing about you any more, so that button does nothing. Send /start to begin again."


async def forgotten_guard(update: Update, context: Context) -> None:
    """Every button is on a message sent to a known person; if the person is unknown now (they used /forget),
    answer politely and stop, before any handler recreates their row or acts on an old id."""
    query = update.callback_query
    tg = update.effective_user
    if query is None or tg is None or services(context).store.get_user(tg.id) is not None:
        return
    await query.answer(FORGOTTEN, show_alert=True)
    raise ApplicationHandlerStop
