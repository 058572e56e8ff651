"""The Mini App's API over HTTP: 401 without valid initData, the catalog page, an offering, my picks, each only
ever the signed person's own."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.runtime import make_services
from bot.services import Services
from sandbox.emulator import free_port
from store.nudges import NudgeStore
from tests.e2e.harness import Clock, shared_recommender
from tests.fakes import FakeEncoder
from webapp.auth import sign
from webapp.server import MiniApp

TOKEN = "123456:" + "T" * 35
NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)
ANA, BEN = 7001, 7002


def header(user_id: int, *, token: str = TOKEN, at: datetime = NOW) -> dict[str, str]:
    return {"Authorization": "tma " + sign(token, {"id": user_id, "first_name": "P"}, at)}


@contextlib.asynccontextmanager
async def serving(services: Services) -> AsyncIterator[str]:
    runner = web.AppRunner(MiniApp(services, TOKEN).web_app())
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/app/api"
    finally:
        await runner.cleanup()


def test_the_api_answers_only_the_signed_person_and_only_about_them(tmp_path: Path) -> None:
    services = make_services(
        tmp_path / "web.db", clock=Clock(NOW), encoder=FakeEncoder(), recommender=shared_recommender()
    )
    store = services.store
    for uid in (ANA, BEN):
        store.touch_user(uid, uid, "P", "en", NOW)
    store.save_profile(ANA, {"role": "teacher", "goal": "data analyst", "hours_per_week": 5}, NOW)
    some = services.catalog.all()[:3]
    store.record_shown(ANA, [(c.id, 1.0 - i / 10) for i, c in enumerate(some)], NOW)
    store.enroll(ANA, some[0].id, some[0].hours or 10, date(2026, 12, 1), date(2027, 2, 1), NOW)

    async def scenario() -> dict[str, Any]:
        out: dict[str, Any] = {}
        async with serving(services) as base, aiohttp.ClientSession() as http:

            async def get(path: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
                async with http.get(base + path, headers=headers or {}) as answer:
                    return answer.status, await answer.json()

            stale = NOW - timedelta(days=2)
            for headers in ({}, {"Authorization": "Bearer x"}, header(ANA, token="1:" + "X" * 35),
                            header(ANA, at=stale), {"Authorization": "tma user=1&hash=00"}):  # fmt: skip
                for path in ("/catalog", "/picks", f"/offering/{some[0].id}", "/facets"):
                    status, body = await get(path, headers)
                    assert status == 401 and body["error"] == "unauthorized", (path, headers, body)

            status, page = await get("/catalog?sort=title&per_page=5", header(ANA))
            assert status == 200 and page["total"] == services.catalog.count() and len(page["items"]) == 5
            status, free = await get("/catalog?free=1&sort=hours&per_page=50", header(ANA))
            assert status == 200 and all(c["cost"] == 0 for c in free["items"])
            assert [c["hours"] for c in free["items"]] == sorted(c["hours"] for c in free["items"])
            status, bad = await get("/catalog?sort=random", header(ANA))
            assert status == 400 and "sort must be one of" in bad["why"]

            status, mine = await get("/catalog?sort=fit&per_page=10", header(ANA))
            fits = [c["fit"] for c in mine["items"]]
            assert status == 200 and mine["sort"] == "fit" and fits == sorted(fits, reverse=True)
            status, theirs = await get("/catalog?sort=fit&per_page=10", header(BEN))
            assert status == 200 and theirs["sort"] == "title"  # no answers yet: no fit to sort by

            status, offer = await get(f"/offering/{some[0].id}", header(ANA))
            assert status == 200 and offer["id"] == some[0].id and offer["enrolled"] is True
            assert offer["source_line"] and offer["as_of"]
            status, offer = await get(f"/offering/{some[0].id}", header(BEN))
            assert status == 200 and offer["enrolled"] is False  # Ben sees the offering, not Ana's enrollment
            status, _ = await get("/offering/no-such-thing", header(ANA))
            assert status == 404

            async def post(path: str, body: Any, headers: dict[str, str]) -> tuple[int, Any]:
                async with http.post(base + path, json=body, headers=headers) as answer:
                    return answer.status, await answer.json()

            target = {"credential_id": some[1].id, "target": "2027-03-01"}
            assert (await post("/enroll", target, {}))[0] == 401
            status, done = await post("/enroll", target, header(BEN))
            assert status == 200 and done["result"] == "enrolled" and done["hours_per_week"] > 0
            [made] = services.store.enrollments(BEN)  # the store operation the chat uses: /progress shows it
            assert (made.credential_id, made.target_date.isoformat()) == (some[1].id, "2027-03-01")
            assert NudgeStore(services.db).pending_due(BEN) is not None  # and a reminder check is on the calendar
            status, again = await post("/enroll", {**target, "target": "2027-04-01"}, header(BEN))
            assert status == 200 and again["result"] == "moved" and again["enrollment_id"] == done["enrollment_id"]
            assert services.store.enrollments(ANA)[0].credential_id == some[0].id  # Ana's own untouched
            for bad, code in ((({"credential_id": some[1].id, "target": "2020-01-01"}), 400),
                              ({"credential_id": "nope", "target": "2027-03-01"}, 404),
                              ({"credential_id": some[1].id, "target": "soon"}, 400), ([1, 2], 400)):  # fmt: skip
                assert (await post("/enroll", bad, header(BEN)))[0] == code, bad

            status, plan = await get("/plan", header(BEN))
            assert status == 200 and [p["enrollment_id"] for p in plan["items"]] == [done["enrollment_id"]]
            logged = {"enrollment_id": done["enrollment_id"], "hours": 1.5}
            status, after = await post("/log", logged, header(BEN))
            assert status == 200 and after["hours_logged"] == 1.5 and after["status"] == "InProgress"
            assert services.store.enrollments(BEN)[0].hours_logged == 1.5  # what the chat's /progress reads
            assert (await post("/log", logged, header(ANA)))[0] == 404  # Ana cannot log on Ben's enrollment
            assert services.store.enrollments(BEN)[0].hours_logged == 1.5
            for bad in ({**logged, "hours": 0}, {**logged, "hours": 99}, {**logged, "hours": "lots"}, {}):
                assert (await post("/log", bad, header(BEN)))[0] == 400, bad
            async with http.get(base + "/chart.png", headers=header(BEN)) as answer:
                assert answer.status == 200 and (await answer.read())[:8] == b"\x89PNG\r\n\x1a\n"

            root = base.removesuffix("/api")
            for path, kind in (("/", "text/html"), ("/app.js", "javascript"), ("/app.css", "text/css")):
                async with http.get(root + path) as answer:  # the page itself needs no initData; its API does
                    assert answer.status == 200 and kind in answer.headers["Content-Type"], path
            async with http.get(root + "/../store/engine.py") as answer:
                assert answer.status in (403, 404)  # nothing outside webapp/static is served

            status, picks = await get("/picks", header(ANA))
            assert status == 200 and [c["id"] for c in picks["items"]] == [c.id for c in some]
            status, picks = await get("/picks", header(BEN))
            assert status == 200 and picks["items"] == []
            out["facets"] = (await get("/facets", header(ANA)))[1]
        return out

    found = asyncio.run(scenario())
    assert "curated" in found["facets"]["source"] and found["facets"]["level"]
