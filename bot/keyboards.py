"""Inline keyboards; every callback goes through bot.callbacks.make so it is short and well-formed."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from bot.callbacks import make, ref
from bot.onboarding import Step, offered
from store.models import Enrollment, EnrollmentStatus


def button(text: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=make(*parts))


def onboarding(step: Step, can_go_back: bool, *, stuck: bool = False) -> InlineKeyboardMarkup | None:
    """A question's buttons. For someone `stuck` on it (typed answers keep failing): its choices or rescue ones,
    wrapped to fit a phone, with Skip always there, even on a required question."""
    choices = offered(step) if stuck else step.choices
    picks = [button(label, "ob", "pick", step.key, i) for i, (label, _) in enumerate(choices)]
    width = (3 if len(picks) <= 3 else 2) if stuck else max(1, len(picks))  # one row when not stuck
    rows: list[list[InlineKeyboardButton]] = [picks[i : i + width] for i in range(0, len(picks), width)]
    nav = []
    if can_go_back:
        nav.append(button("⬅️ Back", "ob", "back"))
    if step.optional or stuck:
        nav.append(button("Skip ➡️", "ob", "skip"))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows) if rows else None


def card(credential_id: str) -> InlineKeyboardMarkup:
    r = ref(credential_id)
    return InlineKeyboardMarkup(
        [[button("Details", "rec", "d", r), button("Enroll", "rec", "e", r), button("👍", "rec", "u", r),
          button("👎", "rec", "x", r)]]
    )  # fmt: skip


def results_footer(webapp_url: str | None = None) -> InlineKeyboardMarkup:
    """With a Mini App served, a Browse button opens it (Telegram's Web App button) to compare and filter."""
    rows = [[button("More", "res", "more"), button("My learning path", "res", "path")],
            [button("Change my answers", "res", "change")]]  # fmt: skip
    if webapp_url:
        rows.append([InlineKeyboardButton("🔎 Browse and compare", web_app=WebAppInfo(url=webapp_url))])
    return InlineKeyboardMarkup(rows)


EDIT_LABELS = ("Role", "Goal", "Skills", "Hours a week", "Time frame", "Budget", "Format")


def change_answers() -> InlineKeyboardMarkup:
    """One button per answer (res:edit:<step number>), and a full restart."""
    buttons = [button(label, "res", "edit", i) for i, label in enumerate(EDIT_LABELS)]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    return InlineKeyboardMarkup([*rows, [button("Start over", "res", "restart")]])


def enroll_dates(credential_id: str, suggested: date, later: date, target: date | None = None) -> InlineKeyboardMarkup:
    """Finish-date choices; the person's own target first when their pace would miss it."""
    r = ref(credential_id)
    rows = [[button(f"{suggested:%-d %b %Y} (your pace)", "enr", "d", r, suggested.isoformat())],
            [button(f"{later:%-d %b %Y} (relaxed)", "enr", "d", r, later.isoformat())]]  # fmt: skip
    if target is not None and target < suggested:
        rows.insert(0, [button(f"{target:%-d %b %Y} (your target)", "enr", "d", r, target.isoformat())])
    return InlineKeyboardMarkup(rows)


def progress(enrollment: Enrollment) -> InlineKeyboardMarkup:
    i = enrollment.id
    if enrollment.status == EnrollmentStatus.COMPLETED:
        return InlineKeyboardMarkup([])
    if enrollment.status == EnrollmentStatus.WITHDREW:
        return InlineKeyboardMarkup([[button("▶️ Resume", "prog", "r", i)]])
    if enrollment.status == EnrollmentStatus.ON_HOLD:
        return InlineKeyboardMarkup([[button("▶️ Resume", "prog", "r", i), button("Withdraw", "prog", "w", i)]])
    return InlineKeyboardMarkup(
        [[button("+1 h", "prog", "h", i, 1), button("+2 h", "prog", "h", i, 2), button("Log hours…", "prog", "l", i)],
         [button("Module done", "prog", "m", i), button("Completed ✅", "prog", "c", i)],
         [button("Pause", "prog", "p", i), button("Withdraw", "prog", "w", i), button("New date", "prog", "d", i)]]
    )  # fmt: skip


def forget_confirm() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button("Yes, delete everything", "fgt", "yes"), button("No, keep it", "fgt", "no")]])
