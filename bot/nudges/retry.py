"""How long to wait before trying a failed send again: growing, jittered, capped, and not forever.

Pure and seeded (the row id and the attempt pick the jitter), so a test can say exactly when the next try is due
and two processes agree on it; nothing here sleeps.
"""

from __future__ import annotations

import random
from datetime import timedelta

BASE = timedelta(seconds=30)  # the first retry after a timeout or a 5xx
CAP = timedelta(hours=2)  # never wait longer than this between tries
MAX_ATTEMPTS = 6  # then the reminder is marked failed and shows in `credbot nudges status`
JITTER = 0.5  # each delay is drawn from [1 - JITTER, 1 + JITTER] times the nominal one


def retry_delay(attempt: int, key: int = 0, *, retry_after: float | None = None) -> timedelta:
    """The wait before try number `attempt + 1` (attempt counts failures so far, from 1).

    Nominal BASE * 2^(attempt-1), capped at CAP, times a jitter drawn from (key, attempt) so that many reminders
    failing together do not all come back at the same second. A 429's retry_after is a floor: Telegram said so."""
    nominal = min(CAP.total_seconds(), BASE.total_seconds() * 2 ** max(0, attempt - 1))
    factor = random.Random(f"{key}:{attempt}").uniform(1 - JITTER, 1 + JITTER)
    seconds = min(CAP.total_seconds(), nominal * factor)
    if retry_after is not None:
        seconds = max(seconds, float(retry_after) + 1.0)
    return timedelta(seconds=seconds)


def gives_up(attempt: int) -> bool:
    """After this many failed tries the send is abandoned (and recorded as failed, not silently dropped)."""
    return attempt >= MAX_ATTEMPTS
