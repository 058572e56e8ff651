"""Settings read from the environment in one place (the contracts are in DESIGN.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from store.engine import is_postgres_url

DEFAULT_DB = "credbot.db"


@dataclass(frozen=True, slots=True)
class Settings:
    db_path: Path | str  # a file (SQLite) or a postgresql:// URL
    token: str | None = field(default=None, repr=False)  # never printed with the settings
    api_base_url: str | None = None
    admin_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        admins: set[int] = set()
        for part in env.get("CREDBOT_ADMIN_IDS", "").split(","):
            part = part.strip()
            if part.lstrip("-").isdigit():
                admins.add(int(part))
        return cls(
            db_path=_db_target(env.get("CREDBOT_DB") or DEFAULT_DB),
            token=env.get("TELEGRAM_BOT_TOKEN") or None,
            api_base_url=env.get("TELEGRAM_API_BASE_URL") or None,
            admin_ids=frozenset(admins),
        )


def _db_target(value: str) -> Path | str:
    """A postgresql:// URL stays a string (a Path would fold its '//'); anything else is a SQLite file."""
    return value if is_postgres_url(value) else Path(value)
