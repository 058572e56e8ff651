"""Results: cards with Details / Enroll / 👍 / 👎, More, learning path, and free-text refinement."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from telegram import Update
from telegram.ext import ConversationHandler

from bot import keyboards, render
from bot.callbacks import parse
from bot.handlers.common import Context, State, person, reply, services, set_state, text_of
from bot.handlers.pending import router
from bot.handlers.questions import resume
from bot.onboarding import STEPS, forget_answer, next_step, profile_from_draft
from catalog.schema import Credential
from recommender.engine import limits_text
from recommender.path import plan_path
from recommender.refine import is_refined, refine
from store.models import EnrollmentStatus


async def show_results(update: Update, context: Context, *, more: bool = False) -> State:
    s = services(context)
    user = person(update, context)
    profile = profile_from_draft(user.draft)
    s.store.save_profile(user.id, user.draft, s.now())
    exclude = s.store.shown_ids(user.id) if more else []
    recommender = await asyncio.to_thread(s.recommender)
    recs = await asyncio.to_thread(
        recommender.recommend,
        profile,
        today=s.today(),
        top_k=5,
        feedback=s.feedback_model(user.id),
        exclude=exclude,
    )
    if more and not recs.picks:
        await reply(
            update,
            context,
            "That's everything that fits your answers. Type <i>longer</i> or "
            "<i>any budget</i>, or tap <b>Change my answers</b>.",
            keyboards.results_footer(s.webapp_url),
        )
        set_state(context, user.id, State.RESULTS)
        return State.RESULTS
    s.store.record_shown(user.id, [(p.credential.id, p.score) for p in recs.picks], s.now())
    refined = is_refined(user.draft)
    await reply(update, context, render.results_intro(recs, limits_text(profile, s.today()), refined))
    for n, pick in enumerate(recs.picks, start=1):
        await reply(update, context, render.card(n, pick), keyboards.card(pick.credential.id))
    await reply(update, context, render.RESULTS_FOOTER, keyboards.results_footer(s.webapp_url))
    set_state(context, user.id, State.RESULTS)
    return State.RESULTS


async def on_refine(update: Update, context: Context) -> State:
    """Free text after results: a refinement ("cheaper", "shorter", "something in Python") re-ranks."""
    if await router.dispatch(update, context):
        return State.RESULTS
    s = services(context)
    user = person(update, context)
    if next_step(user.draft) is not None:
        return await resume(update, context, greet=False)
    shown = s.last_picks(user.id)
    change = refine(text_of(update), user.draft, shown, s.provider_names())
    if change is None and re.fullmatch(r"(thanks?( you)?|thx|ty|cheers|great|perfect|cool|ok(ay)?)[.! 🙏👍]*",
                                       text_of(update).lower()):  # fmt: skip
        await reply(update, context, "You're welcome! Tap <b>Enroll</b> on a card when you're ready, or /path.")
        return State.RESULTS
    if change is None:
        await reply(
            update,
            context,
            "I can refine your picks if you say things like <i>cheaper</i>, <i>free</i>, <i>shorter</i>, "
            "<i>easier</i>, <i>online</i>, <i>only certificates</i>, <i>universities</i>, <i>only Google</i> or "
            "<i>something in Python</i>. /start redoes your answers, /help lists "
            "everything I can do.",
        )
        return State.RESULTS
    if not change.changes:
        await reply(update, context, f"{render.e(change.summary[0].upper() + change.summary[1:])}.")
        return State.RESULTS
    draft = {**user.draft, **change.changes}
    s.store.save_draft(user.id, draft, State.RESULTS.value, user.history)
    await reply(update, context, f"Okay: {render.e(change.summary)}. Re-ranking…")
    return await show_results(update, context)


async def _credential_from_button(update: Update, context: Context) -> tuple[str, Credential | None]:
    query = update.callback_query
    assert query is not None
    cb = parse(query.data)
    if cb is None or len(cb.args) < 1:
        return "", None
    credential = await asyncio.to_thread(services(context).credential_by_ref, cb.args[0])
    return cb.action, credential


async def on_card(update: Update, context: Context) -> State | None:
    """Details / Enroll / 👍 / 👎 on a card; a stale or forged button changes nothing."""
    query = update.callback_query
    assert query is not None
    action, credential = await _credential_from_button(update, context)
    if credential is None or action not in {"d", "e", "u", "x"}:
        await query.answer("That button is out of date. Ask for fresh picks with /recommend.", show_alert=True)
        return None
    s = services(context)
    user = person(update, context)
    if action == "d":
        await query.answer()
        await reply(update, context, render.details(credential), keyboards.card(credential.id))
    elif action == "u":
        s.store.add_feedback(user.id, credential.id, "like", s.now())
        await query.answer("👍 Noted: I'll show more like this.")
    elif action == "x":
        s.store.add_feedback(user.id, credential.id, "dislike", s.now())
        await query.answer("👎 Noted: fewer like this from now on.")
    else:
        await query.answer()
        pace = user.draft.get("hours_per_week") or credential.hours_per_week
        suggested = s.today() + timedelta(days=max(7, round(credential.hours / pace * 7)))
        later = s.today() + timedelta(days=max(14, round(credential.hours / pace * 7 * 1.5)))
        s.store.set_pending(user.id, {"kind": "enroll", "credential_id": credential.id})
        profile = profile_from_draft(user.draft)
        weeks = profile.weeks_available(s.today())
        target = s.today() + timedelta(days=round(weeks * 7)) if weeks else None
        warning = ""
        if target is not None and target > s.today() and suggested > target:
            needed = credential.hours / max((target - s.today()).days / 7, 1 / 7)
            warning = (
                f"\nAt {pace:g} h/week it takes until {suggested:%-d %b %Y}, after your {target:%-d %b %Y} target: "
                f"finishing by then needs about {needed:.1f} h/week."
            )
        else:
            target = None
        await reply(
            update,
            context,
            f"Great choice: <b>{render.e(credential.title)}</b> (about {credential.hours:g} h).{warning}\n"
            f"When do you want to finish? Tap a date or type one (e.g. <i>by 15 March</i>, <i>in 6 weeks</i>).",
            keyboards.enroll_dates(credential.id, suggested, later, target),
        )
    return None


async def on_results_button(update: Update, context: Context) -> State | int | None:
    """More / My learning path / Change my answers."""
    query = update.callback_query
    assert query is not None
    cb = parse(query.data)
    await query.answer()
    if cb is None or cb.action not in {"more", "path", "change", "edit", "restart"}:
        await reply(update, context, "That button is out of date. /recommend shows fresh picks.")
        return None
    user = person(update, context)
    if cb.action == "change":
        summary = render.understood_summary(user.draft, lead="Your answers: ") or "No answers yet."
        await reply(update, context, f"{summary}\nWhich one do you want to change?", keyboards.change_answers())
        return State.RESULTS
    if cb.action == "edit" and cb.args and cb.args[0].isdigit() and int(cb.args[0]) < len(STEPS):
        draft, history = forget_answer(dict(user.draft), list(user.history), STEPS[int(cb.args[0])])
        services(context).store.save_draft(user.id, draft, State.ASKING.value, history)
        return await resume(update, context, greet=False)
    if cb.action in {"edit", "restart"}:
        services(context).store.save_draft(user.id, {}, State.ASKING.value, [])
        await reply(update, context, "Let's go through your answers again.")
        return await resume(update, context, greet=False)
    if next_step(user.draft) is not None:
        return await resume(update, context, greet=False)
    if cb.action == "more":
        return await show_results(update, context, more=True)
    await send_path(update, context)
    return State.RESULTS


async def send_path(update: Update, context: Context) -> None:
    s = services(context)
    user = person(update, context)
    picks = s.last_picks(user.id)
    if not picks:
        await reply(update, context, "No picks yet. Answer a few questions with /start first.")
        return
    profile = profile_from_draft(user.draft)
    enrolled = s.store.enrollments(user.id)
    path = plan_path(
        picks,
        today=s.today(),
        hours_per_week=profile.hours_per_week,
        deadline=profile.deadline,
        weeks=profile.weeks,
        logged={e.credential_id: e.hours_logged for e in enrolled},
        completed={e.credential_id for e in enrolled if e.status == EnrollmentStatus.COMPLETED},
    )
    await reply(update, context, render.path_text(path))


async def path_command(update: Update, context: Context) -> None:
    await send_path(update, context)


async def recommend_command(update: Update, context: Context) -> State | int:
    user = person(update, context)
    if next_step(user.draft) is not None:
        return await resume(update, context, greet=not user.draft)
    return await show_results(update, context)


END = ConversationHandler.END
