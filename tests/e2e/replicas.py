"""`credbot run` processes for the webhook and replica tests: started, their log read as it comes (so a chatty
process never blocks on a full pipe), waited on by what they log, stopped by signal."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from sandbox.emulator import BotApiEmulator
from tests.e2e.test_kill import env_for

ROOT = Path(__file__).resolve().parents[2]


class Replica:
    def __init__(self, proc: asyncio.subprocess.Process, port: int | None) -> None:
        self.proc, self.port = proc, port
        self.lines: list[str] = []
        self._changed = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/tg"

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    async def _read(self) -> None:
        assert self.proc.stderr is not None
        while line := await self.proc.stderr.readline():
            async with self._changed:
                self.lines.append(line.decode(errors="replace").rstrip())
                self._changed.notify_all()
        async with self._changed:
            self._changed.notify_all()  # end of the log: waiters see the exit

    async def wait_log(self, text: str, *, timeout: float = 120) -> None:
        """Until a log line contains `text`; fails at once, with the log, if the process ends first."""

        def seen() -> bool:
            return any(text in line for line in self.lines) or self._reader.done()

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(seen), timeout)
        if not any(text in line for line in self.lines):
            raise AssertionError(f"the process ended ({self.proc.returncode}) before logging {text!r}:\n{self.log}")

    def kill(self) -> None:
        """For a test's `finally`: no process outlives the test, whatever failed."""
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()

    async def stop(self, sig: int = signal.SIGTERM, *, timeout: float = 120) -> int:
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(sig)
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        await self._reader
        return code


@contextlib.asynccontextmanager
async def cleanup(replicas: list[Replica]) -> AsyncIterator[list[Replica]]:
    """Kill whatever is still running of `replicas` when the block ends, passed or failed."""
    try:
        yield replicas
    finally:
        for r in replicas:
            r.kill()
        for r in replicas:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(r.proc.wait(), 30)


async def start(
    emu: BotApiEmulator, db: Path | str, *args: str, port: int | None = None, env: dict[str, str] | None = None
) -> Replica:
    """`credbot run ARGS`, with `--webhook` on `port` when one is given."""
    argv = ["run", "--no-warm-up", *args]
    if port is not None:
        argv += ["--webhook", f"http://127.0.0.1:{port}/tg", "--port", str(port)]
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", f"from credbot.cli import main; main({argv!r})",
        env={**env_for(emu, db), **(env or {})}, cwd=ROOT,  # type: ignore[arg-type]
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    return Replica(proc, port)
