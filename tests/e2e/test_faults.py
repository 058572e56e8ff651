"""The real Application against an emulator that fails at random: 429s, 5xx, slow answers past the client's timeout,
dropped connections, 403 from people who blocked the bot, "not modified" edits and expired callback queries.

Many simulated people onboard, enroll and get reminders while the faults run; then the faults stop. Measured:
unhandled errors, replies that never came, reminders lost or sent twice. The figures go to docs/RELIABILITY.md.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bot.nudges.scheduler import RunReport, run_due
from sandbox.emulator import BotApiEmulator, FaultPlan
from store.nudges import NudgeStore
from tests.e2e.harness import Chat, World, run, scale, world

PEOPLE = scale(10, 40)
BLOCKERS = scale(2, 8)  # of them block the bot before their first reminder
STEPS = (
    "/start", "teacher", "data analyst", "#Skip", "#5 h", "#3 months", "#Free only", "#Online", "#Enroll", "#relaxed",
)  # fmt: skip
# replies: every kind at a few percent, never more than two in a row for one chat and method, so the bot's
# four quick tries always get a reply through and what is measured is whether the bot copes
REPLY_FAULTS = FaultPlan(
    rates={"429": 0.02, "500": 0.05, "502": 0.05, "slow": 0.03, "drop": 0.05, "not_modified": 0.05, "query_old": 0.1},
    seed=13,
    slow_seconds=1.5,
    max_in_a_row=2,
)
# reminders: half of all sends fail, in runs of any length, so some fail all four quick tries and go back to the
# schedule with a growing wait (bot/nudges/retry.py)
REMINDER_FAULTS = FaultPlan(rates={"500": 0.2, "502": 0.15, "drop": 0.15}, seed=29)


class Unhandled(logging.Handler):
    """Counts what the app's global error handler calls unhandled, and anything logged at ERROR or above."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.records.append(record)


async def act(chat: Chat, step: str) -> list:
    if step.startswith("#"):
        return await chat.press(step[1:])
    return await chat.say(step)


async def onboard(chat: Chat, unanswered: list[tuple[int, str]]) -> None:
    for step in STEPS:
        replies = await act(chat, step)
        if not replies:
            unanswered.append((chat.user_id, step))


def reminders_to(w: World, user_id: int) -> list:
    return [
        s for s in w.emu.sent
        if s.method == "sendMessage" and s.chat_id == user_id and any("Snooze 1 day" in t for t, _ in w.emu.buttons(s))
    ]  # fmt: skip


def test_a_mixed_fault_run_loses_nothing_repeats_nothing_and_crashes_nothing(tmp_path: Path) -> None:
    async def scenario() -> dict[str, int]:
        catcher = Unhandled()
        logging.getLogger().addHandler(catcher)
        try:
            async with BotApiEmulator() as emu, world(tmp_path, emu=emu, app_options={"read_timeout": 1.0}) as w:
                chats = [w.chat(user_id=5000 + i, first_name=f"P{i}") for i in range(PEOPLE)]
                unanswered: list[tuple[int, str]] = []
                emu.inject_faults(REPLY_FAULTS)
                await asyncio.gather(*(onboard(c, unanswered) for c in chats))
                reply_faults = Counter(emu.fault_counts)
                emu.stop_faults()
                assert unanswered == []
                enrolled = [c for c in chats if w.services.store.enrollments(c.user_id)]
                assert len(enrolled) == PEOPLE

                # reminders under heavier faults, with two people who have blocked the bot
                for c in chats[:BLOCKERS]:
                    emu.block(c.user_id)
                nudges = NudgeStore(w.services.db)
                due = max(d for c in chats if (d := nudges.pending_due(c.user_id)) is not None)
                w.clock.now = due + timedelta(minutes=1)
                emu.inject_faults(REMINDER_FAULTS)
                total = RunReport()
                for _ in range(6):  # an hour of ticks under faults
                    report = await run_due(w.app.bot, w.services, w.clock())
                    total.sent += report.sent
                    total.retried += report.retried
                    total.blocked += report.blocked
                    total.failed += report.failed
                    w.clock.advance(minutes=10)
                reminder_faults = Counter(emu.fault_counts)
                emu.stop_faults()
                for _ in range(24):  # then four hours of ticks without: what was put back goes out
                    report = await run_due(w.app.bot, w.services, w.clock())
                    total.sent += report.sent
                    w.clock.advance(minutes=10)
                await emu.wait_idle(quiet=0.2, timeout=60)

                counts = {c.user_id: len(reminders_to(w, c.user_id)) for c in chats}
                reachable = [c.user_id for c in chats[BLOCKERS:]]
                lost = sum(1 for u in reachable if counts[u] == 0)
                duplicated = sum(max(0, counts[u] - 1) for u in reachable)
                assert lost == 0 and duplicated == 0, counts
                assert all(counts[c.user_id] == 0 for c in chats[:BLOCKERS])
                assert total.blocked == BLOCKERS and total.failed == 0
                assert total.retried > 0  # the schedule's own back-off was exercised
                assert all(w.services.store.get_user(c.user_id).blocked for c in chats[:BLOCKERS])

                # once the faults stop, everyone who has not blocked the bot is answered
                for c in chats[BLOCKERS:]:
                    assert await c.say("/help")
                request = w.app.bot.request
                figures = {
                    "people": PEOPLE,
                    "reply_faults": sum(reply_faults.values()),
                    "reminder_faults": sum(reminder_faults.values()),
                    "quick_retries": getattr(request, "retried", 0),
                    "reminders_put_back": total.retried,
                    "reminders_sent": total.sent,
                    "lost": lost,
                    "duplicated": duplicated,
                    "unanswered": len(unanswered),
                }
        finally:
            logging.getLogger().removeHandler(catcher)
        crashes = [r.getMessage() for r in catcher.records]
        assert crashes == [], crashes
        figures["crashes"] = len(crashes)
        return figures

    figures = run(scenario())
    print("fault run:", figures)


def test_polling_survives_network_errors_with_back_off(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with BotApiEmulator() as emu, world(tmp_path, emu=emu) as w:
            chat = w.chat(user_id=6001)
            plan = FaultPlan(
                rates={"502": 0.5, "drop": 0.5}, polling=True, methods=frozenset({"getupdates"}), stop_after=3
            )
            emu.inject_faults(plan)
            emu.send_text(chat.user_id, "/help")
            first = await emu.wait_for(lambda s: s.chat_id == chat.user_id, timeout=60)
            assert "What I can do" in (first.text or "")
            assert emu.fault_counts["502"] + emu.fault_counts["drop"] == 3  # three failed polls, then through

    run(scenario())


def test_a_reminder_that_never_gets_through_is_marked_failed_and_shown(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from bot.nudges.retry import MAX_ATTEMPTS
    from tests.e2e.test_nudges import enroll

    async def scenario() -> list[dict]:
        async with BotApiEmulator() as emu, world(tmp_path, emu=emu) as w:
            chat = w.chat(user_id=6101)
            await enroll(chat)
            nudges = NudgeStore(w.services.db)
            due = nudges.pending_due(chat.user_id)
            assert due is not None
            w.clock.now = due + timedelta(minutes=1)
            emu.fail_next("sendMessage", 502, "Bad Gateway", times=10_000)
            waits = []
            for _ in range(MAX_ATTEMPTS):
                await run_due(w.app.bot, w.services, w.clock())
                pending = nudges.pending_due(chat.user_id)
                if pending is None:
                    break
                waits.append(pending - w.clock())
                w.clock.now = pending  # exactly when the schedule says to try again
            assert len(waits) == MAX_ATTEMPTS - 1
            assert waits[-1] > waits[0] * 4  # growing waits, not a fixed two minutes
            return nudges.rows(user_id=chat.user_id, status="failed")

    failed = run(scenario())
    assert len(failed) == 1 and failed[0]["attempts"] == MAX_ATTEMPTS and "gave up" in failed[0]["error"]
    env = {**os.environ, "CREDBOT_DB": str(tmp_path / "credbot.db")}
    out = subprocess.run(
        [sys.executable, "-m", "credbot", "nudges", "status"], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "1 failed" in out.stdout and "user 6101" in out.stdout and f"{MAX_ATTEMPTS} tries" in out.stdout
