"""Small helpers every handler uses: the services, the person, replying safely."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from bot.render import split_text
from bot.services import Services
from store.models import User

Context = ContextTypes.DEFAULT_TYPE


class State(StrEnum):
    ASKING = "asking"
    RESULTS = "results"


def services(context: Context) -> Services:
    return context.application.bot_data["services"]  # type: ignore[no-any-return]


def person(update: Update, context: Context) -> User:
    """The store's record for whoever sent this update (created on first contact)."""
    tg = update.effective_user
    chat = update.effective_chat
    assert tg is not None and chat is not None
    s = services(context)
    return s.store.touch_user(tg.id, chat.id, tg.first_name or "", tg.language_code or "", s.now())


def set_state(context: Context, user_id: int, state: State | None) -> None:
    """Write the conversation state to the store at once, so a crash right after still resumes here."""
    services(context).store.set_step(user_id, state.value if state else "")


async def send(
    context: Context, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None, **kwargs: Any
) -> Message:
    """Send HTML text, split under Telegram's limit; the keyboard goes on the last part."""
    parts = split_text(text)
    message: Message | None = None
    for i, part in enumerate(parts):
        message = await context.bot.send_message(
            chat_id, part, reply_markup=markup if i == len(parts) - 1 else None, **kwargs
        )
    assert message is not None
    return message


async def reply(update: Update, context: Context, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    chat = update.effective_chat
    assert chat is not None
    return await send(context, chat.id, text, markup)


def text_of(update: Update) -> str:
    message = update.effective_message
    return (message.text or "").strip() if message else ""
