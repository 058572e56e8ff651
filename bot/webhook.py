"""Webhook mode: Telegram POSTs each update to an address of ours, and several replicas may stand behind it.

Why our own small aiohttp server rather than PTB's built-in one: it adds what replicas need and PTB's does not
offer, a health endpoint for the load balancer and a shutdown that first stops taking updates (503, so Telegram
tries again, reaching another replica) and then lets the Application finish the updates it already has. Updates
go into `application.update_queue`, exactly as PTB's own webhook and polling put them, so every handler, the
flood gate and the per-chat ordering behave the same in both modes.

Only requests carrying Telegram's secret-token header are taken (403 otherwise). A retried update reaching a
second replica is handled once: the guard records each update id in the shared store first (store/seen.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import os
import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import MenuButtonWebApp, Update, WebAppInfo
from telegram.ext import Application

from bot.services import Services

log = logging.getLogger("credbot.webhook")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
MAX_BODY = 1 << 20  # an update is a few kB; Telegram never sends a megabyte


class WebhookError(ValueError):
    """A webhook setting that cannot work, said in one line."""


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    url: str  # the public address Telegram posts to (a proxy or load balancer in front of the replicas)
    listen: str
    port: int
    secret: str

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"

    @property
    def mini_app_url(self) -> str:
        """Where the Mini App is, on the webhook's own public address."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}/app/"


def webhook_secret(token: str, env: Mapping[str, str] | None = None) -> str:
    """CREDBOT_WEBHOOK_SECRET if set, else one derived from the token, so every replica agrees without more
    configuration and the token itself never travels in a header."""
    env = os.environ if env is None else env
    given = env.get("CREDBOT_WEBHOOK_SECRET", "").strip()
    if given:
        if not (1 <= len(given) <= 256) or any(not (c.isascii() and (c.isalnum() or c in "_-")) for c in given):
            raise WebhookError("CREDBOT_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return given
    return hmac.new(token.encode(), b"credbot-webhook-secret", hashlib.sha256).hexdigest()


def webhook_config(url: str, listen: str, port: int, token: str, env: Mapping[str, str] | None = None) -> WebhookConfig:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise WebhookError(f"--webhook must be an https:// address Telegram can reach, got {url!r}")
    if parts.path == HEALTH_PATH:
        raise WebhookError(f"--webhook cannot use the path {HEALTH_PATH}: it is the health endpoint")
    return WebhookConfig(url=url, listen=listen, port=port, secret=webhook_secret(token, env))


class WebhookServer:
    """POST <path of the webhook URL> takes updates; GET /healthz says whether this replica can serve."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        config: WebhookConfig,
        mini_app: Callable[[web.Application], object] | None = None,
    ) -> None:
        self.application = application
        self.config = config
        self.mini_app = mini_app
        self.accepted = 0
        self.refused = 0
        self.closing = False
        self._runner: web.AppRunner | None = None

    def web_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(self.config.path, self.receive)
        app.router.add_get(HEALTH_PATH, self.health)
        if self.mini_app is not None:
            self.mini_app(app)  # the Mini App on the same address (webapp/server.py)
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.web_app(), access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.config.listen, self.config.port).start()
        log.info("webhook: listening on %s:%s%s", self.config.listen, self.config.port, self.config.path)

    async def stop_taking(self) -> None:
        """New updates get 503 (Telegram sends them again, to a replica still up); the listener then closes."""
        self.closing = True
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def receive(self, request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), self.config.secret):
            self.refused += 1
            return web.json_response({"ok": False, "error": "forbidden"}, status=403)
        if self.closing or not self.application.running:
            return web.json_response({"ok": False, "error": "shutting down"}, status=503)
        try:
            data = json.loads(await request.read())
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(data, self.application.bot)
        except Exception as err:  # a body Telegram would never send: say so, keep serving
            return web.json_response({"ok": False, "error": f"bad update: {type(err).__name__}"}, status=400)
        await self.application.update_queue.put(update)
        self.accepted += 1
        return web.json_response({"ok": True})

    async def health(self, request: web.Request) -> web.Response:
        services: Services = self.application.bot_data["services"]
        store_ok = True
        try:
            await asyncio.to_thread(services.db.scalar, "select 1")
        except Exception as err:
            log.warning("health: the store does not answer: %s", err)
            store_ok = False
        ok = store_ok and not self.closing and self.application.running
        body: dict[str, Any] = {
            "ok": ok,
            "mode": "webhook",
            "store": services.db.kind if store_ok else "unreachable",
            "queued_updates": self.application.update_queue.qsize(),
            "accepted": self.accepted,
        }
        return web.json_response(body, status=200 if ok else 503)


async def serve_webhook(
    application: Application,  # type: ignore[type-arg]
    config: WebhookConfig,
    *,
    stop: asyncio.Event | None = None,
    mini_app: Callable[[web.Application], object] | None = None,
) -> None:
    """Run until SIGTERM/SIGINT (or `stop`): register the webhook, take updates, then shut down gracefully.
    `mini_app` adds the Mini App to the same server; its address then becomes the chat's menu button."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
    server = WebhookServer(application, config, mini_app)
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        try:
            await server.start()
            await application.bot.set_webhook(
                config.url, secret_token=config.secret, allowed_updates=Update.ALL_TYPES, drop_pending_updates=False
            )
            services: Services = application.bot_data["services"]
            if mini_app is not None and services.webapp_url:
                await application.bot.set_chat_menu_button(
                    menu_button=MenuButtonWebApp("Browse", WebAppInfo(url=services.webapp_url))
                )
            await stop.wait()
            log.info("webhook: stopping; finishing %s queued update(s)", application.update_queue.qsize())
        finally:
            await server.stop_taking()
            if application.running:
                await application.stop()  # handles what is queued and waits for handlers in flight
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
    log.info("webhook: stopped after %s update(s)", server.accepted)
