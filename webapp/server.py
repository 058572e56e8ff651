"""The Mini App's JSON API (aiohttp): the catalog page, one offering, my picks, each for the person whose signed
`initData` comes with the request.

Every request carries `Authorization: tma <initData>` (the Mini App convention); without valid data the answer is
401 and nothing else. The person is always the one the data was signed for: no route takes a user id, so one
person can never ask for another's rows. Handlers parse, call the query or the store, and answer JSON.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.enrolling import Result, enroll_by
from bot.nudges.scheduler import ensure_scheduled
from bot.onboarding import profile_from_draft
from bot.services import Services
from catalog.provenance import source_line, source_name
from catalog.schema import Credential
from store.nudges import NudgeStore
from webapp.auth import MAX_AGE, InvalidInitData, WebAppUser, sign, verify
from webapp.catalog_query import Fit, QueryError, facets, parse_query, search

log = logging.getLogger("credbot.webapp")

PREFIX = "/app"
STATIC = Path(__file__).parent / "static"
USER = web.RequestKey("user", WebAppUser)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def card(c: Credential) -> dict[str, Any]:
    """What a list row or an offering page shows of a record: every field, and where its facts come from."""
    return {**c.to_dict(), "source_name": source_name(c), "source_line": source_line(c)}


class MiniApp:
    def __init__(self, services: Services, token: str, *, max_age: timedelta = MAX_AGE) -> None:
        """`max_age`: how old initData may be (the sandbox, whose clock jumps ahead with /wait, allows years)."""
        self.services, self.token, self.max_age = services, token, max_age

    def web_app(self) -> web.Application:
        return self.install(web.Application(client_max_size=64 * 1024))

    def install(self, app: web.Application) -> web.Application:
        """Add the page and its API to `app` (the webhook server's, so both share one public https address)."""
        app.middlewares.append(self.authenticate)
        app.router.add_get(f"{PREFIX}/api/catalog", self.catalog)
        app.router.add_get(f"{PREFIX}/api/facets", self.facets)
        app.router.add_get(f"{PREFIX}/api/offering/{{credential_id}}", self.offering)
        app.router.add_get(f"{PREFIX}/api/picks", self.picks)
        app.router.add_post(f"{PREFIX}/api/enroll", self.enroll)
        app.router.add_get(f"{PREFIX}/api/plan", self.plan)
        app.router.add_get(f"{PREFIX}/api/chart.png", self.chart)
        app.router.add_post(f"{PREFIX}/api/log", self.log_hours)
        app.router.add_get(f"{PREFIX}/", self.page)
        app.router.add_get(PREFIX, self.page)
        app.router.add_static(f"{PREFIX}/", STATIC, show_index=False)  # app.js, app.css (after the API routes)
        return app

    @web.middleware
    async def authenticate(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith(f"{PREFIX}/api/"):
            scheme, _, data = request.headers.get("Authorization", "").partition(" ")
            try:
                if scheme.lower() != "tma":
                    raise InvalidInitData("no initData")
                request[USER] = verify(data.strip(), self.token, self.services.now(), max_age=self.max_age)
            except InvalidInitData as err:
                return web.json_response({"error": "unauthorized", "why": str(err)}, status=401)
        return await handler(request)

    def _fit(self, user: WebAppUser) -> Fit | None:
        """The person's own ranking, when they have answered the questions (else the page sorts by title)."""
        latest = self.services.store.latest_profile(user.id)
        if latest is None:
            return None
        profile = profile_from_draft(latest[1])
        today: date = self.services.today()
        recommender = self.services.recommender()

        def fit(ids: Sequence[str]) -> dict[str, float]:
            return recommender.fit_scores(profile, today=today, ids=ids)

        return fit

    async def catalog(self, request: web.Request) -> web.Response:
        try:
            query = parse_query(request.query)
        except QueryError as err:
            return web.json_response({"error": "bad query", "why": str(err)}, status=400)
        user = request[USER]
        fit = self._fit(user) if query.sort == "fit" else None
        page = await asyncio.to_thread(search, self.services.db, query, fit)
        return web.json_response(
            {
                "items": [card(c) | {"fit": page.scores.get(c.id)} for c in page.items],
                "total": page.total,
                "page": page.page,
                "pages": page.pages,
                "sort": query.sort if query.sort != "fit" or fit is not None else "title",
            }
        )

    async def facets(self, request: web.Request) -> web.Response:
        return web.json_response(await asyncio.to_thread(facets, self.services.db))

    async def offering(self, request: web.Request) -> web.Response:
        found = self.services.credential(request.match_info["credential_id"])
        if found is None:
            return web.json_response({"error": "not found"}, status=404)
        user = request[USER]
        enrolled = [e for e in self.services.store.enrollments(user.id) if e.credential_id == found.id]
        return web.json_response(card(found) | {"enrolled": bool(enrolled and enrolled[0].status.active)})

    async def enroll(self, request: web.Request) -> web.Response:
        """{"credential_id", "target": "YYYY-MM-DD"}: the chat's own enroll (bot/enrolling.py), so the chat's
        /progress, /path and reminders see it at once."""
        try:
            body = await request.json()
            credential_id, target = str(body["credential_id"]), date.fromisoformat(str(body["target"]))
        except (ValueError, KeyError, TypeError):
            return web.json_response(
                {"error": "bad request", "why": "send credential_id and target (YYYY-MM-DD)"}, status=400
            )
        outcome = enroll_by(self.services, request[USER].id, credential_id, target)
        if outcome.result == Result.GONE:
            return web.json_response({"error": "not found", "why": "no longer in the catalog"}, status=404)
        if outcome.result == Result.PAST:
            return web.json_response({"error": "bad request", "why": "that date has passed"}, status=400)
        assert outcome.enrollment is not None
        return web.json_response(
            {"result": outcome.result.value, "enrollment_id": outcome.enrollment.id, "target": target.isoformat(),
             "hours_per_week": round(outcome.pace, 1)}
        )  # fmt: skip

    async def plan(self, request: web.Request) -> web.Response:
        """My enrollments with their progress, in the order the chat's /progress lists them."""
        user = request[USER]
        items = []
        for e in self.services.store.enrollments(user.id):
            c = self.services.credential(e.credential_id)
            items.append(
                {"enrollment_id": e.id, "credential_id": e.credential_id, "title": c.title if c else e.credential_id,
                 "provider": c.provider if c else "", "status": e.status.value, "active": e.status.active,
                 "started_on": e.started_on.isoformat(), "target_date": e.target_date.isoformat(),
                 "hours_logged": e.hours_logged, "hours_total": e.hours_total, "modules_done": e.modules_done}
            )  # fmt: skip
        return web.json_response({"items": items})

    async def chart(self, request: web.Request) -> web.Response:
        """The progress chart the chat sends with /progress, for the active enrollments."""
        from bot.nudges.chart import progress_png, series_for

        active = self.services.store.enrollments(request[USER].id, active_only=True)
        if not active:
            return web.json_response({"error": "not found", "why": "no active enrollment"}, status=404)
        png = await asyncio.to_thread(progress_png, series_for(self.services, active), self.services.today())
        return web.Response(body=png, content_type="image/png", headers={"Cache-Control": "no-store"})

    async def log_hours(self, request: web.Request) -> web.Response:
        """{"enrollment_id", "hours"}: logged as the chat's /progress logs it (the person's own enrollment only)."""
        try:
            body = await request.json()
            enrollment_id, hours = int(body["enrollment_id"]), float(body["hours"])
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": "bad request", "why": "send enrollment_id and hours"}, status=400)
        if not 0 < hours <= 24:  # NaN fails this too
            why = "hours must be more than 0 and at most 24"
            return web.json_response({"error": "bad request", "why": why}, status=400)
        user = request[USER]
        try:
            e = self.services.store.log_progress(user.id, enrollment_id, self.services.now(), hours=hours)
        except KeyError:
            return web.json_response({"error": "not found", "why": "no such enrollment of yours"}, status=404)
        NudgeStore(self.services.db).note_reaction(user.id, self.services.now())  # activity, as in the chat
        ensure_scheduled(self.services, user.id, self.services.now())
        return web.json_response({"enrollment_id": e.id, "hours_logged": e.hours_logged, "status": e.status.value})

    async def page(self, request: web.Request) -> web.StreamResponse:
        """The page itself: plain HTML, CSS and JavaScript shipped in webapp/static (no build step)."""
        if request.path == PREFIX:
            raise web.HTTPFound(f"{PREFIX}/")
        return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    async def picks(self, request: web.Request) -> web.Response:
        user = request[USER]
        return web.json_response({"items": [card(c) for c in self.services.last_picks(user.id)]})


async def serve_local(services: Services, token: str, user: dict[str, Any], *, max_age: timedelta = MAX_AGE) -> tuple[
    web.AppRunner, str
]:
    """The Mini App on a free port of 127.0.0.1, and its address signed for `user` (the sandbox's person)."""
    from urllib.parse import quote

    runner = web.AppRunner(MiniApp(services, token, max_age=max_age).web_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = int(runner.addresses[0][1])
    return runner, f"http://127.0.0.1:{port}{PREFIX}/#tma={quote(sign(token, user, services.now()))}"
