"""The reminder retry policy: growing, jittered, capped, floored by Telegram's retry_after, and finite."""

from __future__ import annotations

import itertools
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.nudges.retry import BASE, CAP, JITTER, MAX_ATTEMPTS, gives_up, retry_delay
from bot.request import MAX_WAIT, backoff


def test_delays_grow_with_each_failure_on_average() -> None:
    means = [sum(retry_delay(a, key).total_seconds() for key in range(200)) / 200 for a in range(1, 6)]
    assert all(later > 1.6 * earlier for earlier, later in itertools.pairwise(means))
    assert abs(means[0] - BASE.total_seconds()) < 0.1 * BASE.total_seconds()


@given(st.integers(1, 40), st.integers(0, 10_000))
def test_each_delay_stays_within_its_jitter_band_and_under_the_cap(attempt: int, key: int) -> None:
    nominal = min(CAP.total_seconds(), BASE.total_seconds() * 2 ** (attempt - 1))
    seconds = retry_delay(attempt, key).total_seconds()
    assert (1 - JITTER) * nominal - 1e-6 <= seconds <= min(CAP.total_seconds(), (1 + JITTER) * nominal) + 1e-6


def test_jitter_spreads_reminders_that_failed_together_and_is_repeatable() -> None:
    delays = {retry_delay(3, key) for key in range(50)}
    assert len(delays) > 40  # not all back at the same second
    assert retry_delay(3, 7) == retry_delay(3, 7)  # a pure function of row and attempt


def test_retry_after_is_a_floor() -> None:
    assert retry_delay(1, 1, retry_after=600) >= timedelta(seconds=601)
    assert retry_delay(5, 1, retry_after=1) == retry_delay(5, 1)  # a short one changes nothing


def test_tries_are_bounded() -> None:
    assert not gives_up(MAX_ATTEMPTS - 1) and gives_up(MAX_ATTEMPTS)


def test_quick_request_retries_are_short_and_capped() -> None:
    import random

    rng = random.Random(1)
    waits = [backoff(a, rng) for a in range(1, 12)]
    assert waits[0] < 0.5 and max(waits) <= 1.5 * MAX_WAIT
