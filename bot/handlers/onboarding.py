"""Onboarding: /start, one question at a time (buttons or typed answers), back, skip, a rich first message."""

from __future__ import annotations

from telegram import Update

from bot import keyboards, render
from bot.callbacks import parse
from bot.handlers.common import Context, State, person, reply, services, set_state, text_of
from bot.handlers.pending import router
from bot.handlers.questions import ask
from bot.handlers.results import on_refine, show_results
from bot.onboarding import (
    BACK_WORDS,
    SKIP_WORDS,
    STEPS,
    Step,
    answer,
    back,
    command_word,
    forget_misses,
    from_first_message,
    missed,
    next_step,
    offered,
    position,
    read_answer,
    says_no_deadline,
    skip,
    stuck,
)
from recommender.parsing import ParseError, understand


async def ask_next(update: Update, context: Context, draft: dict, history: list[str]) -> State:
    """The next open question, or the picks once every question is answered."""
    if next_step(draft) is not None:
        return await ask(update, context, draft, history)
    services(context).store.save_draft(person(update, context).id, forget_misses(draft), State.RESULTS.value, history)
    return await show_results(update, context)


async def start(update: Update, context: Context) -> State:
    """/start always begins afresh (answers so far are replaced; earlier profile versions stay in the store)."""
    s = services(context)
    user = person(update, context)
    s.store.save_draft(user.id, {}, State.ASKING.value, [])
    s.store.set_pending(user.id, None)
    await reply(update, context, render.welcome(user.first_name))
    return await ask_next(update, context, {}, [])


async def first_message(update: Update, context: Context) -> State | None:
    """Text outside a conversation: a pending action, a refinement, or a first message that says a lot."""
    if await router.dispatch(update, context):
        return State.RESULTS
    s = services(context)
    user = person(update, context)
    if user.draft and next_step(user.draft) is None:
        return await on_refine(update, context)
    found = from_first_message(understand(text_of(update), s.today()))
    draft = {**user.draft, **found}
    if found:
        await reply(update, context, render.welcome(user.first_name) + "\n\n" + render.understood_summary(found))
    else:
        await reply(update, context, render.welcome(user.first_name))
    history = [step.key for step in STEPS if step.key in draft]
    return await ask_next(update, context, draft, history)


async def on_answer(update: Update, context: Context) -> State:
    """A typed answer to the current question; a message that says a lot fills several answers."""
    if await router.dispatch(update, context):
        return State.ASKING
    s = services(context)
    user = person(update, context)
    draft, history = dict(user.draft), list(user.history)
    step = next_step(draft)
    if step is None:
        return await show_results(update, context)
    text = text_of(update)
    if step.key == "role":
        found = from_first_message(understand(text, s.today()))
        if len(found) >= 2:
            draft.update(found)
            history += [k.key for k in STEPS if k.key in found and k.key not in history]
            await reply(update, context, render.understood_summary(found))
            return await ask_next(update, context, draft, history)
    word = command_word(text)
    if (step.optional or stuck(draft, step)) and word in SKIP_WORDS:
        return await ask_next(update, context, skip(draft, step), [*history, step.key])
    if says_no_deadline(step, text):
        await reply(update, context, "No fixed end date, then: I'll plan at your weekly pace.")
        return await ask_next(update, context, skip(draft, step), [*history, step.key])
    if word == "skip":
        return await unreadable(update, context, step, draft, history, SKIP_REFUSED)
    if word in BACK_WORDS:
        draft, history = back(draft, history)
        return await ask_next(update, context, draft, history)
    try:
        reading = read_answer(draft, step, text, s.today())
    except ParseError as err:
        return await unreadable(update, context, step, draft, history, str(err))
    history += [k.key for k in STEPS if k.key != step.key and k.key in reading.noted and k.key not in history]
    if reading.answered:
        history.append(step.key)
    if reading.noted:
        await reply(update, context, render.understood_summary(reading.noted))
    return await ask_next(update, context, forget_misses(reading.draft), history)


SKIP_REFUSED = "This one I need to give good picks. A rough answer is fine!"


async def unreadable(
    update: Update, context: Context, step: Step, draft: dict, history: list[str], why: str
) -> State:
    """An answer that could not be read. The first time, say why and ask again; when it happens again, stop
    repeating the same hint and offer buttons and Skip instead. The count is saved with the draft."""
    draft = missed(draft, step)
    services(context).store.save_draft(person(update, context).id, draft, State.ASKING.value, history)
    question = render.question(step.question, step.hint, position(step))
    if not stuck(draft, step):
        await reply(update, context, f"{render.e(why)}\n\n{question}", keyboards.onboarding(step, bool(history)))
        return State.ASKING
    buttons = "tap one of the buttons below, or " if offered(step) else "tap "
    await reply(
        update,
        context,
        f"Sorry, I still can't read that. Let's make it easier: {buttons}<b>Skip</b> and I'll "
        f"{render.e(step.skip_means)} (you can change it later).\n\n{question}",
        keyboards.onboarding(step, bool(history), stuck=True),
    )
    return State.ASKING


async def on_choice(update: Update, context: Context) -> State | None:
    """ob:pick:<step>:<i>, ob:back, ob:skip — only for the question being asked now."""
    query = update.callback_query
    assert query is not None
    s = services(context)
    user = person(update, context)
    draft, history = dict(user.draft), list(user.history)
    step = next_step(draft)
    cb = parse(query.data)
    if cb is None or step is None:
        await query.answer("That question is already answered. /start begins again.", show_alert=True)
        return None
    if cb.action == "back":
        await query.answer()
        draft, history = back(draft, history)
        return await ask_next(update, context, draft, history)
    if cb.action == "skip":
        try:
            new = skip(draft, step)
        except ParseError as err:
            await query.answer(str(err), show_alert=True)
            return None
        await query.answer()
        return await ask_next(update, context, new, [*history, step.key])
    if cb.action == "pick" and len(cb.args) == 2 and cb.args[0] == step.key and cb.args[1].isdigit():
        i = int(cb.args[1])
        if i < len(offered(step)):
            await query.answer()
            label, value = offered(step)[i]
            await reply(update, context, f"✔️ {render.e(label)}")
            new = forget_misses(answer(draft, step, value, s.today()))
            return await ask_next(update, context, new, [*history, step.key])
    await query.answer("That button belongs to an earlier question.", show_alert=True)
    return None


async def cancel(update: Update, context: Context) -> int:
    s = services(context)
    user = person(update, context)
    s.store.set_pending(user.id, None)
    set_state(context, user.id, None)
    await reply(
        update,
        context,
        "Okay, stopped. Your answers so far are saved: /recommend picks up where you left off, /start begins afresh.",
    )
    from telegram.ext import ConversationHandler

    return ConversationHandler.END
