"""The real bot's outbound limiter against an emulator that answers 429 past Telegram's 30 messages a second."""

from __future__ import annotations

import asyncio

from telegram.ext import ApplicationBuilder

from bot.app import outbound_limiter
from sandbox.emulator import BotApiEmulator

MESSAGES, CHATS = 90, 30


def test_a_burst_to_many_chats_stays_under_thirty_a_second_with_no_429() -> None:
    async def scenario() -> tuple[int, int]:
        async with BotApiEmulator(global_rate_limit=30) as emu:
            app = ApplicationBuilder().token(emu.token).base_url(emu.base_url).rate_limiter(outbound_limiter()).build()
            async with app:
                for c in range(CHATS):
                    emu.send_text(60_000 + c, "hi")  # the chats must exist before the bot can write to them
                await asyncio.gather(
                    *(app.bot.send_message(60_000 + i % CHATS, f"message {i}") for i in range(MESSAGES))
                )
            sent = sum(1 for s in emu.sent if s.method == "sendMessage")
            return sent, sum(1 for _, code, _ in emu.errors if code == 429)

    sent, refused = asyncio.run(scenario())
    assert (sent, refused) == (MESSAGES, 0)
