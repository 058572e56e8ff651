"""build_application(): wiring only. Handlers, services, persistence, defaults, rate limiting, error handler."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable
from typing import Any

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import callbacks
from bot.flood import FloodGate
from bot.handlers import account, admin, enroll, onboarding, progress, results
from bot.handlers import nudges as nudge_handlers
from bot.handlers.common import State
from bot.handlers.errors import on_error
from bot.handlers.guard import guard
from bot.nudges.scheduler import run_due
from bot.persistence import CONVERSATION, StorePersistence
from bot.ratelimit import BURST, RATE, FairLimiter
from bot.request import CredBot, PerChatProcessor, PollingRequest, RetryingRequest
from bot.services import Services
from store.budget import SharedBudget
from store.seen import KEEP, forget_before

log = logging.getLogger("credbot.bot")
AnyHandler = BaseHandler[Update, Any, Any]


def conversation() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    card: AnyHandler = CallbackQueryHandler(results.on_card, pattern=callbacks.PATTERN_CARD)
    footer: AnyHandler = CallbackQueryHandler(results.on_results_button, pattern=callbacks.PATTERN_RESULTS)
    forget: AnyHandler = CallbackQueryHandler(account.on_forget_button, pattern=callbacks.PATTERN_FORGET)
    choice: AnyHandler = CallbackQueryHandler(onboarding.on_choice, pattern=callbacks.PATTERN_ONBOARDING)
    return ConversationHandler(
        entry_points=[
            CommandHandler("start", onboarding.start),
            CommandHandler("recommend", results.recommend_command),
            footer,
            card,
            forget,
            choice,
            MessageHandler(text, onboarding.first_message),
        ],
        states={
            State.ASKING: [
                MessageHandler(text, onboarding.on_answer),
                CommandHandler(["back", "skip"], onboarding.on_answer),  # /back, /skip: same as typing them
                choice,
            ],
            State.RESULTS: [MessageHandler(text, results.on_refine), footer, card],
        },
        fallbacks=[
            CommandHandler("cancel", onboarding.cancel),
            CommandHandler("start", onboarding.start),
            CommandHandler("recommend", results.recommend_command),
            footer,
            card,
            forget,
        ],
        name=CONVERSATION,
        persistent=True,
        allow_reentry=False,  # /start and /recommend are fallbacks too, so they still work mid-conversation
    )


async def _post_init(application: Application) -> None:  # type: ignore[type-arg]
    services: Services = application.bot_data["services"]
    await application.bot.set_my_commands([BotCommand(name, text) for name, text in account.COMMANDS])
    if application.bot_data.get("warm_up", True):
        # in the background: polling starts at once, the questions need no model, and a request that needs the
        # recommender first waits for this load rather than starting another (Services.recommender holds a lock)
        application.bot_data["warm_up_task"] = asyncio.create_task(services.warm_up(), name="credbot-warm-up")
    for hook in application.bot_data.get("on_start", []):
        await hook(application)
    log.info("credbot is up as @%s", application.bot.username)


async def _nudge_tick(context: CallbackContext) -> None:  # type: ignore[type-arg]
    services: Services = context.application.bot_data["services"]
    forget_before(services.db, services.now() - KEEP)  # update ids too old to be sent again (store/seen.py)
    report = await run_due(context.bot, services, services.now())
    if report.claimed:
        log.info(
            "nudges: %s claimed, %s sent, %s skipped, %s retried, %s blocked",
            report.claimed,
            report.sent,
            report.skipped,
            report.retried,
            report.blocked,
        )


async def _post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
    services: Services = application.bot_data["services"]
    task = application.bot_data.pop("warm_up_task", None)
    if task is not None:
        try:
            await task  # let it finish before the database closes
        except Exception:
            log.exception("warming up the recommender failed")
    services.db.close()


def outbound_limiter(services: Services | None = None, per_second: float = BURST + RATE) -> FairLimiter:
    """Under Telegram's ~30 messages/s, with chats taking turns (bot/ratelimit.py): a 429 is waited out (its
    retry_after) and tried again up to 3 times; group chats also get Telegram's 20/minute. On a PostgreSQL store
    the budget is shared with every other process using it (store/budget.py). `per_second` other than Telegram's
    30 only for load tests against the emulator: a fifth of it is the burst, the rest the steady rate."""
    burst, rate = per_second / 5, per_second * 4 / 5  # 6 and 24 for Telegram's 30 (BURST, RATE)
    if services is not None and services.db.kind == "postgresql":
        return FairLimiter(burst=burst, rate=rate, shared=SharedBudget(services.db, burst=burst, rate=rate))
    return FairLimiter(burst=burst, rate=rate)


def build_application(
    services: Services,
    token: str,
    *,
    base_url: str | None = None,
    base_file_url: str | None = None,
    rate_limit: bool = True,
    flood: FloodGate | None = None,
    warm_up: bool = True,
    nudge_every: float | None = 30.0,
    read_timeout: float = 10.0,
    send_rate: float = BURST + RATE,
    extra: Callable[[Application], None] | None = None,  # type: ignore[type-arg]
) -> Application:  # type: ignore[type-arg]
    gate = flood or FloodGate()
    bot = CredBot(
        token,
        base_url=base_url or "https://api.telegram.org/bot",
        base_file_url=base_file_url or "https://api.telegram.org/file/bot",
        request=RetryingRequest(connection_pool_size=64, read_timeout=read_timeout, write_timeout=read_timeout),
        get_updates_request=PollingRequest(gate, connection_pool_size=1, read_timeout=read_timeout),
        defaults=Defaults(parse_mode=ParseMode.HTML, link_preview_options=None, block=True),
        rate_limiter=outbound_limiter(services, send_rate) if rate_limit else None,
    )
    builder = (
        ApplicationBuilder()
        .bot(bot)
        .persistence(StorePersistence(services.store))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .concurrent_updates(PerChatProcessor())  # each chat in order, chats side by side (one flood stalls no one)
    )
    application = builder.build()
    application.bot_data["services"] = services
    application.bot_data["warm_up"] = warm_up
    application.bot_data["flood"] = gate

    application.add_handler(TypeHandler(Update, guard), group=-3)  # once per update; per-person flood control
    application.add_handler(TypeHandler(Update, account.group_guard), group=-2)
    application.add_handler(TypeHandler(Update, nudge_handlers.note_activity), group=-1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBUserWarning)  # per_message=False is intended: one flow per chat
        application.add_handler(conversation())
    application.add_handlers(
        [
            CommandHandler("path", results.path_command),
            CommandHandler("progress", progress.progress_command),
            CommandHandler("settings", account.settings_command),
            CommandHandler("export", account.export_command),
            CommandHandler("forget", account.forget_command),
            CommandHandler("help", account.help_command),
            CommandHandler("cancel", onboarding.cancel),
            CallbackQueryHandler(enroll.on_enroll_date, pattern=callbacks.PATTERN_ENROLL),
            CallbackQueryHandler(progress.on_progress_button, pattern=callbacks.PATTERN_PROGRESS),
            CallbackQueryHandler(account.on_settings_button, pattern=callbacks.PATTERN_SETTINGS),
            CallbackQueryHandler(nudge_handlers.on_nudge_button, pattern=callbacks.PATTERN_NUDGE),
            MessageHandler(filters.COMMAND, account.unknown_command),
            MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL, account.not_text),
            CallbackQueryHandler(account.stray_button),
        ]
    )
    if nudge_every and application.job_queue is not None:
        # the JobQueue only ticks; what is due lives in SQLite (see bot/nudges/scheduler.py)
        application.job_queue.run_repeating(_nudge_tick, interval=nudge_every, first=nudge_every, name="nudges")
    admin.register_admin(application, every=nudge_every)
    if extra is not None:
        extra(application)
    application.add_error_handler(on_error)
    return application
