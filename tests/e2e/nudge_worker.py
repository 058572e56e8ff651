"""A bot process that claims due nudges and then hangs before sending, so a test can SIGKILL it right there."""

import asyncio
import sys
from datetime import datetime
from pathlib import Path

from telegram import Bot

from bot.nudges.scheduler import run_due
from bot.runtime import make_services
from tests.fakes import FakeEncoder


async def main(db: str, base_url: str, token: str, now_iso: str) -> None:
    now = datetime.fromisoformat(now_iso)
    services = make_services(Path(db), clock=lambda: now, encoder=FakeEncoder())

    async def hang(claimed: list) -> None:
        print(f"CLAIMED {len(claimed)}", flush=True)
        await asyncio.Event().wait()  # never returns: the test kills us here

    async with Bot(token, base_url=base_url) as bot:
        await run_due(bot, services, now, after_claim=hang)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
