"""Admin commands end to end: only CREDBOT_ADMIN_IDS see /stats and /broadcast; a broadcast is previewed, then sent
from the SQLite outbox once to each person, even when the sender dies between its claim and the send."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.broadcast import run_outbox
from bot.handlers.admin import GROUP as ADMIN_GROUP
from bot.handlers.admin import OUTBOX_JOB, register_admin
from bot.render import e
from bot.runtime import make_services, running
from sandbox.emulator import BotApiEmulator, Sent
from store.outbox import LEASE, OutboxRow, OutboxStore
from tests.e2e.harness import Clock, World, run, shared_recommender
from tests.fakes import FakeEncoder

ADMIN = 9001
PEOPLE = (101, 102, 103)


@contextlib.asynccontextmanager
async def app_world(
    tmp_path: Path,
    *,
    admin_ids: Iterable[int] | None = (ADMIN,),
    emu: BotApiEmulator | None = None,
    token: Callable[[BotApiEmulator], str] | None = None,
    clock: Clock | None = None,
) -> AsyncIterator[World]:
    """Like harness.world, with register_admin called on the Application (admin_ids=None: from the environment)
    and, optionally, the token taken from somewhere other than the emulator (the environment, for instance)."""
    own = emu is None
    emulator = emu or BotApiEmulator()
    if own:
        await emulator.start()
    clock = clock or Clock()
    db_path = tmp_path / "credbot.db"
    services = make_services(db_path, clock=clock, encoder=FakeEncoder(), recommender=shared_recommender())
    app = build_application(
        services,
        token(emulator) if token else emulator.token,
        base_url=emulator.base_url,
        base_file_url=emulator.base_file_url,
        nudge_every=None,
        extra=lambda application: register_admin(application, admin_ids, every=None),
    )
    try:
        async with running(app):
            emulator.watch_queue(app.update_queue)
            yield World(emulator, services, clock, db_path, app)
    finally:
        if own:
            await emulator.stop()


async def join(w: World, *ids: int) -> None:
    for uid in ids:
        sent = await w.chat(uid, first_name=f"Person{uid}").say("/start")
        assert "1 of 7" in sent[-1].text


def received(w: World, user_id: int, text: str) -> list[Sent]:
    return [s for s in w.emu.sent if s.method == "sendMessage" and s.chat_id == user_id and s.text == text]


def test_everyone_else_gets_the_unknown_command_answer_and_forged_admin_buttons_do_nothing(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with app_world(tmp_path) as w:
            await join(w, 101)
            chat = w.chat(101)
            unknown = (await chat.say("/frobnicate"))[-1].text
            for command in ("/stats", "/broadcast Hello everyone"):
                answer = await chat.say(command)
                name = command.split()[0]
                assert [s.text for s in answer] == [unknown.replace("/frobnicate", name)]
            for data in ("adm:send:1", "adm:no:1", "adm:send:" + "9" * 50):
                forged = await chat.press_data(answer[-1].message_id, data)
                assert [s.method for s in forged] == ["answerCallbackQuery"] and "out of date" in (forged[0].text or "")
            assert w.services.db.scalar("select count(*) from broadcasts") == 0
            assert OutboxStore(w.services.db).rows() == []
            assert not w.emu.errors

    run(scenario())


def test_admins_come_from_credbot_admin_ids_and_stats_are_counts_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREDBOT_ADMIN_IDS", f" {ADMIN}, 424242 ,not-a-number")

    async def scenario() -> None:
        async with app_world(tmp_path, admin_ids=None) as w:
            await join(w, *PEOPLE)
            w.services.store.update_settings(103, blocked=1)
            w.clock.advance(days=8)
            await join(w, 101)  # the only one seen in the last week
            text = (await w.chat(ADMIN).say("/stats"))[-1].text
            assert "People: 3 (1 active in the last 7 days)" in text
            assert "Reminders: 0 sent, 0 failed, 0 pending" in text
            assert f"Catalog: {w.services.catalog.count():,} credentials" in text
            assert not any(f"Person{uid}" in text for uid in PEOPLE) and len(text.splitlines()) == 6  # counts only
            assert w.services.store.get_user(ADMIN) is None  # admin commands store nothing about the admin
            stranger = await w.chat(424243).say("/stats")
            assert "I don't know /stats" in stranger[-1].text

    run(scenario())


def test_broadcast_preview_cancel_then_send_reaches_each_person_exactly_once(tmp_path: Path) -> None:
    message = "New <free> courses & a fresh path planner!"

    async def scenario() -> None:
        async with app_world(tmp_path) as w:
            await join(w, *PEOPLE)
            admin = w.chat(ADMIN)
            assert "Write the message" in (await admin.say("/broadcast"))[-1].text

            preview = (await admin.say(f"/broadcast {message}"))[-1]
            assert "goes to 3 people" in preview.text and e(message) in preview.text
            assert [t for t, _ in w.emu.buttons(preview)] == ["Send to 3", "Cancel"]
            assert all(d.startswith("adm:") for _, d in w.emu.buttons(preview))
            for junk in ("adm:send:" + "9" * 50, "adm:send", "adm:go:1"):
                assert "out of date" in ((await admin.press_data(preview.message_id, junk))[0].text or "")
            cancelled = await admin.press("Cancel")
            assert any("nothing was sent" in (s.text or "") for s in cancelled)
            assert (await run_outbox(w.app.bot, w.services, w.clock())).claimed == 0
            late = await admin.press_data(preview.message_id, w.emu.buttons(preview)[0][1])  # Send after Cancel
            assert "Already done" in (late[0].text or "")
            assert OutboxStore(w.services.db).rows() == []

            preview = (await admin.say(f"/broadcast {message}"))[-1]
            send_data = w.emu.buttons(preview)[0][1]
            queued = await admin.press("Send to 3")
            assert any("Queued for 3 people" in (s.text or "") for s in queued)
            again = await admin.press_data(preview.message_id, send_data)  # a second tap
            assert [s.method for s in again] == ["answerCallbackQuery"] and "Already done" in (again[0].text or "")
            assert len(OutboxStore(w.services.db).rows()) == 3

            w.emu.block(103)  # 403 for this one: failed, never retried
            report = await run_outbox(w.app.bot, w.services, w.clock())
            assert (report.sent, report.blocked) == (2, 1)
            for later in (1, 60, 60 * 24):
                assert (await run_outbox(w.app.bot, w.services, w.clock() + timedelta(minutes=later))).claimed == 0
            await w.emu.wait_idle()
            assert [len(received(w, uid, e(message))) for uid in PEOPLE] == [1, 1, 0]
            assert len([err for err in w.emu.errors if err[1] == 403]) == 1
            statuses = {r["user_id"]: r["status"] for r in OutboxStore(w.services.db).rows()}
            assert statuses == {101: "sent", 102: "sent", 103: "failed"}
            assert w.services.store.get_user(103).blocked
            stats = (await admin.say("/stats"))[-1].text
            assert "Broadcast messages: 1 failed, 2 sent" in stats

    run(scenario())


class Crash(Exception):
    """The sender's process dying right after its claim."""


def test_a_crash_between_claim_and_send_neither_loses_nor_repeats(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with app_world(tmp_path) as w:
            await join(w, *PEOPLE)
            admin = w.chat(ADMIN)
            await admin.say("/broadcast Workshop on Friday")
            await admin.press("Send to 3")

            async def die(claimed: list[OutboxRow]) -> None:
                assert len(claimed) == 3
                raise Crash

            with pytest.raises(Crash):
                await run_outbox(w.app.bot, w.services, w.clock(), after_claim=die)
            assert (await run_outbox(w.app.bot, w.services, w.clock() + LEASE / 2)).claimed == 0  # still leased
            assert all(not received(w, uid, "Workshop on Friday") for uid in PEOPLE)  # nothing lost yet, or sent

            w.clock.now += LEASE + timedelta(seconds=1)  # the dead sender's lease has run out
            report = await run_outbox(w.app.bot, w.services, w.clock())
            assert (report.claimed, report.sent) == (3, 3)
            assert (await run_outbox(w.app.bot, w.services, w.clock() + LEASE * 3)).claimed == 0
            await w.emu.wait_idle()
            assert [len(received(w, uid, "Workshop on Friday")) for uid in PEOPLE] == [1, 1, 1]

    run(scenario())


def test_register_admin_adds_one_outbox_job_and_can_be_called_again(tmp_path: Path) -> None:
    services = make_services(tmp_path / "j.db", encoder=FakeEncoder(), recommender=shared_recommender())
    app: Any = build_application(services, "123456:TEST-TOKEN", nudge_every=None)
    register_admin(app, [1], every=30)
    register_admin(app, [2], every=30)  # e.g. build_application registered it already
    assert app.job_queue is not None and len(app.job_queue.get_jobs_by_name(OUTBOX_JOB)) == 1
    assert app.bot_data["admin_ids"] == frozenset({2}) and app.bot_data["admin_filter"].user_ids == frozenset({2})
    assert len(app.handlers[ADMIN_GROUP]) == 3  # /stats, /broadcast and the buttons, once
    services.db.close()
