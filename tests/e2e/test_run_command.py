"""`credbot run` against the emulator: a rejected token gives one clear line, exit 2, and never the token itself."""

import asyncio
import logging
import os
import sys
from pathlib import Path

from bot.runtime import RedactingFilter
from sandbox.emulator import BotApiEmulator
from tests.e2e.harness import run

ROOT = Path(__file__).resolve().parents[2]
WRONG = "999999:WRONG-TOKEN-abcdefghijklmnopqrstuvwxyz"


def test_rejected_token_exits_2_with_one_line_and_no_token_in_output(tmp_path: Path) -> None:
    async def scenario() -> tuple[int, str]:
        async with BotApiEmulator() as emu:
            env = {**os.environ, "TELEGRAM_BOT_TOKEN": WRONG, "TELEGRAM_API_BASE_URL": emu.base_url,
                   "CREDBOT_DB": str(tmp_path / "r.db"), "PYTHONPATH": str(ROOT)}  # fmt: skip
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-c", "from credbot.cli import main; main(['run', '--no-warm-up'])",
                env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, cwd=ROOT,
            )  # fmt: skip
            out, _ = await asyncio.wait_for(proc.communicate(), timeout=120)
            return proc.returncode or 0, out.decode()

    code, output = run(scenario())
    assert code == 2, output
    assert "rejected TELEGRAM_BOT_TOKEN" in output
    assert WRONG not in output and "WRONG-TOKEN" not in output


def test_log_records_with_a_token_are_redacted() -> None:
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "POST https://x/bot%s/getMe", (WRONG,), None)
    RedactingFilter().filter(record)
    assert WRONG not in record.getMessage() and "<token>" in record.getMessage()
