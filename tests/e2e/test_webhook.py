"""`credbot run --webhook` as a real process: Telegram's delivery (played by the emulator) POSTs updates to it.

Only requests with the secret-token header are taken, the health endpoint answers, a retried update is handled
once, and SIGTERM lets the updates already taken finish before the process exits.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import aiohttp

from bot.webhook import HEALTH_PATH, SECRET_HEADER, webhook_secret
from sandbox.emulator import BotApiEmulator, free_port
from tests.e2e import replicas
from tests.e2e.harness import run


async def health(port: int) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}{HEALTH_PATH}") as answer:
        return answer.status, dict(await answer.json())


def replies_to(emu: BotApiEmulator, user_id: int, start: int = 0) -> list[str]:
    return [s.text or "" for s in emu.sent[start:] if s.chat_id == user_id and s.method == "sendMessage"]


def test_webhook_takes_only_signed_updates_answers_once_and_finishes_in_flight_work_on_sigterm(tmp_path: Path) -> None:
    db = tmp_path / "hook.db"
    port = free_port()

    async def scenario() -> None:
        async with BotApiEmulator() as emu:
            reps: list[replicas.Replica] = []
            async with replicas.cleanup(reps):
                replica = await replicas.start(emu, db, port=port)
                reps.append(replica)
                await replica.wait_log("credbot is up")
                await emu.wait_until(lambda: emu.webhook is not None, timeout=60, what="setWebhook")
                status, body = await health(port)
                assert status == 200 and body["ok"] and body["mode"] == "webhook" and body["store"] == "sqlite"
                assert emu.webhook == {"url": replica.url, "secret_token": webhook_secret(emu.token)}
                assert emu.token not in json.dumps(emu.webhook)  # the secret is derived, never the token itself
                emu.deliver_to([replica.url])
                # the Mini App is on the same address, and the chat's menu button opens it
                await emu.wait_until(lambda: emu.menu_button is not None, timeout=60, what="setChatMenuButton")
                app_url = f"http://127.0.0.1:{port}/app/"
                assert emu.menu_button == {"type": "web_app", "text": "Browse", "web_app": {"url": app_url}}
                async with aiohttp.ClientSession() as session:
                    async with session.get(app_url) as page:
                        assert page.status == 200 and "text/html" in page.headers["Content-Type"]
                    async with session.get(app_url + "api/plan") as api:
                        assert api.status == 401  # its API only for signed initData

                # unsigned, wrongly signed and malformed posts change nothing
                update = {"update_id": 999_001, "message": {"message_id": 1, "date": 0, "text": "/start",
                                                            "chat": {"id": 42, "type": "private"}}}  # fmt: skip
                async with aiohttp.ClientSession() as session:
                    for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: emu.token}):
                        async with session.post(replica.url, json=update, headers=headers) as answer:
                            assert answer.status == 403
                    good = {SECRET_HEADER: webhook_secret(emu.token)}
                    for body_bytes in (b"not json", b"[1, 2]", b'{"update_id": "x"}'):
                        async with session.post(replica.url, data=body_bytes, headers=good) as answer:
                            assert answer.status == 400
                assert replies_to(emu, 42) == []

                # a real conversation through the webhook, and a retried update handled once
                start = len(emu.sent)
                emu.send_text(5001, "/start", first_name="Web")
                await emu.wait_for(lambda s: s.chat_id == 5001, start=start, timeout=60)
                await emu.wait_idle(quiet=0.3, timeout=60)
                assert replies_to(emu, 5001, start)
                mark = len(emu.sent)
                delivered = emu.webhook_stats["delivered"]
                emu.redeliver(emu.last_update_id)  # Telegram sends it again (it thought the first try failed)
                await emu.wait_until(lambda: emu.webhook_stats["delivered"] > delivered, timeout=60, what="redelivery")
                await emu.wait_idle(quiet=0.5, timeout=60)
                assert replies_to(emu, 5001, mark) == []  # taken again, and nothing done with it

                # several people at once, then SIGTERM as soon as their updates are taken: each still gets a reply
                mark = len(emu.sent)
                delivered = emu.webhook_stats["delivered"]
                people = list(range(5101, 5111))
                for user_id in people:
                    emu.send_text(user_id, "/start", first_name=f"P{user_id}")
                await emu.wait_until(
                    lambda: emu.webhook_stats["delivered"] >= delivered + len(people), timeout=60, what="all delivered"
                )
                code = await replica.stop(signal.SIGTERM)
                assert code == 0, replica.log[-3000:]
                missing = [u for u in people if not replies_to(emu, u, mark)]
                assert missing == [], (missing, replica.log[-3000:])
                assert "finishing" in replica.log  # it said it was draining, and did
                assert emu.token not in replica.log

    run(scenario())
