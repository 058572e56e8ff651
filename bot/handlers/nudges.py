"""Nudge buttons (log progress, snooze, change, stop) and noticing that a person is active again."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType

from bot import render
from bot.callbacks import parse, row_id
from bot.handlers.account import settings_command
from bot.handlers.common import Context, person, reply, services
from bot.handlers.progress import ask_hours
from bot.nudges.policy import zone
from bot.nudges.scheduler import ensure_scheduled
from bot.timezones import zone_label
from store.nudges import NudgeStore


async def note_activity(update: Update, context: Context) -> None:
    """Any message or button from a person counts as a reaction to our last nudge and lifts a 403 block.

    Only what they wrote or tapped counts: Telegram also reports "they blocked the bot" (my_chat_member, kicked)
    from that same person and chat, and that must mark them blocked, not bring them back."""
    chat = update.effective_chat
    if update.effective_user is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    s = services(context)
    existing = s.store.get_user(update.effective_user.id)
    if existing is None:
        return
    member = update.my_chat_member
    if member is not None and member.new_chat_member.status == ChatMemberStatus.BANNED:
        s.store.update_settings(existing.id, blocked=1)  # what the next send's 403 would tell us, learned now
        return
    if update.message is None and update.callback_query is None:
        return
    user = person(update, context)  # also clears `blocked`: they came back
    reacted = NudgeStore(s.db).note_reaction(user.id, s.now())
    if existing.blocked or reacted:  # back after silence or a block: put the next check on the calendar
        ensure_scheduled(s, user.id, s.now())


async def on_nudge_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    cb = parse(query.data)
    s = services(context)
    user = person(update, context)
    now = s.now()
    if cb is None or cb.action not in {"log", "s", "set", "stop", "keep"}:
        await query.answer("That button is out of date.", show_alert=True)
        return
    if cb.action == "log":
        enrollment_id = row_id(cb.args[0]) if cb.args else None
        enrollment = s.store.get_enrollment(user.id, enrollment_id) if enrollment_id is not None else None
        if enrollment is None:
            await query.answer("That enrollment is gone. /progress shows what you have.", show_alert=True)
            return
        await query.answer()
        await ask_hours(update, context, enrollment.id)
    elif cb.action == "s" and cb.args in (("1",), ("7",)):
        days = int(cb.args[0])
        until = now + timedelta(days=days)
        s.store.update_settings(user.id, snooze_until=until.isoformat(timespec="seconds"))
        NudgeStore(s.db).schedule(user.id, until)
        await query.answer(f"Snoozed for {'a day' if days == 1 else 'a week'}.")
        local = until.astimezone(zone(user.timezone))
        label = zone_label(user.timezone)
        await reply(update, context, f"😴 Snoozed until {render.e(f'{local:%-d %b %H:%M} ({label})')}.")
    elif cb.action == "set":
        await query.answer()
        await settings_command(update, context)
    elif cb.action == "stop":
        s.store.update_settings(user.id, cadence="off")
        NudgeStore(s.db).unschedule(user.id)
        await query.answer("Reminders stopped.")
        await reply(update, context, "Okay, no more reminders. Turn them back on any time in /settings.")
    elif cb.action == "keep":
        await query.answer("Great, I'll keep them coming.")
        ensure_scheduled(s, user.id, now)
    else:
        await query.answer("That button is out of date.", show_alert=True)
