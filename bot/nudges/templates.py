"""Nudge wording: several short, kind templates per kind, rotated so the same words do not repeat."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from bot.nudges.policy import Kind

TEMPLATES: dict[Kind, tuple[tuple[str, str], ...]] = {
    Kind.CHECK_IN: (
        ("ci-1", "Quick check-in on <b>{title}</b>: {logged} logged so far. About {per_day} a day gets you to "
                 "{target}. How did this week go?"),
        ("ci-2", "Hi! <b>{title}</b> is waiting for you. {left} to go before {target}: roughly {per_day} a day."),
        ("ci-3", "A small step today on <b>{title}</b>? {per_day} keeps you on course for {target}."),
    ),
    Kind.BEHIND: (
        ("bh-1", "You're about {behind} behind the pace you need to finish <b>{title}</b> by {target}. "
                 "{per_day} a day from now puts you back on track."),
        ("bh-2", "<b>{title}</b> has slipped a little: about {behind} behind plan. Could you fit {per_day} in "
                 "today? Or move the date: no guilt."),
        ("bh-3", "Catch-up idea for <b>{title}</b>: {per_day} a day closes the {behind} gap before {target}."),
    ),
    Kind.MILESTONE: (
        ("ms-1", "🎯 {percent} of <b>{title}</b> done! {left} to go."),
        ("ms-2", "Milestone: you're {percent} through <b>{title}</b>. Keep that rhythm!"),
    ),
    Kind.STREAK: (
        ("st-1", "🔥 {streak} days in a row on <b>{title}</b>. That's how credentials get finished."),
        ("st-2", "A {streak}-day streak! <b>{title}</b> is moving: {left} left."),
    ),
    Kind.REENGAGE: (
        ("re-1", "It's been {silent_days} days since you logged time on <b>{title}</b>. Even 20 minutes today "
                 "counts. Still the right goal for you?"),
        ("re-2", "Haven't heard from you in a while. <b>{title}</b> needs about {per_day} a day to make "
                 "{target}. Want to snooze or change the date instead?"),
    ),
    Kind.DEADLINE: (
        ("dl-1", "⏰ {days} days left for <b>{title}</b> ({target}). {left} to go: about {per_day} a day."),
        ("dl-2", "Target date for <b>{title}</b> is close: {target}. Need more time? /progress has a New date button."),
    ),
    Kind.COMPLETED: (
        ("cp-1", "🎉 You finished <b>{title}</b>! Congratulations. Next on your path: {next}."),
        ("cp-2", "Done and dusted: <b>{title}</b> 🎓. Ready for the next step? {next}."),
    ),
    Kind.STOP_ASK: (
        ("sa-1", "I've sent a few reminders without hearing back. Shall I stop? Tap <b>Stop reminders</b>, or "
                 "anything else to keep them coming."),
    ),
}  # fmt: skip


def pick_template(kind: Kind, recent: Sequence[str], seed: str) -> tuple[str, str]:
    """The least recently used template of this kind; ties broken by a stable hash of `seed`."""
    options = TEMPLATES[kind]
    last_use = {tid: i for i, tid in enumerate(recent)}  # later index = more recent

    def key(option: tuple[str, str]) -> tuple[int, str]:
        tid = option[0]
        return (last_use.get(tid, -1), hashlib.sha1(f"{seed}:{tid}".encode()).hexdigest())

    return min(options, key=key)


def render(kind: Kind, template: str, facts: dict[str, str]) -> str:
    import html

    safe = {k: html.escape(v, quote=False) for k, v in facts.items()}
    text = dict(TEMPLATES[kind])[template]
    return text.format_map(_Default(safe))


class _Default(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "…"
