"""Driving the real Application through the project's Bot API emulator, as a person would."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import build_application
from bot.runtime import make_services, running
from bot.services import Services
from recommender.engine import Recommender
from sandbox.emulator import BotApiEmulator, Sent, _Stored
from tests.fakes import FakeEncoder

START = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
SOAK = os.environ.get("CREDBOT_SOAK") == "1"  # `make soak`: the fault, kill and fuzz runs, longer


def scale(quick: int, soak: int) -> int:
    """How big a fault, kill or fuzz run is: `quick` in `make test` (minutes in all), `soak` under `make soak`."""
    return soak if SOAK else quick


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
    db_path: Path | str
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
    app_options: dict[str, Any] | None = None,
    db: str | Path | None = None,
) -> AsyncIterator[World]:
    """Emulator + the real Application (fake encoder for speed: ranking quality has its own tests);
    `app_options` go to build_application (a short read_timeout for fault runs, say); `db` another store than a
    SQLite file in tmp_path (a postgresql:// URL)."""
    own_emu = emu is None
    emulator = emu or BotApiEmulator()
    if own_emu:
        await emulator.start()
    clock = clock or Clock()
    db_path = db if db is not None else tmp_path / "credbot.db"
    services = make_services(db_path, clock=clock, encoder=FakeEncoder(), recommender=shared_recommender())
    if configure:
        configure(services)
    app = build_application(
        services,
        emulator.token,
        base_url=emulator.base_url,
        base_file_url=emulator.base_file_url,
        nudge_every=None,
        **(app_options or {}),
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


# -- many updates into one running bot (property tests) -------------------------------------------------------------


@contextlib.contextmanager
def live_world(tmp_path: Path, **kw: Any) -> Iterator[tuple[World, Callable[[Awaitable[Any]], Any]]]:
    """A world that stays up across many synchronous calls: Hypothesis runs its examples one after another as plain
    functions, and starting a bot per example would cost seconds each. `call(coro)` runs `coro` on the world's own
    event loop; between calls the bot is simply paused (its tasks resume on the next call)."""
    loop = asyncio.new_event_loop()
    stack = contextlib.AsyncExitStack()
    try:
        w = loop.run_until_complete(stack.enter_async_context(world(tmp_path, **kw)))
        yield w, loop.run_until_complete
    finally:
        loop.run_until_complete(stack.aclose())
        loop.close()


async def settle(emu: BotApiEmulator, start: int, *, timeout: float = 30) -> list[Sent]:
    """Wait until the bot handled everything queued, and return what it did since `start`. The quiet period can be
    short because the bot's update queue is watched: idle then means its handlers finished, not just silence."""
    await emu.wait_idle(quiet=0.02, timeout=timeout)
    return emu.sent[start:]


async def deliver(emu: BotApiEmulator, *payloads: dict[str, Any]) -> list[Sent]:
    """Queue raw updates (any kind Telegram sends) and wait for the bot to finish with them."""
    start = len(emu.sent)
    for payload in payloads:
        emu._enqueue(payload)  # the emulator's own queue: it has no public door for arbitrary update kinds
    return await settle(emu, start)


def user_message(
    emu: BotApiEmulator,
    user_id: int,
    content: dict[str, Any],
    *,
    chat_type: str = "private",
    chat_id: int | None = None,
    first_name: str = "Ana",
) -> dict[str, Any]:
    """A Message from a person with `content` in Telegram's field names (`{"sticker": {...}}`, `{"photo": [...]}`),
    registered with the emulator as Telegram would hold it: the chat exists (the bot can answer) and the message is
    stored (a reply to it resolves)."""
    user = emu._user(user_id, first_name, "en")
    chat = emu._chat(user, chat_type, chat_id)
    message = {"message_id": emu._take_message_id(chat["id"]), "from": user, "chat": chat, "date": int(time.time())}
    message.update(content)
    text = content.get("text") or content.get("caption")
    emu._messages[(chat["id"], message["message_id"])] = _Stored(message, text, by_bot=False)
    return message


def channel_post(emu: BotApiEmulator, channel_id: int, content: dict[str, Any]) -> dict[str, Any]:
    """A post in a channel: no `from` at all, only the channel as `sender_chat`."""
    chat = {"id": channel_id, "type": "channel", "title": f"Channel {channel_id}"}
    emu._chats[channel_id] = chat
    message = {"message_id": emu._take_message_id(channel_id), "sender_chat": chat, "chat": chat}
    message.update(date=int(time.time()), **content)
    emu._messages[(channel_id, message["message_id"])] = _Stored(message, content.get("text"), by_bot=False)
    return message


def person_rows(db: Any, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row held about one person, table by table (the users row and each table with a user_id column)."""
    rows = {"users": db.query("select * from users where id = ?", [user_id])}
    for table in db.table_names():
        if table != "users" and "user_id" in db.columns(table):
            rows[table] = db.query(f'select * from "{table}" where user_id = ? order by id', [user_id])
    return rows
