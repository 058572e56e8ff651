"""kill -9 of real `credbot run` and `credbot catalog import` processes at chosen-at-random moments, then a restart:
every committed answer kept, no half-written rows, the conversation resumes where it was, nothing imported by half.
(The kill between a reminder's claim and its send is in tests/e2e/test_nudges.py.)"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import sys
from pathlib import Path

import pytest

from sandbox.emulator import BotApiEmulator
from tests.e2e.harness import SOAK, run, scale

ROOT = Path(__file__).resolve().parents[2]
USER = 7001
ANSWERS = ["/start", "teacher", "data analyst", "skip", "4 hours", "3 months", "free", "online"]
DONE = ("Enrolled in", "already enrolled")  # a tap that came back after a crash finds the enrollment made
MOMENTS = ("right after sending", "at the bot's first reply call", "after the reply")


def env_for(emu: BotApiEmulator, db: Path) -> dict[str, str]:
    return {**os.environ, "TELEGRAM_BOT_TOKEN": emu.token, "TELEGRAM_API_BASE_URL": emu.base_url,
            "CREDBOT_DB": str(db), "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}  # fmt: skip


async def start_bot(emu: BotApiEmulator, db: Path) -> asyncio.subprocess.Process:
    """Start `credbot run`; updates wait in the emulator until it polls, as they would at Telegram."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", "from credbot.cli import main; main(['run'])", env=env_for(emu, db), cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


def rows(db: Path, sql: str, args: tuple = ()) -> list[tuple]:
    """Read with a connection of the test's own; [] while the bot has not created the table yet."""
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute(sql, args).fetchall()
        except sqlite3.OperationalError as err:
            if "no such table" in str(err):
                return []
            raise


def healthy(db: Path) -> None:
    assert rows(db, "pragma integrity_check") == [("ok",)]
    for row in rows(db, "select credential_id, status, started_on, target_date, hours_total from enrollments"):
        assert all(v is not None and v != "" for v in row), row  # no half-written enrollment


def answered(db: Path) -> int:
    """How many onboarding answers the store holds for the person (0 before /start was handled)."""
    if rows(db, "select 1 from profiles where user_id = ?", (USER,)):
        return len(ANSWERS)  # all answered: the profile is saved
    found = rows(db, "select history, step from users where id = ?", (USER,))
    if not found or not found[0][1]:
        return 0  # no question asked yet (the row alone is made on first contact)
    return 1 + len(json.loads(found[0][0] or "[]"))


async def kill_at(emu: BotApiEmulator, proc: asyncio.subprocess.Process, moment: str, start: int) -> None:
    if moment == "at the bot's first reply call":
        await emu.wait_for(lambda s: s.chat_id == USER, start=start, timeout=120)
    elif moment == "after the reply":
        await emu.wait_for(lambda s: s.chat_id == USER, start=start, timeout=120)
        await emu.wait_idle(quiet=0.2, timeout=120)
    proc.kill()  # SIGKILL: no shutdown hooks, no final getUpdates
    await proc.wait()


@pytest.mark.parametrize("seed", range(11, 11 + scale(1, 6)))
def test_kill_9_mid_onboarding_and_after_enrolling_keeps_every_committed_answer(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    db = tmp_path / "kill.db"

    async def scenario() -> int:
        kills = 0
        async with BotApiEmulator() as emu:
            proc = await start_bot(emu, db)
            i = 0
            while i < len(ANSWERS):
                start = len(emu.sent)
                before = answered(db)
                emu.send_text(USER, ANSWERS[i])
                if kills < 6 and rng.random() < 0.6:
                    await kill_at(emu, proc, rng.choice(MOMENTS), start)
                    kills += 1
                    healthy(db)
                    redelivered = emu.pending_updates > 0  # fetched by nobody yet: the next process gets it
                    proc = await start_bot(emu, db)
                    if redelivered:
                        await emu.wait_for(lambda s: s.chat_id == USER, start=start, timeout=180)
                        await emu.wait_idle(quiet=0.3, timeout=180)
                    after = answered(db)
                    assert after in (before, before + 1)  # the answer was kept whole, or not at all
                    if after == before:
                        continue  # taken by the process that died, not committed: the person says it again
                else:
                    await emu.wait_for(lambda s: s.chat_id == USER, start=start, timeout=180)
                    await emu.wait_idle(quiet=0.3, timeout=180)
                i += 1
            # the conversation resumed where it was each time and ends in picks made from every answer
            # (a kill may have taken the cards with it after the answers were saved: /recommend shows them again)
            start = len(emu.sent)
            emu.send_text(USER, "/recommend")
            await emu.wait_for(lambda s: "Enroll" in str(s.reply_markup or ""), start=start, timeout=180)
            await emu.wait_idle(quiet=0.3, timeout=180)
            saved = rows(db, "select data from profiles where user_id = ? order by id desc", (USER,))
            profile = json.loads(saved[0][0])
            assert profile["role"] == "teacher" and profile["goal"] == "data analyst"
            assert profile["budget"] == 0 and profile["format"] == "online"

            # enroll, with a kill right after the tap; the enrollment exists once or not at all, never twice
            for attempt in range(3):
                card = next(s for s in reversed(emu.sent) if s.chat_id == USER and "Enroll" in str(s.reply_markup))
                data = next(d for t, d in emu.buttons(card) if t == "Enroll")
                start = len(emu.sent)
                emu.press(USER, card.message_id, data)
                pace = await emu.wait_for(lambda s: s.chat_id == USER and "relaxed" in str(s.reply_markup).lower(),
                                          start=start, timeout=120)  # fmt: skip
                pace_data = next(d for t, d in emu.buttons(pace) if "relaxed" in t.lower())
                start = len(emu.sent)
                emu.press(USER, pace.message_id, pace_data)
                if attempt == 0:
                    await kill_at(emu, proc, rng.choice(MOMENTS), start)
                    kills += 1
                    healthy(db)
                    redelivered = emu.pending_updates > 0
                    proc = await start_bot(emu, db)
                    if redelivered:
                        await emu.wait_for(lambda s: s.chat_id == USER and s.method == "sendMessage", start=start,
                                           timeout=180)  # fmt: skip
                else:
                    await emu.wait_for(lambda s: s.chat_id == USER and any(d in (s.text or "") for d in DONE),
                                       start=start, timeout=120)  # fmt: skip
                count = rows(db, "select count(*) from enrollments where user_id = ?", (USER,))[0][0]
                assert count in (0, 1)
                if count == 1:
                    break
            assert rows(db, "select count(*) from enrollments where user_id = ?", (USER,))[0][0] == 1
            proc.kill()
            await proc.wait()
        return kills

    assert run(scenario()) >= 3


def test_kill_9_during_a_catalog_import_imports_all_or_nothing(tmp_path: Path) -> None:
    db = tmp_path / "import.db"
    source = ROOT / "catalog" / "data" / "credentials.jsonl"
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()[:3000]]
    big = tmp_path / "more.jsonl"
    with big.open("w", encoding="utf-8") as out:
        for r in records:
            out.write(json.dumps({**r, "id": r["id"] + "-copy", "title": r["title"] + " (copy)"}) + "\n")
    env = {**os.environ, "CREDBOT_DB": str(db), "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}

    async def import_once(deadline: float | None) -> int | None:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", f"from credbot.cli import main; main(['catalog', 'import', {str(big)!r}])",
            env=env, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            return await asyncio.wait_for(proc.wait(), timeout=deadline)
        except TimeoutError:
            proc.kill()  # the deadline passed while it was still importing
            await proc.wait()
            return None

    async def scenario() -> list[int]:
        assert await import_once(None) is None or True  # creates the database with the bundled catalog
        base = rows(db, "select count(*) from credentials where id not like '%-copy'")[0][0]
        rows(db, "delete from credentials where id like '%-copy'")
        with sqlite3.connect(db) as conn:
            conn.execute("delete from credentials where id like '%-copy'")
        counts = []
        moments = [0.8, 1.2, 1.6, 2.0, 2.5, 3.0]
        for deadline in random.Random(5).sample(moments, 4) if not SOAK else moments * 3:
            await import_once(deadline)
            assert rows(db, "pragma integrity_check") == [("ok",)]
            copies = rows(db, "select count(*) from credentials where id like '%-copy'")[0][0]
            assert copies in (0, len(records)), copies  # never a part of the file
            counts.append(copies)
            with sqlite3.connect(db) as conn:
                conn.execute("delete from credentials where id like '%-copy'")
        assert await import_once(None) == 0
        assert rows(db, "select count(*) from credentials where id like '%-copy'")[0][0] == len(records)
        assert rows(db, "select count(*) from credentials where id not like '%-copy'")[0][0] == base
        return counts

    run(scenario())
