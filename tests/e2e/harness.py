"""Driving the real Application through the project's Bot API emulator, as a person would."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import build_application
from bot.emulator import BotApiEmulator, Sent
from bot.runtime import make_services, running
from bot.services import Services
from recommender.engine import Recommender
from tests.fakes import FakeEncoder

START = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@dataclass
class Clock:
    """A clock tests move by hand (the bot never reads the wall clock)."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Chat:
    emu: BotApiEmulator
    user_id: int
    first_name: str = "Ana"
    chat_type: str = "private"
    chat_id: int | None = None
    seen: int = field(default=0)

    async def _settle(self, start: int, until: str | None = None) -> list[Sent]:
        """Wait for the bot to go quiet; `until` first waits for an action of that method (slow work like a
        chart makes no API calls while it runs, so quietness alone would return too early)."""
        if until is not None:
            await self.emu.wait_for(lambda s: s.method == until, start=start, timeout=60)
        await self.emu.wait_idle(quiet=0.3, timeout=60)
        mine = [s for s in self.emu.sent[start:] if s.chat_id in (self.user_id, self.chat_id)]
        self.seen = len(self.emu.sent)
        return mine

    async def say(self, text: str, *, until: str | None = None) -> list[Sent]:
        start = len(self.emu.sent)
        self.emu.send_text(
            self.user_id, text, first_name=self.first_name, chat_type=self.chat_type, chat_id=self.chat_id
        )
        return await self._settle(start, until)

    def keyboard_messages(self) -> list[Sent]:
        return [
            s for s in self.emu.sent
            if s.chat_id == (self.chat_id or self.user_id) and s.reply_markup and s.reply_markup.get("inline_keyboard")
        ]  # fmt: skip

    def find_button(self, label: str, *, nth_from_last: int = 0) -> tuple[int, str]:
        """(message_id, callback_data) of the newest button whose label contains `label`."""
        found = []
        for s in self.keyboard_messages():
            for text, data in self.emu.buttons(s):
                if label.lower() in text.lower():
                    found.append((s.message_id, data))
        if not found:
            raise AssertionError(f"no button {label!r}; last texts: {self.texts()[-3:]}")
        return found[-1 - nth_from_last]

    async def press(self, label: str, *, nth_from_last: int = 0) -> list[Sent]:
        message_id, data = self.find_button(label, nth_from_last=nth_from_last)
        return await self.press_data(message_id, data)

    async def press_data(self, message_id: int, data: str) -> list[Sent]:
        start = len(self.emu.sent)
        self.emu.press(self.user_id, message_id, data, chat_id=self.chat_id)
        return await self._settle(start)

    def texts(self) -> list[str]:
        return [s.text or s.caption or "" for s in self.emu.sent if s.chat_id == (self.chat_id or self.user_id)]


@dataclass
class World:
    emu: BotApiEmulator
    services: Services
    clock: Clock
    db_path: Path
    app: Any

    def chat(self, user_id: int = 1001, **kw: Any) -> Chat:
        return Chat(self.emu, user_id, **kw)


@functools.cache
def shared_recommender() -> Recommender:
    """One index of the bundled catalog (fake encoder) for every bot these tests start: ~6k records and 30k texts
    take seconds to index, and each test's own database holds the same bundled catalog."""
    from catalog.occupations import load_occupations
    from catalog.repository import load_bundled

    return Recommender(load_bundled().credentials, FakeEncoder(), occupations=load_occupations())


@contextlib.asynccontextmanager
async def world(
    tmp_path: Path,
    *,
    emu: BotApiEmulator | None = None,
    clock: Clock | None = None,
    configure: Callable[[Services], None] | None = None,
) -> AsyncIterator[World]:
    """Emulator + the real Application (fake encoder for speed: ranking quality has its own tests)."""
    own_emu = emu is None
    emulator = emu or BotApiEmulator()
    if own_emu:
        await emulator.start()
    clock = clock or Clock()
    db_path = tmp_path / "credbot.db"
    services = make_services(db_path, clock=clock, encoder=FakeEncoder(), recommender=shared_recommender())
    if configure:
        configure(services)
    app = build_application(
        services, emulator.token, base_url=emulator.base_url, base_file_url=emulator.base_file_url, nudge_every=None
    )
    try:
        async with running(app):
            emulator.watch_queue(app.update_queue)  # idle means "the bot finished its handlers", not just quiet
            yield World(emulator, services, clock, db_path, app)
    finally:
        if own_emu:
            await emulator.stop()


def run(coro: Any) -> Any:
    return asyncio.run(coro)
