"""One token bucket, pure, with the clock passed in: the per-person flood gate (bot/flood.py) and the outbound
limiter (bot/ratelimit.py) both count with it."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class TokenBucket:
    """`tokens` available at time `at`, refilled at `rate` per second up to `burst`."""

    tokens: float
    at: float
    burst: float
    rate: float

    def refilled(self, now: float) -> TokenBucket:
        return replace(self, tokens=min(self.burst, self.tokens + max(0.0, now - self.at) * self.rate), at=now)

    def wait(self, now: float, keep: float = 0.0) -> float:
        """Seconds until one token can be spent with `keep` left over (0 when it is now)."""
        return max(0.0, (1.0 + keep - self.refilled(now).tokens) / self.rate)

    def take(self, now: float, keep: float = 0.0) -> tuple[TokenBucket, bool]:
        """(new state, spent): refill for the time passed, then spend one token if `keep` would still be left."""
        full = self.refilled(now)
        if full.tokens >= 1.0 + keep:
            return replace(full, tokens=full.tokens - 1.0), True
        return full, False
