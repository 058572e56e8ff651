"""`credbot chat`: the real Application against the local Bot API emulator, with a terminal client.

Bot messages are shown as plain text; inline buttons become numbered choices, `[#1] 2 h`, pressed by typing `#1`.
A bare number is a message, as it would be in Telegram: `5` at the hours question means 5 hours, not button 5.
/quit (or end of input) leaves cleanly, so the sandbox can be scripted: `printf '/start\\n' | credbot chat`.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sandbox.emulator import BotApiEmulator, Sent

SANDBOX_USER = 424242
TAG_RE = re.compile(r"<[^>]+>")
PRESS_RE = re.compile(r"#\s*(\d{1,6})")


@dataclass(frozen=True, slots=True)
class Button:
    message_id: int
    label: str
    data: str


def read_input(text: str, buttons: Sequence[Button]) -> Button | str | None:
    """What a typed line means: the button `#N` names, a short note when `#N` names none, or None for a message
    to send. Only the `#` form presses, so numbers stay answers ("5" at the hours question), as in Telegram."""
    m = PRESS_RE.fullmatch(text.strip())
    if m is None:
        return None
    n = int(m.group(1))
    if not buttons:
        return "(no buttons to press right now; type your answer instead)"
    if not 1 <= n <= len(buttons):
        return f"(no button #{n}; choose #1-#{len(buttons)})"
    return buttons[n - 1]


def plain(text: str, *, bold: Callable[[str], str] = lambda s: s) -> str:
    text = re.sub(r"<b>(.*?)</b>", lambda m: bold(m.group(1)), text, flags=re.S)
    text = re.sub(r'<a href="([^"]+)">(.*?)</a>', r"\2 (\1)", text, flags=re.S)
    return html.unescape(TAG_RE.sub("", text))


class TerminalClient:
    """Renders what the bot sent since the last look and remembers the buttons of the newest keyboard."""

    def __init__(self, emulator: BotApiEmulator, out: TextIO, color: bool) -> None:
        self.emu = emulator
        self.out = out
        self.seen = 0
        self.buttons: list[Button] = []
        self.bold = (lambda s: f"\033[1m{s}\033[0m") if color else (lambda s: s)

    def show_new(self) -> None:
        items = self.emu.sent[self.seen :]
        self.seen = len(self.emu.sent)
        if any(i.reply_markup and i.reply_markup.get("inline_keyboard") for i in items):
            self.buttons = []  # numbers run across everything shown since the last input
        for item in items:
            self._show(item)
        self.out.flush()

    def _show(self, item: Sent) -> None:
        if item.method in ("sendMessage", "editMessageText"):
            prefix = "(edited) " if item.method == "editMessageText" else ""
            self.out.write(f"\n🤖 {prefix}{plain(item.text or '', bold=self.bold)}\n")
        elif item.method in ("sendDocument", "sendPhoto"):
            what = item.filename or "picture"
            self.out.write(
                f"\n🤖 [{'file' if item.method == 'sendDocument' else 'picture'}: {what}] {plain(item.caption or '')}\n"
            )
        elif item.method == "answerCallbackQuery" and item.text:
            self.out.write(f"   ({item.text})\n")
        else:
            return
        if item.reply_markup and item.reply_markup.get("inline_keyboard"):
            for row in item.reply_markup["inline_keyboard"]:
                labels = []
                for b in row:
                    if "callback_data" in b and item.message_id is not None:
                        self.buttons.append(Button(item.message_id, b["text"], b["callback_data"]))
                        labels.append(f"[#{len(self.buttons)}] {b['text']}")
                    elif "url" in b:
                        labels.append(f"{b['text']} ({b['url']})")
                self.out.write("   " + "   ".join(labels) + "\n")


class SandboxClock:
    """Real time plus an offset that `/wait 3d` moves forward, so nudges can be seen arriving."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


WAIT_RE = re.compile(r"^/wait\s+(\d+(?:\.\d+)?)\s*([dhm])$")


def parse_wait(text: str) -> timedelta | None:
    m = WAIT_RE.match(text.strip().lower())
    if not m:
        return None
    value = float(m.group(1))
    delta = {"d": timedelta(days=value), "h": timedelta(hours=value), "m": timedelta(minutes=value)}[m.group(2)]
    return delta if timedelta(0) < delta <= timedelta(days=60) else None


async def fast_forward(app: Any, services: Any, clock: SandboxClock, delta: timedelta, out: TextIO) -> int:
    """Move the sandbox clock hour by hour, running the nudge scheduler at each step as the job would."""
    from bot.nudges.scheduler import run_due

    sent = 0
    end = clock.offset + delta
    while clock.offset < end:
        clock.offset = min(clock.offset + timedelta(hours=1), end)
        report = await run_due(app.bot, services, clock())
        if report.sent:
            sent += report.sent
            out.write(f"\n⏩ {clock():%a %-d %b %H:%M} UTC\n")
    return sent


async def _read_line(stream: TextIO) -> str:
    return await asyncio.to_thread(stream.readline)


async def run_sandbox(
    db_path: str | Path | None,
    *,
    first_name: str = "You",
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    make: Callable[..., Any] | None = None,
) -> None:
    """`make(db_path, clock=...)` builds the services (default bot.runtime.make_services; tests pass a light one)."""
    from bot.app import build_application
    from bot.runtime import make_services, running

    stdin = stdin or sys.stdin
    out = out or sys.stdout
    color = out.isatty()
    emulator = BotApiEmulator()
    await emulator.start()
    clock = SandboxClock()
    services = (make or make_services)(db_path, clock=clock)
    app = build_application(services, emulator.token, base_url=emulator.base_url, base_file_url=emulator.base_file_url)
    client = TerminalClient(emulator, out, color)
    out.write(
        "credbot sandbox — a local Telegram stand-in, no token or network needed.\n"
        "Loading the recommender (a few seconds the first time)...\n"
    )
    out.flush()
    from webapp.server import serve_local

    # the Mini App too, signed for the sandbox person; /wait moves the clock by days, so its initData may be old
    web, browse = await serve_local(
        services, emulator.token, {"id": SANDBOX_USER, "first_name": first_name}, max_age=timedelta(days=3650)
    )
    try:
        async with running(app):
            emulator.watch_queue(app.update_queue)
            out.write(
                "Ready. Type /start to begin. Answer by typing; press a button by typing its number with #, "
                "like #2 (a plain 2 is an answer). /wait 3d fast-forwards time (see reminders arrive), "
                "/quit leaves.\n"
                f"The web view (catalog, picks, plan) is at {browse}\n"
            )
            out.flush()
            while True:
                out.write("\nyou> ")
                out.flush()
                line = await _read_line(stdin)
                if not line:
                    out.write("\n")
                    break
                text = line.strip()
                if not text:
                    continue
                if not stdin.isatty():  # scripted input: echo it so the transcript reads like a chat
                    out.write(text + "\n")
                if text in ("/quit", "/exit"):
                    break
                if text.startswith("/wait"):
                    delta = parse_wait(text)
                    if delta is None:
                        out.write("   (try /wait 2d, /wait 12h or /wait 30m; at most 60 days)\n")
                        continue
                    count = await fast_forward(app, services, clock, delta, out)
                    await emulator.wait_idle(quiet=0.25, timeout=60)
                    client.show_new()
                    out.write(f"   (time passes… now {clock():%a %-d %b %H:%M} UTC; {count} reminder(s) sent)\n")
                    continue
                choice = read_input(text, client.buttons)
                if isinstance(choice, str):
                    out.write(f"   {choice}\n")
                    continue
                if choice is not None:
                    out.write(f"   → {choice.label}\n")
                    emulator.press(SANDBOX_USER, choice.message_id, choice.data)
                else:
                    emulator.send_text(SANDBOX_USER, text, first_name=first_name)
                await emulator.wait_idle(quiet=0.25, timeout=60)
                client.show_new()
    finally:
        await web.cleanup()
        await emulator.stop()
    out.write("Bye! Your answers are saved for next time.\n")
    out.flush()
