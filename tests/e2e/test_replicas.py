"""Three `credbot run --webhook` replicas on one PostgreSQL database send 2,000 due reminders; one is killed with
SIGKILL half-way. Counted at the end, from what the emulator received: nobody gets a reminder twice; everyone gets
theirs, except a reminder the killed replica was in the middle of sending (marked "sending", never sent again:
at most once), and those are exactly the rows left in that state. Telegram's 30 messages/s are one budget for the
three together (store/budget.py): the emulator enforces it and answers 429 past it, and none comes.
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from catalog.repository import CatalogRepository
from sandbox.emulator import BotApiEmulator, free_port
from store.connect import open_engine
from store.nudges import NudgeStore
from store.repository import Store
from tests.conftest import pg_schema_url
from tests.e2e import replicas
from tests.e2e.harness import run
from tests.e2e.test_two_senders import midday_zone

PEOPLE = 2000
REPLICAS = 3
KILL_AFTER = 600  # reminders received before one replica is killed


def seed(url: str, now: datetime) -> list[int]:
    """2,000 people enrolled ten days ago who never logged anything, each with a reminder due now."""
    engine = open_engine(url)
    try:
        store, catalog = Store(engine), CatalogRepository(engine)
        credential = next(c for c in catalog.all() if c.hours)
        past = now - timedelta(days=10)
        ids = list(range(700_001, 700_001 + PEOPLE))
        nudges = NudgeStore(engine)
        with engine.atomic():
            for user_id in ids:
                store.touch_user(user_id, user_id, f"R{user_id}", "en", past)
                target = (now + timedelta(days=60)).date()
                store.enroll(user_id, credential.id, credential.hours or 10, past.date(), target, past)
                store.update_settings(user_id, timezone=midday_zone(now))
                nudges.schedule(user_id, now - timedelta(minutes=1))
        return ids
    finally:
        engine.close()


def is_reminder(emu: BotApiEmulator, s: object) -> bool:
    return getattr(s, "method", "") == "sendMessage" and any("Snooze 1 day" in t for t, _ in emu.buttons(s))  # type: ignore[arg-type]


def test_three_replicas_send_each_reminder_once_and_share_the_rate_limit_when_one_is_killed(
    pg_schema: str, tmp_path: Path
) -> None:
    url = pg_schema_url(pg_schema)
    now = datetime.now(UTC)
    ids = seed(url, now)

    async def scenario() -> dict[str, float]:
        async with BotApiEmulator(global_rate_limit=30) as emu:
            reps: list[replicas.Replica] = []
            async with replicas.cleanup(reps):
                for user_id in ids:
                    emu.meet(user_id, f"R{user_id}")
                received: Counter[int] = Counter()
                seen = 0

                def count() -> int:
                    nonlocal seen
                    for s in emu.sent[seen:]:
                        if is_reminder(emu, s):
                            received[s.chat_id] += 1
                    seen = len(emu.sent)
                    return sum(received.values())

                ports = [free_port() for _ in range(REPLICAS)]
                started = time.monotonic()
                for port in ports:
                    reps.append(await replicas.start(emu, url, "--nudge-every", "0.5", "--claim-lease", "5", port=port))
                for r in reps:
                    await r.wait_log("credbot is up")
                try:
                    await emu.wait_until(lambda: count() >= KILL_AFTER, timeout=300, what=f"{KILL_AFTER} reminders")
                except TimeoutError as err:
                    logs = "\n---\n".join(r.log[-2500:] for r in reps)
                    raise AssertionError(f"{err}; {count()} received; replica logs:\n{logs}") from None
                victim = reps[1]
                assert await victim.stop(signal.SIGKILL) == -signal.SIGKILL
                killed_at = count()

                check = open_engine(url)
                try:

                    def settled() -> bool:  # every reminder sent, or in flight when its sender died; none claimed
                        count()
                        now_ = NudgeStore(check).status_counts()
                        return not now_.get("claimed") and now_.get("sent", 0) + now_.get("sending", 0) >= PEOPLE

                    try:
                        await emu.wait_until(settled, timeout=600, what="every due reminder sent or given up")
                    except TimeoutError as err:
                        logs = "\n---\n".join(r.log[-2500:] for r in reps)
                        statuses = NudgeStore(check).status_counts()
                        raise AssertionError(f"{err}; {count()} received; {statuses}; logs:\n{logs}") from None
                    await emu.wait_idle(quiet=1.0, timeout=120)  # time for a second send, if one were coming
                    elapsed = time.monotonic() - started
                    statuses = NudgeStore(check).status_counts()
                    stuck = {r["user_id"] for r in NudgeStore(check).rows(status="sending")}
                finally:
                    check.close()
                for r in reps[:1] + reps[2:]:
                    assert await r.stop(signal.SIGTERM) == 0, r.log[-3000:]
                count()

                duplicated = {u: n for u, n in received.items() if n > 1}
                lost = {u for u in ids if received[u] == 0}
                assert duplicated == {}, duplicated
                assert lost <= stuck and len(stuck) <= 1, (lost, stuck, statuses)  # only the one in flight at the kill
                assert statuses.get("sent", 0) + len(stuck) == PEOPLE, statuses
                too_many = [e for e in emu.errors if e[1] == 429]
                assert too_many == [], too_many[:5]
                return {
                    "reminders": PEOPLE,
                    "received": sum(received.values()),
                    "received_before_kill": killed_at,
                    "lost": len(lost),
                    "duplicated": len(duplicated),
                    "http_429": len(too_many),
                    "seconds": round(elapsed, 1),
                    "per_second": round(sum(received.values()) / elapsed, 1),
                }

    figures = run(scenario())
    print("replicas:", figures)
