"""`credbot nudges preview --at ISO_DATETIME [--json]` and `credbot nudges run-once`."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import click

from bot.config import Settings

# --at must fall in [EARLIEST, LATEST): wide enough for any real plan, and far from years 1 and 9999, where the
# scheduler's date arithmetic would overflow.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def _at(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        click.echo(f"credbot: --at must be an ISO date-time like 2026-12-01T09:00:00+01:00, got {value!r}", err=True)
        sys.exit(2)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        in_range = EARLIEST <= moment < LATEST
    except OverflowError:  # an offset that pushes 0001-01-01 or 9999-12-31 past the calendar
        in_range = False
    if not in_range:
        click.echo(f"credbot: --at {value} is out of range; give a date-time between {EARLIEST.year} "
                   f"and {LATEST.year - 1}", err=True)  # fmt: skip
        sys.exit(2)
    return moment


@click.group("nudges")
def nudges_group() -> None:
    """Progress reminders (the schedule lives in CREDBOT_DB)."""


@nudges_group.command("preview")
@click.option("--at", "at", required=True, help="ISO date-time; UTC when no offset is given.")
@click.option("--json", "as_json", is_flag=True)
def preview_command(at: str, as_json: bool) -> None:
    """What would be sent at that instant; sends nothing and changes nothing."""
    from bot.nudges.scheduler import preview
    from bot.runtime import make_services

    moment = _at(at)
    services = make_services(Settings.from_env().db_path)
    planned = preview(services, moment)
    if as_json:
        for p in planned:
            kind = p.decision.kind.value if p.decision.kind else None
            nxt = p.decision.next_check.isoformat() if p.decision.next_check else None
            row = {"user_id": p.user_id, "send": p.decision.send, "kind": kind, "text": p.text,
                   "why": p.decision.why, "next_check": nxt}  # fmt: skip
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    if not planned:
        click.echo(f"Nothing due at {moment.isoformat()}.")
        return
    for p in planned:
        if p.decision.send:
            click.echo(f"user {p.user_id} [{p.decision.kind}] {_plain(p.text)}")
        else:
            nxt = p.decision.next_check.isoformat() if p.decision.next_check else "when they come back"
            click.echo(f"user {p.user_id} — nothing now ({p.decision.why}); next look {nxt}")


def _plain(text: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", text))


@nudges_group.command("run-once")
def run_once_command() -> None:
    """Send what is due now: reminders, and queued broadcasts (for cron users and tests). Needs TELEGRAM_BOT_TOKEN."""
    import asyncio

    from telegram.error import InvalidToken
    from telegram.ext import ExtBot

    from bot.app import outbound_limiter
    from bot.broadcast import run_outbox
    from bot.nudges.scheduler import run_due
    from bot.runtime import make_services

    settings = Settings.from_env()
    if not settings.token:
        click.echo("credbot: TELEGRAM_BOT_TOKEN is not set.", err=True)
        sys.exit(2)
    services = make_services(settings.db_path)

    async def go() -> None:
        base = settings.api_base_url or "https://api.telegram.org/bot"
        # the same outbound limits as `credbot run` (on PostgreSQL, one budget shared with every replica)
        async with ExtBot(settings.token or "", base_url=base, rate_limiter=outbound_limiter(services)) as bot:
            report = await run_due(bot, services, datetime.now(UTC))
            broadcast = await run_outbox(bot, services, datetime.now(UTC))
        click.echo(f"claimed {report.claimed}, sent {report.sent}, skipped {report.skipped}, "
                   f"retried {report.retried}, blocked {report.blocked}")  # fmt: skip
        if broadcast.claimed:
            click.echo(f"broadcast: {broadcast.sent} sent, {broadcast.blocked} blocked, {broadcast.retried} retried, "
                       f"{broadcast.failed} failed")  # fmt: skip

    try:
        asyncio.run(go())
    except InvalidToken:
        click.echo("credbot: Telegram rejected TELEGRAM_BOT_TOKEN.", err=True)
        sys.exit(2)


@nudges_group.command("status")
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Failed rows to list.")
def status_command(as_json: bool, limit: int) -> None:
    """Reminders by state, and the ones given up on (with why and after how many tries)."""
    from bot.runtime import make_services
    from store.nudges import NudgeStore

    nudges = NudgeStore(make_services(Settings.from_env().db_path).db)
    counts, failed = nudges.status_counts(), nudges.failed(limit)
    if as_json:
        click.echo(json.dumps({"counts": counts, "failed": failed}, ensure_ascii=False))
        return
    click.echo(", ".join(f"{n} {status}" for status, n in counts.items()) or "No reminders yet.")
    for row in failed:
        click.echo(f"failed: user {row['user_id']}, due {row['due_at']}, {row['attempts']} tries: {row['error']}")
