"""The real Application on a PostgreSQL store: onboarding, picks, enrolling, a reminder, progress, /export and
/forget, and a restart that resumes the conversation, so the second engine is proven end to end and not only
store by store."""

from __future__ import annotations

from pathlib import Path

from sandbox.emulator import BotApiEmulator
from tests.conftest import pg_schema_url
from tests.e2e.harness import run, world
from tests.e2e.test_nudges import enroll, tick


def test_a_whole_journey_on_postgresql(pg_schema: str, tmp_path: Path) -> None:
    url = pg_schema_url(pg_schema)

    async def scenario() -> None:
        emu = BotApiEmulator()  # one Telegram for both runs: update ids go on from where they were
        await emu.start()
        async with world(tmp_path, db=url, emu=emu) as w:
            assert w.services.db.kind == "postgresql"
            chat = w.chat(user_id=8101)
            await enroll(chat)
            reminders = []
            for _ in range(12):
                reminders += await tick(w, 12)
                if reminders:
                    break
            assert reminders and any("Snooze 1 day" in t for t, _ in w.emu.buttons(reminders[0]))
            await chat.say("/progress", until="sendPhoto")
            logged = await chat.press("+1 h")
            assert logged
            [enrollment] = w.services.store.enrollments(8101)
            assert enrollment.hours_logged == 1.0

            other = w.chat(user_id=8102, first_name="Bo")
            await other.say("/start")
            await other.say("nurse")  # Bo is half-way through the questions when the bot restarts
        async with world(tmp_path, db=url, emu=emu) as w:
            resumed = await w.chat(user_id=8102, first_name="Bo").say("health informatics")
            assert resumed and "2 of 7" not in resumed[-1].text  # the goal was taken as the answer to question 2
            assert w.services.store.get_user(8102).draft.get("goal")  # type: ignore[union-attr]

            chat = w.chat(user_id=8101)
            export = await chat.say("/export", until="sendDocument")
            assert export
            await chat.say("/forget")
            gone = await chat.press("Yes, delete everything")
            assert any("deleted" in (s.text or "") for s in gone)
            db = w.services.db
            for table in db.table_names():
                if "user_id" in db.columns(table):
                    assert db.scalar(f'select count(*) from "{table}" where user_id = ?', [8101]) == 0, table
            assert w.services.store.get_user(8101) is None
            assert w.services.store.get_user(8102) is not None
        await emu.stop()

    run(scenario())
