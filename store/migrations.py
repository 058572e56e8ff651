"""Schema of the people side of the database, as sqlite-utils migrations applied at start."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("credbot-store")


@migrations()
def create_people_tables(db: Database) -> None:
    db["users"].create(  # type: ignore[union-attr]
        {
            "id": int,  # Telegram user id
            "chat_id": int,
            "first_name": str,
            "language_code": str,
            "created_at": str,
            "last_seen_at": str,
            "draft": str,  # onboarding answers so far (JSON), survives restarts
            "step": str,  # onboarding step being asked, "" when done
            "history": str,  # JSON list of steps answered, for "back"
            "pending": str,  # JSON: a multi-message action waiting for text (enroll date, log hours...)
            "timezone": str,
            "cadence": str,
            "quiet_start": str,
            "quiet_end": str,
            "paused": int,
            "snooze_until": str,
            "blocked": int,
        },
        pk="id",
        defaults={"draft": "{}", "step": "", "history": "[]", "pending": "", "timezone": "UTC",
                  "cadence": "every-2-days", "quiet_start": "21:00", "quiet_end": "08:00", "paused": 0,
                  "snooze_until": "", "blocked": 0},
    )  # fmt: skip
    db["profiles"].create(  # type: ignore[union-attr]
        {"id": int, "user_id": int, "version": int, "data": str, "created_at": str},
        pk="id",
        foreign_keys=[("user_id", "users", "id")],
    )
    db["profiles"].create_index(["user_id", "version"], unique=True)  # type: ignore[union-attr]
    db["shown"].create(  # type: ignore[union-attr]
        {"id": int, "user_id": int, "credential_id": str, "batch": int, "rank": int, "score": float,
         "shown_at": str},
        pk="id",
        foreign_keys=[("user_id", "users", "id")],
    )  # fmt: skip
    db["shown"].create_index(["user_id", "batch"])  # type: ignore[union-attr]
    db["feedback"].create(  # type: ignore[union-attr]
        {"id": int, "user_id": int, "credential_id": str, "kind": str, "at": str},
        pk="id",
        foreign_keys=[("user_id", "users", "id")],
    )
    db["feedback"].create_index(["user_id"])  # type: ignore[union-attr]
    db["enrollments"].create(  # type: ignore[union-attr]
        {"id": int, "user_id": int, "credential_id": str, "status": str, "started_on": str, "target_date": str,
         "hours_total": float, "hours_logged": float, "modules_done": int, "updated_at": str},
        pk="id",
        foreign_keys=[("user_id", "users", "id")],
    )  # fmt: skip
    db["enrollments"].create_index(["user_id", "credential_id"])  # type: ignore[union-attr]
    db["progress_log"].create(  # type: ignore[union-attr]
        {"id": int, "enrollment_id": int, "user_id": int, "at": str, "kind": str, "hours": float, "note": str},
        pk="id",
        foreign_keys=[("enrollment_id", "enrollments", "id")],
    )


@migrations()
def create_nudges(db: Database) -> None:
    """Due nudges live here, not in the JobQueue: a restart loses nothing and repeats nothing."""
    db["nudges"].create(  # type: ignore[union-attr]
        {"id": int, "user_id": int, "due_at": str, "status": str, "claimed_at": str, "claim_token": str,
         "sent_at": str, "kind": str, "template": str, "tag": str, "enrollment_id": int, "text": str,
         "message_id": int, "reacted_at": str, "error": str},
        pk="id",
        foreign_keys=[("user_id", "users", "id")],
        defaults={"status": "pending"},
    )  # fmt: skip
    db["nudges"].create_index(["status", "due_at"])  # type: ignore[union-attr]
    db["nudges"].create_index(["user_id", "status"])  # type: ignore[union-attr]


@migrations()
def add_nudge_attempts(db: Database) -> None:
    """How many sends of a reminder failed for a passing reason: the next delay grows with it, and after
    bot.nudges.retry.MAX_ATTEMPTS the reminder is marked failed instead of being tried forever."""
    db["nudges"].add_column("attempts", int, not_null_default=0)  # type: ignore[union-attr]


@migrations()
def create_outbox(db: Database) -> None:
    """Admin broadcasts: a draft waits for the admin's Send, then one outbox row per recipient is drained under a
    lease like the nudges (pending -> claimed -> sending -> sent | failed | skipped), so a restart neither loses
    nor repeats a message."""
    db["broadcasts"].create(  # type: ignore[union-attr]
        {"id": int, "text": str, "status": str, "created_at": str, "queued_at": str, "recipients": int},
        pk="id",
        defaults={"status": "draft", "recipients": 0},
    )
    db["outbox"].create(  # type: ignore[union-attr]
        {"id": int, "broadcast_id": int, "user_id": int, "status": str, "due_at": str, "claimed_at": str,
         "claim_token": str, "attempts": int, "sent_at": str, "message_id": int, "error": str},
        pk="id",
        foreign_keys=[("broadcast_id", "broadcasts", "id"), ("user_id", "users", "id")],
        defaults={"status": "pending", "attempts": 0},
        not_null={"attempts"},
    )  # fmt: skip
    db["outbox"].create_index(["status", "due_at"])  # type: ignore[union-attr]
    db["outbox"].create_index(["broadcast_id", "user_id"], unique=True)  # type: ignore[union-attr]


@migrations()
def add_last_update_id(db: Database) -> None:
    """The last Telegram update handled per person (store/seen.py), so a redelivered update is not handled twice."""
    db["users"].add_column("last_update_id", int, not_null_default=0)  # type: ignore[union-attr]


@migrations()
def create_handled_updates(db: Database) -> None:
    """Every update id handled (store/seen.py): exact, whatever order updates come in and whichever replica
    takes them; users.last_update_id, the earlier per-person high-water mark, is no longer read."""
    db["handled_updates"].create({"update_id": int, "at": str}, pk="update_id")  # type: ignore[union-attr]
    db["handled_updates"].create_index(["at"])  # type: ignore[union-attr]
