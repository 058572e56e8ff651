"""Messages as text (Telegram HTML) from plain data; every user or catalog string is escaped here."""

from __future__ import annotations

import html
from datetime import date

from catalog.provenance import snapshot_of, source_line
from catalog.schema import Credential
from recommender.engine import Pick, Recommendations
from recommender.path import LearningPath
from recommender.reasons import FORMAT_WORDS, fmt_hours, fmt_money, fmt_weeks
from store.models import Enrollment, EnrollmentStatus

LIMIT = 4096


def e(text: str, quote: bool = False) -> str:
    """Escape for Telegram HTML; quotes only matter inside attributes."""
    return html.escape(text, quote=quote)


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Split at paragraph, then line, then word boundaries; never inside an HTML tag or entity."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = rest.rfind(sep, 0, limit)
            if cut > limit // 3:
                break
        if cut <= 0:
            cut = limit
            amp, lt = rest.rfind("&", 0, cut), rest.rfind("<", 0, cut)
            for pos, end in ((amp, ";"), (lt, ">")):
                if pos != -1 and rest.find(end, pos) >= cut:
                    cut = pos
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return [p for p in parts if p]


def welcome(first_name: str) -> str:
    return (
        f"Hi {e(first_name or 'there')}! I'm <b>credbot</b>. I help you pick micro-credentials (badges, "
        "certificates, short course series) that fit your goal and the time you really have, plan a dated path, "
        "and keep you going with gentle reminders.\n\n"
        "7 quick questions, about 2 minutes. You can tap the buttons or just type. "
        "Tip: you can also tell me everything at once, like <i>\"I'm a nurse and want to move into health "
        'informatics, 5h a week"</i>.'
    )


def question(text: str, hint: str, pos: str) -> str:
    return f"<b>{e(text)}</b>  <i>({pos})</i>\n{e(hint)}"


def understood_summary(fields: dict[str, object], lead: str = "Got it: ") -> str:
    labels = {
        "role": "role", "goal": "goal", "skills": "skills", "hours_per_week": "hours a week",
        "weeks": "weeks", "deadline": "deadline", "budget": "budget", "format": "format",
    }  # fmt: skip
    bits = []
    for key, label in labels.items():
        value = fields.get(key)
        if value in (None, [], ""):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        if key == "budget" and isinstance(value, int | float):
            value = "free only" if value == 0 else fmt_money(float(value), str(fields.get("currency") or "USD"))
        if key == "weeks" and isinstance(value, float):
            value = f"about {round(value)}"
        if isinstance(value, float):
            value = f"{value:g}"
        bits.append(f"{label}: {e(str(value))}")
    return lead + "; ".join(bits) + "." if bits else ""


def card(n: int, pick: Pick) -> str:
    c = pick.credential
    lines = [
        f"<b>{n}. {e(c.title)}</b>",
        f"{e(c.provider)} · {e(c.credential_type.value.replace('-', ' '))} · {e(source_tag(c))}",
    ]
    lines += [f"• {e(reason)}" for reason in pick.reasons]
    return "\n".join(lines)


def source_tag(c: Credential) -> str:
    """Short provenance for a card: "via edX snapshot 2023" or "checked 2026-11-29"."""
    snap = snapshot_of(c)
    return f"via {snap.label.split(' ')[0]} data of {snap.as_of[:4]}" if snap else f"checked {c.as_of}"


def results_intro(recs: Recommendations, limits: str = "", refined: bool = False) -> str:
    """`limits`: the hard filters in force, in words; `refined`: some came from refinements ("reset" undoes them)."""
    t = recs.targeting
    parts = []
    if t.goal_occupation is not None and t.goal_occupation.confident:
        o = t.goal_occupation
        how = f" (close to its task “{e(o.task.rstrip('.'))}”)" if o.task else ""
        parts.append(f"Your goal reads like <b>{e(o.occupation.title)}</b>{how}.")
    if t.missing_skills:
        shown = ", ".join(recs.missing_labels[:6])
        more = f" and {len(t.missing_skills) - 6} more" if len(t.missing_skills) > 6 else ""
        label = "Skills that sound close to your goal" if t.gap_is_guessed else "Skills to gain"
        parts.append(f"{label}: {e(shown)}{more}.")
    if recs.note:
        parts.append(e(recs.note))
    if limits or refined:
        undo = " Type <i>reset</i> to go back to your own answers." if refined else ""
        parts.append((f"Limits: {e(limits)}." if limits else "") + undo)
    if not recs.picks:
        parts.append("Nothing in the catalog fits those limits. Try a bigger budget, another format, or say 'longer'.")
    else:
        parts.append("Here is 1 pick:" if len(recs.picks) == 1 else f"Here are {len(recs.picks)} picks:")
    return "\n".join(parts)


RESULTS_FOOTER = (
    "Tap a card's buttons to see details, enroll or rate it. You can also type to refine: "
    "<i>cheaper</i>, <i>shorter</i>, <i>something in Python</i>."
)


def details(c: Credential) -> str:
    lines = [
        f"<b>{e(c.title)}</b>",
        f"{e(c.provider)} · {e(c.credential_type.value.replace('-', ' '))} · {e(c.level.value)}",
        "",
        e(c.description),
        "",
        f"<b>Skills:</b> {e(', '.join(c.skills))}",
        f"<b>Time:</b> about {fmt_hours(c.hours)}, typically {fmt_weeks(c.weeks)} at {c.hours_per_week:g} h/week",
        f"<b>Cost:</b> {'free' if c.cost == 0 else e(fmt_money(c.cost, c.currency))}",
        f"<b>Format:</b> {FORMAT_WORDS[c.format]} · language: {e(c.language)}",
        f"<b>How it is earned:</b> {e(', '.join(EARN_WORDS.get(x.value, x.value) for x in c.earn_by))}",
    ]
    if c.prerequisites:
        lines.append(f"<b>Prerequisites:</b> {e(', '.join(c.prerequisites))}")
    lines.append(f'<a href="{e(c.url, quote=True)}">Provider page</a>')
    lines.append(f'<i>{e(source_line(c))} <a href="{e(c.source, quote=True)}">Source</a>; check the provider for '
                 "today's figures.</i>")
    return "\n".join(lines)


EARN_WORDS = {"lectures-seminars": "lectures or seminars", "workplace-application": "applying it at work"}


def path_text(path: LearningPath) -> str:
    done = [f"✅ Done: {e(c.title)}" for c in path.done]
    if not path.steps:
        if done:
            return "\n".join([*done, "Everything on your path is done. /recommend for what comes next."])
        return "Your path is empty. Ask for picks with /recommend first."
    lines = [f"<b>Your learning path</b> at {path.hours_per_week:g} h/week, about {path.total_hours:.0f} h to go:"]
    lines += done
    for i, step in enumerate(path.steps, start=1):
        c = step.credential
        left = "" if step.hours >= c.hours else f", {fmt_hours(step.hours)} left"
        lines.append(
            f"{i}. <b>{e(c.title)}</b> ({e(c.level.value)}, {fmt_hours(c.hours)}{left})\n"
            f"    {step.start:%-d %b %Y} → {step.finish:%-d %b %Y}"
        )
    if path.deadline is not None:
        verdict = "fits" if path.fits else "does not fit"
        lines.append(f"\nTarget {path.deadline:%-d %b %Y}: the plan {verdict}.")
    lines += [e(a) for a in path.advice]
    return "\n".join(lines)


STATUS_WORDS = {
    EnrollmentStatus.ENROLLED: "enrolled",
    EnrollmentStatus.IN_PROGRESS: "in progress",
    EnrollmentStatus.COMPLETED: "completed 🎉",
    EnrollmentStatus.WITHDREW: "withdrawn",
    EnrollmentStatus.ON_HOLD: "paused",
}


def enrollment_line(enrollment: Enrollment, credential: Credential | None, today: date) -> str:
    title = e(credential.title) if credential else e(enrollment.credential_id)
    bar_len = 10
    filled = round(enrollment.share_done * bar_len)
    bar = "▓" * filled + "░" * (bar_len - filled)
    days = (enrollment.target_date - today).days
    due = f"due {enrollment.target_date:%-d %b %Y}" + (f" ({days} days)" if days >= 0 else " (past)")
    modules = enrollment.modules_done
    done = f"{modules} module{'s' if modules != 1 else ''} · " if modules else ""
    return (
        f"<b>{title}</b> — {STATUS_WORDS[enrollment.status]}\n"
        f"{bar} {enrollment.hours_logged:g} of {enrollment.hours_total:g} h · {done}{due}"
    )
