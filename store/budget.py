"""A send budget shared by every process on one PostgreSQL store: Telegram's ~30 messages/s is per bot, not per
process, so replicas spend from one token bucket held in a row.

Why a row and not an advisory lock or a coordinator: one conditional UPDATE both refills (from the time elapsed,
read from the database's own clock so replicas' clocks need not agree) and spends, under the row lock PostgreSQL
takes anyway; a replica that dies holds nothing. Each send costs one round trip (well under a millisecond on the
same host), small beside the send itself.
"""

from __future__ import annotations

import asyncio

from store.engine import Engine

NOW = "extract(epoch from clock_timestamp())"


class SharedBudget:
    def __init__(self, engine: Engine, *, burst: float, rate: float, name: str = "telegram") -> None:
        if engine.kind != "postgresql":
            raise ValueError("a shared send budget needs the PostgreSQL store")
        self.engine, self.burst, self.rate, self.name = engine, burst, rate, name
        self.engine.execute(
            f"insert into send_budget (name, tokens, at) values (?, ?, {NOW}) on conflict (name) do nothing",
            [name, burst],
        )

    def take(self) -> float:
        """Spend one send if there is one (0.0), else the seconds until there will be (nothing spent)."""
        full = f"least(?, tokens + greatest(0, {NOW} - at) * ?)"
        rows = self.engine.query(
            f"update send_budget set tokens = {full} - 1, at = {NOW} where name = ? and {full} >= 1 returning tokens",
            [self.burst, self.rate, self.name, self.burst, self.rate],
        )
        if rows:
            return 0.0
        left = self.engine.scalar(f"select {full} from send_budget where name = ?", [self.burst, self.rate, self.name])
        return max(0.001, (1.0 - float(left if left is not None else 0.0)) / self.rate)

    async def acquire(self) -> None:
        """Wait until one send may go (the database call runs on a worker thread: the event loop never waits on
        the network for it)."""
        while (wait := await asyncio.to_thread(self.take)) > 0:
            await asyncio.sleep(wait)
