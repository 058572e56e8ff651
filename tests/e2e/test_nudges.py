"""Nudges end to end: emulator + the real Application + a clock the test moves; and a SIGKILL between claim and
send that must neither lose nor repeat a reminder."""

import asyncio
import itertools
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path

from bot.nudges.policy import Settings, in_quiet_hours
from bot.nudges.scheduler import run_due
from sandbox.emulator import BotApiEmulator
from store.nudges import NudgeStore
from tests.e2e.harness import Chat, World, run, world
from tests.e2e.test_conversation import onboard_by_buttons

ROOT = Path(__file__).resolve().parents[2]


async def enroll(chat: Chat) -> None:
    await onboard_by_buttons(chat)
    await chat.press("Enroll")
    done = await chat.press("relaxed")
    assert "Enrolled in" in done[-1].text


async def tick(w: World, hours: int, times: list | None = None) -> list:
    """Move time hour by hour, running the scheduler as the repeating job would; the nudges sent
    (and, into `times`, the instant each was sent)."""
    start = len(w.emu.sent)
    for _ in range(hours):
        w.clock.advance(hours=1)
        report = await run_due(w.app.bot, w.services, w.clock())
        if times is not None:
            times.extend([w.clock()] * report.sent)
    await w.emu.wait_idle(quiet=0.2, timeout=30)
    return [s for s in w.emu.sent[start:] if s.method == "sendMessage"]


def test_reminders_back_off_ask_to_stop_and_respect_snooze_and_blocking(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat()
            await enroll(chat)
            settings = Settings()  # the defaults: UTC, every 2-3 days, quiet 21:00-08:00
            sent_at = []
            nudges = []
            for _ in range(60 * 24 // 6):  # up to 60 days, in 6-hour slices
                nudges += await tick(w, 6, sent_at)
                if len(nudges) == 4:
                    break
            kinds_text = [m.text for m in nudges]
            assert len(nudges) == 4, kinds_text
            assert "Shall I stop?" in nudges[-1].text  # three ignored, then one gentle question
            gaps = [b - a for a, b in itertools.pairwise(sent_at)]
            assert all(gap >= timedelta(days=2) for gap in gaps)
            assert gaps[1] >= gaps[0]  # back-off: ignoring stretches the interval
            for message in nudges:
                assert any("Snooze 1 day" in t or "Stop reminders" in t for t, _ in w.emu.buttons(message))
            assert not any(in_quiet_hours(t, settings) for t in sent_at)
            # silence after the question, however long we wait
            assert await tick(w, 24 * 20) == []

            # coming back (logging progress) restarts reminders
            await chat.say("/progress", until="sendPhoto")
            await chat.press("+1 h")
            back = []
            for _ in range(10):
                back += await tick(w, 12)
                if back:
                    break
            assert back, "a reminder follows once the person is active again"

            # snooze a week: nothing for 7 days
            await chat.press("Snooze 1 week")
            assert await tick(w, 24 * 7 - 1) == []
            after = []
            for _ in range(10):
                after += await tick(w, 12)
                if after:
                    break
            assert after

            # blocked: one 403, then never again
            w.emu.block(chat.user_id)
            for _ in range(20):
                await tick(w, 24)
            blocked_errors = [e for e in w.emu.errors if e[1] == 403]
            assert len(blocked_errors) == 1
            assert w.services.store.get_user(chat.user_id).blocked
            assert NudgeStore(w.services.db).rows(user_id=chat.user_id, status="pending") == []

    run(scenario())


def test_sigkill_between_claim_and_send_neither_loses_nor_repeats(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with BotApiEmulator() as emu:
            async with world(tmp_path, emu=emu) as w:
                chat = w.chat(user_id=4242)
                await enroll(chat)
                due = NudgeStore(w.services.db).pending_due(4242)
                assert due is not None
                moment = due + timedelta(minutes=1)
                clock = w.clock
            before = len(emu.sent)

            worker = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "tests.e2e.nudge_worker", str(tmp_path / "credbot.db"), emu.base_url,
                emu.token, moment.isoformat(),
                cwd=ROOT, stdout=asyncio.subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
            )  # fmt: skip
            assert worker.stdout is not None
            line = await asyncio.wait_for(worker.stdout.readline(), timeout=120)
            assert line.decode().startswith("CLAIMED 1")
            worker.send_signal(signal.SIGKILL)  # dies holding the claim, before sending
            await worker.wait()
            assert len(emu.sent) == before  # nothing went out

            clock.now = moment + timedelta(minutes=10)  # the claim's lease has run out
            async with world(tmp_path, emu=emu, clock=clock) as w2:
                await run_due(w2.app.bot, w2.services, clock())
                await run_due(w2.app.bot, w2.services, clock() + timedelta(minutes=1))
                await emu.wait_idle(quiet=0.2)
                sent = [s for s in emu.sent[before:] if s.method == "sendMessage" and s.chat_id == 4242]
                assert len(sent) == 1, [s.text for s in sent]
                rows = NudgeStore(w2.services.db).rows(user_id=4242)
                assert [r["status"] for r in rows].count("sent") == 1

    run(scenario())


def test_weekly_reminders_come_with_the_progress_chart(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat(user_id=5151)
            await enroll(chat)
            await chat.say("/settings")
            await chat.press("Weekly")
            assert w.services.store.get_user(5151).cadence == "weekly"
            start = len(w.emu.sent)
            for _ in range(30):
                if await tick(w, 12):
                    break
            after = [s.method for s in w.emu.sent[start:] if s.chat_id == 5151]
            assert "sendMessage" in after
            await w.emu.wait_for(lambda s: s.method == "sendPhoto" and s.chat_id == 5151, start=start, timeout=30)

    run(scenario())
