"""Each update handled once: its id is recorded in the store before the handlers run, and an id already there is
skipped.

Why: after a crash Telegram hands out again whatever the bot had fetched but not yet confirmed, and a webhook
update is sent again when Telegram thinks the first try failed (possibly to another replica); an answer applied
twice would land on the next question. Recording first makes a handled update at most once: one cut short by a
crash is not replayed, and the person, who got no reply, simply says it again. The record is one insert that
either adds the row or finds it there, so replicas sharing a PostgreSQL store agree on who takes an update.
Telegram keeps an update for at most a day, so records older than KEEP are dropped (`forget_before`). A record
holds the update id and when it came, nothing that says whose it was: it is not data about a person.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from store.engine import Engine, as_engine

KEEP = timedelta(days=2)


def first_sight(db: Engine | Database, update_id: int, now: datetime | None = None) -> bool:
    """True once per update id: False for one already recorded (by this process or another)."""
    at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    added = as_engine(db).execute(
        "insert into handled_updates (update_id, at) values (?, ?) on conflict (update_id) do nothing",
        [update_id, at],
    )
    return added > 0


def forget_before(db: Engine | Database, before: datetime) -> int:
    """Drop records older than `before` (no redelivery can come that late); returns how many."""
    return as_engine(db).execute("delete from handled_updates where at < ?", [before.isoformat(timespec="seconds")])
