"""Sending admin broadcasts from the SQLite outbox (store/outbox.py): claim, send, record; restart-safe.

Runs from the repeating job next to the nudge tick (bot/handlers/admin.py registers it) through the application's
bot, so broadcasts share the outbound rate limiter with everything else. Failures follow the nudges' retry policy
(bot/nudges/retry.py); a person who blocked the bot (403) is marked failed at once and never retried.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.nudges.retry import gives_up, retry_delay
from bot.ratelimit import turn_then_mark
from bot.render import e
from bot.services import Services
from store.outbox import OutboxRow, OutboxStore

log = logging.getLogger("credbot.broadcast")


@dataclass
class OutboxReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    blocked: int = 0
    skipped: int = 0


def message_text(text: str) -> str:
    """The admin's words as plain text (the bot sends HTML, so markup-looking input is escaped)."""
    return e(text)


async def run_outbox(
    bot: Bot,
    services: Services,
    now: datetime,
    *,
    after_claim: Callable[[list[OutboxRow]], Awaitable[None]] | None = None,
) -> OutboxReport:
    """Claim what is due, send each, record the outcome. `after_claim` is a test seam (a crash after the claim)."""
    outbox = OutboxStore(services.db)
    report = OutboxReport()
    claimed = outbox.claim_due(now, lease=services.claim_lease)
    if after_claim is not None:
        await after_claim(claimed)
    for row in claimed:
        report.claimed += 1
        if row.chat_id is None:
            outbox.finish(row.id, "skipped", "person gone")
            report.skipped += 1
            continue
        # queue first, so "sending" lasts only the request itself; False: our lease ran out, another sender has it
        if not await turn_then_mark(bot, row.chat_id, partial(outbox.mark_sending, row)):
            continue
        try:
            message = await bot.send_message(row.chat_id, message_text(row.text))
        except Forbidden as err:
            outbox.finish(row.id, "failed", f"blocked: {err}", attempts=row.attempts + 1)
            services.store.update_settings(row.user_id, blocked=1)
            report.blocked += 1
            report.failed += 1
        except RetryAfter as err:
            wait = err.retry_after if isinstance(err.retry_after, int | float) else err.retry_after.total_seconds()
            _retry_later(outbox, row, now, report, f"429: {err}", retry_after=float(wait))
        except BadRequest as err:  # Telegram refused this message itself: trying again gives the same answer
            log.error("broadcast %s rejected for user %s: %s", row.broadcast_id, row.user_id, err)
            outbox.finish(row.id, "failed", str(err), attempts=row.attempts + 1)
            report.failed += 1
        except NetworkError as err:  # timeouts, dropped connections, 5xx: it may work later
            _retry_later(outbox, row, now, report, f"transient: {err}")
        except TelegramError as err:
            log.error("broadcast %s to user %s failed: %s", row.broadcast_id, row.user_id, err)
            outbox.finish(row.id, "failed", str(err), attempts=row.attempts + 1)
            report.failed += 1
        else:
            outbox.mark_sent(row.id, now, message.message_id)
            report.sent += 1
    return report


def _retry_later(
    outbox: OutboxStore,
    row: OutboxRow,
    now: datetime,
    report: OutboxReport,
    error: str,
    retry_after: float | None = None,
) -> None:
    """Back to pending after a growing, jittered wait; marked failed once the tries run out."""
    attempts = row.attempts + 1
    if gives_up(attempts):
        log.warning(
            "broadcast %s to user %s given up after %s tries: %s", row.broadcast_id, row.user_id, attempts, error
        )
        outbox.finish(row.id, "failed", f"gave up after {attempts} tries: {error}", attempts=attempts)
        report.failed += 1
        return
    outbox.retry_at(row.id, now + retry_delay(attempts, row.id, retry_after=retry_after), attempts, error)
    report.retried += 1
