"""Before any handler: drop a redelivered update, slow down one person flooding the bot, and answer edits."""

from __future__ import annotations

import logging
import time

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.flood import FloodGate
from bot.handlers.common import Context, services
from store.seen import first_sight

log = logging.getLogger("credbot.bot")
SLOW_DOWN = "That's a lot of messages at once. I'll read the next ones in a moment; no need to resend."
EDITED = "I saw you edited a message. I only read new ones, so please send the corrected answer again."


async def guard(update: object, context: Context) -> None:
    if not isinstance(update, Update) or update.effective_user is None:
        return
    user_id = update.effective_user.id
    gate: FloodGate = context.application.bot_data.setdefault("flood", FloodGate())
    allowed, notice = gate.verdict(update.update_id, user_id, time.monotonic())
    if not allowed:
        if notice and update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, SLOW_DOWN)
        if update.callback_query is not None:
            await update.callback_query.answer()
        raise ApplicationHandlerStop
    edit = update.edited_message
    if edit is not None and edit.chat.type == ChatType.PRIVATE:
        # read again, an edit of an earlier answer (or an old /forget) would act on whatever is being asked now
        await context.bot.send_message(edit.chat_id, EDITED)
        raise ApplicationHandlerStop
    if not first_sight(services(context).db, update.update_id, services(context).now()):
        log.info("update %s for user %s was handled before; skipped", update.update_id, user_id)
        raise ApplicationHandlerStop
