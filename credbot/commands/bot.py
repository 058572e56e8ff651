"""`credbot run` (Telegram, long polling) and `credbot chat` (local sandbox, no token)."""

from __future__ import annotations

import sys

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
def run_command(no_warm_up: bool, nudge_every: float) -> None:
    """Run the bot on Telegram with long polling (TELEGRAM_BOT_TOKEN required)."""
    settings = Settings.from_env()
    if not settings.token:
        click.echo("credbot: TELEGRAM_BOT_TOKEN is not set. Get one from @BotFather, or try `credbot chat`.", err=True)
        sys.exit(2)
    from telegram import Update
    from telegram.error import InvalidToken

    from bot.app import build_application
    from bot.runtime import make_services, setup_logging

    setup_logging()
    services = make_services(settings.db_path)
    app = build_application(
        services, settings.token, base_url=settings.api_base_url, warm_up=not no_warm_up, nudge_every=nudge_every
    )
    try:
        app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    except InvalidToken:
        click.echo("credbot: Telegram rejected TELEGRAM_BOT_TOKEN. Check it with @BotFather.", err=True)
        sys.exit(2)


@click.command("chat")
@click.option("--name", default="You", show_default=True, help="Your first name in the sandbox.")
def chat_command(name: str) -> None:
    """Chat with the real bot in this terminal through a local Telegram emulator. No token, no network."""
    import asyncio

    from sandbox.chat import run_sandbox

    settings = Settings.from_env()
    asyncio.run(run_sandbox(settings.db_path, first_name=name))
