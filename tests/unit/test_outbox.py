"""The broadcast outbox on both engines (SQLite and PostgreSQL): queueing once, claims under a lease, the retry
policy, the counts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.broadcast import run_outbox
from bot.nudges.retry import MAX_ATTEMPTS
from bot.services import Services
from catalog.repository import CatalogRepository
from store.engine import Engine
from store.outbox import LEASE, OutboxStore, stats
from store.repository import Store

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@dataclass
class Message:
    message_id: int


@dataclass
class FakeBot:
    """Records what it sends; raises the queued errors first, one per call."""

    errors: list[Exception] = field(default_factory=list)
    sent: list[tuple[int, str]] = field(default_factory=list)

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> Message:
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append((chat_id, text))
        return Message(len(self.sent))


def make_services(db: Engine) -> Services:
    store = Store(db)
    catalog = CatalogRepository(db, load_bundled_data=False)

    def no_recommender() -> Any:
        raise AssertionError("the outbox needs no recommender")

    return Services(db=db, store=store, catalog=catalog, make_recommender=no_recommender, clock=lambda: NOW)


def people(services: Services, *ids: int) -> None:
    for uid in ids:
        services.store.touch_user(uid, uid, f"P{uid}", "en", NOW)


def send(services: Services, bot: FakeBot, at: datetime) -> Any:
    return asyncio.run(run_outbox(bot, services, at))  # type: ignore[arg-type]


def test_send_queues_one_row_per_person_who_has_not_blocked_the_bot_and_only_once(engine: Engine) -> None:
    s = make_services(engine)
    people(s, 1, 2, 3)
    s.store.update_settings(3, blocked=1)
    outbox = OutboxStore(s.db)
    draft = outbox.draft("Hello <all> & welcome", NOW)
    assert outbox.get(draft).status == "draft"
    assert outbox.queue(draft, NOW) == 2
    assert outbox.queue(draft, NOW) is None  # a second tap on Send
    assert outbox.cancel(draft) is False  # too late
    assert sorted(r["user_id"] for r in outbox.rows(broadcast_id=draft)) == [1, 2]
    bot = FakeBot()
    report = send(s, bot, NOW)
    assert (report.claimed, report.sent) == (2, 2)
    assert sorted(bot.sent) == [(1, "Hello &lt;all&gt; &amp; welcome"), (2, "Hello &lt;all&gt; &amp; welcome")]
    assert send(s, bot, NOW + timedelta(days=1)).claimed == 0
    assert [r["status"] for r in outbox.rows()] == ["sent", "sent"]


def test_a_cancelled_draft_queues_nothing(engine: Engine) -> None:
    s = make_services(engine)
    people(s, 1)
    outbox = OutboxStore(s.db)
    draft = outbox.draft("never mind", NOW)
    assert outbox.cancel(draft) is True
    assert outbox.queue(draft, NOW) is None
    assert outbox.rows() == []


def test_a_lapsed_claim_is_taken_again_and_the_first_claimer_can_no_longer_send(engine: Engine) -> None:
    s = make_services(engine)
    people(s, 1, 2)
    outbox = OutboxStore(s.db)
    outbox.queue(outbox.draft("hi", NOW), NOW)
    first = outbox.claim_due(NOW)
    assert len(first) == 2
    assert outbox.claim_due(NOW + LEASE - timedelta(seconds=1)) == []  # still leased
    second = outbox.claim_due(NOW + LEASE)
    assert sorted(r.user_id for r in second) == [1, 2]
    assert not outbox.mark_sending(first[0])  # the old claim is void: no double send
    assert outbox.mark_sending(second[0])


def test_a_row_that_was_being_sent_is_never_sent_again(engine: Engine) -> None:
    s = make_services(engine)
    people(s, 1)
    outbox = OutboxStore(s.db)
    outbox.queue(outbox.draft("hi", NOW), NOW)
    (row,) = outbox.claim_due(NOW)
    assert outbox.mark_sending(row)  # ... and the process dies before the answer comes back
    bot = FakeBot()
    assert send(s, bot, NOW + timedelta(days=30)).claimed == 0
    assert bot.sent == [] and outbox.rows()[0]["status"] == "sending"


def test_passing_failures_back_off_growing_then_give_up_as_failed(engine: Engine) -> None:
    s = make_services(engine)
    people(s, 1)
    outbox = OutboxStore(s.db)
    outbox.queue(outbox.draft("hi", NOW), NOW)
    bot = FakeBot(errors=[NetworkError("Bad Gateway") for _ in range(MAX_ATTEMPTS)])
    at = NOW
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = send(s, bot, at)
        assert report.claimed == 1
        row = outbox.rows()[0]
        assert row["attempts"] == attempt
        if attempt < MAX_ATTEMPTS:
            assert row["status"] == "pending" and report.retried == 1
            due = datetime.fromisoformat(row["due_at"])
            assert send(s, bot, due - timedelta(seconds=1)).claimed == 0  # not before its time
            waits.append(due - at)
            at = due
    assert outbox.rows()[0]["status"] == "failed" and "gave up" in outbox.rows()[0]["error"]
    assert waits[-1] > waits[0]  # growing
    assert bot.sent == []


def test_flood_control_waits_at_least_retry_after(engine: Engine) -> None:
    s = make_services(engine)
    people(s, 1)
    outbox = OutboxStore(s.db)
    outbox.queue(outbox.draft("hi", NOW), NOW)
    bot = FakeBot(errors=[RetryAfter(600)])
    assert send(s, bot, NOW).retried == 1
    due = datetime.fromisoformat(outbox.rows()[0]["due_at"])
    assert due >= NOW + timedelta(seconds=600)
    assert send(s, bot, due).sent == 1


@pytest.mark.parametrize(
    ("error", "blocked"),
    [(Forbidden("Forbidden: bot was blocked by the user"), True), (BadRequest("Bad Request: chat not found"), False)],
)
def test_blocked_or_refused_is_failed_at_once_and_never_retried(
    engine: Engine, error: Exception, blocked: bool
) -> None:
    s = make_services(engine)
    people(s, 1, 2)
    outbox = OutboxStore(s.db)
    outbox.queue(outbox.draft("hi", NOW), NOW)
    bot = FakeBot(errors=[error])
    report = send(s, bot, NOW)
    assert (report.sent, report.failed, report.blocked) == (1, 1, int(blocked))
    statuses = {r["user_id"]: r["status"] for r in outbox.rows()}
    failed_user = next(uid for uid, status in statuses.items() if status == "failed")
    assert s.store.get_user(failed_user).blocked is blocked
    assert send(s, bot, NOW + timedelta(days=7)).claimed == 0
    assert len(bot.sent) == 1


def test_stats_are_counts_only(engine: Engine) -> None:
    s = make_services(engine)
    people(s, 1, 2)
    s.store.touch_user(3, 3, "Old", "en", NOW - timedelta(days=30))
    s.store.enroll(1, "a", 10, NOW.date(), NOW.date() + timedelta(days=30), NOW)
    outbox = OutboxStore(s.db)
    outbox.queue(outbox.draft("hi", NOW), NOW)
    counts = stats(s.db, NOW)
    assert (counts.people, counts.active_7d) == (3, 2)
    assert counts.enrollments == {"Enrolled": 1}
    assert counts.outbox == {"pending": 3}
    assert counts.nudges == {}
