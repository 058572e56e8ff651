"""Pending intents: a question one flow asked whose answer is the person's next typed text (a finish date, hours,
a time zone), kept in the users row as `{"kind": ..., ...}` by `store.set_pending`.

Each flow registers the kinds it asks for (`@router.on("log_hours")`) next to the question; the text entry points
ask `router.dispatch` first. So no flow reads another flow's pending kinds, and a new multi-message action is one
handler in its own flow, not a branch in the onboarding handler. bot/app.py imports every flow, so all are
registered before the first update.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.handlers.common import Context, person, reply, services, text_of
from store.models import User

# (update, context, the person whose .pending names the action, the text typed); clears the pending action when it
# is answered, or leaves it (after saying what it needs) so the next message tries again
PendingHandler = Callable[[Update, Context, User, str], Awaitable[None]]

CANCEL_WORDS = frozenset({"cancel", "stop", "never mind", "nevermind"})


class PendingRouter:
    """Pending kind -> the text handler of the one flow that owns it."""

    def __init__(self) -> None:
        self._handlers: dict[str, PendingHandler] = {}

    def on(self, kind: str) -> Callable[[PendingHandler], PendingHandler]:
        """Register the decorated handler for `kind`; a second owner is a wiring mistake, refused at import."""

        def register(handler: PendingHandler) -> PendingHandler:
            owner = self._handlers.get(kind)
            if owner is not None:
                raise ValueError(f"pending kind {kind!r} already belongs to {owner.__module__}.{owner.__qualname__}")
            self._handlers[kind] = handler
            return handler

        return register

    def kinds(self) -> frozenset[str]:
        return frozenset(self._handlers)

    async def dispatch(self, update: Update, context: Context) -> bool:
        """True if this text answered (or cancelled) the pending action. False if nothing is pending, or its kind
        has no owner (it is then dropped, so a stale action cannot swallow messages): read the text as usual."""
        user = person(update, context)
        pending = user.pending
        if not pending:
            return False
        store = services(context).store
        text = text_of(update)
        if text.lower() in CANCEL_WORDS:
            store.set_pending(user.id, None)
            await reply(update, context, "Okay, cancelled.")
            return True
        handler = self._handlers.get(pending.get("kind", ""))
        if handler is None:
            store.set_pending(user.id, None)
            return False
        await handler(update, context, user, text)
        return True


router = PendingRouter()
