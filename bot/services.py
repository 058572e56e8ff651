"""What handlers need, built once and kept in `application.bot_data["services"]`."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from bot.callbacks import ref
from catalog.repository import CatalogRepository
from catalog.schema import Credential
from recommender.engine import Recommender
from recommender.feedback import FeedbackModel, event_for, learn
from recommender.refine import provider_names
from store.engine import Engine
from store.repository import Store

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    db: Engine
    store: Store
    catalog: CatalogRepository
    make_recommender: Callable[[], Recommender]
    clock: Clock = utc_now
    claim_lease: timedelta = timedelta(minutes=5)  # a claimed reminder not sent by then is free for another sender
    webapp_url: str | None = None  # the Mini App's public https address, when this process serves it
    _recommender: Recommender | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _refs: dict[str, str] = field(default_factory=dict, repr=False)
    _providers: dict[str, str] | None = field(default=None, repr=False)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().date()

    def recommender(self) -> Recommender:
        """Built on first use (model load + index); thread-safe so a warm-up thread and a handler can race."""
        with self._lock:
            if self._recommender is None:
                self._recommender = self.make_recommender()
            return self._recommender

    async def warm_up(self) -> None:
        await asyncio.to_thread(self.recommender)

    def provider_names(self) -> dict[str, str]:
        """Provider names people may filter by ("only Google", "on edX"), read once from the catalog table."""
        if self._providers is None:
            self._providers = provider_names(self.catalog.providers())
        return self._providers

    def credential_by_ref(self, short: str) -> Credential | None:
        """A button's short reference back to a credential (None for stale or forged references)."""
        if short not in self._refs:
            self._refs = {ref(cid): cid for cid in self.catalog.hashes()}
        cid = self._refs.get(short)
        return self.credential(cid) if cid is not None else None

    def credential(self, credential_id: str) -> Credential | None:
        """From the catalog table (no model needed), so nudges and previews stay light."""
        if self._recommender is not None and credential_id in self._recommender.by_id:
            return self._recommender.credentials[self._recommender.by_id[credential_id]]
        return self.catalog.get(credential_id)

    def last_picks(self, user_id: int) -> list[Credential]:
        """The credentials of the person's most recent results, still in the catalog, in shown order."""
        found = (self.credential(cid) for cid in self.store.last_batch(user_id))
        return [c for c in found if c is not None]

    def feedback_model(self, user_id: int) -> FeedbackModel:
        events = []
        for cid, kind in self.store.feedback(user_id):
            c = self.credential(cid)
            if c is not None:
                events.append(event_for(c, kind))
        return learn(events)
