"""The bot token comes from the environment and never shows up in a log line, a traceback, a message or an export,
even when Telegram misbehaves (429, 5xx, 400) during a whole conversation with every logger at DEBUG."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.config import Settings
from bot.runtime import setup_logging
from sandbox.emulator import QUERY_INVALID, BotApiEmulator
from tests.e2e.harness import run
from tests.e2e.test_admin import app_world
from tests.e2e.test_nudges import tick

TOKEN = "7312456789:AAHx9-Qe3J_kT7pWmZr2Lb8YvN4cD6sF0gU"  # shaped like a real one: bot id, colon, 35 characters
SECRET = TOKEN.split(":", 1)[1]
LOUD = ("", "httpx", "httpcore", "telegram", "apscheduler", "aiohttp", "asyncio", "credbot")


class Raw(logging.Handler):
    """Each record's message as it was logged, before any filter of the configured handler touched it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.name, record.getMessage()))


@contextmanager
def logging_as_configured() -> Iterator[tuple[io.StringIO, Raw]]:
    """The application's own logging set-up (bot.runtime.setup_logging) at DEBUG for every logger, its output
    written to a buffer; restored afterwards."""
    root = logging.getLogger()
    saved_handlers = root.handlers[:]
    saved_levels = {name: logging.getLogger(name).level for name in LOUD}
    out = io.StringIO()
    raw = Raw()
    try:
        setup_logging(logging.DEBUG)
        for handler in root.handlers:
            assert isinstance(handler, logging.StreamHandler)
            handler.setStream(out)
        root.handlers.insert(0, raw)  # first, so it sees each record as it was made
        for name in LOUD:
            logging.getLogger(name).setLevel(logging.DEBUG)
        yield out, raw
    finally:
        root.handlers[:] = saved_handlers
        for name, level in saved_levels.items():
            logging.getLogger(name).setLevel(level)


def test_a_faulty_conversation_never_puts_the_token_in_logs_errors_messages_or_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    exported: list[bytes] = []
    texts: list[str] = []

    async def scenario() -> None:
        async with BotApiEmulator(token=TOKEN) as emu:
            token_from_env = lambda _: Settings.from_env().token or ""  # noqa: E731
            async with app_world(tmp_path, emu=emu, token=token_from_env) as w:
                chat = w.chat(8008)
                emu.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
                await chat.say("/start")
                emu.fail_next("sendMessage", 500, "Internal Server Error")
                await chat.say("teacher")
                emu.fail_next("getUpdates", 502, "Bad Gateway")
                await chat.say("data analyst")
                await chat.say("skip")
                await chat.say("5 hours")
                await chat.say("3 months")
                await chat.say("free")
                await chat.say("online")
                emu.fail_next("answerCallbackQuery", 400, QUERY_INVALID)
                await chat.press("Enroll")
                await chat.press("relaxed")
                emu.fail_next("sendMessage", 400, "Bad Request: chat not found")  # a handler's reply is refused
                await chat.say("/help")
                emu.fail_next("sendDocument", 500, "Internal Server Error")
                await chat.say("/export")
                await chat.say("/export")
                for _ in range(12):
                    if await tick(w, 6):
                        break
                await emu.wait_idle()
                exported.extend(s.document or b"" for s in emu.sent if s.method == "sendDocument")
                texts.extend(s.text or s.caption or "" for s in emu.sent)
                texts.extend(description for _, _, description in emu.errors)
                assert {code for _, code, _ in emu.errors} >= {429, 500, 502, 400}  # the faults did happen

    with logging_as_configured() as (out, raw):
        run(scenario())
    logged = out.getvalue()

    assert exported and all(json.loads(doc)["user"]["id"] == 8008 for doc in exported)
    loggers = {name.split(".")[0] for name, _ in raw.messages}
    assert {"httpx", "httpcore", "telegram", "apscheduler"} <= loggers, loggers
    assert any(TOKEN in message for _, message in raw.messages)  # URLs carry it: the redaction had work to do
    assert "Traceback" in logged and "NetworkError: Bad Gateway" in logged  # failed polls are logged in full
    assert "Chat not found" in logged  # and so is the handler whose reply Telegram refused
    assert "<token>" in logged
    for where, text in (("log output", logged), ("messages", "\n".join(texts))):
        assert TOKEN not in text, where
        assert SECRET not in text, where
    for doc in exported:
        assert TOKEN.encode() not in doc and SECRET.encode() not in doc
