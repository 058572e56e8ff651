"""/export holds every row about a person and /forget removes every one of them, counted table by table; the person
can start afresh, and their old buttons change nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.broadcast import run_outbox
from bot.handlers.account import FORGOTTEN
from bot.persistence import CONVERSATION
from store.engine import Engine
from store.nudges import NudgeStore
from store.outbox import OutboxStore
from tests.e2e.harness import Chat, World, run, world
from tests.e2e.test_conversation import onboard_by_buttons
from tests.e2e.test_nudges import tick

ANA = 6006
BEN = 7007  # someone else, whose rows must survive Ana's /forget


def person_tables(db: Engine) -> dict[str, str]:
    """Every table holding rows about people, found from the schema (not from the store's own list): table ->
    SQL condition on one person's id. A column that looks personal but is not understood here fails the test."""
    out = {}
    for table in db.table_names():
        columns = set(db.columns(table))
        personal = {c for c in columns if "user" in c.lower() or "chat" in c.lower()}
        if table == "users":
            out["users"] = "id = ?"
            continue
        assert personal <= {"user_id", "chat_id"}, f"{table} has person columns {personal} nobody handles"
        if personal:
            out[table] = " or ".join(f"{c} = ?" for c in sorted(personal))
    return out


def counts(db: Engine, who: int) -> dict[str, int]:
    return {
        table: db.scalar(f'select count(*) from "{table}" where {where}', [who] * where.count("?"))
        for table, where in person_tables(db).items()
    }


async def conversation_keys(w: World) -> set[Any]:
    return set(await w.app.persistence.get_conversations(CONVERSATION))


async def export_of(chat: Chat) -> dict[str, Any]:
    doc = next(s for s in await chat.say("/export") if s.method == "sendDocument")
    assert doc.filename == f"credbot-data-{chat.user_id}.json"
    return json.loads(doc.document or b"{}")  # type: ignore[no-any-return]


async def everything_about_ana(w: World, ana: Chat) -> dict[str, tuple[int, str]]:
    """Onboarding, picks, a rating, an enrollment, progress, a sent reminder and a broadcast; the buttons kept."""
    await onboard_by_buttons(ana)
    old: dict[str, tuple[int, str]] = {"card": ana.find_button("👍")}
    await ana.press("👍")
    old["enroll"] = ana.find_button("Enroll")
    await ana.press("Enroll")
    assert "Enrolled in" in (await ana.press("relaxed"))[-1].text
    await ana.say("/progress", until="sendPhoto")
    old["progress"] = ana.find_button("+1 h")
    await ana.press("+1 h")
    reminders: list[Any] = []
    for _ in range(30):
        reminders += [m for m in await tick(w, 6) if m.chat_id == ANA]
        if reminders:
            break
    assert reminders, "a reminder was sent"
    old["reminder"] = ana.find_button("Snooze 1 day")
    outbox = OutboxStore(w.services.db)
    outbox.queue(outbox.draft("New courses are in", w.clock()), w.clock())
    assert (await run_outbox(w.app.bot, w.services, w.clock())).sent == 2
    await ana.say("/start")  # mid-onboarding again: a live conversation state
    await ana.say("nurse")
    return old


def test_export_lists_every_row_and_forget_leaves_none_and_old_buttons_change_nothing(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            db = w.services.db
            ben = w.chat(BEN, first_name="Ben")
            await ben.say("/start")
            await ben.say("teacher")
            ana = w.chat(ANA)
            old = await everything_about_ana(w, ana)

            before = counts(db, ANA)
            for table in ("users", "profiles", "shown", "feedback", "enrollments", "progress_log", "nudges", "outbox"):
                assert before[table] > 0, (table, before)
            assert NudgeStore(db).rows(user_id=ANA, status="sent")
            # the conversation state is stored with the person
            assert db.query("select step from users where id = ?", [ANA])[0]["step"] == "asking"
            assert (ANA, ANA) in await conversation_keys(w)
            ben_before = counts(db, BEN)
            assert ben_before["users"] == 1 and ben_before["outbox"] == 1

            data = await export_of(ana)
            for table, n in before.items():
                key = "user" if table == "users" else table
                rows = [data[key]] if table == "users" else data.get(key)
                assert rows is not None and len(rows) == n, (table, n, rows)
            assert data["user"]["step"] == "asking" and data["user"]["draft"] == {"role": "nurse"}
            assert {p["data"].get("role") for p in data["profiles"]} == {"teacher"}
            assert all(r["user_id"] == ANA for t in data if t != "user" for r in data[t])
            assert "Ben" not in json.dumps(data)

            await ana.say("/forget")
            gone = await ana.press("Yes, delete everything")
            assert any("deleted" in (s.text or "") for s in gone)
            assert set(counts(db, ANA).values()) == {0}, counts(db, ANA)
            assert (ANA, ANA) not in await conversation_keys(w)
            assert counts(db, BEN) == ben_before

            for name, (message_id, data_) in old.items():
                answer = await ana.press_data(message_id, data_)
                assert [s.method for s in answer] == ["answerCallbackQuery"], (name, answer)
                assert answer[0].text == FORGOTTEN
            again = await ana.press("Yes, delete everything")  # the confirmation tapped twice
            assert [s.text for s in again] == [FORGOTTEN]
            assert [m for m in await tick(w, 24 * 7) if m.chat_id == ANA] == []  # no reminder for someone gone
            assert set(counts(db, ANA).values()) == {0}, counts(db, ANA)

            fresh = await ana.say("/start")
            assert "1 of 7" in fresh[-1].text
            user = w.services.store.get_user(ANA)
            assert user is not None and user.draft == {} and not user.blocked
            data = await export_of(ana)
            assert data["user"]["id"] == ANA and not data["user"]["draft"]
            assert all(data[t] == [] for t in data if t != "user")
            assert not w.emu.errors

    run(scenario())
