"""`credbot run` (Telegram, long polling) and `credbot chat` (local sandbox, no token)."""

from __future__ import annotations

import sys
from datetime import timedelta

import click

from bot.config import Settings


@click.command("run")
@click.option("--no-warm-up", is_flag=True, help="Load the model on the first request instead of at start.")
@click.option(
    "--nudge-every",
    type=click.FloatRange(0.1, 3600),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="How often to look for due reminders.",
)
@click.option(
    "--claim-lease",
    type=click.FloatRange(1, 86400),
    default=300.0,
    show_default=True,
    metavar="SECONDS",
    help="How long a claimed reminder is this process's before another may take it (if this one died).",
)
@click.option(
    "--send-rate",
    type=click.FloatRange(1, 10_000),
    default=30.0,
    show_default=True,
    metavar="PER_SECOND",
    help="Outbound messages per second for the whole bot (Telegram allows about 30; more only for load tests).",
)
@click.option("--webhook", "webhook_url", metavar="URL", help="Take updates by webhook at this public address.")
@click.option("--listen", metavar="HOST", help="Webhook mode: address to listen on [default: 127.0.0.1].")
@click.option("--port", type=click.IntRange(1, 65535), help="Webhook mode: port to listen on [default: 8443].")
def run_command(
    no_warm_up: bool,
    nudge_every: float,
    claim_lease: float,
    send_rate: float,
    webhook_url: str | None,
    listen: str | None,
    port: int | None,
) -> None:
    """Run the bot on Telegram: long polling, or with --webhook behind a load balancer (TELEGRAM_BOT_TOKEN
    required; several replicas need a postgresql:// CREDBOT_DB)."""
    settings = Settings.from_env()
    if not settings.token:
        click.echo("credbot: TELEGRAM_BOT_TOKEN is not set. Get one from @BotFather, or try `credbot chat`.", err=True)
        sys.exit(2)
    if webhook_url is None and (listen is not None or port is not None):
        click.echo("credbot: --listen and --port need --webhook URL (without it credbot uses long polling).", err=True)
        sys.exit(2)
    from telegram import Update
    from telegram.error import InvalidToken

    from bot.app import build_application
    from bot.runtime import make_services, setup_logging
    from bot.webhook import WebhookError, serve_webhook, webhook_config

    config = None
    if webhook_url is not None:
        try:
            config = webhook_config(webhook_url, listen or "127.0.0.1", port or 8443, settings.token)
        except WebhookError as err:
            click.echo(f"credbot: {err}", err=True)
            sys.exit(2)
    setup_logging()
    services = make_services(settings.db_path, claim_lease=timedelta(seconds=claim_lease))
    app = build_application(
        services,
        settings.token,
        base_url=settings.api_base_url,
        warm_up=not no_warm_up,
        nudge_every=nudge_every,
        send_rate=send_rate,
    )
    try:
        if config is None:
            app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
        else:
            import asyncio

            from webapp.server import MiniApp

            services.webapp_url = config.mini_app_url  # the Browse button under results, and the menu button
            mini_app = MiniApp(services, settings.token)
            asyncio.run(serve_webhook(app, config, mini_app=mini_app.install))
    except InvalidToken:
        click.echo("credbot: Telegram rejected TELEGRAM_BOT_TOKEN. Check it with @BotFather.", err=True)
        sys.exit(2)
    except OSError as err:  # the port is taken, the address is not ours
        click.echo(f"credbot: cannot listen on {listen or '127.0.0.1'}:{port or 8443}: {err.strerror or err}", err=True)
        sys.exit(2)


@click.command("chat")
@click.option("--name", default="You", show_default=True, help="Your first name in the sandbox.")
def chat_command(name: str) -> None:
    """Chat with the real bot in this terminal through a local Telegram emulator. No token, no network."""
    import asyncio

    from sandbox.chat import run_sandbox

    settings = Settings.from_env()
    asyncio.run(run_sandbox(settings.db_path, first_name=name))
