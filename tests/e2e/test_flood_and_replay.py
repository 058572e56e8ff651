"""One person flooding the bot is slowed down politely without holding up others; an update handed out again
after a crash is not acted on twice."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.bucket import TokenBucket
from bot.flood import BURST, RATE, FloodGate
from bot.handlers.guard import SLOW_DOWN
from sandbox.emulator import BotApiEmulator
from store.engine import Engine
from store.repository import Store
from store.seen import KEEP, first_sight, forget_before
from tests.e2e.harness import run, world

FLOOD = 200
ROUNDS = 5


def test_the_bucket_allows_a_burst_then_the_sustained_rate_and_notices_rarely() -> None:
    gate = FloodGate()
    allowed = [gate.admit(1, 0.0)[0] for _ in range(int(BURST) + 5)]
    assert allowed.count(True) == int(BURST) and gate.dropped == 5
    notices = [gate.admit(1, 0.01 * i)[1] for i in range(50)]
    assert notices.count(True) <= 1  # one "slow down" per NOTICE_EVERY seconds, not one per message
    assert gate.admit(2, 0.0) == (True, False)  # someone else is not affected
    later, ok = TokenBucket(0.0, 0.0, BURST, RATE).take(10.0)
    assert ok and later.tokens <= BURST  # refills with time, never above the burst


def test_first_sight_is_once_per_update_whatever_the_order(engine: Engine) -> None:
    db = engine
    Store(db)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert first_sight(db, 100, now)  # someone new: their first update counts too
    assert not first_sight(db, 100, now)  # sent again (a crash, a webhook retry)
    assert first_sight(db, 99, now)  # an earlier update arriving late is still handled, once
    assert not first_sight(db, 99, now)
    assert first_sight(db, 101, now)
    assert forget_before(db, now + KEEP) == 3  # old records go; nothing older can come again
    assert first_sight(db, 102, now + timedelta(days=3))


def test_a_flood_from_one_person_is_throttled_and_others_are_still_answered(tmp_path: Path) -> None:
    async def scenario() -> tuple[list[float], list[float], list[int], list[int]]:
        async with world(tmp_path) as w:
            emu = w.emu
            calm = w.chat(user_id=8001)

            async def reply_time() -> float:
                start = len(emu.sent)
                t0 = time.perf_counter()
                emu.send_text(calm.user_id, "/help")
                await emu.wait_for(lambda s: s.chat_id == calm.user_id, start=start, timeout=60)
                return time.perf_counter() - t0

            quiet, during, replies, notices = [], [], [], []
            for round_ in range(ROUNDS):  # a new flooder each round, and the calm person's quiet reply between
                await emu.wait_idle(quiet=1.0, timeout=120)  # the calm person writes at a person's pace
                quiet.append(await reply_time())
                flooder = 8002 + round_
                start = len(emu.sent)
                for i in range(FLOOD):
                    emu.send_text(flooder, f"message {i}")
                during.append(await reply_time())
                await emu.wait_idle(quiet=0.3, timeout=120)
                to_flooder = [s for s in emu.sent[start:] if s.chat_id == flooder]
                replies.append(len(to_flooder))
                notices.append(sum(1 for s in to_flooder if s.text == SLOW_DOWN))
            return quiet, during, replies, notices

    quiet, during, replies, notices = run(scenario())
    assert all(n >= 1 for n in notices)  # told politely, not ignored silently
    assert all(r <= BURST + 2 * n + 10 for r, n in zip(replies, notices, strict=True))  # the rest dropped unread
    q, d = statistics.median(quiet), statistics.median(during)
    print(f"flood: {FLOOD} messages, {ROUNDS} rounds; the other person's reply median {d * 1000:.0f} ms during vs "
          f"{q * 1000:.0f} ms quiet ({d / q:.2f}x); {max(replies)} replies to a flooder at most")  # fmt: skip


def test_an_update_handed_out_again_after_a_crash_is_not_acted_on_twice(tmp_path: Path) -> None:
    async def scenario() -> int:
        async with BotApiEmulator() as emu:
            async with world(tmp_path, emu=emu) as w:
                chat = w.chat(user_id=8101)
                await chat.say("/start")
                await chat.say("teacher")  # the answer to question 1
            replayed = emu.last_update_id
            before = len(emu.sent)
            emu.redeliver(replayed)  # Telegram hands "teacher" out again to the restarted bot
            async with world(tmp_path, emu=emu) as w2:
                await emu.wait_idle(quiet=0.5, timeout=60)
                draft = w2.services.store.get_user(8101)
                assert draft is not None
                again = [s for s in emu.sent[before:] if s.chat_id == 8101]
                assert again == []  # not answered a second time, not read as the answer to question 2
                follow = await w2.chat(user_id=8101).say("data analyst")
                assert "3 of 7" in follow[-1].text
            return len(again)

    assert run(scenario()) == 0
