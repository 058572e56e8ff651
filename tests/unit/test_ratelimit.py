"""The outbound limiter: never more than ~30 sends in a second, and chats take turns."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram.error import RetryAfter

from bot.bucket import TokenBucket
from bot.ratelimit import BURST, RATE, FairLimiter


@given(st.lists(st.floats(min_value=0, max_value=5, allow_nan=False), min_size=1, max_size=300))
def test_no_one_second_window_holds_more_than_thirty_sends(asks: list[float]) -> None:
    allowance, sent = TokenBucket(BURST, 0.0, BURST, RATE), []
    for now in sorted(asks):
        allowance, ok = allowance.take(now)
        if ok:
            sent.append(now)
    for i, start in enumerate(sent):
        assert sum(1 for t in sent[i:] if t < start + 1.0) <= 30
    assert BURST + RATE <= 30


def test_the_wait_is_the_time_to_the_next_whole_send() -> None:
    empty = TokenBucket(0.0, 10.0, burst=4, rate=20)
    assert empty.wait(10.0) == pytest.approx(0.05)
    assert empty.wait(10.05) == pytest.approx(0.0)
    assert empty.take(10.01)[1] is False and empty.take(10.06)[1] is True
    assert TokenBucket(4.0, 0.0, burst=4, rate=20).refilled(100.0).tokens == 4.0  # never above the burst


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_a_new_chat_is_served_at_once_rather_than_behind_a_burst() -> None:
    async def scenario() -> tuple[list[int], int]:
        limiter = FairLimiter(burst=6, reserve=3, rate=2000)  # fast, so the test is quick; the order is checked
        order: list[int] = []

        async def send(chat: int) -> bool:
            order.append(chat)
            return True

        def request(chat: int) -> Any:
            return limiter.process_request(send, (chat,), {}, "sendMessage", {"chat_id": chat}, None)

        flood = [asyncio.create_task(request(1)) for _ in range(12)]
        await asyncio.sleep(0)  # the twelve are in: three sent at once (three of six kept back), nine waiting
        other = asyncio.create_task(request(2))
        await asyncio.gather(*flood, other)
        await limiter.shutdown()
        return order, limiter.waited

    order, waited = run(scenario())
    assert order.count(1) == 12 and order.count(2) == 1
    assert order.index(2) == 3 and waited == 9  # chat 2 took a kept-back send and did not queue at all


def test_two_busy_chats_alternate() -> None:
    async def scenario() -> list[int]:
        limiter = FairLimiter(burst=1, rate=2000)
        order: list[int] = []

        async def send(chat: int) -> bool:
            order.append(chat)
            return True

        tasks = [
            asyncio.create_task(limiter.process_request(send, (c,), {}, "sendMessage", {"chat_id": c}, None))
            for c in [1] * 6 + [2] * 6
        ]
        await asyncio.gather(*tasks)
        return order

    order = run(scenario())
    assert order[1:11] == [1, 2] * 5  # after the first, strictly in turns


def test_requests_without_a_chat_are_not_counted_and_a_429_is_waited_out() -> None:
    async def scenario() -> tuple[Any, int, int]:
        limiter = FairLimiter(burst=2, rate=0.001, reserve=0)  # two sends, then nothing for a long time
        tries = 0

        async def flaky() -> bool:
            nonlocal tries
            tries += 1
            if tries == 1:
                raise RetryAfter(0)
            return True

        answer = await limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": 5}, None)
        # both sends are spent (the retry took its turn too); a request with no chat (answerCallbackQuery,
        # getMe) still goes at once
        free = await limiter.process_request(flaky, (), {}, "answerCallbackQuery", {}, None)
        return answer and free, tries, limiter.waited

    ok, tries, waited = run(scenario())
    assert ok and tries == 3 and waited == 0


def test_a_429_beyond_the_retries_is_passed_up() -> None:
    async def scenario() -> None:
        limiter = FairLimiter(max_retries=1)

        async def refused() -> bool:
            raise RetryAfter(0)

        await limiter.process_request(refused, (), {}, "sendMessage", {"chat_id": 5}, None)

    with pytest.raises(RetryAfter):
        run(scenario())


def test_a_booked_turn_lets_the_send_go_at_once_and_a_cancelled_one_is_given_back() -> None:
    async def scenario() -> tuple[bool, int, int]:
        limiter = FairLimiter(burst=1, rate=0.001, reserve=0)  # one send, then nothing for a long time

        async def ok() -> bool:
            return True

        await limiter.book_turn(5)  # the reminder waits for its turn before it is marked "sending" ...
        sent = await limiter.process_request(ok, (), {}, "sendMessage", {"chat_id": 5}, None)  # ... then goes
        waited_after_booked = limiter.waited
        limiter._credits[6] = 1  # a booking for chat 6 that will not be used
        limiter.cancel_turn(6)
        queued = asyncio.ensure_future(limiter.process_request(ok, (), {}, "sendMessage", {"chat_id": 6}, None))
        for _ in range(5):
            await asyncio.sleep(0)  # let it reach the limiter's queue
        waited = limiter.waited
        queued.cancel()
        await limiter.shutdown()
        return bool(sent), waited_after_booked, waited

    sent, before, after = run(scenario())
    assert sent and before == 0  # the booked send did not queue again
    assert after == 1  # without a booking, chat 6 waits for the (empty) bucket
