"""The HTTP layer under python-telegram-bot, with a few quick retries of passing failures.

Why: a reply lost to one 502 or a dropped connection is a person left without an answer, and the handler has
moved on by the time the error surfaces. Server errors (5xx), timeouts and dropped connections are tried again a
few times here, after short growing, jittered waits; 4xx answers (bad request, blocked, flood control) are passed
up untouched, since a retry cannot change them (429 is the rate limiter's: it waits `retry_after`). A timed-out
request that did reach Telegram could in principle arrive twice; docs/RELIABILITY.md says why that is accepted.
Reminders keep their own slower, persistent back-off on top (bot/nudges/retry.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import BaseUpdateProcessor, ExtBot
from telegram.request import HTTPXRequest

from bot.flood import FloodGate

log = logging.getLogger("credbot.request")

TRIES = 4  # the first try and three more
FIRST_WAIT = 0.25  # seconds; doubled each time, jittered by +-50%
MAX_WAIT = 4.0
TRANSIENT_CODES = frozenset({500, 502, 503, 504})


def backoff(attempt: int, rng: random.Random) -> float:
    """Seconds to wait after failed try number `attempt` (from 1)."""
    return float(min(MAX_WAIT, FIRST_WAIT * 2 ** (attempt - 1)) * rng.uniform(0.5, 1.5))


class RetryingRequest(HTTPXRequest):
    def __init__(self, *args: Any, tries: int = TRIES, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tries = tries
        self.retried = 0  # how many extra tries were made, for tests and logs
        self._rng = random.Random(seed)

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]  # the Bot API method; the URL itself holds the token and is never logged
        for attempt in range(1, self.tries + 1):
            last = attempt == self.tries
            try:
                code, payload = await super().do_request(url, method, *args, **kwargs)
            except (TimedOut, NetworkError) as err:
                if last:
                    raise
                log.info("%s failed (%s), try %s of %s", name, type(err).__name__, attempt, self.tries)
            else:
                if code not in TRANSIENT_CODES or last:
                    return code, payload
                log.info("%s answered %s, try %s of %s", name, code, attempt, self.tries)
            self.retried += 1
            await asyncio.sleep(backoff(attempt, self._rng))
        raise AssertionError("unreachable: the last try returns or raises")


class PollingRequest(HTTPXRequest):
    """getUpdates through a flood screen: a flooder's surplus updates are cut to their ids before
    python-telegram-bot parses them (bot/flood.py says why), so 200 pasted messages cost the others little."""

    def __init__(self, gate: FloodGate, *args: Any, clock: Callable[[], float] = time.monotonic, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.gate, self.clock = gate, clock

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        code, payload = await super().do_request(url, method, *args, **kwargs)
        if code != 200 or not url.endswith("/getUpdates"):
            return code, payload
        try:
            answer = json.loads(payload)
            result = answer["result"]
        except (ValueError, KeyError, TypeError):
            return code, payload  # not ours to judge: python-telegram-bot reports it
        if not isinstance(result, list) or not result:
            return code, payload
        answer["result"] = self.gate.screen(result, self.clock())
        return code, json.dumps(answer).encode()


class CredBot(ExtBot[Any]):
    """The bot, tolerant of two Bot API answers that mean "nothing to do": a callback query too old to answer
    (the spinner has already stopped; the press itself is still handled) and an edit that changes nothing (the
    message already shows it). Raised, either would abort a handler half-way and leave the person unanswered."""

    async def answer_callback_query(self, *args: Any, **kwargs: Any) -> bool:
        try:
            return await super().answer_callback_query(*args, **kwargs)
        except BadRequest as err:
            if "query is too old" not in str(err).lower() and "query id is invalid" not in str(err).lower():
                raise
            log.info("callback query expired before it was answered")
            return False

    async def edit_message_text(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().edit_message_text(*args, **kwargs)
        except BadRequest as err:
            if "not modified" not in str(err).lower():
                raise
            return True

    async def edit_message_reply_markup(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().edit_message_reply_markup(*args, **kwargs)
        except BadRequest as err:
            if "not modified" not in str(err).lower():
                raise
            return True


class PerChatProcessor(BaseUpdateProcessor):
    """Updates of one chat strictly in order, different chats side by side.

    Why: with every update in one line, a person who pastes 200 messages (or whose recommendation takes a
    while) makes everyone behind them wait. A FIFO lock per chat keeps each conversation's order; the cap keeps
    the number of handlers in flight bounded, and a chat may hold at most `per_chat` of them: beyond that its
    updates are dropped unread (a flood; bot/flood.py has already told them to slow down), so one chat can
    never take every slot. Locks of idle chats are dropped so the table does not grow."""

    def __init__(self, max_concurrent_updates: int = 64, per_chat: int = 24) -> None:
        super().__init__(max_concurrent_updates)
        self.per_chat = per_chat
        self.dropped = 0
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_key(update)
        if key is None or self._waiting.get(key, 0) >= self.per_chat:
            # no chat and no sender (a flood-screened update cut to its id): nothing any handler could answer
            self.dropped += 1
            close = getattr(coroutine, "close", None)
            if close is not None:
                close()  # never run: no "coroutine was never awaited" warning
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                self._locks.pop(key, None)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def _chat_key(update: object) -> int | None:
    chat = getattr(update, "effective_chat", None)
    if chat is not None:
        return int(chat.id)
    user = getattr(update, "effective_user", None)
    return int(user.id) if user is not None else None
