"""Outbound rate limiting that is fair between chats.

Why: Telegram allows a bot about 30 messages a second overall. A plain limiter serves senders in arrival order, so
when one person's burst has ten replies queued, the next person's single reply waits behind all ten. Here each
chat waiting to send has a place in a ring and the chats take turns, one message each. On top of that, part of
the burst allowance (RESERVE) is kept for chats that sent fewer than FRESH_SENDS messages in the last second (no
person reads faster): a busy chat only spends what is above it, so a reply to anyone else goes at once even
while one chat's burst drains. With BURST 6 and RATE 24/s no one-second window can hold more than 30 sends.

Several processes on one PostgreSQL store (webhook replicas) share that budget as well: given `shared` (a
store.budget.SharedBudget), each send also spends from a token bucket kept in the database, so three replicas
together stay under the bot's limit, not three times over it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.bucket import TokenBucket
from store.budget import SharedBudget

log = logging.getLogger("credbot.ratelimit")

BURST = 6.0
RATE = 24.0  # sends per second once the burst is spent: BURST + RATE <= 30 in any one second
RESERVE = 3.0  # of the burst, kept for chats that sent fewer than FRESH_SENDS in the last FRESH_AFTER seconds
FRESH_SENDS = 3
FRESH_AFTER = 1.0
GROUP_PER_MINUTE = 20  # Telegram's limit for one group chat
MAX_RETRIES = 3  # a 429 is waited out (retry_after) this many times before the error is passed up

JSON = bool | dict[str, Any] | list[dict[str, Any]]


class FairLimiter(BaseRateLimiter[int]):
    def __init__(
        self,
        *,
        burst: float = BURST,
        rate: float = RATE,
        reserve: float = RESERVE,
        max_retries: int = MAX_RETRIES,
        clock: Callable[[], float] = time.monotonic,
        shared: SharedBudget | None = None,
    ) -> None:
        self.clock = clock
        self.shared = shared
        self.allowance = TokenBucket(burst, clock(), burst, rate)
        self.reserve = min(reserve, max(0.0, burst - 1.0))
        self._recent: dict[int, deque[float]] = {}  # each chat's last FRESH_SENDS send times
        self.max_retries = max_retries
        self.waited = 0  # sends that had to queue, for tests and logs
        self._queues: OrderedDict[int, deque[asyncio.Future[None]]] = OrderedDict()  # the ring of waiting chats
        self._dispatcher: asyncio.Task[None] | None = None
        self._groups: dict[int, AsyncLimiter] = {}
        self._open = asyncio.Event()  # cleared while a 429's retry_after is waited out
        self._open.set()
        self._credits: dict[int, int] = {}  # sends already waited for (`book_turn`), per chat

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._dispatcher
        for queue in self._queues.values():
            for waiter in queue:
                waiter.cancel()
        self._queues.clear()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        chat_id = _chat_id(data.get("chat_id"))
        retries = rate_limit_args if rate_limit_args is not None else self.max_retries
        for attempt in range(retries + 1):
            await self._open.wait()
            # only messages to a chat count (getMe, answerCallbackQuery... do not); a first try whose turn was
            # waited for by `book_turn` goes at once
            if chat_id is not None and not (attempt == 0 and self._spend_credit(chat_id)):
                await self._wait_turn(chat_id)
            try:
                if chat_id is not None and chat_id < 0:
                    async with self._groups.setdefault(chat_id, AsyncLimiter(GROUP_PER_MINUTE, 60)):
                        return await callback(*args, **kwargs)
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                pause = exc._retry_after.total_seconds() + 0.1
                log.info("%s: flood control, waiting %.1f s (try %s of %s)", endpoint, pause, attempt + 1, retries)
                self._open.clear()  # everyone waits: Telegram's limit is for the whole bot
                try:
                    await asyncio.sleep(pause)
                finally:
                    self._open.set()
        raise AssertionError("unreachable: the last try returns or raises")

    async def book_turn(self, chat_id: int) -> None:
        """Wait for this chat's next send now, so the send itself then goes at once.

        Why: a reminder is marked "sending" (never to be sent again) just before it goes; waiting for the turn
        first makes the time between that mark and the request reaching Telegram a round trip, not a queue."""
        await self._open.wait()
        await self._wait_turn(chat_id)
        self._credits[chat_id] = self._credits.get(chat_id, 0) + 1

    def cancel_turn(self, chat_id: int) -> None:
        """A reserved send that will not be made after all."""
        self._spend_credit(chat_id)

    def _spend_credit(self, chat_id: int) -> bool:
        """Use up one booked turn of this chat; False when it has none."""
        left = self._credits.get(chat_id, 0)
        if left <= 0:
            return False
        if left == 1:
            del self._credits[chat_id]
        else:
            self._credits[chat_id] = left - 1
        return True

    async def _wait_turn(self, chat_id: int) -> None:
        await self._turn(chat_id)
        if self.shared is not None:
            await self.shared.acquire()

    def _keep(self, chat_id: int, now: float) -> float:
        """What a send from this chat must leave: nothing for a chat that has sent little lately, the reserve for a
        busy one."""
        recent = self._recent.get(chat_id)
        busy = recent is not None and len(recent) == FRESH_SENDS and now - recent[0] < FRESH_AFTER
        return self.reserve if busy else 0.0

    def _spend(self, chat_id: int, now: float, keep: float) -> bool:
        self.allowance, ok = self.allowance.take(now, keep)
        if ok:
            self._recent.setdefault(chat_id, deque(maxlen=FRESH_SENDS)).append(now)
            if len(self._recent) > 10_000:  # forget chats that have been quiet
                self._recent = {c: d for c, d in self._recent.items() if now - d[-1] < FRESH_AFTER}
        return ok

    async def _turn(self, chat_id: int) -> None:
        """Return when this chat may send: at once if a send is free for it and it would not jump a queue of its
        kind (a chat new to sending may pass busy ones), else at its turn."""
        now = self.clock()
        keep = self._keep(chat_id, now)
        if (not self._queues or (keep == 0.0 and not self._fresh_waiting(now))) and self._spend(chat_id, now, keep):
            return
        self.waited += 1
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queues.setdefault(chat_id, deque()).append(waiter)
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.create_task(self._dispatch(), name="credbot-rate-limiter")
        await waiter

    def _fresh_waiting(self, now: float) -> int | None:
        return next((c for c in self._queues if self._keep(c, now) == 0.0), None)

    async def _dispatch(self) -> None:
        while self._queues:
            now = self.clock()
            fresh = self._fresh_waiting(now)
            chat_id = fresh if fresh is not None else next(iter(self._queues))
            keep = self._keep(chat_id, now)
            wait = self.allowance.wait(now, keep)
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            queue = self._queues[chat_id]
            waiter = queue.popleft()
            if queue:
                self._queues.move_to_end(chat_id)  # the others go first; this chat's next message later
            else:
                del self._queues[chat_id]
            if waiter.done():  # its request was cancelled while queued: the send is not used
                continue
            self._spend(chat_id, now, keep)
            waiter.set_result(None)


def _chat_id(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # an @channel name: a channel or supergroup, limited like a group


async def turn_then_mark(bot: object, chat_id: int, mark: Callable[[], bool]) -> bool:
    """For an at-most-once send (a reminder, a broadcast row): wait for the chat's send turn, then run `mark`
    (the store's claimed -> sending), so the send that follows goes at once; when `mark` fails (the claim was
    lost) the turn is given back and nothing may be sent. Without a FairLimiter on `bot` it is just `mark`."""
    limiter = getattr(bot, "rate_limiter", None)
    if not isinstance(limiter, FairLimiter):
        return mark()
    await limiter.book_turn(chat_id)
    if mark():
        return True
    limiter.cancel_turn(chat_id)
    return False
