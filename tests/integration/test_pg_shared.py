"""Several processes on one PostgreSQL store, played by threads with an engine (a connection pool) each: due
reminders and broadcast rows are claimed by exactly one of them, and the send budget is one for all."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest

from store.budget import SharedBudget
from store.connect import open_engine
from store.engine import Engine
from store.nudges import NudgeStore
from store.outbox import OutboxStore
from store.repository import Store
from tests.conftest import pg_url

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
REPLICAS = 3
T = TypeVar("T")


@pytest.fixture
def engines(pg_schema: str) -> Iterator[list[Engine]]:
    made = [open_engine(pg_url(), schema=pg_schema, pool_size=2) for _ in range(REPLICAS)]
    try:
        yield made
    finally:
        for e in made:
            e.close()


def together(work: Callable[[int], T]) -> list[T]:
    """Run work(0..REPLICAS-1) on threads released at the same moment."""
    start = threading.Barrier(REPLICAS)

    def go(n: int) -> T:
        start.wait()
        return work(n)

    with ThreadPoolExecutor(REPLICAS) as pool:
        return list(pool.map(go, range(REPLICAS)))


def people(engine: Engine, n: int) -> list[int]:
    ids = list(range(1, n + 1))
    engine.insert_all(
        "users", ({"id": i, "chat_id": i, "first_name": f"P{i}", "created_at": "", "last_seen_at": ""} for i in ids)
    )
    Store(engine)
    return ids


def test_due_reminders_are_claimed_by_exactly_one_replica(engines: list[Engine]) -> None:
    ids = people(engines[0], 2000)
    rows = [{"user_id": i, "status": "pending", "due_at": (NOW - timedelta(minutes=i % 30)).isoformat()} for i in ids]
    engines[0].insert_all("nudges", rows)

    def claim_all(n: int) -> list[int]:
        store, mine = NudgeStore(engines[n]), []
        while batch := store.claim_due(NOW, limit=50):
            for row in batch:
                assert store.mark_sending(row.id, row.claim_token)
                mine.append(row.user_id)
        return mine

    claimed = together(claim_all)
    every = Counter(u for got in claimed for u in got)
    assert sorted(every) == ids and set(every.values()) == {1}  # each one once, none left
    assert all(claimed), [len(c) for c in claimed]  # SKIP LOCKED: nobody waited out the others
    assert NudgeStore(engines[0]).status_counts() == {"sending": 2000}


def test_a_replica_whose_lease_ran_out_cannot_send_what_another_took(engines: list[Engine]) -> None:
    people(engines[0], 1)
    first, second = NudgeStore(engines[0]), NudgeStore(engines[1])
    first.schedule(1, NOW)
    [mine] = first.claim_due(NOW)
    [theirs] = second.claim_due(NOW + timedelta(minutes=6))  # the lease (5 minutes) ran out
    assert not first.mark_sending(mine.id, mine.claim_token)
    assert second.mark_sending(theirs.id, theirs.claim_token)


def test_broadcast_rows_are_claimed_by_exactly_one_replica(engines: list[Engine]) -> None:
    people(engines[0], 600)
    outbox = OutboxStore(engines[0])
    assert outbox.queue(outbox.draft("hello", NOW), NOW) == 600

    def claim_all(n: int) -> list[int]:
        store, mine = OutboxStore(engines[n]), []
        while batch := store.claim_due(NOW, limit=25):
            mine.extend(r.user_id for r in batch if store.mark_sending(r))
        return mine

    every = Counter(u for got in together(claim_all) for u in got)
    assert len(every) == 600 and set(every.values()) == {1}


def test_one_send_budget_for_all_replicas(engines: list[Engine]) -> None:
    burst, rate = 6.0, 24.0
    budgets = [SharedBudget(e, burst=burst, rate=rate) for e in engines]
    clock: Callable[[], Any] = lambda: engines[0].scalar("select extract(epoch from clock_timestamp())")  # noqa: E731
    stop = 60  # sends in all; at 30/s at most this takes about 2 s whatever the machine

    taken: list[int] = [0] * REPLICAS
    lock = threading.Lock()

    def spend(n: int) -> None:
        while True:
            with lock:
                if sum(taken) >= stop:
                    return
            wait = budgets[n].take()
            if wait == 0:
                with lock:
                    taken[n] += 1
            else:
                threading.Event().wait(wait)

    began = float(clock())
    together(spend)
    elapsed = float(clock()) - began
    total = sum(taken)
    # never more than the burst plus the refill over the time it took, measured on the database's clock
    assert total <= burst + rate * elapsed + 1, (total, elapsed)
    assert total == stop and all(taken), taken  # every replica got some


def test_a_shared_budget_needs_postgresql(tmp_path: Any) -> None:
    with pytest.raises(ValueError, match="PostgreSQL"):
        SharedBudget(open_engine(tmp_path / "x.db"), burst=1, rate=1)
