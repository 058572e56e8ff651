"""Each person's rows are theirs alone, enforced in the store: another person's user_id can neither read nor change
them, whatever enrollment id it comes with (a forged button carries any id it likes)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from store.engine import Engine
from store.models import EnrollmentStatus
from store.repository import Store
from tests.e2e.harness import person_rows

NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)
A, B = 7, 8


@pytest.fixture
def store(engine: Engine) -> Store:
    """A with answers, picks shown, feedback, an enrollment and progress; B known but with nothing yet."""
    s = Store(engine)
    s.touch_user(A, A, "Ana", "en", NOW)
    s.touch_user(B, B, "Bo", "en", NOW)
    s.save_profile(A, {"goal": "data analyst"}, NOW)
    s.record_shown(A, [("kaggle-intro-sql", 0.9), ("acme-excel", 0.8)], NOW)
    s.add_feedback(A, "kaggle-intro-sql", "like", NOW)
    e = s.enroll(A, "kaggle-intro-sql", 10, date(2026, 12, 1), date(2026, 12, 20), NOW)
    s.log_progress(A, e.id, NOW, hours=3.5)
    return s


def test_someone_elses_user_id_cannot_change_an_enrollment(store: Store) -> None:
    theirs = store.enrollments(A)[0]
    before = person_rows(store.db, A)
    later = NOW + timedelta(days=1)
    assert store.get_enrollment(B, theirs.id) is None
    with pytest.raises(KeyError):
        store.log_progress(B, theirs.id, later, hours=5)
    with pytest.raises(KeyError):
        store.log_progress(B, theirs.id, later, module=True)
    for status in EnrollmentStatus:
        with pytest.raises(KeyError):
            store.set_status(B, theirs.id, status, later)
    # enrolling in the same credential makes B's own row, it does not re-date A's
    mine = store.enroll(B, theirs.credential_id, 10, date(2026, 12, 2), date(2027, 3, 1), later)
    assert mine.id != theirs.id and mine.user_id == B
    store.log_progress(B, mine.id, later, hours=1)
    store.set_status(B, mine.id, EnrollmentStatus.ON_HOLD, later)
    assert person_rows(store.db, A) == before


def test_the_write_itself_names_the_owner(store: Store) -> None:
    """Even a caller that skipped the owner check could not write: the UPDATE carries user_id too."""
    theirs = store.enrollments(A)[0]
    before = person_rows(store.db, A)
    store._update_enrollment(B, theirs.id, {"hours_logged": 999.0, "status": EnrollmentStatus.WITHDREW.value})
    assert person_rows(store.db, A) == before
    store._update_enrollment(A, theirs.id, {"hours_logged": 4.0})
    assert store.enrollments(A)[0].hours_logged == 4.0  # the owner's write does land (the test can fail)


def test_someone_elses_user_id_reads_nothing_of_theirs(store: Store) -> None:
    theirs = store.enrollments(A)[0]
    assert store.progress(A, theirs.id)  # A's own progress is there to be read
    assert store.progress(B, theirs.id) == []
    assert store.enrollments(B) == [] and store.enrollments(B, active_only=True) == []
    assert store.feedback(B) == [] and store.shown_ids(B) == [] and store.last_batch(B) == []
    assert store.latest_profile(B) is None
    assert store.export(B)["enrollments"] == [] and store.export(B)["progress_log"] == []


def test_forgetting_one_person_leaves_the_other_whole(store: Store) -> None:
    before = person_rows(store.db, A)
    store.enroll(B, "acme-excel", 5, date(2026, 12, 1), date(2026, 12, 30), NOW)
    store.forget(B)
    assert person_rows(store.db, A) == before
    assert all(not rows for rows in person_rows(store.db, B).values())
