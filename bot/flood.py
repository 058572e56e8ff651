"""Per-person flood control: a token bucket per sender, pure, with the clock passed in.

Why: updates are handled one at a time, so one person pasting 200 messages would make everyone else wait behind
them. Each person may send BURST messages at once and RATE a second after that; beyond it their messages are
dropped unread, with one polite word at most every NOTICE_EVERY seconds. Dropping costs microseconds, so other
people's replies barely move (docs/RELIABILITY.md has the measured figure).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

BURST = 10.0
RATE = 3.0  # messages per second, sustained: faster than anyone types or taps
NOTICE_EVERY = 10.0  # seconds between two "slow down" notes to one person


@dataclass(frozen=True, slots=True)
class Bucket:
    tokens: float = BURST
    at: float = 0.0  # monotonic seconds of the last update
    noticed_at: float = float("-inf")

    def take(self, now: float, burst: float = BURST, rate: float = RATE) -> tuple[Bucket, bool]:
        """(new state, allowed): refill for the time passed, then spend one token if there is one."""
        tokens = min(burst, self.tokens + max(0.0, now - self.at) * rate)
        if tokens >= 1.0:
            return replace(self, tokens=tokens - 1.0, at=now), True
        return replace(self, tokens=tokens, at=now), False

    def should_notice(self, now: float) -> bool:
        return now - self.noticed_at >= NOTICE_EVERY


class FloodGate:
    """The buckets of everyone seen recently (in memory: a restart forgives everyone, which is fine)."""

    def __init__(self, limit: int = 50_000, *, burst: float = BURST, rate: float = RATE) -> None:
        self.buckets: dict[int, Bucket] = {}
        self.limit = limit
        self.burst, self.rate = burst, rate
        self.dropped = 0

    def admit(self, user_id: int, now: float) -> tuple[bool, bool]:
        """(allowed, tell them to slow down now)."""
        if len(self.buckets) > self.limit:  # forget the idle ones rather than grow without bound
            self.buckets = {u: b for u, b in self.buckets.items() if now - b.at < self.burst / self.rate}
        bucket, allowed = self.buckets.get(user_id, Bucket(tokens=self.burst, at=now)).take(now, self.burst, self.rate)
        notice = False
        if not allowed:
            self.dropped += 1
            notice = bucket.should_notice(now)
            if notice:
                bucket = replace(bucket, noticed_at=now)
        self.buckets[user_id] = bucket
        return allowed, notice
