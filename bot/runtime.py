"""Constructing services and running the application (polling, sandbox) — the impure edge."""

from __future__ import annotations

import contextlib
import logging
import re
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

from telegram.ext import Application

from bot.services import Clock, Services, utc_now
from catalog.occupations import load_occupations
from catalog.repository import CatalogRepository
from recommender.encoder import Encoder, SentenceTransformerEncoder
from recommender.engine import Recommender
from recommender.index import EmbeddingCache
from store.connect import open_engine
from store.engine import is_postgres_url
from store.repository import Store

TOKEN_RE = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")


class RedactingFilter(logging.Filter):
    """Logs never contain the token (httpx logs request URLs, which carry it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if TOKEN_RE.search(message):
            record.msg = TOKEN_RE.sub("<token>", message)
            record.args = ()
        if record.exc_info:  # tracebacks quote the token too (e.g. InvalidToken's message)
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = TOKEN_RE.sub("<token>", text)
            record.exc_info = None
        return True


def _skipped_tick(record: logging.LogRecord) -> bool:
    """Drop "skipped: maximum number of running instances reached": a reminder run still sending when the next
    tick comes is expected (a large batch at ~30 messages/s), not worth a warning every tick."""
    return "maximum number of running instances" not in record.getMessage()


def setup_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.scheduler").addFilter(_skipped_tick)


def make_services(
    db_path: str | Path | None,
    *,
    clock: Clock = utc_now,
    encoder: Encoder | None = None,
    recommender: Recommender | None = None,
    claim_lease: timedelta | None = None,
) -> Services:
    """`recommender`: an already built one to reuse (tests that start many bots over the same bundled catalog)."""
    db = open_engine(db_path)
    catalog = CatalogRepository(db)
    store = Store(db)
    EmbeddingCache(db)  # its migrations run at start, on the main connection
    # built now (the model itself still loads lazily), so a wrong CREDBOT_MODEL_DIR stops start-up with one clear
    # line instead of failing every request later
    chosen = encoder or SentenceTransformerEncoder()

    def make() -> Recommender:
        if recommender is not None:
            return recommender
        # SQLite: a connection of its own, since this runs on a worker thread while handlers use `db` on the event
        # loop; PostgreSQL: the same pool (each thread borrows its own connection)
        separate = db_path is not None and str(db_path) != ":memory:" and not is_postgres_url(db_path)
        own = open_engine(db_path) if separate else db
        try:
            built = Recommender(
                CatalogRepository(own, load_bundled_data=False).all(),
                chosen,
                occupations=load_occupations(),
                cache=EmbeddingCache(own),
            )
        finally:
            if own is not db:
                own.close()
        load = getattr(chosen, "model", None)
        if callable(load):
            load()  # with every vector shipped the index needs no model; the first question does
        return built

    services = Services(db=db, store=store, catalog=catalog, make_recommender=make, clock=clock)
    if claim_lease is not None:
        services.claim_lease = claim_lease
    return services


@contextlib.asynccontextmanager
async def running(app: Application, *, poll_timeout: float = 1.0) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run an Application the way run_polling does (post_init, polling, post_shutdown) inside our own loop."""
    async with app:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=int(poll_timeout))
        try:
            yield app
        finally:
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
