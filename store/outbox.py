"""Admin broadcasts (SQLite or PostgreSQL): a draft, then one outbox row per recipient, drained under a lease.

draft -> queued | cancelled (the broadcast); pending -> claimed (lease) -> sending -> sent | failed | skipped (each
recipient's row). As with the nudges (store/nudges.py): a crash while `claimed` lets the row be claimed again after
the lease (nothing lost); a crash while `sending` never re-sends it (nothing repeated).

Also the aggregate counts `/stats` shows: numbers only, never anything about one person.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from store.engine import Engine, as_engine, quote

LEASE = timedelta(minutes=5)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Broadcast:
    id: int
    text: str
    status: str
    recipients: int


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """A claimed message to one person; `chat_id` is None when the person is gone."""

    id: int
    broadcast_id: int
    user_id: int
    chat_id: int | None
    text: str
    attempts: int
    claim_token: str


@dataclass(frozen=True, slots=True)
class Stats:
    people: int
    active_7d: int
    enrollments: dict[str, int]
    nudges: dict[str, int]
    outbox: dict[str, int]


class OutboxStore:
    def __init__(self, db: Engine | Database) -> None:
        self.db = as_engine(db)

    # -- drafts ------------------------------------------------------------------------------------------------
    def draft(self, text: str, now: datetime) -> int:
        return self.db.insert("broadcasts", {"text": text, "status": "draft", "created_at": iso(now)})

    def get(self, broadcast_id: int) -> Broadcast | None:
        rows = self.db.query("select * from broadcasts where id = ?", [broadcast_id])
        if not rows:
            return None
        r = rows[0]
        return Broadcast(r["id"], r["text"], r["status"], r["recipients"] or 0)

    def cancel(self, broadcast_id: int) -> bool:
        """Only a draft can be cancelled; False when it was queued or cancelled already."""
        changed = self.db.execute(
            "update broadcasts set status = 'cancelled' where id = ? and status = 'draft'", [broadcast_id]
        )
        return changed > 0

    def recipient_ids(self) -> list[int]:
        """Everyone the bot may write to: people who have not blocked it."""
        return [r["id"] for r in self.db.query("select id from users where blocked = 0 order by id")]

    def queue(self, broadcast_id: int, now: datetime) -> int | None:
        """Draft -> queued with one pending row per recipient, in one transaction; None if it was not a draft
        (a second tap on Send queues nothing)."""
        with self.db.atomic():
            changed = self.db.execute(
                "update broadcasts set status = 'queued', queued_at = ? where id = ? and status = 'draft'",
                [iso(now), broadcast_id],
            )
            if changed == 0:
                return None
            recipients = self.recipient_ids()
            self.db.execute_many(
                "insert into outbox (broadcast_id, user_id, status, due_at, attempts) values (?, ?, 'pending', ?, 0) "
                "on conflict (broadcast_id, user_id) do nothing",
                [(broadcast_id, uid, iso(now)) for uid in recipients],
            )
            self.db.execute("update broadcasts set recipients = ? where id = ?", [len(recipients), broadcast_id])
        return len(recipients)

    # -- draining ----------------------------------------------------------------------------------------------
    def claim_due(self, now: datetime, *, lease: timedelta = LEASE, limit: int = 200) -> list[OutboxRow]:
        """Atomically take due rows, and rows whose claim lease ran out (their claimer died before sending)."""
        token = uuid.uuid4().hex
        lock = " for update skip locked" if self.db.kind == "postgresql" else ""  # see store/nudges.py
        with self.db.atomic():
            self.db.execute(
                "update outbox set status = 'claimed', claim_token = ?, claimed_at = ? where id in ("
                " select id from outbox where (status = 'pending' and due_at <= ?)"
                f" or (status = 'claimed' and claimed_at <= ?) order by due_at, id limit ?{lock})",
                [token, iso(now), iso(now), iso(now - lease), limit],
            )
            rows = self.db.query(
                "select o.id, o.broadcast_id, o.user_id, o.attempts, u.chat_id, b.text from outbox o "
                "join broadcasts b on b.id = o.broadcast_id left join users u on u.id = o.user_id "
                "where o.claim_token = ? and o.status = 'claimed' order by o.id",
                [token],
            )
            return [
                OutboxRow(r["id"], r["broadcast_id"], r["user_id"], r["chat_id"], r["text"], r["attempts"], token)
                for r in rows
            ]

    def mark_sending(self, row: OutboxRow) -> bool:
        """The point of no return: False if the claim was lost (the lease ran out and someone else took it)."""
        changed = self.db.execute(
            "update outbox set status = 'sending' where id = ? and status = 'claimed' and claim_token = ?",
            [row.id, row.claim_token],
        )
        return changed > 0

    def mark_sent(self, row_id: int, now: datetime, message_id: int | None) -> None:
        self.db.execute(
            "update outbox set status = 'sent', sent_at = ?, message_id = ?, error = '' where id = ?",
            [iso(now), message_id, row_id],
        )

    def retry_at(self, row_id: int, due_at: datetime, attempts: int, error: str) -> None:
        """Back to pending after a passing failure, tried again at `due_at`."""
        self.db.execute(
            "update outbox set status = 'pending', due_at = ?, attempts = ?, claim_token = '', error = ? where id = ?",
            [iso(due_at), attempts, error[:500], row_id],
        )

    def finish(self, row_id: int, status: str, error: str = "", *, attempts: int | None = None) -> None:
        fields: dict[str, Any] = {"status": status, "error": error[:500]}
        if attempts is not None:
            fields["attempts"] = attempts
        self.db.update("outbox", row_id, fields)

    def rows(self, **where: Any) -> list[dict[str, Any]]:
        clause = " and ".join(f"{quote(k)} = ?" for k in where) or "1 = 1"
        return self.db.query(f"select * from outbox where {clause} order by id", list(where.values()))


def _by_status(db: Engine, table: str) -> dict[str, int]:
    rows = db.query(f"select status, count(*) as n from {quote(table)} group by status")
    return {r["status"]: int(r["n"]) for r in rows}


def stats(given: Engine | Database, now: datetime) -> Stats:
    """What `/stats` shows: counts over everyone, nothing that singles anyone out."""
    db = as_engine(given)
    people = db.scalar("select count(*) from users")
    active = db.scalar("select count(*) from users where last_seen_at >= ?", [iso(now - timedelta(days=7))])
    return Stats(
        people=int(people),
        active_7d=int(active),
        enrollments=_by_status(db, "enrollments"),
        nudges=_by_status(db, "nudges"),
        outbox=_by_status(db, "outbox"),
    )
