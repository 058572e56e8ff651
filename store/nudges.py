"""The nudge schedule (SQLite or PostgreSQL): one pending row per person, claimed under a lease, then sent or
released.

pending -> claimed (lease) -> sending -> sent | failed | skipped
A crash while `claimed` lets the row be claimed again after the lease (nothing lost); a crash while `sending`
never re-sends it (nothing repeated) — a person would rather miss one reminder than get two. A send that fails for
a passing reason goes back to pending with `attempts` + 1 and a later due time (bot/nudges/retry.py), and is
marked failed once the tries run out.

Several senders at once (`credbot run` replicas, `credbot nudges run-once`): on SQLite the claim is one write
transaction, and SQLite has one writer at a time; on PostgreSQL the due rows are picked with
`FOR UPDATE SKIP LOCKED`, so two claimers never wait on nor take the same row. Either way `mark_sending` only
succeeds for the claim it names: a sender whose lease ran out (and whose row another took) does not send.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from store.engine import Engine, as_engine, quote

LOCK_SPACE = 720_514_114  # advisory locks on PostgreSQL: (LOCK_SPACE, user id) guards one person's schedule


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class DueRow:
    id: int
    user_id: int
    due_at: datetime
    attempts: int = 0  # failed sends so far
    claim_token: str = ""  # whose claim this is: `mark_sending` checks it


@dataclass(frozen=True, slots=True)
class SentRow:
    id: int
    sent_at: datetime
    kind: str
    template: str
    tag: str
    enrollment_id: int | None
    reacted: bool


class NudgeStore:
    def __init__(self, db: Engine | Database) -> None:
        self.db = as_engine(db)

    def schedule(self, user_id: int, due_at: datetime) -> int:
        """Exactly one pending row per person: an existing one is moved, never duplicated."""
        with self.db.atomic():
            if self.db.kind == "postgresql":  # one scheduler per person at a time, across processes
                self.db.execute("select pg_advisory_xact_lock(?::int, ?::int)", [LOCK_SPACE, user_id % 2**31])
            existing = self.db.query(
                "select id from nudges where user_id = ? and status = 'pending' order by id", [user_id]
            )
            if existing:
                self.db.execute("update nudges set due_at = ? where id = ?", [iso(due_at), existing[0]["id"]])
                for extra in existing[1:]:
                    self.db.execute("update nudges set status = 'collapsed' where id = ?", [extra["id"]])
                return int(existing[0]["id"])
            return self.db.insert("nudges", {"user_id": user_id, "due_at": iso(due_at), "status": "pending"})

    def unschedule(self, user_id: int) -> None:
        self.db.execute("update nudges set status = 'cancelled' where user_id = ? and status = 'pending'", [user_id])

    def pending_due(self, user_id: int) -> datetime | None:
        rows = self.db.query("select due_at from nudges where user_id = ? and status = 'pending'", [user_id])
        return datetime.fromisoformat(rows[0]["due_at"]) if rows else None

    def claim_due(self, now: datetime, *, lease: timedelta = timedelta(minutes=5), limit: int = 500) -> list[DueRow]:
        """Atomically take due rows (and rows whose claim lease expired); collapse several per person into one."""
        token = uuid.uuid4().hex
        stale = iso(now - lease)
        lock = " for update skip locked" if self.db.kind == "postgresql" else ""
        with self.db.atomic():
            self.db.execute(
                "update nudges set status = 'claimed', claim_token = ?, claimed_at = ? where id in ("
                " select id from nudges where (status = 'pending' and due_at <= ?)"
                f" or (status = 'claimed' and claimed_at <= ?) order by due_at limit ?{lock})",
                [token, iso(now), iso(now), stale, limit],
            )
            rows = self.db.query(
                "select id, user_id, due_at, attempts from nudges where claim_token = ? and status = 'claimed' "
                "order by user_id, due_at",
                [token],
            )
            out: dict[int, DueRow] = {}
            for r in rows:
                if r["user_id"] in out:  # overdue duplicates after downtime: one catch-up, no burst
                    self.db.execute("update nudges set status = 'collapsed' where id = ?", [r["id"]])
                    continue
                out[r["user_id"]] = DueRow(
                    r["id"], r["user_id"], datetime.fromisoformat(r["due_at"]), int(r["attempts"] or 0), token
                )
        return list(out.values())

    def mark_sending(self, row_id: int, claim_token: str = "") -> bool:
        """claimed -> sending, committed before the send; False when the claim is no longer ours (the lease ran
        out and another sender took the row), and then this sender must not send."""
        mine = " and claim_token = ?" if claim_token else ""
        params = [row_id, claim_token] if claim_token else [row_id]
        sql = f"update nudges set status = 'sending' where id = ? and status = 'claimed'{mine}"
        return self.db.execute(sql, params) > 0

    def mark_sent(
        self,
        row_id: int,
        now: datetime,
        *,
        kind: str,
        template: str,
        tag: str,
        enrollment_id: int | None,
        text: str,
        message_id: int | None,
    ) -> None:
        self.db.update(
            "nudges",
            row_id,
            {"status": "sent", "sent_at": iso(now), "kind": kind, "template": template, "tag": tag,
             "enrollment_id": enrollment_id, "text": text, "message_id": message_id},
        )  # fmt: skip

    def release(self, row_id: int, due_at: datetime, error: str = "", *, attempts: int | None = None) -> None:
        """Back to pending (a transient failure): tried again at `due_at`; `attempts` counts the failures so far."""
        fields: dict[str, Any] = {"status": "pending", "due_at": iso(due_at), "claim_token": "", "error": error[:500]}
        if attempts is not None:
            fields["attempts"] = attempts
        self.db.update("nudges", row_id, fields)

    def finish(self, row_id: int, status: str, error: str = "", *, attempts: int | None = None) -> None:
        fields: dict[str, Any] = {"status": status, "error": error[:500]}
        if attempts is not None:
            fields["attempts"] = attempts
        self.db.update("nudges", row_id, fields)

    def status_counts(self) -> dict[str, int]:
        """Rows per status, for `credbot nudges status`."""
        rows = self.db.query("select status, count(*) as n from nudges group by status order by status")
        return {r["status"]: r["n"] for r in rows}

    def failed(self, limit: int = 50) -> list[dict[str, Any]]:
        """The most recent reminders given up on, with why and after how many tries."""
        return self.db.query(
            "select id, user_id, due_at, attempts, error from nudges where status = 'failed' order by id desc limit ?",
            [limit],
        )

    def sent_history(self, user_id: int, limit: int = 50) -> list[SentRow]:
        rows = self.db.query(
            "select id, sent_at, kind, template, tag, enrollment_id, reacted_at from nudges "
            "where user_id = ? and status = 'sent' order by sent_at desc, id desc limit ?",
            [user_id, limit],
        )
        out = [
            SentRow(r["id"], datetime.fromisoformat(r["sent_at"]), r["kind"], r["template"] or "", r["tag"] or "",
                    r["enrollment_id"], bool(r["reacted_at"]))
            for r in rows
        ]  # fmt: skip
        return list(reversed(out))

    def note_reaction(self, user_id: int, now: datetime) -> bool:
        """The person did something after our last nudge: it counts as noticed (resets back-off)."""
        changed = self.db.execute(
            "update nudges set reacted_at = ? where id = (select id from nudges where user_id = ? and "
            "status = 'sent' order by sent_at desc, id desc limit 1) and reacted_at is null",
            [iso(now), user_id],
        )
        return changed > 0

    def rows(self, **where: Any) -> list[dict[str, Any]]:
        clause = " and ".join(f"{quote(k)} = ?" for k in where) or "1 = 1"
        return self.db.query(f"select * from nudges where {clause} order by id", list(where.values()))
