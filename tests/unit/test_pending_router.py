"""The pending-intent router: every kind a flow stores with set_pending has exactly one owner to read the reply."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bot.app  # noqa: F401  (imports every flow, as the running bot does, so all kinds are registered)
from bot.handlers.pending import PendingRouter, router

BOT = Path(__file__).resolve().parents[2] / "bot"


def kinds_set_in_source() -> set[str]:
    """Every literal `{"kind": K, ...}` passed to set_pending anywhere in bot/."""
    kinds = set()
    for path in BOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "set_pending":
                for arg in node.args:
                    if isinstance(arg, ast.Dict):
                        for key, value in zip(arg.keys, arg.values, strict=True):
                            if isinstance(key, ast.Constant) and key.value == "kind":
                                assert isinstance(value, ast.Constant), f"{path}: a pending kind should be a literal"
                                kinds.add(value.value)
    return kinds


def test_every_pending_kind_a_flow_asks_for_has_an_owner() -> None:
    asked = kinds_set_in_source()
    assert asked == {"enroll", "log_hours", "timezone"}
    assert router.kinds() == asked


def test_a_kind_has_one_owner() -> None:
    local = PendingRouter()

    @local.on("x")
    async def first(*_: object) -> None: ...

    with pytest.raises(ValueError, match=r"'x' already belongs to .*first"):

        @local.on("x")
        async def second(*_: object) -> None: ...

    assert local.kinds() == {"x"}
