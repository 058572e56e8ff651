"""The one global error handler: log without secrets, tell the person something friendly."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.handlers.common import Context

log = logging.getLogger("credbot.bot")


async def on_error(update: object, context: Context) -> None:
    err = context.error
    if isinstance(err, Forbidden):
        log.info("user blocked the bot: %s", err)
        return
    if isinstance(err, BadRequest) and "not modified" in str(err).lower():
        # a button tapped twice: the message already says what the tap would set; stop the button's spinner
        query = update.callback_query if isinstance(update, Update) else None
        if query is not None:
            try:
                await query.answer()
            except Exception:  # already answered, or the query expired: nothing more to do
                log.debug("callback already answered")
        return
    if isinstance(err, RetryAfter | TimedOut | NetworkError) and not isinstance(err, BadRequest):
        log.warning("telegram transport problem: %s", err)
        return
    log.error("unhandled error while handling an update", exc_info=err)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(
                update.effective_chat.id,
                "Sorry, something went wrong on my side. Nothing you entered is lost; please try again.",
            )
        except Exception:  # the error path must never raise
            log.exception("could not tell the user about the error")
