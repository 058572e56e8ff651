"""PTB persistence backed by the store: only conversation states, read from and written to users.step.

The store is the data model; this class just lets ConversationHandler resume where each person was after a
restart. user_data/chat_data/bot_data are deliberately not persisted (nothing lives there).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from store.repository import Store

CONVERSATION = "main"


class StorePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    def __init__(self, store: Store, update_interval: float = 5) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=False, callback_data=False),
            update_interval=update_interval,
        )
        self.store = store

    async def get_conversations(self, name: str) -> MutableMapping[tuple[int | str, ...], object]:
        if name != CONVERSATION:
            return {}
        return {key: step for key, step in self.store.conversation_steps().items()}

    async def update_conversation(self, name: str, key: tuple[int | str, ...], new_state: object | None) -> None:
        if name != CONVERSATION or len(key) != 2:
            return
        user_id = int(key[1])
        if self.store.get_user(user_id) is None:
            return
        self.store.set_step(user_id, str(new_state) if new_state is not None else "")

    # Nothing else is persisted: the store holds the data model.
    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def drop_user_data(self, user_id: int) -> None:
        return None

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        return None
