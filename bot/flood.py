"""Per-person flood control: a token bucket per sender, pure, with the clock passed in.

Why: updates are handled one at a time, so one person pasting 200 messages would make everyone else wait behind
them. Each person may send BURST messages at once and RATE a second after that; beyond it their messages are
dropped unread, with one polite word at most every NOTICE_EVERY seconds. When polling, the verdict is reached on
the raw getUpdates answer (`screen`), before python-telegram-bot parses anything: turning 200 JSON updates into
objects costs more than handling the one message behind them, so a dropped update is cut down to its update id
first (docs/RELIABILITY.md has the measured figure).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from bot.bucket import TokenBucket

BURST = 10.0
RATE = 3.0  # messages per second, sustained: faster than anyone types or taps
NOTICE_EVERY = 10.0  # seconds between two "slow down" notes to one person
VERDICTS_KEPT = 10_000  # screened updates whose verdict waits for the guard; the oldest are forgotten first


class FloodGate:
    """The buckets of everyone seen recently (in memory: a restart forgives everyone, which is fine)."""

    def __init__(self, limit: int = 50_000, *, burst: float = BURST, rate: float = RATE) -> None:
        self.buckets: dict[int, TokenBucket] = {}  # per sender; `at` is the time of their last update
        self.noticed: dict[int, float] = {}  # when each was last told to slow down
        self.limit = limit
        self.burst, self.rate = burst, rate
        self.dropped = 0
        self.cut = 0  # dropped before parsing (see screen)
        self._verdicts: OrderedDict[int, tuple[bool, bool]] = OrderedDict()

    def admit(self, user_id: int, now: float) -> tuple[bool, bool]:
        """(allowed, tell them to slow down now)."""
        if len(self.buckets) > self.limit:  # forget the idle ones rather than grow without bound
            self.buckets = {u: b for u, b in self.buckets.items() if now - b.at < self.burst / self.rate}
            self.noticed = {u: t for u, t in self.noticed.items() if u in self.buckets}
        fresh = TokenBucket(self.burst, now, self.burst, self.rate)
        bucket, allowed = self.buckets.get(user_id, fresh).take(now)
        notice = False
        if not allowed:
            self.dropped += 1
            notice = now - self.noticed.get(user_id, float("-inf")) >= NOTICE_EVERY
            if notice:
                self.noticed[user_id] = now
        self.buckets[user_id] = bucket
        return allowed, notice

    def screen(self, updates: list[Any], now: float) -> list[Any]:
        """Admit each raw update (a getUpdates result item) by its sender now. A dropped one is cut down to
        `{"update_id": N}` (the offset still moves past it, and nothing is left to parse), unless it carries the
        "slow down" note; the others keep their verdict for `verdict()`, so the guard does not count them twice."""
        out: list[Any] = []
        for raw in updates:
            user_id = sender_of(raw)
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            if user_id is None or not isinstance(update_id, int):
                out.append(raw)
                continue
            allowed, notice = self.admit(user_id, now)
            if allowed or notice:
                self._verdicts[update_id] = (allowed, notice)
                while len(self._verdicts) > VERDICTS_KEPT:
                    self._verdicts.popitem(last=False)
                out.append(raw)
            else:
                self.cut += 1
                out.append({"update_id": update_id})
        return out

    def verdict(self, update_id: int, user_id: int, now: float) -> tuple[bool, bool]:
        """The screened verdict of this update, or (webhook updates, and any not screened) one reached now."""
        found = self._verdicts.pop(update_id, None)
        return found if found is not None else self.admit(user_id, now)


def sender_of(raw: Any) -> int | None:
    """The user id of whoever caused a raw update (`from` of its message, query or member change), if any."""
    if not isinstance(raw, dict):
        return None
    for key, value in raw.items():
        if key != "update_id" and isinstance(value, dict):
            sender = value.get("from")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return int(sender["id"])
            return None
    return None
