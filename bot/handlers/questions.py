"""Asking the next open question: shared by onboarding (one question after another) and results (Change my
answers, picks asked for before the answers are complete), so neither flow imports the other to ask one."""

from __future__ import annotations

from telegram import Update

from bot import keyboards, render
from bot.handlers.common import Context, State, person, reply, services
from bot.onboarding import forget_misses, next_step, position


async def ask(update: Update, context: Context, draft: dict, history: list[str]) -> State:
    """Ask the draft's first open question and save the draft as being asked. The caller has checked that one is
    open: with none left, onboarding shows the picks instead (results never gets here then)."""
    s = services(context)
    user = person(update, context)
    step = next_step(draft)
    assert step is not None, "ask() needs a draft with a question left"
    draft = forget_misses(draft, keep=step)  # failed tries count only at the question still being asked
    s.store.save_draft(user.id, draft, State.ASKING.value, history)
    await reply(
        update,
        context,
        render.question(step.question, step.hint, position(step)),
        keyboards.onboarding(step, bool(history)),
    )
    return State.ASKING


async def resume(update: Update, context: Context, *, greet: bool = True) -> State:
    """Back to the questions where the person's saved answers stop."""
    user = person(update, context)
    if greet:
        await reply(update, context, render.welcome(user.first_name))
    return await ask(update, context, dict(user.draft), list(user.history))
