"""The people store and the nudge schedule, on both engines (SQLite and PostgreSQL)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from store.engine import Engine
from store.models import EnrollmentStatus
from store.nudges import NudgeStore
from store.repository import Store

NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)


@pytest.fixture
def store(engine: Engine) -> Store:
    s = Store(engine)
    s.touch_user(7, 7, "Ana", "en", NOW)
    return s


def test_profiles_are_versioned_and_unchanged_answers_do_not_bump(store: Store) -> None:
    assert store.save_profile(7, {"goal": "data analyst"}, NOW) == 1
    assert store.save_profile(7, {"goal": "data analyst"}, NOW) == 1
    assert store.save_profile(7, {"goal": "data scientist"}, NOW) == 2
    assert store.latest_profile(7) == (2, {"goal": "data scientist"})


def test_enrollment_lifecycle_and_ownership(store: Store) -> None:
    store.touch_user(8, 8, "Bo", "en", NOW)
    e = store.enroll(7, "kaggle-intro-sql", 3, date(2026, 12, 1), date(2026, 12, 20), NOW)
    assert e.status == EnrollmentStatus.ENROLLED
    e = store.log_progress(7, e.id, NOW, hours=1.5)
    assert (e.status, e.hours_logged) == (EnrollmentStatus.IN_PROGRESS, 1.5)
    e = store.log_progress(7, e.id, NOW, module=True)
    assert e.modules_done == 1
    assert store.get_enrollment(8, e.id) is None  # someone else's id finds nothing
    with pytest.raises(KeyError):
        store.log_progress(8, e.id, NOW, hours=1)
    e = store.set_status(7, e.id, EnrollmentStatus.COMPLETED, NOW)
    assert [x.kind for x in store.progress(7, e.id)] == ["hours", "module", "status"]
    again = store.enroll(7, "kaggle-intro-sql", 3, date(2026, 12, 1), date(2027, 1, 5), NOW)
    assert again.id == e.id and again.status == EnrollmentStatus.ENROLLED and again.hours_logged == 1.5


def test_export_and_forget_cover_every_personal_table(store: Store) -> None:
    store.save_profile(7, {"goal": "x"}, NOW)
    store.record_shown(7, [("a", 1.0), ("b", 0.5)], NOW)
    store.add_feedback(7, "a", "like", NOW)
    e = store.enroll(7, "a", 3, date(2026, 12, 1), date(2026, 12, 20), NOW)
    store.log_progress(7, e.id, NOW, hours=1)
    NudgeStore(store.db).schedule(7, NOW)
    data = store.export(7)
    assert data["user"]["id"] == 7
    assert data["profiles"][0]["data"] == {"goal": "x"}
    assert len(data["shown"]) == 2 and len(data["feedback"]) == 1 and len(data["nudges"]) == 1
    store.forget(7)
    assert store.get_user(7) is None
    leftover = store.export(7)
    assert all(not rows for key, rows in leftover.items() if key != "user")


def test_schedule_keeps_one_pending_row_per_person(store: Store) -> None:
    nudges = NudgeStore(store.db)
    a = nudges.schedule(7, NOW)
    b = nudges.schedule(7, NOW + timedelta(hours=1))
    assert a == b and len(nudges.rows(user_id=7, status="pending")) == 1


def test_claim_is_exclusive_and_a_stale_claim_is_taken_again(store: Store) -> None:
    nudges = NudgeStore(store.db)
    nudges.schedule(7, NOW)
    first = nudges.claim_due(NOW)
    assert [r.user_id for r in first] == [7]
    assert nudges.claim_due(NOW) == []  # already claimed: nobody else gets it
    later = nudges.claim_due(NOW + timedelta(minutes=10))  # the claimer died: the lease expired
    assert [r.id for r in later] == [first[0].id]
    nudges.mark_sending(later[0].id)
    assert nudges.claim_due(NOW + timedelta(hours=5)) == []  # "sending" is never re-sent


def test_overdue_rows_collapse_to_one_per_person(store: Store) -> None:
    nudges = NudgeStore(store.db)
    nudges.schedule(7, NOW - timedelta(days=3))
    store.db.insert("nudges", {"user_id": 7, "due_at": (NOW - timedelta(days=2)).isoformat(), "status": "pending"})
    claimed = nudges.claim_due(NOW)
    assert len(claimed) == 1
    assert len(nudges.rows(user_id=7, status="collapsed")) == 1
