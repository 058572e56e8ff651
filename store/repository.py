"""The people store: users, versioned profiles, shown picks, feedback, enrollments, progress, on either engine
(store/engine.py: SQLite by default, PostgreSQL for several processes).

Every write takes an explicit `now` so tests and the sandbox can run on a fast clock.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from store.connect import ensure_schema
from store.engine import Engine, SqliteEngine, as_engine, quote
from store.migrations import migrations
from store.models import Enrollment, EnrollmentStatus, ProgressEntry, User


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class Store:
    def __init__(self, db: Engine | Database) -> None:
        self.db = as_engine(db)
        migrate(self.db)

    # -- users -------------------------------------------------------------------------------------------------
    def touch_user(self, user_id: int, chat_id: int, first_name: str, language_code: str, now: datetime) -> User:
        """Create on first contact; on return, update last seen and lift a block (they came back)."""
        if self.get_user(user_id) is None:
            self.db.insert(
                "users",
                {"id": user_id, "chat_id": chat_id, "first_name": first_name, "language_code": language_code,
                 "created_at": _iso(now), "last_seen_at": _iso(now)},
            )  # fmt: skip
        else:
            fields = {"chat_id": chat_id, "first_name": first_name, "last_seen_at": _iso(now), "blocked": 0}
            self.db.update("users", user_id, fields)
        user = self.get_user(user_id)
        assert user is not None
        return user

    def get_user(self, user_id: int) -> User | None:
        rows = self.db.query("select * from users where id = ?", [user_id])
        if not rows:
            return None
        r = rows[0]
        return User(
            id=r["id"],
            chat_id=r["chat_id"],
            first_name=r["first_name"] or "",
            draft=json.loads(r["draft"] or "{}"),
            step=r["step"] or "",
            history=tuple(json.loads(r["history"] or "[]")),
            pending=json.loads(r["pending"]) if r["pending"] else {},
            timezone=r["timezone"] or "UTC",
            cadence=r["cadence"] or "every-2-days",
            quiet_start=r["quiet_start"] or "21:00",
            quiet_end=r["quiet_end"] or "08:00",
            paused=bool(r["paused"]),
            snooze_until=r["snooze_until"] or "",
            blocked=bool(r["blocked"]),
        )

    def save_draft(self, user_id: int, draft: dict[str, Any], step: str, history: Iterable[str]) -> None:
        self.db.update(
            "users",
            user_id,
            {"draft": json.dumps(draft, default=str), "step": step, "history": json.dumps(list(history))},
        )

    def set_pending(self, user_id: int, pending: dict[str, Any] | None) -> None:
        self.db.update("users", user_id, {"pending": json.dumps(pending) if pending else ""})

    def set_step(self, user_id: int, step: str) -> None:
        """The conversation state alone (ConversationHandler's persistence), drafts untouched."""
        self.db.update("users", user_id, {"step": step})

    def conversation_steps(self) -> dict[tuple[int, int], str]:
        """(chat id, user id) -> state, for everyone in a conversation: what ConversationHandler resumes."""
        rows = self.db.query("select id, chat_id, step from users where step != ''")
        return {(r["chat_id"], r["id"]): r["step"] for r in rows}

    def update_settings(self, user_id: int, **fields: Any) -> None:
        allowed = {"timezone", "cadence", "quiet_start", "quiet_end", "paused", "snooze_until", "blocked"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"not a setting: {', '.join(sorted(unknown))}")
        self.db.update("users", user_id, fields)

    # -- profiles ----------------------------------------------------------------------------------------------
    def save_profile(self, user_id: int, data: dict[str, Any], now: datetime) -> int:
        """A new version each time the answers change; the newest one is the profile."""
        current = self.latest_profile(user_id)
        if current is not None and current[1] == data:
            return current[0]
        version = (current[0] if current else 0) + 1
        self.db.insert(
            "profiles",
            {"user_id": user_id, "version": version, "data": json.dumps(data, default=str), "created_at": _iso(now)},
        )
        return version

    def latest_profile(self, user_id: int) -> tuple[int, dict[str, Any]] | None:
        rows = self.db.query(
            "select version, data from profiles where user_id = ? order by version desc limit 1", [user_id]
        )
        return (rows[0]["version"], json.loads(rows[0]["data"])) if rows else None

    # -- recommendations shown and feedback ------------------------------------------------------------------
    def record_shown(self, user_id: int, picks: list[tuple[str, float]], now: datetime) -> int:
        batch = (self.db.scalar("select max(batch) from shown where user_id = ?", [user_id]) or 0) + 1
        self.db.insert_all(
            "shown",
            (
                {"user_id": user_id, "credential_id": cid, "batch": batch, "rank": i, "score": score,
                 "shown_at": _iso(now)}
                for i, (cid, score) in enumerate(picks, start=1)
            ),
        )  # fmt: skip
        return batch

    def shown_ids(self, user_id: int) -> list[str]:
        return [
            r["credential_id"]
            for r in self.db.query(
                "select credential_id from shown where user_id = ? group by credential_id order by min(id)", [user_id]
            )
        ]

    def last_batch(self, user_id: int) -> list[str]:
        return [
            r["credential_id"]
            for r in self.db.query(
                "select credential_id from shown where user_id = ? and batch = "
                "(select max(batch) from shown where user_id = ?) order by rank",
                [user_id, user_id],
            )
        ]

    def add_feedback(self, user_id: int, credential_id: str, kind: str, now: datetime) -> None:
        self.db.insert("feedback", {"user_id": user_id, "credential_id": credential_id, "kind": kind, "at": _iso(now)})

    def feedback(self, user_id: int) -> list[tuple[str, str]]:
        return [
            (r["credential_id"], r["kind"])
            for r in self.db.query("select credential_id, kind from feedback where user_id = ? order by id", [user_id])
        ]

    # -- enrollments and progress -------------------------------------------------------------------------------
    def enroll(
        self, user_id: int, credential_id: str, hours_total: float, started_on: date, target: date, now: datetime
    ) -> Enrollment:
        """One live enrollment per credential: enrolling again re-opens and re-dates the existing one."""
        existing = [e for e in self.enrollments(user_id) if e.credential_id == credential_id]
        fields = {
            "status": EnrollmentStatus.ENROLLED.value,
            "target_date": target.isoformat(),
            "hours_total": hours_total,
            "updated_at": _iso(now),
        }
        if existing:
            e = existing[0]
            status = e.status if e.status.active else EnrollmentStatus.ENROLLED
            self._update_enrollment(user_id, e.id, {**fields, "status": status.value})
            enrollment_id = e.id
        else:
            enrollment_id = self.db.insert(
                "enrollments",
                {"user_id": user_id, "credential_id": credential_id, "started_on": started_on.isoformat(),
                 "hours_logged": 0.0, "modules_done": 0, **fields},
            )  # fmt: skip
        found = self.get_enrollment(user_id, enrollment_id)
        assert found is not None
        return found

    def enrollments(self, user_id: int, *, active_only: bool = False) -> list[Enrollment]:
        rows = self.db.query("select * from enrollments where user_id = ? order by id", [user_id])
        items = [_enrollment(r) for r in rows]
        return [e for e in items if e.status.active] if active_only else items

    def get_enrollment(self, user_id: int, enrollment_id: int) -> Enrollment | None:
        """Only the owner's enrollment: a forged id for someone else's row finds nothing."""
        rows = self.db.query("select * from enrollments where id = ? and user_id = ?", [enrollment_id, user_id])
        return _enrollment(rows[0]) if rows else None

    def set_status(self, user_id: int, enrollment_id: int, status: EnrollmentStatus, now: datetime) -> Enrollment:
        e = self.get_enrollment(user_id, enrollment_id)
        if e is None:
            raise KeyError(enrollment_id)
        self._update_enrollment(user_id, e.id, {"status": status.value, "updated_at": _iso(now)})
        self._log(e, "status", 0.0, status.value, now)
        found = self.get_enrollment(user_id, enrollment_id)
        assert found is not None
        return found

    def log_progress(
        self, user_id: int, enrollment_id: int, now: datetime, *, hours: float = 0.0, module: bool = False
    ) -> Enrollment:
        e = self.get_enrollment(user_id, enrollment_id)
        if e is None:
            raise KeyError(enrollment_id)
        status = EnrollmentStatus.IN_PROGRESS if e.status == EnrollmentStatus.ENROLLED else e.status
        with self.db.atomic():
            self._update_enrollment(
                user_id,
                e.id,
                {
                    "hours_logged": e.hours_logged + hours,
                    "modules_done": e.modules_done + (1 if module else 0),
                    "status": status.value,
                    "updated_at": _iso(now),
                },
            )
            self._log(e, "module" if module else "hours", hours, "", now)
        found = self.get_enrollment(user_id, enrollment_id)
        assert found is not None
        return found

    def _update_enrollment(self, user_id: int, enrollment_id: int, fields: dict[str, Any]) -> None:
        """Every enrollment write names its owner in the WHERE clause too, so no caller can change someone else's
        row, whatever id it was handed (the owner's read before it is a check, this is the guarantee)."""
        assignments = ", ".join(f"{quote(column)} = ?" for column in fields)
        self.db.execute(
            f"update enrollments set {assignments} where id = ? and user_id = ?",
            [*fields.values(), enrollment_id, user_id],
        )

    def _log(self, e: Enrollment, kind: str, hours: float, note: str, now: datetime) -> None:
        self.db.insert(
            "progress_log",
            {"enrollment_id": e.id, "user_id": e.user_id, "at": _iso(now), "kind": kind, "hours": hours, "note": note},
        )

    def progress(self, user_id: int, enrollment_id: int) -> list[ProgressEntry]:
        return [
            ProgressEntry(r["id"], r["enrollment_id"], r["at"], r["kind"], r["hours"], r["note"] or "")
            for r in self.db.query(
                "select * from progress_log where user_id = ? and enrollment_id = ? order by id",
                [user_id, enrollment_id],
            )
        ]

    # -- export and forget ---------------------------------------------------------------------------------------
    PERSONAL_TABLES = ("profiles", "shown", "feedback", "progress_log", "enrollments")
    PERSON_COLUMNS = ("user_id", "chat_id")  # how a table names whom a row is about

    def export(self, user_id: int) -> dict[str, Any]:
        """Everything stored about one person, as plain JSON-ready data: their `users` row (conversation state
        included: step, draft, history, pending) under "user", then every table that holds rows about them."""
        users = self.db.query("select * from users where id = ?", [user_id])
        out: dict[str, Any] = {"user": _readable_user(users[0]) if users else None}
        chats = self._chat_ids(user_id)
        for table in (*self.PERSONAL_TABLES, *self.extra_personal_tables()):
            where, params = self._whose(table, user_id, chats)
            out[table] = self.db.query(f"select * from {quote(table)} where {where} order by 1", params)
        for row in out["profiles"]:
            row["data"] = json.loads(row["data"])
        return out

    def forget(self, user_id: int) -> None:
        """Delete the person from every table in one transaction (rows that point at others go first)."""
        chats = self._chat_ids(user_id)
        with self.db.atomic():
            for table in (*self.extra_personal_tables(), *self.PERSONAL_TABLES):
                where, params = self._whose(table, user_id, chats)
                self.db.execute(f"delete from {quote(table)} where {where}", params)
            self.db.execute("delete from users where id = ?", [user_id])

    def extra_personal_tables(self) -> list[str]:
        """Tables added by later migrations (nudges, outbox, conversation state...) with rows keyed by a person:
        a user_id or a chat_id column. Found from the schema, so a new table cannot be forgotten by /forget."""
        known = {"users", *self.PERSONAL_TABLES}
        return [
            name
            for name in self.db.table_names()
            if name not in known
            and not name.startswith(("_", "sqlite_", "credbot_"))
            and any(c in self.db.columns(name) for c in self.PERSON_COLUMNS)
        ]

    def _chat_ids(self, user_id: int) -> list[int]:
        """The person's chats: their private chat has their own id; the users row says which one we write to."""
        rows = self.db.query("select chat_id from users where id = ?", [user_id])
        return sorted({user_id, *(r["chat_id"] for r in rows if r["chat_id"] is not None)})

    def _whose(self, table: str, user_id: int, chats: list[int]) -> tuple[str, list[Any]]:
        columns = self.db.columns(table)
        clauses: list[str] = []
        params: list[Any] = []
        if "user_id" in columns:
            clauses.append("user_id = ?")
            params.append(user_id)
        if "chat_id" in columns:
            clauses.append(f"chat_id in ({', '.join('?' * len(chats))})")
            params.extend(chats)
        return " or ".join(clauses), params


def migrate(engine: Engine) -> None:
    """The people tables, created or brought up to date (SQLite: sqlite-utils migrations; PostgreSQL: the
    numbered steps in store/pg_schema.py)."""
    if isinstance(engine, SqliteEngine):
        migrations.apply(engine.sqlite)
    else:
        ensure_schema(engine)


def _readable_user(row: dict[str, Any]) -> dict[str, Any]:
    """The users row with its JSON columns decoded, so the export reads as data rather than escaped strings."""
    out = dict(row)
    for column, empty in (("draft", {}), ("history", []), ("pending", {})):
        try:
            out[column] = json.loads(row[column]) if row.get(column) else empty
        except (TypeError, ValueError):
            out[column] = row.get(column)
    return out


def _enrollment(r: dict[str, Any]) -> Enrollment:
    return Enrollment(
        id=r["id"],
        user_id=r["user_id"],
        credential_id=r["credential_id"],
        status=EnrollmentStatus(r["status"]),
        started_on=date.fromisoformat(r["started_on"]),
        target_date=date.fromisoformat(r["target_date"]),
        hours_total=r["hours_total"],
        hours_logged=r["hours_logged"] or 0.0,
        modules_done=r["modules_done"] or 0,
        updated_at=r["updated_at"],
    )
