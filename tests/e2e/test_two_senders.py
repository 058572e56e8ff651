"""Two kinds of process send reminders from one SQLite file at once: a running `credbot run` (its repeating job
looks every second) and `credbot nudges run-once` started again and again beside it in two lanes. Reminders come due
one after another while they race, so each claim finds a different few rows. Every reminder must go out exactly
once: the claim is one write transaction, and a claimed row belongs to its claimer alone."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from catalog.db import open_database
from sandbox.emulator import BotApiEmulator, FaultPlan
from store.nudges import NudgeStore
from store.outbox import OutboxStore
from tests.e2e.harness import Clock, World, run, scale, world
from tests.e2e.test_kill import env_for  # credbot run's environment against an emulator
from tests.e2e.test_nudges import enroll

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = scale(12, 60)
SPREAD = 1.25 * PEOPLE  # seconds over which the reminders come due, one every 1.25 s
EVERY = "1.0"  # seconds between the running bot's looks


def midday_zone(now: datetime) -> str:
    """A fixed-offset zone where `now` is about 13:00, so quiet hours never hold a reminder back, whenever CI runs."""
    offset = 13 - now.hour  # -10 .. +13
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"  # POSIX sign: Etc/GMT-3 is UTC+3


async def credbot(emu: BotApiEmulator, db: Path, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", f"from credbot.cli import main; main({list(args)!r})", env=env_for(emu, db), cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def enrolled_people(w: World) -> list[int]:
    ids = [6100 + i for i in range(PEOPLE)]
    await asyncio.gather(*(enroll(w.chat(user_id=i, first_name=f"R{i}")) for i in ids))
    return ids


def reminders(emu: BotApiEmulator, start: int) -> Counter[int]:
    return Counter(
        s.chat_id for s in emu.sent[start:]
        if s.method == "sendMessage" and any("Snooze 1 day" in t for t, _ in emu.buttons(s))
    )  # fmt: skip


def test_credbot_run_and_nudges_run_once_together_send_each_reminder_once(tmp_path: Path) -> None:
    real_now = datetime.now(UTC)

    async def scenario() -> tuple[Counter[int], dict[str, int]]:
        async with BotApiEmulator() as emu:
            # enrolled ten days ago, never logged anything: a reminder is owed to each of them
            async with world(tmp_path, emu=emu, clock=Clock(real_now - timedelta(days=10))) as w:
                ids = await enrolled_people(w)
                for user_id in ids:
                    w.services.store.update_settings(user_id, timezone=midday_zone(real_now))
                    NudgeStore(w.services.db).schedule(user_id, real_now + timedelta(days=1))  # not before the race
                db = w.db_path
            start = len(emu.sent)
            # every send is a little slow, as over a real network, so claims and sends overlap between processes
            emu.inject_faults(FaultPlan(rates={"slow": 1.0}, slow_seconds=0.05, seed=3))

            bot = await credbot(emu, db, "run", "--no-warm-up", "--nudge-every", EVERY)
            await emu.wait_polling(timeout=120)
            # the reminders come due one by one while both kinds of process look for them
            first_due = datetime.now(UTC) + timedelta(seconds=2)
            store = open_database(db)
            for n, user_id in enumerate(ids):
                NudgeStore(store).schedule(user_id, first_due + timedelta(seconds=SPREAD * n / len(ids)))
            store.close()
            outputs: list[str] = []

            async def lane() -> None:  # run-once after run-once, until every reminder is out
                while sum(reminders(emu, start).values()) < len(ids):
                    proc = await credbot(emu, db, "nudges", "run-once")
                    out, err = await asyncio.wait_for(proc.communicate(), timeout=180)
                    assert proc.returncode == 0, err.decode()[-2000:]
                    outputs.append(out.decode())

            await asyncio.wait_for(asyncio.gather(lane(), lane()), timeout=240)
            await emu.wait_idle(quiet=1.5, timeout=60)  # time for a second send, if one were coming
            bot.terminate()
            _, bot_err = await asyncio.wait_for(bot.communicate(), timeout=60)

            by_once = sum(int(m.group(1)) for o in outputs for m in re.finditer(r"sent (\d+)", o))
            by_run = sum(int(m.group(1)) for m in re.finditer(r"nudges: \d+ claimed, (\d+) sent", bot_err.decode()))
            with sqlite3.connect(db) as conn:
                statuses = dict(conn.execute("select status, count(*) from nudges group by status").fetchall())
                sent_rows = conn.execute("select user_id, count(*) from nudges where status = 'sent' group by 1")
                per_row = dict(sent_rows.fetchall())
            assert per_row == {i: 1 for i in ids}, per_row
            assert "claimed" not in statuses and "sending" not in statuses, statuses
            return reminders(emu, start), {"run": by_run, "run-once": by_once}

    got, by = run(scenario())
    assert sorted(got) == sorted(6100 + i for i in range(PEOPLE)), got  # everyone had theirs
    assert set(got.values()) == {1}, got  # and nobody had two
    assert by["run"] + by["run-once"] == PEOPLE, by
    print(f"reminders sent by credbot run: {by['run']}, by nudges run-once: {by['run-once']}")


def test_nudges_run_once_also_sends_queued_broadcasts(tmp_path: Path) -> None:
    """A cron user who runs only `credbot nudges run-once` still gets an admin's broadcast out."""
    real_now = datetime.now(UTC)

    async def scenario() -> tuple[str, list[int]]:
        async with BotApiEmulator() as emu:
            async with world(tmp_path, emu=emu, clock=Clock(real_now)) as w:
                for user_id in (6201, 6202):
                    await w.chat(user_id=user_id).say("/start")
                outbox = OutboxStore(w.services.db)
                assert outbox.queue(outbox.draft("Workshop on Friday", real_now), real_now) == 2
                db = w.db_path
            start = len(emu.sent)
            proc = await credbot(emu, db, "nudges", "run-once")
            out, err = await asyncio.wait_for(proc.communicate(), timeout=180)
            assert proc.returncode == 0, err.decode()[-2000:]
            got = sorted(s.chat_id for s in emu.sent[start:] if "Workshop on Friday" in (s.text or ""))
            return out.decode(), got

    out, got = run(scenario())
    assert got == [6201, 6202]
    assert "broadcast: 2 sent" in out
